"""Models of the theatre and time files of a scenario.

places.csv, railways.yaml (lines and roads), fortified_regions.yaml, events.csv,
weather.csv and scenario.toml.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from stavka.scenario.schema import STRICT, Confidence, Id, PlaceKind, Quantity

__all__ = [
    "Event",
    "FortifiedRegion",
    "Place",
    "Railway",
    "Road",
    "ScenarioMeta",
    "Side",
    "WeatherPeriod",
]


class Place(BaseModel):
    """A row of places.csv: a named point of the theatre."""

    model_config = STRICT

    id: Id = Field(description="Place id used everywhere else.")
    name_modern: str = Field(min_length=1, description="Modern name.")
    names_historical: str = Field(
        default="", description="';'-separated 1945 names and spellings."
    )
    kind: PlaceKind = Field(description="Kind of place.")
    lat: float = Field(ge=-90, le=90, description="Latitude, degrees north (WGS84).")
    lon: float = Field(ge=-180, le=180, description="Longitude, degrees east (WGS84).")
    country_1945: str = Field(default="", description="Sovereignty in August 1945.")
    note: str = Field(default="", description="Role in the campaign as planned.")
    source: str = Field(min_length=1, description="Source of the coordinates.")


class Railway(BaseModel):
    """A 1945 rail line as an ordered list of station place ids."""

    model_config = STRICT

    id: Id = Field(description="Line id.")
    name: str = Field(description="Name.")
    names_historical: list[str] = Field(
        default_factory=list, description="Other names."
    )
    gauge_mm: int = Field(
        gt=0, description="Track gauge, mm (1524 Soviet, 1435 standard, 1067 Japanese)."
    )
    stations: list[Id] = Field(
        min_length=2, description="Ordered place ids (not exhaustive)."
    )
    connects: list[Id] = Field(
        default_factory=list,
        description=(
            "Stations of other lines that this line's last station joins by rail "
            "(e.g. across a border, with a break of gauge); the rail network is the "
            "lines' consecutive stations plus these links."
        ),
    )
    notes: str | None = Field(default=None, description="Free text.")
    confidence: Confidence = Field(default=Confidence.MEDIUM, description="Confidence.")
    source: str = Field(min_length=1, description="Citation.")


class Road(BaseModel):
    """A principal road or march axis as an ordered list of place ids."""

    model_config = STRICT

    id: Id = Field(description="Road id.")
    name: str = Field(description="Name.")
    places: list[Id] = Field(
        min_length=2, description="Ordered place ids along the route."
    )
    surface: Literal["paved", "improved", "dirt", "track"] = Field(
        default="dirt", description="Surface class (decides wet-weather speed)."
    )
    notes: str | None = Field(default=None, description="Free text.")
    confidence: Confidence = Field(default=Confidence.LOW, description="Confidence.")
    source: str = Field(min_length=1, description="Citation.")


class FortifiedRegion(BaseModel):
    """A Japanese fortified region: a zone of map cells with a fortification level."""

    model_config = STRICT

    id: Id = Field(description="Fortified region id.")
    name: str = Field(description="Name.")
    place: Id = Field(description="Place id of its centre.")
    radius_km: Quantity = Field(
        description="Radius of the fortified zone around the centre, km."
    )
    level: int = Field(
        ge=1,
        le=3,
        description=(
            "Fortification level: 1 field works, 2 permanent, 3 major permanent."
        ),
    )
    garrison: list[Id] = Field(
        default_factory=list, description="Formation ids that man it."
    )
    sources: list[str] = Field(min_length=1, description="Citations.")
    notes: str | None = Field(default=None, description="Free text.")


class Event(BaseModel):
    """A row of events.csv: an exogenous event the simulation takes as given."""

    model_config = STRICT

    date: dt.date = Field(description="Local date.")
    time: str = Field(
        default="",
        description="Free text local time (see the history README); empty = unknown.",
    )
    side: str = Field(min_length=1, description="Acting side as the sources give it.")
    unit: str = Field(
        default="", description="The formation or authority as the sources name it."
    )
    event_kind: Literal[
        "declaration",
        "order",
        "crossing",
        "landing",
        "airborne_landing",
        "capture",
        "fortress_fell",
        "surrender",
        "link_up",
        "halt",
    ] = Field(description="Kind of event.")
    place_id: Id | None = Field(
        default=None, description="Place id, if the event has one place."
    )
    detail: str = Field(min_length=1, description="What was decided/ordered.")
    source: str = Field(min_length=1, description="Citations.")
    formation_id: list[Id] = Field(
        default_factory=list, description="Formation ids (';'-separated in CSV)."
    )


class WeatherPeriod(BaseModel):
    """A row of weather.csv: dated weather over a lat/lon box that affects movement."""

    model_config = STRICT

    start: dt.date = Field(description="First day (local date).")
    end: dt.date = Field(description="Last day (local date), inclusive.")
    region: str = Field(min_length=1, description="Name of the region.")
    lat_min: float = Field(ge=-90, le=90, description="South edge, degrees.")
    lat_max: float = Field(ge=-90, le=90, description="North edge, degrees.")
    lon_min: float = Field(ge=-180, le=180, description="West edge, degrees.")
    lon_max: float = Field(ge=-180, le=180, description="East edge, degrees.")
    condition: Literal["dry", "rain", "heavy_rain", "mud", "flood"] = Field(
        description="Condition."
    )
    source: str = Field(min_length=1, description="Citation.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            msg = f"end {self.end} is before start {self.start}"
            raise ValueError(msg)
        if self.lat_max <= self.lat_min or self.lon_max <= self.lon_min:
            msg = "the box is empty: need lat_min < lat_max and lon_min < lon_max"
            raise ValueError(msg)
        return self


class Side(BaseModel):
    """A side of the scenario."""

    model_config = STRICT

    id: Id = Field(description="Side id (used in forces/*.yaml).")
    name: str = Field(description="Name.")
    timezone: str = Field(
        default="", description="Local time zone note (e.g. 'UTC+9 Trans-Baikal')."
    )


class ScenarioMeta(BaseModel):
    """scenario.toml: identity, time span and sides."""

    model_config = STRICT

    id: Id = Field(
        description="Scenario id (built-in ids are registered, e.g. 'august-storm')."
    )
    version: int = Field(
        ge=1, description="Rules/data version; the versioned id is '<id>-v<version>'."
    )
    title: str = Field(description="Title.")
    description: str = Field(default="", description="What the scenario covers.")
    start: dt.datetime = Field(description="Start, ISO with UTC offset.")
    end: dt.datetime = Field(description="End, ISO with UTC offset.")
    time_notes: str = Field(
        default="", description="Time-zone conventions of the data."
    )
    sides: list[Side] = Field(min_length=2, description="The sides.")
    attacker: Id = Field(
        description="Side id whose first control of places is scored as a capture."
    )

    @model_validator(mode="after")
    def _span(self) -> Self:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            msg = "start and end need a UTC offset, e.g. 1945-08-09T00:00:00+09:00"
            raise ValueError(msg)
        if self.end <= self.start:
            msg = f"end {self.end} is not after start {self.start}"
            raise ValueError(msg)
        return self

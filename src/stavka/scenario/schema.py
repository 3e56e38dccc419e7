"""Pydantic models of a scenario's files: one model per file kind, units in every field.

All models are frozen and forbid unknown fields, so a typo in a data file fails loudly.
The docs table ``docs/scenario-format.md`` is generated from these models
(``python -m stavka.scenario.docs``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Confidence",
    "Echelon",
    "Event",
    "Formation",
    "FormationType",
    "FortifiedRegion",
    "Location",
    "Mobility",
    "Objective",
    "Place",
    "Plan",
    "PlanCondition",
    "Posture",
    "Quantity",
    "Railway",
    "Road",
    "ScenarioMeta",
    "Side",
    "Strength",
    "Variant",
    "VariantPatch",
    "WeatherPeriod",
]

STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_\-]*$",
        description="Identifier: lower-case letters, digits, '_' and '-'.",
    ),
]


class Confidence(StrEnum):
    """How far a fact is confirmed (as in the history pack's README)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Echelon(StrEnum):
    """Level of a formation in its command tree."""

    HIGH_COMMAND = "high_command"
    FRONT = "front"
    AREA_ARMY = "area_army"
    ARMY = "army"
    GROUP = "group"
    CORPS = "corps"
    DIVISION = "division"
    BRIGADE = "brigade"
    REGIMENT = "regiment"
    BATTALION = "battalion"
    GARRISON = "garrison"
    FLEET = "fleet"
    FLOTILLA = "flotilla"
    AIR_ARMY = "air_army"
    AIR_DIVISION = "air_division"
    DETACHMENT = "detachment"


class FormationType(StrEnum):
    """Arm or kind of a formation."""

    HEADQUARTERS = "headquarters"
    COMBINED_ARMS = "combined_arms"
    RIFLE = "rifle"
    INFANTRY = "infantry"
    TANK = "tank"
    MECHANIZED = "mechanized"
    MOTORIZED = "motorized"
    CAVALRY = "cavalry"
    CAVALRY_MECHANIZED_GROUP = "cavalry_mechanized_group"
    AIRBORNE = "airborne"
    ARTILLERY = "artillery"
    FORTIFIED_REGION_GARRISON = "fortified_region_garrison"
    NAVAL_INFANTRY = "naval_infantry"
    BORDER_GUARD = "border_guard"
    AIR = "air"
    NAVAL = "naval"
    RIVER_FLOTILLA = "river_flotilla"
    ENGINEER = "engineer"
    SECURITY = "security"


class Mobility(StrEnum):
    """Movement class: decides speeds per terrain (see docs/parameters.md)."""

    FOOT = "foot"
    HORSE = "horse"
    MOTOR = "motor"
    TRACKED = "tracked"
    STATIC = "static"
    AIR = "air"
    NAVAL = "naval"


class Posture(StrEnum):
    """Posture of a formation (CDB90 defender postures plus attack/reserve/move)."""

    ATTACK = "attack"
    ADVANCE = "advance"
    RESERVE = "reserve"
    HASTY_DEFENCE = "hasty_defence"
    PREPARED_DEFENCE = "prepared_defence"
    FORTIFIED_DEFENCE = "fortified_defence"
    DELAY = "delay"
    WITHDRAW = "withdraw"
    HOLD = "hold"
    GARRISON = "garrison"


class Quantity(BaseModel):
    """A number with where it comes from.

    Either ``source`` (a citation) or ``estimated`` (the documented rule that derived the
    value) must be given; ``value: null`` means unknown and must still say why.
    """

    model_config = STRICT

    value: float | None = Field(
        description="The number, in the unit of the field it fills; null = unknown."
    )
    source: str | None = Field(
        default=None, description="Citation: source text line, Glantz, a dataset row."
    )
    estimated: str | None = Field(
        default=None,
        description="The rule that derived the value when no source gives it (e.g. 'establishment x readiness').",
    )
    confidence: Confidence | None = Field(
        default=None, description="high / medium / low."
    )

    @model_validator(mode="after")
    def _has_provenance(self) -> Self:
        if not self.source and not self.estimated:
            msg = "every number needs 'source' (a citation) or 'estimated' (the rule that derived it)"
            raise ValueError(msg)
        if self.value is not None and self.value < 0:
            msg = f"value {self.value} is negative; counts and fractions are >= 0"
            raise ValueError(msg)
        return self


class Strength(BaseModel):
    """Holdings of a formation itself (not of its listed subordinates). Absent = none held."""

    model_config = STRICT

    personnel: Quantity | None = Field(default=None, description="Men (count).")
    tanks: Quantity | None = Field(default=None, description="Tanks (count).")
    sp_guns: Quantity | None = Field(
        default=None, description="Self-propelled guns (count)."
    )
    guns: Quantity | None = Field(
        default=None, description="Field, anti-tank and AA guns >= 45 mm (count)."
    )
    mortars: Quantity | None = Field(
        default=None, description="Mortars >= 82 mm (count)."
    )
    rocket_launchers: Quantity | None = Field(
        default=None, description="Multiple rocket launchers (count)."
    )
    aircraft: Quantity | None = Field(
        default=None, description="Aircraft of all types (count)."
    )
    ships: Quantity | None = Field(
        default=None, description="Ships and boats of all types (count)."
    )
    trucks: Quantity | None = Field(
        default=None, description="Motor vehicles, trucks (count)."
    )

    def values(self) -> dict[str, float | None]:
        """Return ``{item: value}`` with 0.0 for items not held and None for unknown."""
        out: dict[str, float | None] = {}
        for name in type(self).model_fields:
            q: Quantity | None = getattr(self, name)
            out[name] = 0.0 if q is None else q.value
        return out


class Location(BaseModel):
    """Where a formation stands: a place id, or latitude/longitude (degrees, WGS84)."""

    model_config = STRICT

    place: Id | None = Field(default=None, description="Place id from places.csv.")
    lat: float | None = Field(
        default=None, ge=-90, le=90, description="Latitude, degrees north."
    )
    lon: float | None = Field(
        default=None, ge=-180, le=180, description="Longitude, degrees east."
    )
    detail: str | None = Field(
        default=None, description="Free text: the area as the sources give it."
    )
    source: str | None = Field(default=None, description="Citation for the location.")

    @model_validator(mode="after")
    def _place_or_coords(self) -> Self:
        has_coords = self.lat is not None and self.lon is not None
        if self.place is None and not has_coords:
            msg = "give 'place' (a place id) or both 'lat' and 'lon'"
            raise ValueError(msg)
        if (self.lat is None) != (self.lon is None):
            msg = "give both 'lat' and 'lon', not one"
            raise ValueError(msg)
        return self


class Formation(BaseModel):
    """One node of a side's command tree (front, army, division, garrison, fleet, ...)."""

    model_config = STRICT

    id: Id = Field(
        description="Unique formation id (the OOB id where the history pack has one)."
    )
    name: str = Field(min_length=1, description="Name as the sources give it.")
    side: Id = Field(description="Side id from scenario.toml.")
    nation: Id = Field(
        description="Army it belongs to: ussr, mpr, japan, manchukuo, mengjiang (decides e.g. desertion)."
    )
    parent: Id | None = Field(
        default=None, description="Id of the superior formation; null at the top."
    )
    echelon: Echelon = Field(description="Level in the command tree.")
    type: FormationType = Field(description="Arm or kind.")
    mobility: Mobility = Field(description="Movement class.")
    strength: Strength = Field(
        default_factory=Strength, description="Own holdings (not its subordinates')."
    )
    quality: Quantity = Field(
        description="Training/equipment quality, 0-1 (1 = best of the theatre)."
    )
    readiness: Quantity = Field(description="Readiness (manning, cohesion), 0-1.")
    location: Location = Field(
        description="Headquarters / main body on the scenario start."
    )
    posture: Posture = Field(description="Posture on the scenario start.")
    commander: str | None = Field(default=None, description="Commander's name.")
    joins: dt.date | None = Field(
        default=None,
        description="Date it comes under its parent, if after the start (e.g. 17th Area Army: 1945-08-10).",
    )
    confidence: Confidence = Field(
        default=Confidence.MEDIUM, description="Confidence in identity and location."
    )
    sources: list[str] = Field(
        default_factory=list, description="Citations for the formation as a whole."
    )
    notes: str | None = Field(default=None, description="Free text.")

    @model_validator(mode="after")
    def _fractions(self) -> Self:
        for label in ("quality", "readiness"):
            q: Quantity = getattr(self, label)
            if q.value is not None and q.value > 1:
                msg = f"{label} {q.value} is above 1; it is a fraction 0-1"
                raise ValueError(msg)
        return self


class PlaceKind(StrEnum):
    """Kinds of places in the gazetteer."""

    CITY = "city"
    TOWN = "town"
    RAIL_JUNCTION = "rail_junction"
    PORT = "port"
    RIVER_CROSSING = "river_crossing"
    PASS = "pass"
    FORTIFIED_REGION = "fortified_region"
    ISLAND = "island"
    AIRFIELD = "airfield"
    VILLAGE = "village"
    OTHER = "other"


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
        description="Fortification level: 1 field works, 2 permanent, 3 major permanent.",
    )
    garrison: list[Id] = Field(
        default_factory=list, description="Formation ids that man it."
    )
    sources: list[str] = Field(min_length=1, description="Citations.")
    notes: str | None = Field(default=None, description="Free text.")


class ConditionKind(StrEnum):
    """What a plan condition makes a formation do."""

    WITHDRAW_WHEN_SUPERIOR = "withdraw_when_superior"
    BYPASS = "bypass"
    HOLD = "hold"
    DELAY = "delay"
    HOLD_UNTIL = "hold_until"
    FOLLOW = "follow"


class PlanCondition(BaseModel):
    """A conditional instruction in a plan ("withdraw to X when attacked by superior forces")."""

    model_config = STRICT

    kind: ConditionKind = Field(description="What to do.")
    target: Id | None = Field(
        default=None,
        description="Place, fortified-region or formation id the condition refers to.",
    )
    ratio: float | None = Field(
        default=None, gt=0, description="Force ratio (enemy/own) that triggers it."
    )
    until_day: int | None = Field(
        default=None, ge=1, description="Campaign day (9 Aug = day 1) it lasts to."
    )
    source: str = Field(min_length=1, description="Citation (plans.md section).")


class Objective(BaseModel):
    """One objective of a plan: reach a place (or a phase line through places) by a day."""

    model_config = STRICT

    place: Id | None = Field(default=None, description="Place id to reach or take.")
    phase_line: list[Id] | None = Field(
        default=None, description="Place ids that define a phase line."
    )
    intended_day: int | None = Field(
        default=None, ge=1, description="Planned campaign day (9 Aug = day 1)."
    )
    posture: Posture = Field(default=Posture.ATTACK, description="Posture on the way.")
    task: str | None = Field(default=None, description="Free text of the task.")
    source: str = Field(min_length=1, description="Citation (plans.md section).")

    @model_validator(mode="after")
    def _target(self) -> Self:
        if (self.place is None) == (self.phase_line is None):
            msg = "give exactly one of 'place' or 'phase_line'"
            raise ValueError(msg)
        return self


class Plan(BaseModel):
    """The intentions of one formation: ordered objectives, axis and conditions. No outcomes."""

    model_config = STRICT

    formation: Id = Field(description="Formation id the plan is for.")
    axis: list[Id] = Field(
        default_factory=list, description="Place ids along the intended axis."
    )
    posture: Posture = Field(description="Posture from the start.")
    start: dt.datetime | None = Field(
        default=None, description="When it starts to execute (ISO, with offset)."
    )
    objectives: list[Objective] = Field(
        default_factory=list, description="Ordered objectives."
    )
    conditions: list[PlanCondition] = Field(
        default_factory=list, description="Conditional instructions."
    )
    source: str = Field(min_length=1, description="Citation.")
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


class VariantPatch(BaseModel):
    """One change a variant makes: set a field, add an object or remove one."""

    model_config = STRICT

    op: Literal["set", "add", "remove"] = Field(description="Operation.")
    collection: Literal[
        "formations", "places", "plans", "fortified_regions", "railways", "roads"
    ] = Field(description="Which collection the object belongs to.")
    id: Id | None = Field(
        default=None, description="Object id (plans: the formation id); not for 'add'."
    )
    path: str | None = Field(
        default=None, description="Dotted field path inside the object, for 'set'."
    )
    value: object = Field(
        default=None, description="New value ('set') or the whole new object ('add')."
    )


class Variant(BaseModel):
    """variants/<id>.yaml: a named counterfactual as a list of patches on the scenario."""

    model_config = STRICT

    id: Id = Field(description="Variant id (the file name without .yaml).")
    title: str = Field(description="Title.")
    description: str = Field(default="", description="The question it asks.")
    source: str = Field(
        min_length=1, description="Why this variant is plausible (citation)."
    )
    patches: list[VariantPatch] = Field(
        min_length=1, description="Changes, applied in order."
    )

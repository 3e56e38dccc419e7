"""Pydantic models of a scenario's files: units in every field, frozen, no unknown keys.

This module holds the shared vocabulary (ids, enums, :class:`Quantity`) and the order of
battle (:class:`Formation`). The models of the other files live in
:mod:`stavka.scenario.schema_world` (places, railways, roads, fortified regions,
events, weather, ``scenario.toml``) and :mod:`stavka.scenario.schema_plans` (plans,
variants); they are re-exported here, so ``from stavka.scenario.schema import Plan``
keeps working.

All models are frozen and forbid unknown fields, so a typo in a data file fails loudly.
The docs page ``docs/scenario-format.md`` is generated from these models
(``python -m stavka.scenario.docs``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    from stavka.scenario.schema_plans import (
        Objective,
        Plan,
        PlanCondition,
        Variant,
        VariantPatch,
    )
    from stavka.scenario.schema_world import (
        Event,
        FortifiedRegion,
        Place,
        Railway,
        Road,
        ScenarioMeta,
        Side,
        WeatherPeriod,
    )

__all__ = [
    "ConditionKind",
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
    "PlaceKind",
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

_MOVED = {
    "Event": "stavka.scenario.schema_world",
    "FortifiedRegion": "stavka.scenario.schema_world",
    "Place": "stavka.scenario.schema_world",
    "Railway": "stavka.scenario.schema_world",
    "Road": "stavka.scenario.schema_world",
    "ScenarioMeta": "stavka.scenario.schema_world",
    "Side": "stavka.scenario.schema_world",
    "WeatherPeriod": "stavka.scenario.schema_world",
    "Objective": "stavka.scenario.schema_plans",
    "Plan": "stavka.scenario.schema_plans",
    "PlanCondition": "stavka.scenario.schema_plans",
    "Variant": "stavka.scenario.schema_plans",
    "VariantPatch": "stavka.scenario.schema_plans",
}


def __getattr__(name: str) -> Any:
    """Re-export the models of the other schema modules lazily (no import cycle)."""
    module = _MOVED.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(module), name)


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

    Either ``source`` (a citation) or ``estimated`` (the documented rule that derived
    the value) must be given; ``value: null`` means unknown and must still say why.
    """

    model_config = STRICT

    value: float | None = Field(
        allow_inf_nan=False,
        description="The number, in the unit of the field it fills; null = unknown.",
    )
    source: str | None = Field(
        default=None, description="Citation: source text line, Glantz, a dataset row."
    )
    estimated: str | None = Field(
        default=None,
        description=(
            "The rule that derived the value when no source gives it "
            "(e.g. 'establishment x readiness')."
        ),
    )
    confidence: Confidence | None = Field(
        default=None, description="high / medium / low."
    )

    @model_validator(mode="after")
    def _has_provenance(self) -> Self:
        if not self.source and not self.estimated:
            msg = (
                "every number needs 'source' (a citation) or 'estimated' "
                "(the rule that derived it)"
            )
            raise ValueError(msg)
        if self.value is not None and self.value < 0:
            msg = f"value {self.value} is negative; counts and fractions are >= 0"
            raise ValueError(msg)
        return self


class Strength(BaseModel):
    """Holdings of a formation itself (not its subordinates'). Absent = none held."""

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
    """One node of a side's command tree (front, army, division, garrison, fleet...)."""

    model_config = STRICT

    id: Id = Field(
        description="Unique formation id (the OOB id where the history pack has one)."
    )
    name: str = Field(min_length=1, description="Name as the sources give it.")
    side: Id = Field(description="Side id from scenario.toml.")
    nation: Id = Field(
        description=(
            "Army it belongs to: ussr, mpr, japan, manchukuo, mengjiang "
            "(decides e.g. desertion)."
        )
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
        description=(
            "Date it comes under its parent, if after the start "
            "(e.g. 17th Area Army: 1945-08-10)."
        ),
    )
    confidence: Confidence = Field(
        default=Confidence.MEDIUM, description="Confidence in identity and location."
    )
    sources: list[str] = Field(
        default_factory=list, description="Citations for the formation as a whole."
    )
    notes: str | None = Field(default=None, description="Free text.")

    @field_validator("quality", "readiness")
    @classmethod
    def _fraction(cls, q: Quantity) -> Quantity:
        if q.value is not None and q.value > 1:
            msg = f"{q.value} is above 1; it is a fraction 0-1"
            raise ValueError(msg)
        return q


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


class ConditionKind(StrEnum):
    """What a plan condition makes a formation do."""

    WITHDRAW_WHEN_SUPERIOR = "withdraw_when_superior"
    BYPASS = "bypass"
    HOLD = "hold"
    DELAY = "delay"
    HOLD_UNTIL = "hold_until"
    FOLLOW = "follow"

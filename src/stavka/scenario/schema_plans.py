"""Models of the intention files: plans/*.yaml and variants/*.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from stavka.scenario.schema import STRICT, ConditionKind, Id, Posture

__all__ = [
    "Objective",
    "Plan",
    "PlanCondition",
    "Variant",
    "VariantPatch",
]


class PlanCondition(BaseModel):
    """A conditional instruction ("withdraw to X when attacked by superior forces")."""

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
        default=None,
        ge=1,
        description="Campaign day (the start date is day 1) it lasts to.",
    )
    source: str = Field(min_length=1, description="Citation (plans.md section).")


class Objective(BaseModel):
    """One objective of a plan: reach a place (or a phase line of places) by a day."""

    model_config = STRICT

    place: Id | None = Field(default=None, description="Place id to reach or take.")
    phase_line: list[Id] | None = Field(
        default=None, description="Place ids that define a phase line."
    )
    intended_day: int | None = Field(
        default=None,
        ge=1,
        description="Planned campaign day (the start date is day 1).",
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
    """One formation's intentions: ordered objectives, axis, conditions; no outcomes."""

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


VariantCollection = Literal[
    "formations",
    "places",
    "plans",
    "fortified_regions",
    "railways",
    "roads",
    "events",
]
"""What a variant patch can change: the keyed collections (``files.COLLECTIONS``,
derived from this) and the rows of events.csv."""


class VariantPatch(BaseModel):
    """One change a variant makes: set a field, add an object or remove one."""

    model_config = STRICT

    op: Literal["set", "add", "remove"] = Field(description="Operation.")
    collection: VariantCollection = Field(
        description=(
            "Which collection the object belongs to (events: rows of events.csv,"
            " which have no id: chosen with 'where')."
        )
    )
    id: Id | None = Field(
        default=None, description="Object id (plans: the formation id); not for 'add'."
    )
    path: str | None = Field(
        default=None, description="Dotted field path inside the object, for 'set'."
    )
    value: object = Field(
        default=None, description="New value ('set') or the whole new object ('add')."
    )
    where: dict[str, object] | None = Field(
        default=None,
        description=(
            "Instead of 'id' ('set', 'remove'): every object whose fields (dotted"
            " paths) equal these values; a list of values matches any of them."
        ),
    )
    under: Id | None = Field(
        default=None,
        description=(
            "Instead of 'id', or with 'where' ('set', 'remove'; formations only): only"
            " this formation and those below it in the command tree."
        ),
    )


class Variant(BaseModel):
    """variants/<id>.yaml: a named counterfactual, a list of patches to the scenario."""

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

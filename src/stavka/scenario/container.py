"""The validated scenario: every object of every file, indexed by id."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from stavka.errors import Problem
from stavka.scenario.schema import (
    Event,
    Formation,
    FortifiedRegion,
    Place,
    Plan,
    Railway,
    Road,
    ScenarioMeta,
    Variant,
    WeatherPeriod,
)

__all__ = ["STRENGTH_ITEMS", "Scenario", "strength_sum"]

STRENGTH_ITEMS = (
    "personnel",
    "tanks",
    "sp_guns",
    "guns",
    "mortars",
    "rocket_launchers",
    "aircraft",
    "ships",
    "trucks",
)
"""Items of a strength vector, in the order the engine stores them."""


def strength_sum(formations: Iterable[Formation]) -> dict[str, float]:
    """Sum every strength item over ``formations`` (unknown values count 0)."""
    out = dict.fromkeys(STRENGTH_ITEMS, 0.0)
    for f in formations:
        for item, value in f.strength.values().items():
            out[item] += value or 0.0
    return out


@dataclass
class Scenario:
    """A loaded, validated scenario (build it with ``load_scenario``).

    Attributes:
        root: the scenario directory.
        meta: scenario.toml.
        formations: by formation id.
        places: by place id.
        railways, roads, fortified_regions: by id.
        plans: by formation id.
        events, weather: in file order.
        variants: every variant defined (by id); ``variant`` is the one applied, if any.
        origins: file each formation came from (for messages).
        warnings: consistency problems kept when loaded with ``strict=False``.
    """

    root: Path
    meta: ScenarioMeta
    formations: dict[str, Formation]
    places: dict[str, Place]
    railways: dict[str, Railway]
    roads: dict[str, Road]
    fortified_regions: dict[str, FortifiedRegion]
    plans: dict[str, Plan]
    events: list[Event]
    weather: list[WeatherPeriod]
    variants: dict[str, Variant]
    variant: str | None = None
    origins: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Scenario id."""
        return self.meta.id

    @property
    def versioned_id(self) -> str:
        """Versioned id, e.g. ``august-storm-v1``."""
        return f"{self.meta.id}-v{self.meta.version}"

    @property
    def record_dir(self) -> Path | None:
        """The built-in calibration record (``record/``), if the scenario ships one."""
        path = self.root / "record"
        return path if path.is_dir() else None

    @cached_property
    def children(self) -> dict[str | None, list[str]]:
        """Formation ids by parent id (``None`` = top level), in file order."""
        out: dict[str | None, list[str]] = defaultdict(list)
        for f in self.formations.values():
            out[f.parent].append(f.id)
        return dict(out)

    def subtree(self, formation_id: str) -> list[str]:
        """Return the formation and all its subordinates, depth first."""
        out = [formation_id]
        for child in self.children.get(formation_id, []):
            out += self.subtree(child)
        return out

    def location_of(self, formation_id: str) -> tuple[float, float]:
        """Return ``(lat, lon)`` in degrees of a formation's start location."""
        loc = self.formations[formation_id].location
        if loc.lat is not None and loc.lon is not None:
            return loc.lat, loc.lon
        place = self.places[str(loc.place)]
        return place.lat, place.lon

    def day_of(self, date: dt.date) -> int:
        """Campaign day of a local date (the start date is day 1)."""
        return (date - self.meta.start.date()).days + 1

    def totals(self, side: str) -> dict[str, float]:
        """Sum every strength item over a side's formations (unknown values count 0)."""
        return strength_sum(f for f in self.formations.values() if f.side == side)

"""Cross-object checks of a scenario: one ``check_*`` function per rule.

Each check returns a list of :class:`~stavka.errors.Problem`; :func:`check_all` runs them
all. Messages say how to fix the problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel

from stavka.errors import Problem
from stavka.scenario.container import Scenario
from stavka.scenario.rawfiles import Origin

__all__ = [
    "CHECKS",
    "check_all",
    "check_command_tree_acyclic",
    "check_dates_inside_scenario",
    "check_formation_references",
    "check_fortified_regions",
    "check_plans",
    "check_railways",
    "check_sides",
    "check_start_on_land",
]

Locator = Callable[[BaseModel], Origin | None]


def _problem(
    obj: BaseModel, locate: Locator, field: tuple[str | int, ...], what: str, fix: str
) -> Problem:
    origin = locate(obj)
    if origin is None:
        return Problem("<variant>", ".".join(map(str, field)), what, fix)
    return Problem(origin.file, origin.locate(field), what, fix)


def check_sides(s: Scenario, locate: Locator) -> list[Problem]:
    """Every formation belongs to a side declared in scenario.toml."""
    sides = {side.id for side in s.meta.sides}
    return [
        _problem(
            f,
            locate,
            ("side",),
            f"unknown side {f.side!r}",
            f"use one of {sorted(sides)}",
        )
        for f in s.formations.values()
        if f.side not in sides
    ]


def check_formation_references(s: Scenario, locate: Locator) -> list[Problem]:
    """Parents exist and are on the same side; start places exist."""
    out: list[Problem] = []
    for f in s.formations.values():
        if f.parent is not None:
            parent = s.formations.get(f.parent)
            if parent is None:
                out.append(
                    _problem(
                        f,
                        locate,
                        ("parent",),
                        f"parent {f.parent!r} is not a formation",
                        "use an existing id",
                    )
                )
            elif parent.side != f.side:
                out.append(
                    _problem(
                        f,
                        locate,
                        ("parent",),
                        f"parent {f.parent!r} is on side {parent.side}",
                        "a formation's parent must be on its side",
                    )
                )
        if f.location.place is not None and f.location.place not in s.places:
            out.append(
                _problem(
                    f,
                    locate,
                    ("location", "place"),
                    f"place {f.location.place!r} is not in places.csv",
                    "add the place or correct the id",
                )
            )
    return out


def check_command_tree_acyclic(s: Scenario, locate: Locator) -> list[Problem]:
    """Following parents from any formation reaches the top without a loop."""
    out: list[Problem] = []
    reported: set[str] = set()
    for start in s.formations:
        seen: list[str] = []
        node: str | None = start
        while node is not None and node in s.formations:
            if node in seen:
                cycle = seen[seen.index(node) :]
                key = min(cycle)
                if key not in reported:
                    reported.add(key)
                    f = s.formations[node]
                    out.append(
                        _problem(
                            f,
                            locate,
                            ("parent",),
                            f"command cycle {' -> '.join([*cycle, node])}",
                            "one of these parents must point higher up",
                        )
                    )
                break
            seen.append(node)
            node = s.formations[node].parent
    return out


def check_dates_inside_scenario(s: Scenario, locate: Locator) -> list[Problem]:
    """Weather, 'joins' dates and campaign-day fields fall inside the scenario."""
    first, last = s.meta.start.date(), s.meta.end.date()
    days = s.day_of(last)
    out: list[Problem] = []
    for w in s.weather:
        if w.end < first or w.start > last:
            out.append(
                _problem(
                    w,
                    locate,
                    ("start",),
                    f"{w.start}..{w.end} is outside {first}..{last}",
                    "correct the dates or drop the row",
                )
            )
    for f in s.formations.values():
        if f.joins is not None and not first <= f.joins <= last:
            out.append(
                _problem(
                    f,
                    locate,
                    ("joins",),
                    f"joins {f.joins} is outside {first}..{last}",
                    "correct the date",
                )
            )
    for p in s.plans.values():
        for i, obj in enumerate(p.objectives):
            if obj.intended_day is not None and obj.intended_day > days:
                out.append(
                    _problem(
                        p,
                        locate,
                        ("objectives", i, "intended_day"),
                        f"day {obj.intended_day} is after the last day ({days})",
                        "use a day inside the scenario",
                    )
                )
    for e in s.events:
        if e.date > last + dt.timedelta(days=1):
            out.append(
                _problem(
                    e,
                    locate,
                    ("date",),
                    f"{e.date} is after the scenario end {last}",
                    "correct the date",
                )
            )
    return out


def check_plans(s: Scenario, locate: Locator) -> list[Problem]:
    """Plans name existing formations, places and condition targets."""
    out: list[Problem] = []
    targets = set(s.places) | set(s.fortified_regions) | set(s.formations)
    for p in s.plans.values():
        if p.formation not in s.formations:
            out.append(
                _problem(
                    p,
                    locate,
                    ("formation",),
                    f"formation {p.formation!r} does not exist",
                    "use a formation id",
                )
            )
        for i, place in enumerate(p.axis):
            if place not in s.places:
                out.append(
                    _problem(
                        p,
                        locate,
                        ("axis", i),
                        f"place {place!r} is not in places.csv",
                        "correct the id",
                    )
                )
        for i, obj in enumerate(p.objectives):
            for j, place in enumerate(
                [obj.place] if obj.place else (obj.phase_line or [])
            ):
                if place not in s.places:
                    field: tuple[str | int, ...] = (
                        ("objectives", i, "place")
                        if obj.place
                        else ("objectives", i, "phase_line", j)
                    )
                    out.append(
                        _problem(
                            p,
                            locate,
                            field,
                            f"place {place!r} is not in places.csv",
                            "correct the id",
                        )
                    )
        for i, cond in enumerate(p.conditions):
            if cond.target is not None and cond.target not in targets:
                out.append(
                    _problem(
                        p,
                        locate,
                        ("conditions", i, "target"),
                        f"target {cond.target!r} does not exist",
                        "use a place, fortified-region or formation id",
                    )
                )
    for e in s.events:
        for i, fid in enumerate(e.formation_id):
            if fid not in s.formations:
                out.append(
                    _problem(
                        e,
                        locate,
                        ("formation_id", i),
                        f"formation {fid!r} does not exist",
                        "correct the id",
                    )
                )
        if e.place_id is not None and e.place_id not in s.places:
            out.append(
                _problem(
                    e,
                    locate,
                    ("place_id",),
                    f"place {e.place_id!r} is not in places.csv",
                    "correct the id",
                )
            )
    return out


def check_railways(s: Scenario, locate: Locator) -> list[Problem]:
    """Railway stations and road places exist."""
    out: list[Problem] = []
    for r in s.railways.values():
        out += [
            _problem(
                r,
                locate,
                ("stations", i),
                f"station {st!r} is not in places.csv",
                "correct the id",
            )
            for i, st in enumerate(r.stations)
            if st not in s.places
        ]
    for road in s.roads.values():
        out += [
            _problem(
                road,
                locate,
                ("places", i),
                f"place {pl!r} is not in places.csv",
                "correct the id",
            )
            for i, pl in enumerate(road.places)
            if pl not in s.places
        ]
    return out


def check_fortified_regions(s: Scenario, locate: Locator) -> list[Problem]:
    """Fortified regions sit on existing places and name existing garrisons."""
    out: list[Problem] = []
    for fr in s.fortified_regions.values():
        if fr.place not in s.places:
            out.append(
                _problem(
                    fr,
                    locate,
                    ("place",),
                    f"place {fr.place!r} is not in places.csv",
                    "correct the id",
                )
            )
        out += [
            _problem(
                fr,
                locate,
                ("garrison", i),
                f"formation {g!r} does not exist",
                "correct the id",
            )
            for i, g in enumerate(fr.garrison)
            if g not in s.formations
        ]
    return out


def check_start_on_land(s: Scenario, locate: Locator) -> list[Problem]:
    """Land formations start on land (uses the shipped theatre map when it exists)."""
    try:
        from stavka.theatre import is_land
    except ImportError:
        return []
    out: list[Problem] = []
    for f in s.formations.values():
        if f.mobility.value in {"naval", "air"}:
            continue
        try:
            lat, lon = s.location_of(f.id)
        except KeyError:
            continue  # reported by check_formation_references
        land = is_land(lat, lon)
        if land is False:
            out.append(
                _problem(
                    f,
                    locate,
                    ("location",),
                    f"start ({lat:.2f}, {lon:.2f}) is in water",
                    "move it onto land or give it naval mobility",
                )
            )
    return out


CHECKS = (
    check_sides,
    check_formation_references,
    check_command_tree_acyclic,
    check_dates_inside_scenario,
    check_plans,
    check_railways,
    check_fortified_regions,
    check_start_on_land,
)


def check_all(s: Scenario, locate: Locator) -> list[Problem]:
    """Run every consistency check and return all problems found."""
    out: list[Problem] = []
    for check in CHECKS:
        out += check(s, locate)
    return out

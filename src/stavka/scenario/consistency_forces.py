"""Consistency rules of the order of battle: sides, command tree, start positions.

Each ``check_*`` takes the scenario and a locator (object -> its file origin) and
returns the problems it finds; see :mod:`stavka.scenario.consistency` for the full list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from stavka.errors import Problem, StavkaError
from stavka.scenario.container import Scenario
from stavka.scenario.rawfiles import Origin, PathKey, dotted_path
from stavka.scenario.schema import Echelon, FormationType, Mobility, PlaceKind

__all__ = [
    "ECHELON_RANK",
    "Locator",
    "check_command_tree_acyclic",
    "check_echelon_order",
    "check_formation_references",
    "check_joins",
    "check_mobility_matches_type",
    "check_naval_start",
    "check_sides",
    "check_start_on_land",
    "problem_at",
]

Locator = Callable[[BaseModel], Origin | None]
"""Returns the file origin of a validated object (None if unknown)."""

NAVAL_PLACES = frozenset({PlaceKind.PORT, PlaceKind.ISLAND})
"""Place kinds a naval formation may start at."""
RIVER_PLACES = NAVAL_PLACES | {PlaceKind.RIVER_CROSSING, PlaceKind.CITY, PlaceKind.TOWN}
"""Place kinds a river flotilla may start at (its bases are river towns)."""


def problem_at(
    obj: BaseModel, locate: Locator, field: PathKey, what: str, fix: str
) -> Problem:
    """Build a problem that names the object's file, line and field path."""
    origin = locate(obj)
    if origin is None:
        return Problem("<variant>", dotted_path(field), what, fix)
    return Problem(origin.file, origin.locate(field), origin.explain(what), fix)


def _is_land_fn() -> Callable[[float, float], bool | None] | None:
    """Return ``stavka.theatre.is_land`` if the map package provides it.

    The wrapper answers None (unknown) where the map raises, e.g. off the theatre.
    """
    try:
        theatre: Any = importlib.import_module("stavka.theatre")
    except ImportError:
        return None
    fn = getattr(theatre, "is_land", None)
    if not callable(fn):
        return None

    def is_land(lat: float, lon: float) -> bool | None:
        try:
            answer = fn(lat, lon)
        except (StavkaError, ValueError, OSError):
            return None
        return None if answer is None else bool(answer)

    return is_land


def check_sides(s: Scenario, locate: Locator) -> list[Problem]:
    """Side ids are unique, the attacker is a side, every side has formations."""
    out: list[Problem] = []
    ids = [side.id for side in s.meta.sides]
    for i, sid in enumerate(ids):
        if sid in ids[:i]:
            what = f"side {sid!r} is declared twice"
            out.append(problem_at(s.meta, locate, ("sides", i, "id"), what, "rename"))
    sides = set(ids)
    if s.meta.attacker not in sides:
        what = f"attacker {s.meta.attacker!r} is not a side"
        fix = f"use one of {sorted(sides)}"
        out.append(problem_at(s.meta, locate, ("attacker",), what, fix))
    used = {f.side for f in s.formations.values()}
    for i, sid in enumerate(ids):
        if sid not in used and sid not in ids[:i]:
            what = f"side {sid!r} has no formations"
            fix = "add formations with this side in forces/*.yaml"
            out.append(problem_at(s.meta, locate, ("sides", i), what, fix))
    for f in s.formations.values():
        if f.side not in sides:
            what = f"unknown side {f.side!r}"
            fix = f"use one of {sorted(sides)}"
            out.append(problem_at(f, locate, ("side",), what, fix))
    return out


def check_formation_references(s: Scenario, locate: Locator) -> list[Problem]:
    """Parents exist and are on the same side; start places exist."""
    out: list[Problem] = []
    for f in s.formations.values():
        parent = s.formations.get(f.parent) if f.parent is not None else None
        if f.parent is not None and parent is None:
            what = f"parent {f.parent!r} is not a formation"
            fix = "use an existing formation id or null"
            out.append(problem_at(f, locate, ("parent",), what, fix))
        elif parent is not None and parent.side != f.side:
            what = f"parent {f.parent!r} is on side {parent.side!r}, not {f.side!r}"
            fix = "a formation's parent must be on its side"
            out.append(problem_at(f, locate, ("parent",), what, fix))
        if f.location.place is not None and f.location.place not in s.places:
            what = f"place {f.location.place!r} is not in places.csv"
            fix = "add the place or correct the id"
            out.append(problem_at(f, locate, ("location", "place"), what, fix))
    return out


def check_command_tree_acyclic(s: Scenario, locate: Locator) -> list[Problem]:
    """Following parents from any formation reaches the top without a loop."""
    out: list[Problem] = []
    done: set[str] = set()
    for start in s.formations:
        seen: list[str] = []
        node: str | None = start
        while node is not None and node in s.formations and node not in done:
            if node in seen:
                cycle = seen[seen.index(node) :]
                what = f"command cycle {' -> '.join([*cycle, node])}"
                fix = "one of these parents must point higher up"
                out.append(
                    problem_at(s.formations[node], locate, ("parent",), what, fix)
                )
                break
            seen.append(node)
            node = s.formations[node].parent
        done.update(seen)
    return out


ECHELON_RANK = {
    Echelon.HIGH_COMMAND: 0,
    Echelon.FRONT: 1,
    Echelon.AREA_ARMY: 1,
    Echelon.ARMY: 2,
    Echelon.CORPS: 3,
    Echelon.DIVISION: 4,
    Echelon.BRIGADE: 5,
    Echelon.REGIMENT: 6,
    Echelon.BATTALION: 7,
}
"""Levels of the land command tree; other echelons (group, garrison...) sit anywhere."""


def check_echelon_order(s: Scenario, locate: Locator) -> list[Problem]:
    """A formation ranks below its parent (a division cannot command an army)."""
    out: list[Problem] = []
    for f in s.formations.values():
        parent = s.formations.get(f.parent or "")
        if parent is None:
            continue
        mine, theirs = ECHELON_RANK.get(f.echelon), ECHELON_RANK.get(parent.echelon)
        if mine is not None and theirs is not None and mine <= theirs:
            what = (
                f"a {f.echelon.value} cannot be under {parent.id!r}, "
                f"a {parent.echelon.value}"
            )
            fix = "correct 'echelon' or 'parent'"
            out.append(problem_at(f, locate, ("echelon",), what, fix))
    return out


def check_joins(s: Scenario, locate: Locator) -> list[Problem]:
    """A 'joins' date needs a parent and falls inside the scenario."""
    first, last = s.meta.start.date(), s.meta.end.date()
    out: list[Problem] = []
    for f in s.formations.values():
        if f.joins is None:
            continue
        if f.parent is None:
            what = f"joins {f.joins} but has no parent to join"
            fix = "give 'parent' or drop 'joins'"
            out.append(problem_at(f, locate, ("joins",), what, fix))
        if not first <= f.joins <= last:
            what = f"joins {f.joins} is outside the scenario {first}..{last}"
            fix = "correct the date (one under its parent from the start has none)"
            out.append(problem_at(f, locate, ("joins",), what, fix))
    return out


def check_mobility_matches_type(s: Scenario, locate: Locator) -> list[Problem]:
    """Air formations have air mobility; fleets and flotillas have naval mobility."""
    want = {
        FormationType.AIR: {Mobility.AIR},
        FormationType.NAVAL: {Mobility.NAVAL},
        FormationType.RIVER_FLOTILLA: {Mobility.NAVAL},
    }
    out: list[Problem] = []
    for f in s.formations.values():
        allowed = want.get(f.type)
        if allowed is not None and f.mobility not in allowed:
            what = f"type {f.type.value} cannot have mobility {f.mobility.value}"
            fix = f"use mobility {' or '.join(sorted(m.value for m in allowed))}"
            out.append(problem_at(f, locate, ("mobility",), what, fix))
    return out


def check_naval_start(s: Scenario, locate: Locator) -> list[Problem]:
    """Naval formations start at a port or island, or at sea coordinates.

    River flotillas may also start at a river town or crossing.
    """
    is_land = _is_land_fn()
    out: list[Problem] = []
    for f in s.formations.values():
        if f.mobility is not Mobility.NAVAL:
            continue
        kinds = RIVER_PLACES if f.type is FormationType.RIVER_FLOTILLA else NAVAL_PLACES
        place = s.places.get(f.location.place or "")
        if f.location.lat is not None and f.location.lon is not None:
            land = is_land(f.location.lat, f.location.lon) if is_land else None
            if land is True and (place is None or place.kind not in kinds):
                what = "a naval formation starts on land"
                fix = "give a port place or coordinates at sea"
                out.append(problem_at(f, locate, ("location",), what, fix))
        elif place is not None and place.kind not in kinds:
            what = f"a naval formation starts at {place.id!r}, a {place.kind.value}"
            fix = "start it at a port or island place, or give sea coordinates"
            out.append(problem_at(f, locate, ("location", "place"), what, fix))
    return out


def check_start_on_land(s: Scenario, locate: Locator) -> list[Problem]:
    """Land formations start on land (when the theatre map provides ``is_land``)."""
    is_land = _is_land_fn()
    if is_land is None:
        return []
    out: list[Problem] = []
    for f in s.formations.values():
        if f.mobility in {Mobility.NAVAL, Mobility.AIR}:
            continue
        if f.location.place is not None and f.location.place not in s.places:
            continue  # reported by check_formation_references
        lat, lon = s.location_of(f.id)
        if is_land(lat, lon) is False:
            what = f"start ({lat:.2f}, {lon:.2f}) is in water"
            fix = "move it onto land or give it naval mobility"
            out.append(problem_at(f, locate, ("location",), what, fix))
    return out

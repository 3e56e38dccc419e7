"""How one scenario formation enters the engine: plan, start, posture, go hour.

Per-formation rules used by :func:`stavka.engine.setup.build_context` to fill the unit
table: the plan a formation follows (its nearest planned ancestor's), its start cell,
the posture it takes when the plan starts, the hour it starts, its command depth and
its objectives as map cells.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from stavka.engine.routing import TheatreLike
from stavka.engine.state import Pos
from stavka.errors import EngineError, MapError
from stavka.geo import haversine_km
from stavka.scenario.container import Scenario
from stavka.scenario.schema import Formation, Plan, Posture

__all__ = [
    "POSTURE_MAP",
    "REAR_ECHELONS",
    "bypassed_regions",
    "command_depth",
    "exec_posture",
    "fallback_place",
    "go_hour_of",
    "land_cell",
    "motor_lifted",
    "objective_cells",
    "orders_fall_back",
    "plan_for",
    "start_cell_of",
    "start_point",
    "superior_ratio",
]

POSTURE_MAP = {
    Posture.ATTACK: Pos.ATTACK,
    Posture.ADVANCE: Pos.ATTACK,
    Posture.RESERVE: Pos.RESERVE,
    Posture.HASTY_DEFENCE: Pos.HOLD,
    Posture.PREPARED_DEFENCE: Pos.HOLD,
    Posture.FORTIFIED_DEFENCE: Pos.HOLD,
    Posture.HOLD: Pos.HOLD,
    Posture.GARRISON: Pos.HOLD,
    Posture.DELAY: Pos.DELAY,
    Posture.WITHDRAW: Pos.WITHDRAW,
}
"""Engine posture of each scenario posture."""

REAR_ECHELONS = frozenset({"high_command", "front"})
"""Echelons whose own troops (front troops and rear services: docs/oob-soviet.md) follow
their formation's axis and do not assault: an attack plan makes them RESERVE."""


def plan_for(s: Scenario, f: Formation) -> Plan | None:
    """The plan of a formation's nearest planned ancestor (itself first), if any."""
    node: str | None = f.id
    while node is not None and node in s.formations:
        if node in s.plans:
            return s.plans[node]
        node = s.formations[node].parent
    return None


def fallback_place(plan: Plan) -> str | None:
    """Where a delaying plan without objectives falls back to, if it says.

    The target of its ``withdraw_when_superior`` condition (the army's next position:
    docs/oob-japanese.md P1); None for plans with objectives of their own.
    """
    if plan.objectives:
        return None
    for cond in plan.conditions:
        if cond.kind.value == "withdraw_when_superior" and cond.target is not None:
            return cond.target
    return None


def superior_ratio(plan: Plan | None) -> float:
    """Enemy/own men at which a plan's ``withdraw_when_superior`` fires (1 if unstated).

    "Superior" with no ratio is read literally: more attacking men than own.
    """
    for cond in plan.conditions if plan is not None else ():
        if cond.kind.value == "withdraw_when_superior" and cond.ratio is not None:
            return float(cond.ratio)
    return 1.0


def orders_fall_back(plan: Plan | None) -> bool:
    """Whether a plan's headquarters fights a delay, ordering its units back in turn."""
    return plan is not None and any(c.kind.value == "delay" for c in plan.conditions)


def bypassed_regions(s: Scenario, f: Formation) -> tuple[str, ...]:
    """Fortified regions a formation's plans tell it to bypass (sorted ids).

    The ``bypass`` conditions of its own plan and of every superior's: a front's
    directive to bypass a fortified region binds the armies under it. A condition's
    target is a fortified region's id or its place.
    """
    by_place = {fr.place: fr.id for fr in s.fortified_regions.values()}
    out: set[str] = set()
    node: str | None = f.id
    while node is not None and node in s.formations:
        plan = s.plans.get(node)
        for cond in plan.conditions if plan is not None else ():
            if cond.kind.value == "bypass" and cond.target is not None:
                t = cond.target
                fr = t if t in s.fortified_regions else by_place.get(t)
                if fr is not None:
                    out.add(fr)
        node = s.formations[node].parent
    return tuple(sorted(out))


def motor_lifted(s: Scenario, f: Formation, fronts: Collection[str]) -> bool:
    """Whether a foot formation rides its front's trucks (moves as motor troops).

    True for a formation that marches on foot when it, or a superior, is one of
    ``fronts`` (the engine parameter ``motor_lift_fronts``).
    """
    if f.mobility.value != "foot":
        return False
    if f.id in fronts:
        return True
    node = f.parent
    while node is not None:
        if node in fronts:
            return True
        up = s.formations.get(node)
        node = up.parent if up is not None else None
    return False


def start_point(s: Scenario, f: Formation) -> tuple[float, float]:
    """(lat, lon) of a formation's start, from its own location (place or coords)."""
    if f.location.lat is not None and f.location.lon is not None:
        return f.location.lat, f.location.lon
    place = s.places[str(f.location.place)]
    return place.lat, place.lon


def start_cell_of(s: Scenario, theatre: TheatreLike, f: Formation) -> int:
    """Start cell of a formation: its coordinates' cell, or its place's map cell.

    A place's cell is the one the map gives it (on land, in its 1945 country), the same
    cell place control is judged in, so a garrison starts where its place is.
    """
    place = f.location.place
    if (
        f.location.lat is None
        and place is not None
        and str(place) in theatre.place_cell
    ):
        return int(theatre.place_cell[str(place)])
    return land_cell(theatre, *start_point(s, f), f.id)


def land_cell(theatre: TheatreLike, lat: float, lon: float, what: str) -> int:
    """Map cell of a point; a water cell is replaced by the nearest land cell.

    Raises:
        EngineError: if the point is off the map (``what`` names it).
    """
    try:
        cell = theatre.cell_of(lat, lon)
    except MapError as err:
        raise EngineError(
            f"{what} at ({lat:.2f}, {lon:.2f}) is off the map: {err}"
        ) from None
    if theatre.water[cell]:
        land = np.flatnonzero(~theatre.water)
        d = haversine_km(lat, lon, theatre.lat[land], theatre.lon[land])
        cell = int(land[int(np.argmin(d))])
    return int(cell)


def exec_posture(f: Formation, plan: Plan | None, default: Pos) -> Pos:
    """Posture a unit takes when its plan starts (its own standing order first).

    A fortified-region or garrison formation keeps holding whatever its parent's plan
    says; others follow the plan of their nearest planned ancestor. A
    plan that holds only until a day ('hold_until') then executes its first objective's
    posture. A front's or high command's own troops follow an attack plan in reserve:
    they do not assault (``REAR_ECHELONS``).
    """
    garrison = f.posture in {Posture.FORTIFIED_DEFENCE, Posture.GARRISON}
    garrison |= f.type.value == "fortified_region_garrison"
    if garrison and (plan is None or plan.formation != f.id):
        return Pos.HOLD
    if plan is None:
        return POSTURE_MAP.get(f.posture, default)
    pos = POSTURE_MAP.get(plan.posture, default)
    waits = any(c.kind.value == "hold_until" for c in plan.conditions)
    if pos == Pos.HOLD and waits and plan.objectives:
        pos = POSTURE_MAP.get(plan.objectives[0].posture, default)
    if pos == Pos.ATTACK and f.echelon.value in REAR_ECHELONS:
        return Pos.RESERVE
    return pos


def go_hour_of(
    s: Scenario, f: Formation, plan: Plan | None, crossings: dict[str, float]
) -> float:
    """Hour a unit starts executing its plan.

    The plan's start or its front's attack hour (events.csv crossing rows), and not
    before the end of any 'hold_until' day.
    """
    hour = 0.0
    if plan is not None and plan.start is not None:
        hour = (plan.start - s.meta.start).total_seconds() / 3600.0
    else:
        node: str | None = f.id
        while node is not None and node in s.formations:
            if node in crossings:
                hour = crossings[node]
                break
            node = s.formations[node].parent
    if plan is not None:
        for cond in plan.conditions:
            if cond.kind.value == "hold_until" and cond.until_day is not None:
                hour = max(hour, 24.0 * cond.until_day)
    return max(hour, 0.0)


def objective_cells(
    s: Scenario, theatre: TheatreLike, f: Formation, plan: Plan
) -> list[int]:
    """Map cells of a plan's objectives, in order, as seen from a formation's start.

    An objective is its place, or the phase-line place nearest the formation's start;
    objectives naming no known place are dropped.

    Raises:
        EngineError: if an objective without a map cell is off the map.
    """
    cells = []
    for obj in plan.objectives:
        pids = [obj.place] if obj.place else list(obj.phase_line or [])
        pts = [(s.places[p].lat, s.places[p].lon) for p in pids if p in s.places]
        if not pts:
            continue
        lat0, lon0 = start_point(s, f)
        d = [float(haversine_km(lat0, lon0, a, b)) for a, b in pts]
        nearest = [p for p in pids if p in s.places][int(np.argmin(d))]
        cells.append(
            theatre.place_cell[nearest]
            if nearest in theatre.place_cell
            else land_cell(theatre, *pts[int(np.argmin(d))], f"objective of {f.id}")
        )
    return cells


def command_depth(s: Scenario, fid: str) -> int:
    """Number of command levels above a formation (1 for an id not in the scenario)."""
    if fid not in s.formations:
        return 1
    d, node = 0, s.formations[fid].parent
    while node is not None:
        d, node = d + 1, s.formations[node].parent
    return d

"""Build the engine's static context from a scenario and a map.

The context holds the units, their plans and the routing fields. The rules for one
formation (its plan, start cell, posture, go hour and objectives) are in
:mod:`stavka.engine.formations`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from stavka.engine.formations import (
    bypassed_regions,
    command_depth,
    exec_posture,
    fallback_place,
    go_hour_of,
    land_cell,
    motor_lifted,
    objective_cells,
    orders_fall_back,
    plan_for,
    start_cell_of,
    start_point,
    superior_ratio,
)
from stavka.engine.landings import plan_landings
from stavka.engine.params import EngineParams
from stavka.engine.rivers import flotilla_support, river_hours, sea_hours
from stavka.engine.routing import FieldBank, TheatreLike
from stavka.engine.state import MOBILITY_NAMES, Mob, Pos, UnitTable
from stavka.engine.terrain import URBAN, model_terrain
from stavka.engine.timeline import (
    ScheduledLanding,
    event_hour,
    fight_on_orders,
    landings,
    surrender_order_hours,
)
from stavka.geo import haversine_km
from stavka.scenario.container import STRENGTH_ITEMS, Scenario
from stavka.scenario.schema import Formation

__all__ = ["Context", "build_context"]

GROUND = {
    "foot": Mob.FOOT,
    "horse": Mob.HORSE,
    "motor": Mob.MOTOR,
    "tracked": Mob.TRACKED,
    "static": Mob.STATIC,
}
_TOKENS = itertools.count()
_FULL_FUEL: dict[tuple[object, ...], npt.NDArray[np.float64]] = {}
"""Starting fuel per unit, by context token and the fuel parameters."""
MAX_OBJECTIVES = 8
CARRIER_TAGS = ("", "r", "s", "rs")
"""Routing-class suffixes of the carriers (none, river flotilla, sea, both)."""
HQ_ECHELONS = frozenset({"high_command", "front", "area_army", "army", "group"})
"""Echelons whose own strength is headquarters and army/front troops, not a combat
formation."""
FORTIFIED_DETOUR_HOURS = 24.0
"""Routing penalty per fortification level of a fortified region a unit's plans tell it
to bypass (plans.md 1.3: the main blow bypasses the Halun-Arshan FR)."""


def _route_hours(
    s: Scenario,
    theatre: TheatreLike,
    hours: npt.NDArray[np.float32],
    carry: npt.NDArray[np.float32],
    wanted: list[str],
) -> dict[str, npt.NDArray[np.float32]]:
    """Edge hours of each routing class (``mobility:side carrier ~bypassed...``).

    Every mobility gets a defender class (``:1``) and attacker classes for each
    carrier; a class that bypasses fortified regions (``~fr``, units whose plans say
    so) adds ``FORTIFIED_DETOUR_HOURS`` per fortification level for entering their
    fortified cells within the regions' radius. Other attackers route through
    fortified cells like any other, and assault them where held.
    """
    nb = theatre.neighbors
    safe = np.where(nb < 0, 0, nb)
    out: dict[str, npt.NDArray[np.float32]] = {}
    for m, name in enumerate(MOBILITY_NAMES):
        out[f"{name}:1"] = hours[m]
        for c, tag in enumerate(CARRIER_TAGS):
            out[f"{name}:0{tag}"] = np.minimum(hours[m], carry[c])
    for route in sorted(set(wanted) - set(out)):
        head, *regions = route.split("~")
        name, tail = head.split(":")
        m, c = MOBILITY_NAMES.index(name), CARRIER_TAGS.index(tail[1:])
        level = np.zeros(nb.shape[0], np.float32)
        for fr_id in regions:
            fr = s.fortified_regions[fr_id]
            place = s.places[fr.place]
            km = haversine_km(place.lat, place.lon, theatre.lat, theatre.lon)
            inside = km <= (fr.radius_km.value or 0.0)
            if fr.place in theatre.place_cell:
                inside[theatre.place_cell[fr.place]] = True
            level = np.maximum(level, np.where(inside, theatre.fortified_level, 0))
        detour = FORTIFIED_DETOUR_HOURS * level[safe]
        out[route] = np.minimum(hours[m] + detour, carry[c]).astype(np.float32)
    return out


@dataclass
class Context:
    """Everything static during a run. Arrays are [U] unless noted.

    Attributes:
        scenario, theatre, params: inputs.
        units: the unit table.
        bank: routing fields; ``obj_field`` [U, M] field index per objective (-1 none).
        hours: edge hours per mobility class [Mob, N, 6] (dry, unopposed);
            ``cross_hours`` the same across country (beside a road that is full).
        route_hours: routing edge hours [C, N, 6] per routing class ``route_names``
            (movement class x side; the attacker avoids forts; ':0r' = with flotilla).
        route_class: [U] routing class of each unit.
        carrier: [U] what carries the unit over water: 0 nothing, 1 a river flotilla,
            2 ships (landing forces), 3 both; ``carry_hours`` [4, N, 6] the edge hours
            by carrier (``rivers``).
        place_ids / place_cells [P]: scored places and their cells.
        landings: scheduled landings; ``surrender_hours``: defender ceasefire orders.
        route_km: the length of a route through a cell (the mean distance between
            neighbouring cell centres); ``takes_road`` [U]: the units that take road
            space (not headquarters nodes or static garrisons); ``roadway`` [N, 6]: the
            edges with a road or a railway embankment, where they take it;
            ``order_from`` [U]: the hour of the first ceasefire order each unit heeds
            (inf: none); ``order_outright_from`` [U]: the same for the first order
            without a self-defence exception (a unit under attack fights on until it
            has that one).
        token: a number never reused by another context (key of module caches; unlike
            ``id()``, which a new object may inherit from a freed one); not an init
            field, so ``dataclasses.replace`` gives the new context its own.
    """

    scenario: Scenario
    theatre: TheatreLike
    params: EngineParams
    units: UnitTable
    bank: FieldBank
    obj_field: npt.NDArray[np.int32]
    hours: npt.NDArray[np.float32]
    route_hours: npt.NDArray[np.float32]
    route_names: list[str]
    route_class: npt.NDArray[np.int64]
    carrier: npt.NDArray[np.int64]
    carry_hours: npt.NDArray[np.float32]
    place_ids: list[str]
    place_cells: npt.NDArray[np.int32]
    landings: list[ScheduledLanding]
    surrender_hours: list[float]
    formation_units: dict[str, list[int]] = field(default_factory=dict)
    token: int = field(default_factory=lambda: next(_TOKENS), init=False)
    model_terrain: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, np.int64)
    )
    exploit_places: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, np.int64)
    )
    route_km: float = 0.0
    takes_road: npt.NDArray[np.bool_] = field(
        default_factory=lambda: np.zeros(0, np.bool_)
    )
    roadway: npt.NDArray[np.bool_] = field(
        default_factory=lambda: np.zeros((0, 6), np.bool_)
    )
    order_from: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros(0, np.float32)
    )
    order_outright_from: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros(0, np.float32)
    )
    cross_hours: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, 0, 6), np.float32)
    )

    @property
    def sigma_att(self) -> float:
        """Spread (natural log) of the attacker's daily loss rate.

        The fitted attrition model's cross-validated median |log10 error|
        / 0.6745 * ln 10.
        """
        return _model_sigma("att")

    @property
    def sigma_def(self) -> float:
        """As :attr:`sigma_att`, for the defender."""
        return _model_sigma("def")

    @property
    def road_capacity(self) -> float:
        """Men of one side a cell's roads hold (0 = no crowding).

        Column density ``column_men_per_km`` x :attr:`route_km`.
        """
        return float(self.params.column_men_per_km * self.route_km)

    @property
    def full_fuel(self) -> npt.NDArray[np.float64]:
        """Each unit's fuel at the start, in refills [U]; resupply fills up to it.

        Motorised units carry ``initial_fuel_refills``, those of the formations
        ``sourced_fuel_formations`` names (and their subordinates)
        ``sourced_fuel_refills``; other units 1 (no fuel use).
        """
        p = self.params
        key = (
            self.token,
            p.initial_fuel_refills,
            p.sourced_fuel_refills,
            p.sourced_fuel_formations,
        )
        fuel = _FULL_FUEL.get(key)
        if fuel is None:
            u = self.units
            motor = np.isin(u.mobility, (Mob.MOTOR, Mob.TRACKED))
            own = np.zeros(u.n, np.bool_)
            for fid in p.sourced_fuel_formations:
                own[self.formation_units.get(fid, [])] = True
            refills = np.where(own, p.sourced_fuel_refills, p.initial_fuel_refills)
            fuel = _FULL_FUEL[key] = np.where(motor, refills, 1.0).astype(np.float64)
        return fuel

    @property
    def march_share(self) -> npt.NDArray[np.float32]:
        """Share of each day a unit marches, by :class:`Mob` code [5]."""
        p = self.params
        hours = [
            p.march_hours_foot,
            p.march_hours_horse,
            p.march_hours_motor,
            p.march_hours_tracked,
            0.0,
        ]
        return (np.array(hours) / 24.0).astype(np.float32)


def route_km(theatre: TheatreLike) -> float:
    """Length of a route through a cell: the mean distance between cell centres (km)."""
    km = np.asarray(theatre.edge_km, np.float64)
    ok = np.asarray(theatre.neighbors) >= 0
    return float(km[ok].mean())


def _model_sigma(side: str) -> float:
    from stavka.models.api import load_models

    cv = (
        load_models()
        .meta.get("cv", {})
        .get("attrition", {})
        .get("stavka_ridge", {})
        .get("all", {})
    )
    med = float(cv.get(f"median_abs_log10_{side}", 0.0))
    return med * float(np.log(10.0)) / 0.6745


def _terrain_with_cities(
    s: Scenario, theatre: TheatreLike, place_ids: list[str]
) -> npt.NDArray[np.int64]:
    """Model terrain per cell, with the cells of city places urban."""
    terrain = model_terrain(theatre)
    for pid in place_ids:
        if s.places[pid].kind.value == "city":
            terrain[theatre.place_cell[pid]] = URBAN
    return terrain


def _area_of_operations(
    s: Scenario, place_ids: list[str], side: str, radius_km: float
) -> npt.NDArray[np.int64]:
    """Indices of the places in ``side``'s area of operations.

    These are the places not held by ``side`` at the start that lie within
    ``radius_km`` of a place named in that side's plans (axes and objectives).
    """
    named: set[str] = set()
    for plan in s.plans.values():
        if plan.formation in s.formations and s.formations[plan.formation].side == side:
            named |= set(plan.axis)
            for obj in plan.objectives:
                named |= {obj.place} if obj.place else set(obj.phase_line or [])
    pts = np.array(
        [(s.places[p].lat, s.places[p].lon) for p in sorted(named) if p in s.places]
    )
    if pts.size == 0:
        return np.zeros(0, np.int64)
    own = {"USSR", "Mongolian PR"} if side == s.meta.attacker else set()
    out = []
    for i, pid in enumerate(place_ids):
        place = s.places[pid]
        if place.country_1945.strip() in own:
            continue
        if (
            float(haversine_km(place.lat, place.lon, pts[:, 0], pts[:, 1]).min())
            <= radius_km
        ):
            out.append(i)
    return np.array(out, np.int64)


def _fallback_headquarters(
    s: Scenario, chosen: list[Formation], parent: npt.NDArray[np.int32]
) -> npt.NDArray[np.int32]:
    """[U] the headquarters unit whose fall-back order a unit is under (-1 = none).

    The nearest ancestor unit whose own plan fights a delay (the army).
    """
    out = np.full(len(chosen), -1, np.int32)
    for i in range(len(chosen)):
        j = int(parent[i])
        while j >= 0 and not orders_fall_back(s.plans.get(chosen[j].id)):
            j = int(parent[j])
        out[i] = j
    return out


def build_context(
    s: Scenario, theatre: TheatreLike, params: EngineParams | None = None
) -> Context:
    """Select the ground units, resolve plans and landings, and build routing fields.

    Raises:
        EngineError: if a unit or objective is off the map.
    """
    params = params or EngineParams()
    attacker = s.meta.attacker
    chosen = [
        f
        for f in s.formations.values()
        if f.mobility.value in GROUND and (f.strength.values()["personnel"] or 0) > 0
    ]
    sched = landings(s)
    first_cells = np.array(
        [land_cell(theatre, *start_point(s, f), f.id) for f in chosen], np.int32
    )
    first_side = np.array([0 if f.side == attacker else 1 for f in chosen], np.int8)
    landing = plan_landings(s, chosen, first_cells, first_side, sched, theatre, params)
    chosen += [f for f, _ in landing.detachments]
    index = {f.id: i for i, f in enumerate(chosen)}
    n = len(chosen)
    hours = np.stack(
        [theatre.edge_hours(m if m != "static" else "foot") for m in MOBILITY_NAMES]
    )
    cross = np.stack(
        [
            theatre.edge_hours(m if m != "static" else "foot", roads=False)
            for m in MOBILITY_NAMES
        ]
    ).astype(np.float32)
    nb = theatre.neighbors
    # Carriers: 0 none, 1 river flotilla, 2 sea (landing forces), 3 both.
    boats, ships = river_hours(theatre, params), sea_hours(theatre, params)
    carry = np.stack(
        [np.full_like(boats, np.inf), boats, ships, np.minimum(boats, ships)]
    )
    side = np.array([0 if f.side == attacker else 1 for f in chosen], np.int8)
    # Foot formations of the fronts that carry them on their trucks move as motor.
    mobility = np.array(
        [
            Mob.MOTOR
            if motor_lifted(s, f, params.motor_lift_fronts)
            else GROUND[f.mobility.value]
            for f in chosen
        ],
        np.int8,
    )
    river = flotilla_support(s, chosen, side, params) & (side == 0)
    seaborne = np.zeros(n, bool)
    seaborne[[i for i, ld in landing.assigned.items() if not ld.airborne]] = True
    seaborne[[index[f.id] for f, ld in landing.detachments if not ld.airborne]] = True
    carrier = (river.astype(np.int64) + 2 * seaborne.astype(np.int64)) * (side == 0)
    names = [
        f"{MOBILITY_NAMES[m]}:1"
        if sd == 1
        else f"{MOBILITY_NAMES[m]}:0{CARRIER_TAGS[c]}"
        + "".join(f"~{fr}" for fr in bypassed_regions(s, f))
        for f, m, sd, c in zip(chosen, mobility, side, carrier, strict=True)
    ]
    bank_hours = _route_hours(s, theatre, hours, carry, names)
    route_names = list(bank_hours)
    bank = FieldBank(neighbors=nb, hours=bank_hours)
    route_class = np.array([route_names.index(x) for x in names], np.int64)
    initial = np.array(
        [[f.strength.values()[k] or 0.0 for k in STRENGTH_ITEMS] for f in chosen],
        np.float32,
    )
    start_cell = np.array([start_cell_of(s, theatre, f) for f in chosen], np.int32)
    start_hour = np.zeros(n, np.float32)
    go_hour = np.zeros(n, np.float32)
    objectives = np.full((n, MAX_OBJECTIVES), -1, np.int32)
    obj_field = np.full((n, MAX_OBJECTIVES), -1, np.int32)
    plan_posture = np.zeros(n, np.int8)
    falls_back = np.zeros(n, bool)
    parent = np.full(n, -1, np.int32)
    crossings = {
        fid: event_hour(s, e)
        for e in s.events
        if e.event_kind == "crossing" and e.date == s.meta.start.date()
        for fid in e.formation_id
    }
    for i, f in enumerate(chosen):
        node = f.parent
        while node is not None and node not in index:
            node = s.formations[node].parent
        parent[i] = -1 if node is None else index[node]
        plan = plan_for(s, f)
        default = Pos.ATTACK if side[i] == 0 else Pos.HOLD
        plan_posture[i] = exec_posture(f, plan, default)
        if plan is not None:
            cells = objective_cells(s, theatre, f, plan)
            back = fallback_place(plan) if plan_posture[i] == Pos.DELAY else None
            if back is not None and side[i] == 1 and back in theatre.place_cell:
                cells = [theatre.place_cell[back]]
                falls_back[i] = True
            for k, c in enumerate(cells[:MAX_OBJECTIVES]):
                objectives[i, k] = c
                obj_field[i, k] = bank.register(route_names[route_class[i]], c)
        go_hour[i] = go_hour_of(s, f, plan, crossings)

    fallback_hq = _fallback_headquarters(s, chosen, parent)
    for i, ld in landing.assigned.items():
        start_cell[i] = theatre.place_cell[ld.place]
        start_hour[i] = max(ld.hour, 0.0)
    for f, ld in landing.detachments:
        start_cell[index[f.id]] = theatre.place_cell[ld.place]
        start_hour[index[f.id]] = max(ld.hour, 0.0)
    go_hour = np.maximum(go_hour, start_hour)
    bank.build()
    fortified = theatre.fortified_level[start_cell] > 0
    units = UnitTable(
        ids=[f.id for f in chosen],
        side=side,
        nation=[f.nation for f in chosen],
        mobility=mobility,
        parent=parent,
        depth=np.array([command_depth(s, f.id) for f in chosen], np.int32),
        initial=initial,
        quality=np.array(
            [f.quality.value if f.quality.value is not None else 0.5 for f in chosen],
            np.float32,
        ),
        start_cell=start_cell,
        start_hour=start_hour,
        go_hour=go_hour,
        objectives=objectives,
        plan_posture=plan_posture,
        fortified=fortified,
        headquarters=np.array([f.echelon.value in HQ_ECHELONS for f in chosen], bool),
        fallback_hq=fallback_hq,
        falls_back=falls_back,
        superior_ratio=np.array(
            [superior_ratio(plan_for(s, f)) for f in chosen], np.float32
        ),
        foot_troops=np.array([f.mobility.value == "foot" for f in chosen], bool),
    )
    place_ids = sorted(p for p in s.places if p in theatre.place_cell)
    exploit = _area_of_operations(s, place_ids, attacker, params.exploit_radius_km)
    fu: dict[str, list[int]] = {}
    for fid in s.formations:
        fu[fid] = [index[x] for x in s.subtree(fid) if x in index]
    ctx = Context(
        scenario=s,
        theatre=theatre,
        params=params,
        units=units,
        bank=bank,
        obj_field=obj_field,
        hours=hours,
        route_hours=np.stack([bank_hours[name] for name in route_names]),
        route_names=route_names,
        route_class=route_class,
        carrier=carrier,
        carry_hours=carry,
        place_ids=place_ids,
        place_cells=np.array([theatre.place_cell[p] for p in place_ids], np.int32),
        landings=sched,
        surrender_hours=surrender_order_hours(s),
        exploit_places=exploit,
        model_terrain=_terrain_with_cities(s, theatre, place_ids),
        formation_units=fu,
        route_km=route_km(theatre),
        takes_road=~units.headquarters & (units.mobility != Mob.STATIC),
        roadway=(theatre.road > 0) | (theatre.rail_gauge_mm > 0),
        order_from=_ceasefire_heeded(s, index, len(chosen)),
        order_outright_from=_ceasefire_heeded(
            s, index, len(chosen), unconditional=True
        ),
        cross_hours=cross,
    )
    _warm_exploit_tables(ctx)
    return ctx


def _ceasefire_heeded(
    s: Scenario, index: dict[str, int], n: int, *, unconditional: bool = False
) -> npt.NDArray[np.float32]:
    """[U] the hour of the first ceasefire order each unit heeds (inf: none).

    The defender's first ceasefire order, except for the formations (and those under
    them) an order told to fight on after it: they heed the first ceasefire order
    after that one (plans.md 2.3: the 5th Area Army's order to the 88th Division).
    ``unconditional``: only orders without a self-defence exception count.
    """
    orders = surrender_order_hours(s, unconditional=unconditional)
    out = np.full(n, orders[0] if orders else np.inf, np.float32)
    for hour, bound in fight_on_orders(s):
        later = [h for h in orders if h > hour]
        for f in bound:
            for x in s.subtree(f):
                if x in index:
                    out[index[x]] = later[0] if later else np.inf
    return out


def _warm_exploit_tables(ctx: Context) -> None:
    """Build the per-target routing tables exploitation uses, so runs don't pay.

    One multi-source search per routing class of the attacker's moving units (any may
    exploit once the defender's ceasefire order is out), over the candidate places.
    """
    if ctx.exploit_places.size == 0:
        return
    cells = np.unique(ctx.place_cells[ctx.exploit_places].astype(np.int64))
    u = ctx.units
    able = (u.side == 0) & (u.mobility != Mob.STATIC)
    for c in np.unique(ctx.route_class[able]):
        ctx.bank.place_table(ctx.route_names[c], cells)

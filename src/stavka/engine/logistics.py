"""Supply: fuel and ammunition use and resupply from railheads, trucks and aircraft.

The attacker's supply sources are railway stations it controls: its own stations at the
start, and captured stations joined to them by rail (the scenario's lines and their
``connects`` links) once the railway troops have had time to repair the line to them
(rail distance from the nearest own station / repair rate) and while every station on
that line back to its own is held. A station on a line the attacker's network does not
reach (across a river without a bridge, on an island) never serves. Ports and islands
(``SEA_KINDS``) are supplied by sea: one the attacker holds serves from the time a ship
from its nearest own port could reach it (the sea route's hours, going aboard and ashore
included: ``rivers.sea_hours``) after its capture. A unit's organic
trucks bring one refill per round trip from the nearest serving railhead; the trip takes
the least truck time over the map (motor edge times, weather included; the columns of
units a river flotilla supports cross major rivers by its ferries, as the units
themselves do: ``rivers.flotilla_support``), so a column
completes ``min(1, driving hours per day / (2 x one-way hours))`` round trips a day and
its load arrives when a trip is complete. Transport aircraft fly a shared daily tonnage
of fuel to the formations ``air_lift_formations`` names, on the days the source gives:
at midday it goes to their motorised units the trucks cannot serve daily, in proportion
to each one's shortfall in tonnes (``kernels_units.air_lift``). The defender fights from
its own depots and is resupplied unless it has been dislodged this step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from stavka.engine.kernels import replica_chunks
from stavka.engine.kernels_combat import fill_rows, motorised, serving_railheads
from stavka.engine.kernels_units import resupply_units
from stavka.engine.rivers import flotilla_waters, river_route_hours, sea_hours
from stavka.engine.routing import graph_of
from stavka.engine.setup import Context
from stavka.engine.state import Mob, State
from stavka.engine.weather import Weather
from stavka.errors import EngineError
from stavka.geo import haversine_km
from stavka.scenario.schema import Echelon

__all__ = [
    "SEA_KINDS",
    "SupplyNet",
    "build_supply_net",
    "rail_km",
    "resupply",
    "station_places",
    "truck_hours",
]

SEA_KINDS = ("port", "island")
"""Place kinds supplied by sea while held (the attacker's fleet; an island garrison
lives on its island's stocks: ``encircle``)."""

SEA_TRUCK_HOURS = 72.0
"""A port or island serves units up to this many truck hours away (three days each
way, a load a week: farther, a port is no supply point worth the name); the search
from the sea points stops there."""

ROAD_FACTOR = 1.25
"""Rail / great-circle distance between consecutive listed stations, for repair times
(assumption; docs/parameters.md)."""


@dataclass(frozen=True, slots=True)
class SupplyNet:
    """Railway stations as supply sources. Arrays [S] unless noted.

    Attributes:
        place_index: index of each station in ``Context.place_ids``.
        lat, lon: station coordinates (degrees).
        own: the attacker's station at the start.
        repair_hours: hours after capture before the station serves as a railhead
            (inf: not joined by rail to an own station); for a point supplied by sea,
            the sailing hours from the nearest own one.
        rail_pred: each station's predecessor on its shortest rail path from an own
            station (-1: own or unreachable); ``rail_order``: the stations by rail
            distance from the own ones, then the points supplied by sea.
        by_sea: the ports and islands, after the stations (a place that is both is
            in both parts).
        air_units: [U] units of the formations the air lift serves.
        air_hours: first and end hour (after the scenario start) of the lift's days.
        forward_group: [U] the corps of the lifted formations whose forward
            detachment each unit may be (-1: none; not headquarters nodes).
    """

    place_index: npt.NDArray[np.int64]
    cells: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    own: npt.NDArray[np.bool_]
    repair_hours: npt.NDArray[np.float32]
    rail_pred: npt.NDArray[np.int64]
    rail_order: npt.NDArray[np.int64]
    by_sea: npt.NDArray[np.bool_]
    air_units: npt.NDArray[np.bool_]
    air_hours: tuple[float, float]
    forward_group: npt.NDArray[np.int64]


def _air_lift(ctx: Context) -> tuple[npt.NDArray[np.bool_], tuple[float, float]]:
    """Units the air lift serves [U] and the hours its days span.

    The formations ``air_lift_formations`` names and their subordinates; a name the
    scenario lacks serves nobody (a scenario without that formation has no lift).

    Raises:
        EngineError: if a lift day is not an ISO date.
    """
    p, start = ctx.params, ctx.scenario.meta.start
    units = np.zeros(ctx.units.n, np.bool_)
    for fid in p.air_lift_formations:
        units[ctx.formation_units.get(fid, [])] = True
    try:
        first = datetime.date.fromisoformat(p.air_lift_first_day)
        last = datetime.date.fromisoformat(p.air_lift_last_day)
    except ValueError as e:
        raise EngineError(f"air lift days: {e}") from e

    def hour(day: datetime.date) -> float:
        midnight = datetime.datetime.combine(
            day, datetime.time(0, 0), tzinfo=start.tzinfo
        )
        return (midnight - start).total_seconds() / 3600.0

    return units, (hour(first), hour(last + datetime.timedelta(days=1)))


def forward_groups(
    ctx: Context, air_units: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Each lifted unit's corps [U] (-1: none), where forward detachments come from.

    A corps is the nearest ``corps`` echelon above a unit (or the unit itself) in the
    lifted formations; headquarters nodes are never a forward detachment. From 12-13
    Aug the 6th Guards Tank Army put its main tasks on the corps' strong forward
    detachments, "fully provided with the fuel they needed", and fuel went to them
    first (I. Nebolsin, *Cherez Gobi i Khingan*, 2015, citing the army's decision;
    docs/parameters.md, air lift).
    """
    s, u = ctx.scenario, ctx.units
    names: dict[str, int] = {}
    out = np.full(u.n, -1, np.int64)
    for i in np.flatnonzero(air_units & ~u.headquarters):
        node: str | None = u.ids[i]
        while node is not None and node in s.formations:
            f = s.formations[node]
            if f.echelon == Echelon.CORPS:
                out[i] = names.setdefault(node, len(names))
                break
            node = f.parent
    return out


def station_places(ctx: Context) -> list[str]:
    """The railway stations among the scored places, sorted by id."""
    pos = set(ctx.place_ids)
    lines = ctx.scenario.railways.values()
    return sorted({st for line in lines for st in line.stations if st in pos})


def sea_places(ctx: Context) -> list[str]:
    """The ports and islands among the scored places, sorted by id."""
    s = ctx.scenario
    return sorted(p for p in ctx.place_ids if s.places[p].kind.value in SEA_KINDS)


def river_places(ctx: Context, waters: npt.NDArray[np.bool_]) -> list[str]:
    """The scored places on the river flotilla's waters, not ports or islands, by id."""
    s = ctx.scenario
    return sorted(
        p
        for p, c in zip(ctx.place_ids, ctx.place_cells, strict=True)
        if s.places[p].kind.value not in SEA_KINDS and waters[c]
    )


def sea_route_hours(
    ctx: Context, cells: npt.NDArray[np.int64], own: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """Sailing hours from the nearest own cell to each of ``cells`` (inf: no route)."""
    if not own.any():
        return np.full(cells.size, np.inf)
    graph = graph_of(ctx.theatre.neighbors, sea_hours(ctx.theatre, ctx.params))
    dist = dijkstra(graph, indices=np.unique(cells[own]), min_only=True)
    return np.asarray(dist, np.float64)[cells]


def build_supply_net(ctx: Context, initial_control: npt.NDArray[np.int8]) -> SupplyNet:
    """Collect the supply points (stations, ports, islands) and the air-lifted units."""
    s = ctx.scenario
    pos = {p: i for i, p in enumerate(ctx.place_ids)}
    stations = station_places(ctx)
    ports = sea_places(ctx)
    waters, bases = flotilla_waters(s, ctx.theatre, ctx.params)
    rivers = river_places(ctx, waters)
    names = stations + ports + rivers
    idx = np.array([pos[x] for x in names], np.int64)
    lat = np.array([s.places[x].lat for x in names])
    lon = np.array([s.places[x].lon for x in names])
    own = initial_control[idx] == 0
    n_rail, n_water = len(stations), len(ports) + len(rivers)
    km, pred = rail_km(ctx, stations, lat[:n_rail], lon[:n_rail], own[:n_rail])
    cells = ctx.place_cells[idx].astype(np.int64)
    sail = sea_route_hours(
        ctx, cells[n_rail : n_rail + len(ports)], own[n_rail:][: len(ports)]
    )
    # Boats from the flotilla's nearest base, unloading in the ferry time.
    boat = river_route_hours(ctx.theatre, ctx.params, waters, bases)
    boat = boat[cells[n_rail + len(ports) :]] + ctx.params.ferry_hours
    repair = np.concatenate(
        [km / ctx.params.rail_repair_km_per_day * 24.0, sail, boat]
    ).astype(np.float32)
    order = np.concatenate(
        [np.argsort(km, kind="stable"), n_rail + np.arange(n_water)]
    ).astype(np.int64)
    air_units, air_hours = _air_lift(ctx)
    return SupplyNet(
        idx,
        cells,
        lat,
        lon,
        own,
        repair,
        np.concatenate([pred, np.full(n_water, -1, np.int64)]),
        order,
        np.arange(len(names)) >= n_rail,
        air_units,
        air_hours,
        forward_groups(ctx, air_units),
    )


def rail_km(
    ctx: Context,
    stations: list[str],
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    own: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Rail km from the nearest own station, and the predecessor on that path.

    The network links each line's consecutive listed stations (great-circle x
    ``ROAD_FACTOR``) and its last station to the stations it ``connects`` to.
    Unreachable stations get inf km and predecessor -1, as do own ones (0 km).
    """
    index = {x: i for i, x in enumerate(stations)}
    rows: list[int] = []
    cols: list[int] = []
    for line in ctx.scenario.railways.values():
        stops = [index[x] for x in line.stations if x in index]
        pairs = list(pairwise(stops))
        if stops:
            pairs += [(stops[-1], index[x]) for x in line.connects if x in index]
        for x, y in pairs:
            rows += [x, y]
            cols += [y, x]
    n = len(stations)
    km = np.full(n, np.inf)
    pred = np.full(n, -1, np.int64)
    if not own.any():
        return km, pred
    src, dst = np.array(rows, np.int64), np.array(cols, np.int64)
    length = ROAD_FACTOR * haversine_km(lat[src], lon[src], lat[dst], lon[dst])
    graph = csr_matrix((np.maximum(length, 1e-6), (src, dst)), shape=(n, n))
    dist, before, _ = dijkstra(
        graph,
        indices=np.flatnonzero(own),
        min_only=True,
        return_predecessors=True,
    )
    km = np.asarray(dist, np.float64)
    pred = np.where(own | (before < 0), -1, before).astype(np.int64)
    return km, pred


_TRUCK_CACHE: dict[tuple[int, bytes, int, float, bool], npt.NDArray[np.float64]] = {}
_TRUCK_GRAPH: dict[tuple[int, int, bool], csr_matrix] = {}
_CONDITIONS: dict[tuple[int, str], int] = {}
_PATTERNS: dict[tuple[int, bytes], int] = {}
_BY_SERVING: dict[tuple[int, str, bytes], tuple[npt.NDArray[np.float64], ...]] = {}
"""Truck fields by serving railheads (a shortcut to ``truck_hours``'s cache): the plain
field, then the ferried one where a unit's columns are ferried."""
_FERRIED: dict[int, npt.NDArray[np.intp]] = {}
_WATER_POINTS: dict[
    tuple[int, str, int, bool], tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]
] = {}


def _conditions(ctx: Context, weather: Weather) -> int:
    """A number for the day's weather pattern: days with equal codes share it.

    Edge hours are a function of the codes alone, so such days share truck fields.
    """
    key = (ctx.token, weather.key)
    if key not in _CONDITIONS:
        pattern = (ctx.token, weather.codes.tobytes())
        _CONDITIONS[key] = _PATTERNS.setdefault(pattern, len(_PATTERNS))
    return _CONDITIONS[key]


def truck_hours(
    ctx: Context,
    sources: npt.NDArray[np.int64],
    weather: Weather,
    limit: float = np.inf,
    *,
    ferried: bool = False,
) -> npt.NDArray[np.float64]:
    """One-way truck hours from the nearest source cell to every cell [N] (cached).

    Cells more than ``limit`` hours away get inf (the search stops there). With
    ``ferried`` the trucks cross major rivers by the river flotilla's ferries where
    that is quicker (``Context.carry_hours``, carrier 1), as the units it supports do.
    """
    cells = np.unique(sources.astype(np.int64))
    key = (ctx.token, cells.tobytes(), _conditions(ctx, weather), limit, ferried)
    if key not in _TRUCK_CACHE:
        if len(_TRUCK_CACHE) > 256:
            _TRUCK_CACHE.clear()
            _TRUCK_GRAPH.clear()
            _CONDITIONS.clear()
            _PATTERNS.clear()
            key = (*key[:2], _conditions(ctx, weather), limit, ferried)
        if cells.size == 0:
            _TRUCK_CACHE[key] = np.full(ctx.theatre.lat.shape[0], np.inf)
        else:
            _TRUCK_CACHE[key] = dijkstra(
                _truck_graph(ctx, weather, ferried),
                directed=True,
                indices=cells,
                min_only=True,
                limit=limit,
            )
    return _TRUCK_CACHE[key]


def _truck_graph(ctx: Context, weather: Weather, ferried: bool) -> csr_matrix:
    """The trucks' edge hours under ``weather`` as a graph (cached)."""
    gkey = (ctx.token, _conditions(ctx, weather), ferried)
    if gkey not in _TRUCK_GRAPH:
        motor = weather.hours[Mob.MOTOR]
        if ferried:
            motor = np.minimum(motor, ctx.carry_hours[1])
        _TRUCK_GRAPH[gkey] = graph_of(ctx.theatre.neighbors, motor)
    return _TRUCK_GRAPH[gkey]


def _water_point(
    ctx: Context, cell: int, weather: Weather, ferried: bool
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Cells within ``SEA_TRUCK_HOURS`` of one point supplied over water, their hours.

    Cached by date: a set of such points takes the least of its points' hours, as
    one search from all of them would.
    """
    key = (ctx.token, weather.key, cell, ferried)
    if key not in _WATER_POINTS:
        if len(_WATER_POINTS) > 4096:
            _WATER_POINTS.clear()
        hours = dijkstra(
            _truck_graph(ctx, weather, ferried),
            directed=True,
            indices=np.array([cell]),
            limit=SEA_TRUCK_HOURS,
            min_only=True,
        )
        reached = np.flatnonzero(np.isfinite(hours))
        _WATER_POINTS[key] = (reached, hours[reached])
    return _WATER_POINTS[key]


def _ferried(ctx: Context) -> npt.NDArray[np.intp]:
    """Units whose supply columns the river flotilla ferries (carrier 1 or 3) [F]."""
    if ctx.token not in _FERRIED:
        _FERRIED[ctx.token] = np.flatnonzero(ctx.carrier & 1)
    return _FERRIED[ctx.token]


def _groups(rows: npt.NDArray[np.bool_]) -> list[npt.NDArray[np.intp]]:
    """Indices of the equal rows of a [R, S] bool array, group by group."""
    if rows.shape[0] == 0:
        return []
    if rows.shape[1] == 0:
        return [np.arange(rows.shape[0])]
    # Rows packed into 64-bit words, sorted (stably) by them; equal rows are adjacent.
    packed = np.packbits(rows, axis=1)
    words = np.zeros((rows.shape[0], -(-packed.shape[1] // 8) * 8), np.uint8)
    words[:, : packed.shape[1]] = packed
    keys = words.view(np.uint64)
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    cuts = np.flatnonzero((ordered[1:] != ordered[:-1]).any(axis=1)) + 1
    return np.split(order, cuts)


def _nearest_hours(
    ctx: Context,
    net: SupplyNet,
    serving: npt.NDArray[np.bool_],
    cells: npt.NDArray[np.int32],
    weather: Weather,
) -> npt.NDArray[np.float64]:
    """One-way truck hours [R, U] from each unit to its nearest serving point.

    Replicas with the same serving points share one truck-time field; the field of
    a set is the nearer of its stations' and its sea points' fields, each searched
    once (replicas that differ only in their ports share the stations' search). The
    units whose columns the river flotilla ferries read a second field, searched
    with its ferries (``truck_hours(ferried=True)``).
    """
    out = np.empty(cells.shape)
    ferried = _ferried(ctx)
    for rows in _groups(serving):
        now = serving[rows[0]]
        key = (ctx.token, weather.key, now.tobytes())
        if key not in _BY_SERVING:
            if len(_BY_SERVING) > 256:  # as truck_hours' own cache: bounded memory
                _BY_SERVING.clear()
            _BY_SERVING[key] = tuple(
                _serving_field(ctx, net, now, weather, ferry)
                for ferry in ((False, True) if ferried.size else (False,))
            )
        fields = _BY_SERVING[key]
        fill_rows(out, fields[0], cells, rows)
        if ferried.size:
            sub = np.ix_(rows, ferried)
            out[sub] = fields[1][cells[sub]]
    return out


def _serving_field(
    ctx: Context,
    net: SupplyNet,
    now: npt.NDArray[np.bool_],
    weather: Weather,
    ferried: bool,
) -> npt.NDArray[np.float64]:
    """Truck hours [N] to the nearest of the serving points ``now`` [S]."""
    sea = net.by_sea
    field = truck_hours(ctx, net.cells[now & ~sea], weather, ferried=ferried)
    water = np.unique(net.cells[now & sea])
    if water.size:
        field = field.copy()
        for cell in water.tolist():
            reached, hours = _water_point(ctx, cell, weather, ferried)
            field[reached] = np.minimum(field[reached], hours)
    return field


def resupply(
    ctx: Context,
    net: SupplyNet,
    st: State,
    hour: float,
    dislodged: npt.NDArray[np.bool_],
    weather: Weather,
) -> State:
    """Consume ammunition in contact and resupply fuel and ammunition for one step."""
    u, p = ctx.units, ctx.params
    dt = p.step_hours / 24.0
    # Held stations, own or repaired since their capture [R, S].
    serving = serving_railheads(
        st.control,
        st.capture_hour,
        net.place_index,
        net.own,
        net.repair_hours,
        (net.rail_pred, net.rail_order, net.by_sea),
        np.float32(hour),  # numpy subtracts float32 capture hours in float32
        replica_chunks(),
    )
    one_way = _nearest_hours(ctx, net, serving, st.cell, weather)
    # A unit's supply column shuttles to the railhead and back: a load arrives when a
    # round trip is complete (at most one a day), not as a steady trickle. On a lift
    # day, the day's air lift lands at midday and is shared among the lifted
    # formations' motorised units the trucks cannot serve daily, by shortfall. The
    # defender is resupplied unless dislodged (kernels_units.resupply_units).
    midday = (hour % 24.0) <= 12.0 < (hour % 24.0) + p.step_hours
    lift_day = net.air_hours[0] <= hour < net.air_hours[1]
    fuel, ammo, convoy, _ = resupply_units(
        st.status,
        st.in_contact,
        dislodged,
        st.ammo,
        st.fuel,
        st.convoy,
        one_way,
        u.side,
        motorised(ctx.token, u.mobility),
        np.float32(p.ammo_per_combat_day * dt),
        (p.truck_hours_per_day, p.resupply_refills_per_day, dt),
        ctx.full_fuel,
        st.present,
        net.air_units,
        (net.forward_group, st.max_depth_km),
        p.air_lift_tonnes_per_day if midday and lift_day else 0.0,
        (p.air_refill_tonnes_per_vehicle, p.air_refill_tonnes_per_1000_men),
    )
    return st.replace(fuel=fuel, ammo=ammo, convoy=convoy)

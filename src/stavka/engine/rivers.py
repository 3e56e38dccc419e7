"""Carriage by water: river flotillas ferry troops; ships carry landing forces by sea.

Troops of a side that has a river flotilla near them cross a major river (WDBII class
0-2: Amur, Ussuri, Sungari, ...) in the ferry time plus the boat transit instead of the
map's assault-crossing delay; their routing and march times are the element-wise minimum
of their own class's edge times and these. The flotilla's boats also bring supplies up
its rivers (``flotilla_waters``, ``river_route_hours``: ``logistics`` serves the river
towns they reach like ports). Carrying troops *along* the rivers needs the flotilla's
lift capacity in the model and is not done yet (docs/engine.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from stavka.engine.params import EngineParams
from stavka.engine.routing import TheatreLike
from stavka.geo import haversine_km
from stavka.scenario.container import Scenario
from stavka.scenario.schema import Formation

__all__ = [
    "MAJOR_RIVER_CLASS",
    "flotilla_support",
    "flotilla_waters",
    "river_hours",
    "river_route_hours",
    "sea_hours",
]

MAJOR_RIVER_CLASS = 2
"""Rivers of WDBII class 0-2 carry the flotillas (the map's classes; docs/map.md)."""


def river_hours(theatre: TheatreLike, params: EngineParams) -> npt.NDArray[np.float32]:
    """Hours per edge [N, 6] for ferried troops (inf where boats do not help)."""
    rc = np.asarray(theatre.river_class)
    nb = np.asarray(theatre.neighbors)
    major = (rc >= 0) & (rc <= MAJOR_RIVER_CLASS) & (nb >= 0)
    boat = theatre.edge_km / np.float32(params.flotilla_kmh) + np.float32(
        params.ferry_hours
    )
    return np.where(major, boat, np.inf).astype(np.float32)


def _start(s: Scenario, f: Formation) -> tuple[float, float]:
    if f.location.lat is not None and f.location.lon is not None:
        return f.location.lat, f.location.lon
    place = s.places[str(f.location.place)]
    return place.lat, place.lon


def flotilla_support(
    s: Scenario,
    chosen: list[Formation],
    side: npt.NDArray[np.int8],
    params: EngineParams,
) -> npt.NDArray[np.bool_]:
    """Units starting within ``flotilla_reach_km`` of a river flotilla of their side."""
    out = np.zeros(len(chosen), bool)
    for fl in s.formations.values():
        if fl.type.value != "river_flotilla":
            continue
        k = 0 if fl.side == s.meta.attacker else 1
        lat, lon = s.location_of(fl.id)
        for i, f in enumerate(chosen):
            if side[i] == k and not out[i]:
                km = float(haversine_km(lat, lon, *_start(s, f)))
                out[i] = km <= params.flotilla_reach_km
    return out


def flotilla_waters(
    s: Scenario, theatre: TheatreLike, params: EngineParams
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Where the attacker's river flotillas work, and their bases.

    Returns the cells [N] on a major river (an edge of WDBII class 0-2) whose centre
    lies within ``flotilla_reach_km`` of one of the attacker's river flotillas, as
    for the troops they carry (``flotilla_support``), and each flotilla's base: the
    river cell nearest its location [B].
    """
    rc = np.asarray(theatre.river_class)
    on_river = ((rc >= 0) & (rc <= MAJOR_RIVER_CLASS)).any(axis=1)
    lat, lon = np.asarray(theatre.lat), np.asarray(theatre.lon)
    waters = np.zeros(on_river.shape, bool)
    bases: list[int] = []
    for fl in s.formations.values():
        if fl.type.value != "river_flotilla" or fl.side != s.meta.attacker:
            continue
        km = haversine_km(*s.location_of(fl.id), lat, lon)
        near = on_river & (km <= params.flotilla_reach_km)
        if near.any():
            waters |= near
            bases.append(int(np.argmin(np.where(near, km, np.inf))))
    return waters, np.unique(np.array(bases, np.int64))


def river_route_hours(
    theatre: TheatreLike,
    params: EngineParams,
    waters: npt.NDArray[np.bool_],
    bases: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Boat hours [N] from the nearest base to each cell of ``waters`` (inf elsewhere).

    The boats go from river cell to neighbouring river cell, along and across the
    river, at ``flotilla_kmh``.
    """
    nb = np.asarray(theatre.neighbors)
    n = nb.shape[0]
    if bases.size == 0:
        return np.full(n, np.inf)
    a = np.repeat(np.arange(n), nb.shape[1])
    b = nb.ravel()
    ok = (b >= 0) & waters[a] & waters[np.maximum(b, 0)]
    hours = np.asarray(theatre.edge_km, np.float64).ravel()[ok] / params.flotilla_kmh
    graph = csr_matrix((np.maximum(hours, 1e-6), (a[ok], b[ok])), shape=(n, n))
    return np.asarray(dijkstra(graph, indices=bases, min_only=True), np.float64)


def sea_hours(theatre: TheatreLike, params: EngineParams) -> npt.NDArray[np.float32]:
    """Hours per edge [N, 6] for troops carried by sea (inf between two land cells).

    Edges touching a water cell take ``edge km / ship_kmh``; going aboard (land to
    water) adds ``sea_embark_hours``, going ashore (water to land) adds it again.
    """
    nb = np.asarray(theatre.neighbors)
    safe = np.where(nb < 0, 0, nb)
    water = np.asarray(theatre.water)
    wi, wj = water[:, None], water[safe]
    hours = theatre.edge_km / np.float32(params.ship_kmh)
    hours = hours + np.float32(params.sea_embark_hours) * (wi != wj)
    return np.where((nb >= 0) & (wi | wj), hours, np.inf).astype(np.float32)

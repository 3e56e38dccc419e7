"""Carriage by water: river flotillas ferry troops; ships carry landing forces by sea.

Troops of a side that has a river flotilla near them cross a major river (WDBII class
0-2: Amur, Ussuri, Sungari, ...) in the ferry time plus the boat transit instead of the
map's assault-crossing delay; their routing and march times are the element-wise minimum
of their own class's edge times and these. Carrying troops *along* the rivers needs the
flotilla's lift capacity in the model and is not done yet (docs/engine.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.params import EngineParams
from stavka.engine.routing import TheatreLike
from stavka.geo import haversine_km
from stavka.scenario.container import Scenario
from stavka.scenario.schema import Formation

__all__ = ["MAJOR_RIVER_CLASS", "flotilla_support", "river_hours", "sea_hours"]

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

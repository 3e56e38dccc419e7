"""Movement over the theatre: hours to cross each edge and least-time paths.

Time to cross edge ``i -> j`` (dry, unopposed, moving time only; the engine decides
how many hours a day a formation marches):

``hours = d/2 / v_i + d/2 / v_j + climb + river``, where

* ``d`` is the centre-to-centre distance (km);
* ``v`` is the road speed of the edge's road class if a road runs along the edge (a
  railway without a road counts as a track: ``EMBANKMENT_ROAD``), else the
  cross-country speed × the cover factor of that cell; both × the relief
  factor ``1 / (1 + ruggedness / RELIEF_M)`` (halved relief in a pass cell) × the
  weather factor of that cell;
* ``climb`` is Naismith's rule for foot and horse: 1 h per 600 m of ascent;
* ``river`` is the crossing delay of the edge's WDBII class unless a bridge (a
  1945 railway) crosses it.

Rail moves only along rail edges (any gauge; transhipment at gauge breaks is the
engine's business). Water cells are impassable to every land mobility.
Every number and its source is listed in ``docs/parameters.md`` (## Movement).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from stavka.errors import MapError

if TYPE_CHECKING:
    from stavka.theatre.model import Theatre

__all__ = [
    "EMBANKMENT_ROAD",
    "MOBILITIES",
    "WEATHER_CODES",
    "edge_hours",
    "least_time_path",
    "route_class",
    "weather_codes",
]

MOBILITIES = ("foot", "horse", "motor", "tracked", "rail")
WEATHER_CODES = ("dry", "rain", "heavy_rain", "mud", "flood")

# Road march speed, km/h, by road class (index = ROAD_NAMES code: none, track, dirt,
# improved, paved). "none" is unused (cross-country speed applies).
ROAD_KMH: dict[str, tuple[float, ...]] = {
    "foot": (0.0, 3.5, 4.0, 4.0, 4.0),
    "horse": (0.0, 6.0, 7.0, 7.0, 7.0),
    "motor": (0.0, 15.0, 25.0, 30.0, 40.0),
    "tracked": (0.0, 15.0, 20.0, 20.0, 20.0),
}
CROSS_KMH: dict[str, float] = {
    "foot": 2.4,
    "horse": 4.0,
    "motor": 10.0,
    "tracked": 12.0,
}
RAIL_KMH = 25.0
# Cover factor on cross-country speed; cover order: water, forest, steppe, open,
# desert, marsh, mountain.
COVER_FACTOR: dict[str, tuple[float, ...]] = {
    "foot": (0.0, 0.6, 1.0, 1.0, 0.8, 0.4, 0.5),
    "horse": (0.0, 0.5, 1.0, 1.0, 0.8, 0.3, 0.4),
    "motor": (0.0, 0.2, 1.0, 0.9, 0.5, 0.0, 0.2),
    "tracked": (0.0, 0.4, 1.0, 1.0, 0.8, 0.15, 0.3),
}
RELIEF_M: dict[str, float] = {
    "foot": 300.0,
    "horse": 300.0,
    "motor": 150.0,
    "tracked": 200.0,
}
NAISMITH_M_PER_H = 600.0
# River-crossing delay in hours by WDBII class 0..3 (class 4+ is not on the edges).
RIVER_DELAY_H: dict[str, tuple[float, ...]] = {
    "foot": (24.0, 12.0, 6.0, 2.0),
    "horse": (24.0, 12.0, 6.0, 2.0),
    "motor": (48.0, 24.0, 12.0, 4.0),
    "tracked": (48.0, 24.0, 12.0, 3.0),
}
# Speed multiplier by weather code (dry, rain, heavy_rain, mud, flood).
WEATHER_FACTOR: dict[str, tuple[float, ...]] = {
    "foot": (1.0, 0.85, 0.6, 0.6, 0.3),
    "horse": (1.0, 0.85, 0.6, 0.5, 0.3),
    "motor": (1.0, 0.8, 0.5, 0.2, 0.1),
    "tracked": (1.0, 0.85, 0.6, 0.25, 0.15),
    "rail": (1.0, 1.0, 1.0, 1.0, 0.5),
}


EMBANKMENT_ROAD = 1
"""Road class of a railway edge with no road of its own: a track (``ROAD_NAMES``).
Troops march along a line's embankment and the service track beside it; the source
text has the 6th Guards Tank Army, its roads mud, moving "along the railway subgrade"
at 40-50 km a day (the same quote that gives the tracked mud factor: a track's 15 km/h
x 0.25 x 12 h = 45 km)."""


def route_class(t: Theatre) -> np.ndarray:
    """Road class of each edge [N, 6]: its road, or a track along a railway."""
    rail = (t.rail_gauge_mm > 0) & (t.road < EMBANKMENT_ROAD)
    return np.where(rail, EMBANKMENT_ROAD, t.road).astype(t.road.dtype)


def _check(mobility: str) -> None:
    if mobility not in MOBILITIES:
        raise MapError(
            f"unknown mobility {mobility!r}; use one of {', '.join(MOBILITIES)}"
        )


def edge_hours(
    t: Theatre, mobility: str, weather: np.ndarray | None = None, roads: bool = True
) -> np.ndarray:
    """Return float32 [N, 6] hours to cross from cell i to neighbour slot k.

    Args:
        t: the theatre (usually after :meth:`Theatre.for_scenario`).
        mobility: one of :data:`MOBILITIES`.
        weather: optional int [N] weather code per cell (:data:`WEATHER_CODES`),
            e.g. from :func:`weather_codes`; None = dry everywhere.
        roads: use the roads where a cell has one (False: across country
            everywhere, as beside a road that is full).

    Returns:
        Hours, ``inf`` where impassable or where there is no neighbour.

    Raises:
        MapError: for an unknown mobility or a weather array of the wrong shape.
    """
    _check(mobility)
    n = t.n_cells
    if weather is None:
        wcode = np.zeros(n, np.int64)
    else:
        wcode = np.asarray(weather).astype(np.int64)
        if wcode.shape != (n,) or wcode.min(initial=0) < 0 or wcode.max(initial=0) > 4:
            raise MapError(
                f"weather must be {n} codes 0-4 ({', '.join(WEATHER_CODES)}); "
                f"got shape {wcode.shape}"
            )
    wf = np.asarray(WEATHER_FACTOR[mobility])[wcode]
    nb = t.neighbors
    j = nb.clip(0)
    valid = (nb >= 0) & ~t.water[:, None] & ~t.water[j]
    d = t.edge_km.astype(np.float64)
    if mobility == "rail":
        v = RAIL_KMH * wf
        with np.errstate(divide="ignore", invalid="ignore"):
            hours = 0.5 * d / v[:, None] + 0.5 * d / v[j]
        ok = valid & (t.rail_gauge_mm > 0)
        return np.where(ok, hours, np.inf).astype(np.float32)
    relief = np.where(t.pass_cell, 0.5, 1.0) * t.ruggedness.astype(np.float64)
    rf = 1.0 / (1.0 + relief / RELIEF_M[mobility])
    cover_f = np.asarray(COVER_FACTOR[mobility])[t.cover]
    if np.any(t.pass_cell):
        mountain = t.cover_names.index("mountain")
        lift = t.pass_cell & (t.cover == mountain)
        cover_f = np.where(lift, 0.5 * (1.0 + cover_f), cover_f)
    v_cross = CROSS_KMH[mobility] * cover_f * rf * wf
    road = route_class(t) if roads else np.zeros_like(t.road)
    road_v = np.asarray(ROAD_KMH[mobility])[road]
    has_road = road > 0
    v_i = np.where(has_road, road_v * (rf * wf)[:, None], v_cross[:, None])
    v_j = np.where(has_road, road_v * (rf * wf)[j], v_cross[j])
    with np.errstate(divide="ignore", invalid="ignore"):
        hours = 0.5 * d / v_i + 0.5 * d / v_j
    if mobility in ("foot", "horse"):
        climb = np.maximum(t.elevation_m[j] - t.elevation_m[:, None], 0.0)
        hours = hours + climb / NAISMITH_M_PER_H
    cls = t.river_class.astype(np.int64)
    delay = np.asarray(RIVER_DELAY_H[mobility])[cls.clip(0, 3)]
    hours = hours + np.where((cls >= 0) & ~t.bridge, delay, 0.0)
    return np.where(valid, hours, np.inf).astype(np.float32)


def _graph(t: Theatre, mobility: str, weather: np.ndarray | None) -> sp.csr_matrix:
    key = ("graph", mobility)
    if weather is None and key in t._cache:
        return t._cache[key]
    h = edge_hours(t, mobility, weather)
    ii, kk = np.nonzero(np.isfinite(h))
    g = sp.csr_matrix(
        (h[ii, kk].astype(np.float64), (ii, t.neighbors[ii, kk])),
        shape=(t.n_cells, t.n_cells),
    )
    if weather is None:
        t._cache[key] = g
    return g


def least_time_path(
    t: Theatre,
    from_cell: int,
    to_cell: int,
    mobility: str,
    weather: np.ndarray | None = None,
) -> tuple[list[int], float, float]:
    """Return the least-time path ``(cells, km, hours)`` from one cell to another.

    Raises:
        MapError: for bad cells, an unknown mobility, or when no path exists.
    """
    _check(mobility)
    for c in (from_cell, to_cell):
        if not 0 <= c < t.n_cells:
            raise MapError(f"cell {c} is not in the theatre (0..{t.n_cells - 1})")
    if from_cell == to_cell:
        return [from_cell], 0.0, 0.0
    g = _graph(t, mobility, weather)
    dist, pred = dijkstra(  # type: ignore[call-overload]
        g, indices=from_cell, return_predecessors=True
    )
    if not np.isfinite(dist[to_cell]):
        raise MapError(
            f"no {mobility} path from cell {from_cell} to cell {to_cell} "
            "(water, marsh or no rail in between); try another mobility"
        )
    cells = [to_cell]
    while cells[-1] != from_cell:
        cells.append(int(pred[cells[-1]]))
    cells.reverse()
    km = 0.0
    for a, b in itertools.pairwise(cells):
        km += float(t.edge_km[a][t.neighbors[a] == b][0])
    return cells, km, float(dist[to_cell])


def weather_codes(t: Theatre, periods: list[object], day: object) -> np.ndarray:
    """Return int8 [N] weather codes on ``day`` from the scenario's weather periods.

    Later rows override earlier ones where their boxes overlap; cells outside every
    box are ``dry``.
    """
    out = np.zeros(t.n_cells, np.int8)
    for p in periods:
        if not (p.start <= day <= p.end):  # type: ignore[attr-defined]
            continue
        box = (
            (t.lat >= p.lat_min)  # type: ignore[attr-defined]
            & (t.lat <= p.lat_max)  # type: ignore[attr-defined]
            & (t.lon >= p.lon_min)  # type: ignore[attr-defined]
            & (t.lon <= p.lon_max)  # type: ignore[attr-defined]
        )
        out[box] = WEATHER_CODES.index(p.condition)  # type: ignore[attr-defined]
    return out

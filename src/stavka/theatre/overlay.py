"""Overlay a scenario on the shipped map: places, railways, roads, fortified zones.

The shipped product holds only scenario-independent layers (relief, cover, water,
rivers, 1945 borders), so a variant that moves a fortified region or adds a road
needs no rebuild: :func:`overlay` runs in well under a second at load time.

Rules (documented in ``docs/map.md``):
    * A place goes into the cell that contains it, unless that cell's 1945
      sovereignty differs from the gazetteer's ``country_1945`` (river-border towns
      such as Blagoveshchensk/Heihe lie a few km apart): then into the nearest cell
      within two rings that matches. A place in a water cell moves to the nearest
      land cell of one ring, else its cell is made land (a named place is on land).
    * Railways and roads follow ``grid_path_cells`` between consecutive stations,
      through the hand-authored ``rail_waypoints.json`` on long legs. A railway
      edge that crosses a river edge is a bridge. A cell that a railway or road
      runs through is land (the coast of a 17 km cell is coarser than the line).
    * A fortified region is every cell whose centre lies within ``radius_km`` of
      the region's centre place.
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import TYPE_CHECKING

import h3
import numpy as np

from stavka.errors import MapError
from stavka.theatre.grid import haversine_km
from stavka.theatre.model import DATA_DIR, ROAD_NAMES, Theatre

if TYPE_CHECKING:
    from stavka.scenario.container import Scenario

__all__ = ["cell_path", "overlay"]

logger = logging.getLogger(__name__)


def _ring_cells(t: Theatre, c: int, rings: int) -> np.ndarray:
    seen = {c}
    frontier = [c]
    for _ in range(rings):
        nxt = []
        for x in frontier:
            for j in t.neighbors[x]:
                if j >= 0 and int(j) not in seen:
                    seen.add(int(j))
                    nxt.append(int(j))
        frontier = nxt
    return np.array(sorted(seen), np.int64)


def _place_cell(
    t: Theatre, water: np.ndarray, lat: float, lon: float, country: str
) -> int:
    c = t.cell_of(lat, lon)
    if country in t.country_names and t.country_names[t.country_1945[c]] != country:
        cand = _ring_cells(t, c, 2)
        cand = cand[t.country_1945[cand] == t.country_names.index(country)]
        if cand.size:
            c = int(cand[np.argmin(haversine_km(lat, lon, t.lat[cand], t.lon[cand]))])
    if water[c]:
        cand = _ring_cells(t, c, 1)
        cand = cand[~water[cand]]
        if cand.size:
            c = int(cand[np.argmin(haversine_km(lat, lon, t.lat[cand], t.lon[cand]))])
        else:
            water[c] = False
    return c


def cell_path(t: Theatre, points: list[tuple[float, float]]) -> list[int]:
    """Return the chain of adjacent cells through (lat, lon) points, in order."""
    out: list[int] = []
    for (a1, o1), (a2, o2) in itertools.pairwise(points):
        h1 = h3.latlng_to_cell(a1, o1, t.resolution)
        h2 = h3.latlng_to_cell(a2, o2, t.resolution)
        try:
            hs = h3.grid_path_cells(h1, h2)
        except h3.H3BaseException:
            logger.warning("no grid path between (%s, %s) and (%s, %s)", a1, o1, a2, o2)
            continue
        ints = np.array([h3.str_to_int(h) for h in hs], np.uint64)
        pos = np.searchsorted(t.h3, ints).clip(0, t.n_cells - 1)
        idx = np.where(t.h3[pos] == ints, pos, -1)
        out.extend(int(i) for i in idx if not out or int(i) != out[-1])
    return out


def _mark_chain(t: Theatre, chain: list[int], arr: np.ndarray, value: int) -> int:
    """Set ``arr`` on each edge between consecutive cells (max with old); count."""
    n = 0
    for a, b in itertools.pairwise(chain):
        if a < 0 or b < 0:
            continue
        ks = np.flatnonzero(t.neighbors[a] == b)
        if ks.size == 0:
            continue
        k = int(ks[0])
        kb = int(t.back[a, k])
        arr[a, k] = max(int(arr[a, k]), value)
        arr[b, kb] = max(int(arr[b, kb]), value)
        n += 1
    return n


def _waypoints() -> dict[tuple[str, str], list[tuple[float, float]]]:
    spec = json.loads((DATA_DIR / "corrections" / "rail_waypoints.json").read_text())
    out: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for key, pts in spec["legs"].items():
        a, b = key.split(">")
        p = [(float(x), float(y)) for x, y in pts]
        out[(a, b)] = p
        out[(b, a)] = p[::-1]
    return out


def _route(
    ids: list[str], s: Scenario, legs: dict[tuple[str, str], list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(ids):
        pa = s.places[a]
        if not pts:
            pts.append((pa.lat, pa.lon))
        pts.extend(legs.get((a, b), []))
        pb = s.places[b]
        pts.append((pb.lat, pb.lon))
    return pts


def overlay(t: Theatre, s: Scenario) -> Theatre:
    """Return a copy of ``t`` with the scenario layers of ``s`` (see module doc).

    Raises:
        MapError: if a place of the scenario lies outside the theatre.
    """
    water = t.water.copy()
    place_cell: dict[str, int] = {}
    port = np.zeros(t.n_cells, bool)
    airfield = np.zeros(t.n_cells, bool)
    for pid, p in s.places.items():
        try:
            c = _place_cell(t, water, p.lat, p.lon, p.country_1945)
        except MapError as err:
            raise MapError(f"place {pid!r}: {err}") from None
        place_cell[pid] = c
        kind = getattr(p.kind, "value", p.kind)
        if kind == "port":
            port[c] = True
        elif kind == "airfield":
            airfield[c] = True
    legs = _waypoints()
    gauge = np.zeros(t.neighbors.shape, np.int16)
    for r in s.railways.values():
        chain = [place_cell[x] for x in r.stations[:1]]
        for a, b in zip(r.stations[:-1], r.stations[1:], strict=True):
            seg = cell_path(t, _route([a, b], s, legs))
            seg[0], seg[-1] = place_cell[a], place_cell[b]
            chain.extend(seg[1:])
        chain = _dedupe(chain)
        _mark_chain(t, chain, gauge, int(r.gauge_mm))
        water[[c for c in chain if c >= 0]] = False
    road = np.zeros(t.neighbors.shape, np.int8)
    for rd in s.roads.values():
        code = ROAD_NAMES.index(rd.surface)
        chain = [place_cell[rd.places[0]]]
        for a, b in zip(rd.places[:-1], rd.places[1:], strict=True):
            seg = cell_path(t, _route([a, b], s, {}))
            seg[0], seg[-1] = place_cell[a], place_cell[b]
            chain.extend(seg[1:])
        chain = _dedupe(chain)
        _mark_chain(t, chain, road, code)
        water[[c for c in chain if c >= 0]] = False
    bridge = (gauge > 0) & (t.river_class >= 0)
    level = np.zeros(t.n_cells, np.int8)
    zone = np.full(t.n_cells, -1, np.int16)
    ids = sorted(s.fortified_regions)
    for z, fid in enumerate(ids):
        fr = s.fortified_regions[fid]
        centre = s.places[fr.place]
        d = haversine_km(centre.lat, centre.lon, t.lat, t.lon)
        radius = fr.radius_km.value
        inside = d <= (float(radius) if radius is not None else 0.0)
        inside[place_cell[fr.place]] = True
        upgrade = inside & (level < fr.level)
        level[upgrade] = fr.level
        zone[upgrade] = z
    return t.replace(
        water=water,
        place_cell=place_cell,
        port=port,
        airfield=airfield,
        rail_gauge_mm=gauge,
        road=road,
        bridge=bridge,
        fortified_level=level,
        fortified_zone=zone,
        fortified_ids=ids,
        meta={**t.meta, "scenario": s.versioned_id},
    )


def _dedupe(chain: list[int]) -> list[int]:
    out: list[int] = []
    for c in chain:
        if not out or c != out[-1]:
            out.append(c)
    return out

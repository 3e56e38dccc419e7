"""The H3 hex grid of the theatre: cells, centres, neighbours and shared vertices.

Neighbour slots are ordered by bearing from the cell centre, clockwise from north:
slot 0 is the neighbour whose centre bearing is smallest in [0°, 360°). Slot ``k``
of cell ``i`` and slot ``back[i, k]`` of cell ``neighbors[i, k]`` are the same
edge seen from both sides. Cells are sorted by their H3 index (uint64), so
:func:`cell_index` is a binary search.
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
import numpy as np

from stavka.geo import EARTH_RADIUS_KM, haversine_km

__all__ = ["BBOX", "EARTH_RADIUS_KM", "Grid", "build_grid", "haversine_km"]

BBOX: tuple[float, float, float, float] = (105.0, 37.0, 160.0, 55.0)
"""Theatre box (west, south, east, north), degrees WGS84."""


@dataclass(frozen=True)
class Grid:
    """The cells of the theatre and their adjacency (build-time helper).

    Attributes:
        resolution: H3 resolution.
        h3: uint64 [N] sorted cell indexes.
        lat, lon: float64 [N] cell centres, degrees.
        neighbors: int32 [N, 6] neighbour cell index per slot, -1 = none.
        back: int8 [N, 6] slot of the same edge in the neighbour, -1 = none.
        vertices: int32 [N, 6] vertex ids around each cell (boundary order).
        vlat, vlon: float64 [V] vertex coordinates, degrees.
        edge_vertices: int32 [N, 6, 2] the two vertex ids of each edge, -1 = none.
    """

    resolution: int
    h3: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    neighbors: np.ndarray
    back: np.ndarray
    vertices: np.ndarray
    vlat: np.ndarray
    vlon: np.ndarray
    edge_vertices: np.ndarray


def build_grid(resolution: int, bbox: tuple[float, float, float, float] = BBOX) -> Grid:
    """Cover ``bbox`` with H3 cells and compute neighbours and vertices."""
    west, south, east, north = bbox
    poly = h3.LatLngPoly([(south, west), (south, east), (north, east), (north, west)])
    cells = sorted(h3.h3shape_to_cells(poly, resolution), key=h3.str_to_int)
    ints = np.array([h3.str_to_int(c) for c in cells], dtype=np.uint64)
    index = {c: i for i, c in enumerate(cells)}
    n = len(cells)
    centre = np.array([h3.cell_to_latlng(c) for c in cells])
    lat, lon = centre[:, 0].copy(), centre[:, 1].copy()
    neighbors = np.full((n, 6), -1, np.int32)
    vert_ids: dict[str, int] = {}
    vertices = np.full((n, 6), -1, np.int32)
    for i, c in enumerate(cells):
        ring = [r for r in h3.grid_ring(c, 1) if r != c]
        bearings = []
        for r in ring:
            rlat, rlon = h3.cell_to_latlng(r)
            dx = (rlon - lon[i]) * np.cos(np.radians(lat[i]))
            bearings.append(float(np.degrees(np.arctan2(dx, rlat - lat[i])) % 360.0))
        for k, j in enumerate(np.argsort(bearings, kind="stable")[:6]):
            neighbors[i, k] = index.get(ring[j], -1)
        for k, v in enumerate(h3.cell_to_vertexes(c)[:6]):
            vertices[i, k] = vert_ids.setdefault(v, len(vert_ids))
    vcoords = np.array([h3.vertex_to_latlng(v) for v in vert_ids])
    back = np.full((n, 6), -1, np.int8)
    edge_vertices = np.full((n, 6, 2), -1, np.int32)
    for i in range(n):
        vi = set(vertices[i].tolist())
        for k in range(6):
            j = neighbors[i, k]
            if j < 0:
                continue
            back[i, k] = int(np.flatnonzero(neighbors[j] == i)[0])
            shared = sorted(vi & set(vertices[j].tolist()))
            edge_vertices[i, k] = shared[:2]
    return Grid(
        resolution=resolution,
        h3=ints,
        lat=lat,
        lon=lon,
        neighbors=neighbors,
        back=back,
        vertices=vertices,
        vlat=vcoords[:, 0].copy(),
        vlon=vcoords[:, 1].copy(),
        edge_vertices=edge_vertices,
    )

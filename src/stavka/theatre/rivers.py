"""Rivers on cell edges: snap WDBII polylines to the hex-edge network and name them.

A river line is sampled every ~1 km; each sample is moved to the nearest vertex of
the cell it falls in, and consecutive vertices are joined by the shortest chain of
hex edges. Every hex edge on a chain carries the river, with the lowest (largest
river) WDBII class of the lines that use it. Names are laid afterwards as the
least-cost chain of river edges through hand-authored points (``rivers.json``),
so a named river has no gaps by construction.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable

import h3
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from stavka.theatre.grid import Grid, haversine_km

__all__ = ["name_rivers", "snap_rivers"]

_SAMPLE_KM = 1.0


def _edge_lookup(g: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """Map a vertex pair (low, high) to one (cell, slot) edge."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    ii, kk = np.nonzero(g.neighbors >= 0)
    for i, k in zip(ii.tolist(), kk.tolist(), strict=True):
        a, b = g.edge_vertices[i, k]
        out.setdefault((min(a, b), max(a, b)), (i, k))
    return out


def _vertex_adjacency(pairs: Iterable[tuple[int, int]], nv: int) -> list[list[int]]:
    adj: list[list[int]] = [[] for _ in range(nv)]
    for a, b in pairs:
        adj[a].append(b)
        adj[b].append(a)
    return adj


def _bfs(adj: list[list[int]], a: int, b: int, depth: int = 6) -> list[int] | None:
    """Shortest vertex chain from a to b (unweighted), or None beyond ``depth``."""
    prev = {a: -1}
    q = deque([(a, 0)])
    while q:
        v, d = q.popleft()
        if v == b:
            chain = [v]
            while prev[chain[-1]] != -1:
                chain.append(prev[chain[-1]])
            return chain[::-1]
        if d >= depth:
            continue
        for w in adj[v]:
            if w not in prev:
                prev[w] = v
                q.append((w, d + 1))
    return None


def cell_indices(g: Grid, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return the grid index of each point, -1 outside the grid."""
    res = g.resolution
    ints = np.array(
        [
            h3.str_to_int(h3.latlng_to_cell(a, o, res))
            for a, o in zip(lat, lon, strict=True)
        ],
        dtype=np.uint64,
    )
    pos = np.searchsorted(g.h3, ints).clip(0, len(g.h3) - 1)
    return np.where(g.h3[pos] == ints, pos, -1).astype(np.int64)


def snap_rivers(g: Grid, lines: Iterable[tuple[int, np.ndarray]]) -> np.ndarray:
    """Return int8 [N, 6] WDBII class per edge (-1 = no river) from river lines.

    Args:
        g: the grid.
        lines: ``(class, lonlat [n, 2])`` polylines.
    """
    lookup = _edge_lookup(g)
    adj = _vertex_adjacency(lookup.keys(), len(g.vlat))
    river = np.full(g.neighbors.shape, -1, np.int8)

    def mark(a: int, b: int, cls: int) -> None:
        i, k = lookup[(min(a, b), max(a, b))]
        j, kb = int(g.neighbors[i, k]), int(g.back[i, k])
        for c, s in ((i, k), (j, kb)):
            if river[c, s] < 0 or cls < river[c, s]:
                river[c, s] = cls

    for cls, xy in lines:
        lon, lat = xy[:, 0], xy[:, 1]
        seg = haversine_km(lat[:-1], lon[:-1], lat[1:], lon[1:])
        pts_lat, pts_lon = [lat[:1]], [lon[:1]]
        for s in range(len(seg)):
            n = max(1, int(np.ceil(seg[s] / _SAMPLE_KM)))
            t = np.arange(1, n + 1) / n
            pts_lat.append(lat[s] + t * (lat[s + 1] - lat[s]))
            pts_lon.append(lon[s] + t * (lon[s + 1] - lon[s]))
        plat, plon = np.concatenate(pts_lat), np.concatenate(pts_lon)
        cells = cell_indices(g, plat, plon)
        prev = -1
        for c, a, o in zip(cells.tolist(), plat, plon, strict=True):
            if c < 0:
                prev = -1
                continue
            vs = g.vertices[c]
            d = (g.vlat[vs] - a) ** 2 + ((g.vlon[vs] - o) * np.cos(np.radians(a))) ** 2
            v = int(vs[int(np.argmin(d))])
            if prev >= 0 and v != prev:
                chain = _bfs(adj, prev, v)
                if chain is not None:
                    for p, q in itertools.pairwise(chain):
                        mark(p, q, cls)
            prev = v
    return river


GAP_COST = 25.0
"""Cost factor of a hex edge without a WDBII river on a named river's chain."""


def name_rivers(
    g: Grid, river: np.ndarray, rivers: list[dict[str, object]]
) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, float], dict[str, float]]:
    """Lay river names on river edges, closing gaps where the river crosses a lake.

    WDBII stops a river at a lake or reservoir (e.g. the post-war Unbong reservoir
    on the Yalu). The chain search may therefore use edges without a river at
    :data:`GAP_COST` × their length; those edges get the river and the lowest class
    met on that leg of the chain.

    Args:
        g: the grid.
        river: int8 [N, 6] class per edge from :func:`snap_rivers` (not modified).
        rivers: entries ``{"name": str, "points": [[lat, lon], ...]}``, source first.

    Returns:
        (river class [N, 6] with the gaps closed; int16 [N, 6] name code per edge,
        -1 none; the names; km of edges per name; km of closed gaps per name).
    """
    river = river.copy()
    lookup = _edge_lookup(g)
    rows, cols, w = [], [], []
    for (a, b), (i, k) in lookup.items():
        cls = int(river[i, k])
        km = float(haversine_km(g.vlat[a], g.vlon[a], g.vlat[b], g.vlon[b]))
        rows += [a, b]
        cols += [b, a]
        w += [km * (1 + cls) if cls >= 0 else km * GAP_COST] * 2
    nv = len(g.vlat)
    graph = sp.csr_matrix((w, (rows, cols)), shape=(nv, nv))
    on_river = np.zeros(nv, bool)
    ii, kk = np.nonzero(river >= 0)
    on_river[g.edge_vertices[ii, kk].ravel()] = True
    rv = np.flatnonzero(on_river)
    codes = np.full(river.shape, -1, np.int16)
    names: list[str] = []
    lengths: dict[str, float] = {}
    gaps: dict[str, float] = {}
    for entry in rivers:
        name = str(entry["name"])
        pts = np.asarray(entry["points"], dtype=float)
        verts = [
            int(rv[np.argmin(haversine_km(p[0], p[1], g.vlat[rv], g.vlon[rv]))])
            for p in pts
        ]
        code = len(names)
        names.append(name)
        total = gap = 0.0
        for a, b in itertools.pairwise(verts):
            _dist, pred = dijkstra(graph, indices=a, return_predecessors=True)  # type: ignore[call-overload]
            chain = [b]
            while chain[-1] != a and pred[chain[-1]] >= 0:
                chain.append(int(pred[chain[-1]]))
            edges = [
                lookup[(min(u, v), max(u, v))] for u, v in itertools.pairwise(chain)
            ]
            known = [int(river[i, k]) for i, k in edges if river[i, k] >= 0]
            fill = min(known) if known else RIVER_GAP_CLASS
            for (i, k), (u, v) in zip(edges, itertools.pairwise(chain), strict=True):
                j, kb = int(g.neighbors[i, k]), int(g.back[i, k])
                km = float(haversine_km(g.vlat[u], g.vlon[u], g.vlat[v], g.vlon[v]))
                if river[i, k] < 0:
                    river[i, k] = river[j, kb] = fill
                    gap += km
                if codes[i, k] < 0:
                    codes[i, k] = codes[j, kb] = code
                total += km
        lengths[name] = round(total, 1)
        gaps[name] = round(gap, 1)
    return river, codes, names, lengths, gaps


RIVER_GAP_CLASS = 3
"""Class given to a closed gap when its leg has no WDBII edge at all."""

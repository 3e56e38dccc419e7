"""Encirclement: defender units with no path to a supply source of their side.

Judged once a day on the map's parent grid (H3 resolution one coarser than the map's,
cells some 40 km across, about a division's or corps' sector): a parent cell holding
attacker troops of at least ``contact_threshold_men`` is blocked; the defender's supply
sources are the railway stations, ports and islands it holds. A defender unit is
supplied when its parent cell, or a neighbour of it, is reached from a held source over
unblocked land parent cells; otherwise it is cut off. A cut-off unit gets no supply
and, when dislodged, collapses (mostly captured) instead of falling back; a cut-off
headquarters relays orders late (issue #6 item 4: encirclement, "no path to a friendly
supply source", and the collapse/capture loss).
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import pkernel
from stavka.engine.logistics import SEA_KINDS, station_places
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, State

__all__ = ["SOURCE_KINDS", "CoarseGrid", "coarse_grid", "cut_off", "cut_off_units"]

SOURCE_KINDS = SEA_KINDS
"""Place kinds that supply the defender while it holds them, besides stations (an
island garrison lives on its island's stocks)."""

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class CoarseGrid:
    """The parent grid: map cell -> parent [N], parent adjacency (CSR), land [C].

    ``sources`` are the places (indices into ``Context.place_ids``) that supply the
    defender while it holds them; ``source_parent`` their parent cells.
    """

    parent: I64
    indptr: I64
    indices: I64
    land: B
    sources: I64
    source_parent: I64


_GRIDS: dict[int, CoarseGrid] = {}


def coarse_grid(ctx: Context) -> CoarseGrid:
    """Build (once per context) the parent grid and the defender's supply sources."""
    if ctx.token in _GRIDS:
        return _GRIDS[ctx.token]
    th = ctx.theatre
    res = max(int(th.resolution) - 1, 0)
    cells = [c if isinstance(c, str) else h3.int_to_str(int(c)) for c in th.h3]
    parents = np.array([h3.cell_to_parent(c, res) for c in cells])
    uniq, parent = np.unique(parents, return_inverse=True)
    parent = parent.astype(np.int64).ravel()
    n_c = uniq.size
    nb = th.neighbors
    i = np.repeat(np.arange(nb.shape[0]), nb.shape[1])
    j = nb.ravel()
    ok = j >= 0
    a, b = parent[i[ok]], parent[j[ok]]
    pairs = np.unique(np.stack([a[a != b], b[a != b]], axis=1), axis=0)
    indptr = np.zeros(n_c + 1, np.int64)
    np.add.at(indptr, pairs[:, 0] + 1, 1)
    indptr = np.cumsum(indptr)
    land = np.zeros(n_c, bool)
    land[parent[~np.asarray(th.water, bool)]] = True
    s = ctx.scenario
    stations = set(station_places(ctx))
    src = np.array(
        [
            k
            for k, p in enumerate(ctx.place_ids)
            if p in stations or s.places[p].kind.value in SOURCE_KINDS
        ],
        np.int64,
    )
    grid = CoarseGrid(
        parent,
        indptr,
        pairs[:, 1].astype(np.int64).copy(),
        land,
        src,
        parent[ctx.place_cells[src]].astype(np.int64),
    )
    if len(_GRIDS) > 16:
        _GRIDS.clear()
    _GRIDS[ctx.token] = grid
    return grid


@pkernel
def cut_off(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    men: npt.NDArray[np.float64],
    held: npt.NDArray[np.bool_],
    grid_parent: I64,
    indptr: I64,
    indices: I64,
    land: B,
    source_parent: I64,
    threshold: float,
) -> B:  # pragma: no cover - compiled
    """Active defender units with no path to a held source [R, U] (see module doc).

    ``held`` [R, S] marks the sources the defender holds in each replica; ``men``
    [R, U] each unit's men present. Replicas run in parallel.
    """
    n_r, n_u = status.shape
    n_c = land.shape[0]
    out = np.zeros((n_r, n_u), np.bool_)
    for r in prange(n_r):
        blocked = ~land
        for u in range(n_u):
            if side[u] == 0 and status[r, u] == 1 and men[r, u] >= threshold:
                blocked[grid_parent[cell[r, u]]] = True
        seen = np.zeros(n_c, np.bool_)
        queue = np.empty(n_c, np.int64)
        n_q = 0
        for k in range(source_parent.shape[0]):
            c = source_parent[k]
            if held[r, k] and not blocked[c] and not seen[c]:
                seen[c] = True
                queue[n_q] = c
                n_q += 1
        head = 0
        while head < n_q:
            c = queue[head]
            head += 1
            for e in range(indptr[c], indptr[c + 1]):
                d = indices[e]
                if not seen[d] and not blocked[d]:
                    seen[d] = True
                    queue[n_q] = d
                    n_q += 1
        for u in range(n_u):
            if side[u] != 1 or status[r, u] != 1:
                continue
            c = grid_parent[cell[r, u]]
            ok = seen[c]
            e = indptr[c]
            while not ok and e < indptr[c + 1]:
                ok = seen[indices[e]]
                e += 1
            out[r, u] = not ok
    return out


def cut_off_units(ctx: Context, st: State) -> B:
    """[R, U] defender units cut off from every supply source they hold."""
    g = coarse_grid(ctx)
    return cut_off(
        st.status,
        ctx.units.side,
        st.cell,
        np.ascontiguousarray(st.present[..., PERSONNEL]),
        np.ascontiguousarray(st.control[:, g.sources] == 1),
        g.parent,
        g.indptr,
        g.indices,
        g.land,
        g.source_parent,
        float(ctx.params.contact_threshold_men),
    )

"""Compiled routing tables for ``FieldBank.place_table``: searches and nearest lists.

Bit for bit what scipy's Dijkstra and numpy's stable argsort gave: Dijkstra's
distance to a cell is the least of the rounded float64 path sums (rounding is
monotone, so any correct search finds the same float), and the nearest candidates
are ordered by hours, then by column, as a stable sort orders them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import F64, kernel, pkernel

__all__ = ["nearest_columns", "search_table"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]


@kernel
def _search(
    indptr: npt.NDArray[np.int32],
    indices: npt.NDArray[np.int32],
    data: F64,
    source: int,
    dist: F64,
    done: npt.NDArray[np.bool_],
    heap_d: F64,
    heap_v: I64,
) -> None:  # pragma: no cover - compiled
    """Dijkstra from ``source`` over a CSR graph into ``dist`` (inf = unreachable).

    A binary heap with lazy deletion in ``heap_d``/``heap_v`` (room for one entry
    per edge, plus one).
    """
    dist[:] = np.inf
    done[:] = False
    dist[source] = 0.0
    heap_d[0] = 0.0
    heap_v[0] = source
    size = 1
    while size > 0:
        d = heap_d[0]
        v = heap_v[0]
        size -= 1
        if size > 0:  # move the last entry to the root and sift it down
            ld = heap_d[size]
            lv = heap_v[size]
            i = 0
            while True:
                c = 2 * i + 1
                if c >= size:
                    break
                if c + 1 < size and heap_d[c + 1] < heap_d[c]:
                    c += 1
                if heap_d[c] < ld:
                    heap_d[i] = heap_d[c]
                    heap_v[i] = heap_v[c]
                    i = c
                else:
                    break
            heap_d[i] = ld
            heap_v[i] = lv
        if done[v]:
            continue
        done[v] = True
        for k in range(indptr[v], indptr[v + 1]):
            w = indices[k]
            nd = d + data[k]
            if nd < dist[w]:
                dist[w] = nd
                i = size  # push and sift up
                size += 1
                while i > 0:
                    p = (i - 1) // 2
                    if heap_d[p] > nd:
                        heap_d[i] = heap_d[p]
                        heap_v[i] = heap_v[p]
                        i = p
                    else:
                        break
                heap_d[i] = nd
                heap_v[i] = w


@pkernel
def search_table(
    indptr: npt.NDArray[np.int32],
    indices: npt.NDArray[np.int32],
    data: F64,
    sources: I64,
) -> F32:  # pragma: no cover - compiled
    """Float32 distances [N, S] from each of ``sources`` over a CSR graph.

    The float32 of ``scipy.sparse.csgraph.dijkstra(graph, indices=sources).T``;
    the sources are searched in parallel.
    """
    n = indptr.size - 1
    n_s = sources.size
    out = np.empty((n, n_s), np.float32)
    for s in prange(n_s):
        dist = np.empty(n)
        done = np.empty(n, np.bool_)
        heap_d = np.empty(indices.size + 1)
        heap_v = np.empty(indices.size + 1, np.int64)
        _search(indptr, indices, data, sources[s], dist, done, heap_d, heap_v)
        _to_column(out, s, dist)
    return out


@kernel
def _to_column(out: F32, s: int, dist: F64) -> None:  # pragma: no cover - compiled
    """``out[:, s] = dist`` as float32."""
    for v in range(dist.size):
        out[v, s] = np.float32(dist[v])


@pkernel
def nearest_columns(table: F32, k: int) -> tuple[I32, F32]:  # pragma: no cover
    """Each row's ``k`` smallest columns [N, k] and their values, ascending.

    Ties in column order: ``np.argsort(table, axis=1, kind="stable")[:, :k]`` (the
    values are never nan).
    """
    n, n_t = table.shape
    k = min(k, n_t)
    order = np.empty((n, k), np.int32)
    near = np.empty((n, k), np.float32)
    for v in prange(n):
        _nearest_row(table, v, k, order, near)
    return order, near


@kernel
def _nearest_row(
    table: F32, v: int, k: int, order: I32, near: F32
) -> None:  # pragma: no cover - compiled
    """Row ``v`` of :func:`nearest_columns` by insertion into a sorted list."""
    m = 0
    for j in range(table.shape[1]):
        x = table[v, j]
        if m == k and not x < near[v, k - 1]:
            continue
        i = m if m < k else k - 1  # the slot freed (or the last one, dropped)
        while i > 0 and near[v, i - 1] > x:
            near[v, i] = near[v, i - 1]
            order[v, i] = order[v, i - 1]
            i -= 1
        near[v, i] = x
        order[v, i] = j
        if m < k:
            m += 1

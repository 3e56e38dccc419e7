"""Compiled routing: per-target tables (searches, nearest lists) and their step-down.

Bit for bit what scipy's Dijkstra and numpy's stable argsort gave: Dijkstra's
distance to a cell is the least of the rounded float64 path sums (rounding is
monotone, so any correct search finds the same float), and the nearest candidates
are ordered by hours, then by column, as a stable sort orders them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import CHUNKS, F64, IP, kernel, pkernel

__all__ = [
    "idle_units_memo",
    "nearest_columns",
    "remember_hops",
    "search_table",
    "step_down",
]

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


@pkernel
def step_down(
    held: npt.NDArray[np.bool_],
    rows: IP,
    cell: npt.NDArray[np.int32],
    edge_h: npt.NDArray[np.float32],
    by_cell: bool,
    neighbors: npt.NDArray[np.int32],
    order: npt.NDArray[np.int32],
    near: npt.NDArray[np.float32],
    table: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:  # pragma: no cover
    """:meth:`FieldBank.step_down_table` unit by unit (same arguments, same result).

    Unit i's targets are ``held[rows[i]]``; its edge hours ``edge_h[i]``, or
    ``edge_h[cell[i]]`` with ``by_cell``.

    A unit's value at a cell is the minimum over its targets: its first target among
    the cell's ``NEARBY`` closest candidates (``order``, ``near``; ascending, so ties
    give the same value) when it has more targets than that, else the minimum over
    its few targets' ``table`` columns; then the steepest descent of
    ``routing._descend``. Either way it is the exact minimum. Units run in
    parallel, in contiguous chunks.
    """
    m_units = cell.shape[0]
    n_nb = neighbors.shape[1]
    n_t = table.shape[1]
    nxt = cell.copy()
    slot = np.full(m_units, -1, np.intp)
    eps = np.float32(1e-4)
    inf = np.float32(np.inf)
    # The target columns of each held row the units use (compressed rows; the
    # others are left empty).
    n_rows = held.shape[0]
    used = np.zeros(n_rows, np.bool_)
    for i in range(m_units):
        used[rows[i]] = True
    start = np.zeros(n_rows + 1, np.int64)
    for h in range(n_rows):
        start[h + 1] = start[h]
        if used[h]:
            for t in range(n_t):  # (no array calls: each would be a parallel loop)
                start[h + 1] += held[h, t]
    cols = np.empty(start[n_rows], np.int64)
    for h in range(n_rows):
        if used[h]:
            q = start[h]
            for t in range(n_t):
                if held[h, t]:
                    cols[q] = t
                    q += 1
    few = order.shape[1]
    n_c = max(min(CHUNKS, m_units), 1)
    for ch in prange(n_c):
        there = np.empty(n_nb, np.float32)
        lo = ch * m_units // n_c
        for i in range(lo, (ch + 1) * m_units // n_c):
            c = cell[i]
            row = rows[i]
            # A unit of the same row in the same cell (edge hours by cell) before
            # it in the chunk has the same hop: take it (the rows come in runs).
            j = i - 1
            while by_cell and j >= lo and rows[j] == row and cell[j] != c:
                j -= 1
            if by_cell and j >= lo and rows[j] == row:
                nxt[i] = nxt[j]
                slot[i] = slot[j]
                continue
            here = inf
            for a in range(n_nb + 1):
                cc = c
                if a > 0:
                    cc = neighbors[c, a - 1]
                    if cc < 0:
                        cc = 0
                v = inf
                found = False
                if start[row + 1] - start[row] > few:
                    for j in range(few):
                        if held[row, order[cc, j]]:
                            v = near[cc, j]
                            found = True
                            break
                if not found:
                    for qq in range(start[row], start[row + 1]):
                        if table[cc, cols[qq]] < v:
                            v = table[cc, cols[qq]]
                if a == 0:
                    here = v
                else:
                    there[a - 1] = v
            best = inf
            k = -1
            for j in range(n_nb):
                v = inf
                if neighbors[c, j] >= 0:
                    v = edge_h[c if by_cell else i, j] + there[j]
                if k < 0 or v < best:
                    best = v
                    k = j
            if np.isfinite(best) and there[k] < here - eps:
                nb = neighbors[c, k]
                nxt[i] = nb if nb >= 0 else 0
                slot[i] = k
    return nxt, slot


@pkernel
def idle_units_memo(
    wants: npt.NDArray[np.bool_],
    field: I32,
    able: npt.NDArray[np.bool_],
    posture: npt.NDArray[np.int8],
    cell: I32,
    memo: tuple[I32, I32, IP],
    nxt: I32,
    slot: IP,
    room: IP,
    threads: int = 1,
) -> tuple[IP, IP]:  # pragma: no cover - compiled
    """``kernels.idle_units``, giving those whose hop ``memo`` remembers that hop.

    ``memo`` holds each unit's remembered cell (-1: none), next cell and slot
    [R, U]; a unit in its remembered cell gets the remembered hop in ``nxt`` and
    ``slot`` (in place). Returns the (replica, unit) of the other exploiting units,
    in replica-then-unit order. Replicas run in parallel in ``threads`` contiguous
    chunks, each into its own rows of ``room`` [2, R x U] (``kernels.row_room``),
    joined in chunk order.
    """
    m_cell, m_nxt, m_slot = memo
    n_r, n_u = wants.shape
    rr = room[0]
    uu = room[1]
    n_t = max(min(threads, n_r), 1)
    count = np.zeros(n_t, np.int64)
    for t in prange(n_t):
        r_lo = t * n_r // n_t
        n = r_lo * n_u  # the chunk's rows start here
        for r in range(r_lo, (t + 1) * n_r // n_t):
            for u in range(n_u):
                if wants[r, u] and field[r, u] < 0 and able[u] and posture[r, u] == 0:
                    if m_cell[r, u] == cell[r, u]:
                        nxt[r, u] = m_nxt[r, u]
                        slot[r, u] = m_slot[r, u]
                        continue
                    rr[n] = r
                    uu[n] = u
                    n += 1
        count[t] = n - r_lo * n_u
    # Join the chunks' rows (the first chunk's are in place).
    n = count[0]
    for t in range(1, n_t):
        lo = (t * n_r // n_t) * n_u
        for i in range(count[t]):
            rr[n + i] = rr[lo + i]
            uu[n + i] = uu[lo + i]
        n += count[t]
    return rr[:n].copy(), uu[:n].copy()


@kernel
def remember_hops(
    rr: IP,
    uu: IP,
    here: I32,
    found: tuple[I32, IP],
    memo: tuple[I32, I32, IP],
    nxt: I32,
    slot: IP,
) -> None:  # pragma: no cover - compiled
    """Write listed units' hops ``found`` [M] to ``nxt``, ``slot`` and ``memo``."""
    m_cell, m_nxt, m_slot = memo
    f_nxt, f_slot = found
    for i in range(rr.size):
        r = rr[i]
        u = uu[i]
        nxt[r, u] = f_nxt[i]
        slot[r, u] = f_slot[i]
        m_cell[r, u] = here[i]
        m_nxt[r, u] = f_nxt[i]
        m_slot[r, u] = f_slot[i]

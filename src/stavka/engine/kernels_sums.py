"""Compiled per-unit loops of the step, part 2: sums over cells and places.

As in :mod:`stavka.engine.kernels`, each gives bit for bit what the numpy code it
replaces gave: sums add in unit order, as ``np.add.at`` and ``np.bincount`` did.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import F64, IP, kernel, pkernel

__all__ = [
    "engagements",
    "moved",
    "prisoners",
]


# Own copies of kernels.nmin / nmax: numba's on-disk cache does not notice changes
# to compiled functions of another module.
@kernel
def nmin(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.minimum`` of two non-NaN floats (the first when equal)."""
    return a if a <= b else b


@kernel
def nmax(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.maximum`` of two non-NaN floats (the first when equal)."""
    return a if a >= b else b


_WORK: dict[tuple[int, int, int], tuple[npt.NDArray[np.int64], F64]] = {}
Rows = tuple[npt.NDArray[np.int64], F64, F64, F64, F64, npt.NDArray[np.int64]]
"""Room for :func:`engage`'s rows: keys, attacker and defender power, holding men,
fight hours x men and contact rows."""
_ROWS: dict[tuple[int, int], Rows] = {}


def engagements(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    attack_cell: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    present: F64,
    ammo: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    fight_hours: npt.NDArray[np.float32],
    ammo_low: np.float32,
    ammo_out_factor: float,
    n_cells: int,
    cols: tuple[int, int, int, int, int],
    threads: int,
) -> tuple[
    npt.NDArray[np.int64],
    F64,
    F64,
    F64,
    F64,
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
]:
    """:func:`engage` with its work arrays, kept between calls (it leaves them so).

    One set per calling thread, number of chunks and map size; and its room for
    rows, one per calling thread and size (fresh room for millions of rows would
    cost more than the kernel: the system maps it anew and zeroes every page
    written).
    """
    n_t = max(min(threads, status.shape[0]), 1)
    key = (threading.get_ident(), n_t, n_cells)
    if key not in _WORK:
        _WORK[key] = (
            np.full((n_t, 2, n_cells), -1, np.int64),
            np.zeros((n_t, n_cells, 5)),
        )
    cap = status.size  # a replica has at most U engagements and U units in contact
    room = (threading.get_ident(), cap)
    if room not in _ROWS:
        if len(_ROWS) > 4:
            _ROWS.clear()
        _ROWS[room] = (
            np.empty(cap, np.int64),
            np.empty((cap, 3)),
            np.empty((cap, 3)),
            np.empty(cap),
            np.empty(cap),
            np.empty((cap, 4), np.int64),
        )
    return engage(
        status, side, attack_cell, cell, present, ammo, posture, fight_hours,
        ammo_low, ammo_out_factor, n_cells, cols, threads, _WORK[key], _ROWS[room],
    )  # fmt: skip


@pkernel
def engage(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    attack_cell: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    present: npt.NDArray[np.float64],
    ammo: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    fight_hours: npt.NDArray[np.float32],
    ammo_low: np.float32,
    ammo_out_factor: float,
    n_cells: int,
    cols: tuple[int, int, int, int, int],
    threads: int,
    work: tuple[npt.NDArray[np.int64], F64],
    rows: Rows,
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
]:  # pragma: no cover - compiled
    """Engagements of ``combat.resolve_combat``: the attacked cells holding defenders.

    Attackers are active attacker-side units with an ``attack_cell``; defenders are
    active units of the other side with men. Sums per (replica, cell), in unit order
    as ``np.add.at`` added them, of the attackers' and defenders' power (men, tanks
    + SP guns, guns + mortars; times 1, or ``ammo_out_factor`` when ammunition is at
    or below ``ammo_low``), the holding defenders' men and the defenders' fight
    hours x men. ``cols`` are the strength columns (men, tanks, SP guns, guns,
    mortars). Replicas run in parallel in ``threads`` contiguous chunks, each chunk
    into its own rows; the rows are then joined in chunk order. ``work``: per chunk,
    cell -> attacked row and engagement (-1) [T, 2, N] and the defenders' sums (0)
    [T, N, 5], as they are left again; ``rows``: room for R x U rows of each
    output (:data:`Rows`), whose first rows are returned as copies.

    Returns:
        Keys ``replica * n_cells + cell`` (ascending), attacker and defender power
        [E, 3], holding men [E], fight hours x men [E]; the units in contact as
        [C, 4] rows (replica, unit, attacked engagement or -1, defended engagement or
        -1) in replica-then-unit order; and the contact mask [R, U].
    """
    n_r, n_u = cell.shape
    keys, a_out, d_out, hold_out, fought_out, contact = rows
    in_contact = np.empty((n_r, n_u), np.bool_)  # rows cleared in the chunks
    n_t = max(min(threads, n_r), 1)
    n_eng = np.zeros(n_t, np.int64)
    n_con = np.zeros(n_t, np.int64)
    for t in prange(n_t):
        n_eng[t], n_con[t] = _engage_chunk(
            t * n_r // n_t, (t + 1) * n_r // n_t, (t * n_r // n_t) * n_u,
            status, side, attack_cell, cell, present, ammo, posture, fight_hours,
            ammo_low, ammo_out_factor, n_cells, cols, keys, a_out, d_out,
            hold_out, fought_out, contact, in_contact, work[0][t], work[1][t],
        )  # fmt: skip
    # Join the chunks' rows; engagement numbers become global.
    e_all = 0
    c_all = 0
    for t in range(n_t):
        lo = (t * n_r // n_t) * n_u
        for i in range(c_all, c_all + n_con[t]):
            j = lo + i - c_all
            contact[i, 0] = contact[j, 0]
            contact[i, 1] = contact[j, 1]
            contact[i, 2] = contact[j, 2] + e_all if contact[j, 2] >= 0 else -1
            contact[i, 3] = contact[j, 3] + e_all if contact[j, 3] >= 0 else -1
        for i in range(e_all, e_all + n_eng[t]):
            j = lo + i - e_all
            keys[i] = keys[j]
            for x in range(3):  # (no slices: each would be a parallel loop)
                a_out[i, x] = a_out[j, x]
                d_out[i, x] = d_out[j, x]
            hold_out[i] = hold_out[j]
            fought_out[i] = fought_out[j]
        e_all += n_eng[t]
        c_all += n_con[t]
    return (
        keys[:e_all].copy(),
        a_out[:e_all].copy(),
        d_out[:e_all].copy(),
        hold_out[:e_all].copy(),
        fought_out[:e_all].copy(),
        contact[:c_all].copy(),
        in_contact,
    )


@kernel
def _engage_chunk(
    r_lo: int,
    r_hi: int,
    lo: int,
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    attack_cell: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    present: npt.NDArray[np.float64],
    ammo: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    fight_hours: npt.NDArray[np.float32],
    ammo_low: np.float32,
    ammo_out_factor: float,
    n_cells: int,
    cols: tuple[int, int, int, int, int],
    keys: npt.NDArray[np.int64],
    a_out: F64,
    d_out: F64,
    hold_out: F64,
    fought_out: F64,
    contact: npt.NDArray[np.int64],
    in_contact: npt.NDArray[np.bool_],
    index: npt.NDArray[np.int64],
    d_sum: F64,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """:func:`engage` of replicas ``r_lo`` to ``r_hi`` (one chunk), serially.

    Writes the chunk's rows from row ``lo`` on, with chunk-local engagement numbers;
    returns the numbers of engagements and of units in contact.
    """
    n_u = cell.shape[1]
    men_c, tank_c, sp_c, gun_c, mor_c = cols
    slot_of = index[0]  # attacked cell -> its row in a_sum
    eng_of = index[1]  # engaged cell -> engagement index
    # d_sum: power (3), holding men, fight hours x men per cell.
    a_sum = np.zeros((n_u, 3))
    a_cells = np.empty(n_u, np.int64)
    att = np.zeros(n_u, np.bool_)
    dfd = np.zeros(n_u, np.bool_)
    w = np.empty(n_u)
    e = 0  # engagements and contact rows of the chunk (chunk-local numbers)
    n_c = 0
    for r in range(r_lo, r_hi):
        n_a = 0
        for u in range(n_u):
            in_contact[r, u] = False
            active = status[r, u] == 1
            att[u] = active and attack_cell[r, u] >= 0 and side[u] == 0
            dfd[u] = active and side[u] == 1 and present[r, u, men_c] > 0
            w[u] = 1.0 if ammo[r, u] > ammo_low else ammo_out_factor
            if att[u]:
                c = attack_cell[r, u]
                if slot_of[c] < 0:
                    slot_of[c] = n_a
                    a_cells[n_a] = c
                    a_sum[n_a, :] = 0.0
                    n_a += 1
                q = slot_of[c]
                wu = w[u]
                a_sum[q, 0] += present[r, u, men_c] * wu
                a_sum[q, 1] += (present[r, u, tank_c] + present[r, u, sp_c]) * wu
                a_sum[q, 2] += (present[r, u, gun_c] + present[r, u, mor_c]) * wu
        if n_a == 0:
            continue
        for u in range(n_u):
            if dfd[u]:
                c = cell[r, u]
                men = present[r, u, men_c]
                wu = w[u]
                d_sum[c, 0] += men * wu
                d_sum[c, 1] += (present[r, u, tank_c] + present[r, u, sp_c]) * wu
                d_sum[c, 2] += (present[r, u, gun_c] + present[r, u, mor_c]) * wu
                if posture[r, u] == 1:  # holding
                    d_sum[c, 3] += men
                d_sum[c, 4] += np.float64(fight_hours[r, u]) * men
        for c in np.sort(a_cells[:n_a]):
            if d_sum[c, 0] > 0:
                q = slot_of[c]
                keys[lo + e] = r * n_cells + c
                a_out[lo + e, :] = a_sum[q, :]
                d_out[lo + e, :] = d_sum[c, :3]
                hold_out[lo + e] = d_sum[c, 3]
                fought_out[lo + e] = d_sum[c, 4]
                eng_of[c] = e
                e += 1
        for u in range(n_u):
            ea = eng_of[attack_cell[r, u]] if att[u] else -1
            ed = eng_of[cell[r, u]] if dfd[u] else -1
            if ea >= 0 or ed >= 0:
                contact[lo + n_c, 0] = r
                contact[lo + n_c, 1] = u
                contact[lo + n_c, 2] = ea
                contact[lo + n_c, 3] = ed
                in_contact[r, u] = True
                n_c += 1
        for u in range(n_u):
            if dfd[u]:
                d_sum[cell[r, u], :] = 0.0
        for q in range(n_a):
            slot_of[a_cells[q]] = -1
            eng_of[a_cells[q]] = -1
    return e, n_c


@pkernel
def prisoners(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    men: npt.NDArray[np.float64],
    neighbors: npt.NDArray[np.int32],
    threads: int,
) -> tuple[IP, IP]:  # pragma: no cover - compiled
    """Surrendered units with men, in or next to a cell with active attacker men.

    Returns their (replica, unit) rows in replica-then-unit order. Replicas run in
    parallel in ``threads`` contiguous chunks, each with a [N] work array.
    """
    n_r, n_u = cell.shape
    rr_all = np.empty(n_r * n_u, np.intp)
    uu_all = np.empty(n_r * n_u, np.intp)
    n_t = max(min(threads, n_r), 1)
    count = np.zeros(n_t, np.int64)
    for t in prange(n_t):
        scratch = np.zeros(neighbors.shape[0])
        lo = (t * n_r // n_t) * n_u
        count[t] = _prisoners_chunk(
            t * n_r // n_t,
            (t + 1) * n_r // n_t,
            status,
            side,
            cell,
            men,
            neighbors,
            scratch,
            rr_all[lo:],
            uu_all[lo:],
        )
    return _join_rows(rr_all, uu_all, count, n_r, n_u)


@kernel
def _prisoners_chunk(
    r_lo: int,
    r_hi: int,
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    men: npt.NDArray[np.float64],
    neighbors: npt.NDArray[np.int32],
    scratch: F64,
    rr: IP,
    uu: IP,
) -> int:  # pragma: no cover - compiled
    """:func:`prisoners` of replicas ``r_lo`` to ``r_hi``, serially.

    Writes their rows to ``rr``, ``uu`` and returns their number. ``scratch`` [N]
    is zero on entry and on return.
    """
    n_u = cell.shape[1]
    n = 0
    for r in range(r_lo, r_hi):
        any_waiting = False
        for u in range(n_u):
            if status[r, u] == 2 and men[r, u] > 0:
                any_waiting = True
                break
        if not any_waiting:
            continue
        for u in range(n_u):
            if status[r, u] == 1 and side[u] == 0:
                scratch[cell[r, u]] += men[r, u]
        for u in range(n_u):
            if status[r, u] == 2 and men[r, u] > 0:
                c = cell[r, u]
                hit = scratch[c] > 0
                for j in range(neighbors.shape[1]):
                    nb = neighbors[c, j]
                    if nb >= 0 and scratch[nb] > 0:
                        hit = True
                if hit:
                    rr[n] = r
                    uu[n] = u
                    n += 1
        for u in range(n_u):
            scratch[cell[r, u]] = 0.0
    return n


@kernel
def _join_rows(
    rr_all: IP, uu_all: IP, count: npt.NDArray[np.int64], n_r: int, n_u: int
) -> tuple[IP, IP]:  # pragma: no cover - compiled
    """The rows of ``count.size`` chunks of replicas, each ``count[t]`` at its start.

    Chunk t's rows start at row ``(t * n_r // count.size) * n_u``.
    """
    n_t = count.size
    n = 0
    for t in range(n_t):
        n += count[t]
    rr = np.empty(n, np.intp)
    uu = np.empty(n, np.intp)
    i = 0
    for t in range(n_t):
        lo = (t * n_r // n_t) * n_u
        for j in range(count[t]):
            rr[i] = rr_all[lo + j]
            uu[i] = uu_all[lo + j]
            i += 1
    return rr, uu


@kernel
def moved(
    cell: npt.NDArray[np.int32],
    before: npt.NDArray[np.int32],
    status_before: npt.NDArray[np.int8],
    room: npt.NDArray[np.intp],
) -> tuple[IP, IP]:  # pragma: no cover - compiled
    """(replica, unit) of the units that changed cell or were waiting [R, U] before.

    ``room``: [2, R x U] to list them in (``kernels.row_room``).
    """
    n_r, n_u = cell.shape
    rr = room[0]
    uu = room[1]
    n = 0
    for r in range(n_r):
        for u in range(n_u):
            if cell[r, u] != before[r, u] or status_before[r, u] == 0:
                rr[n] = r
                uu[n] = u
                n += 1
    return rr[:n].copy(), uu[:n].copy()

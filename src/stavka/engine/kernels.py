"""Fast paths of the step: sparse losses; compiled movement and routing loops.

Every function here gives bit for bit what the plain numpy code it replaces gave
(``benchmarks/engine_identity.py`` checks whole campaigns); the loops add floats in
the same order as the numpy reductions they stand for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt
from numba import njit, prange

__all__ = [
    "LossRows",
    "inline_kernel",
    "kernel",
    "next_hops",
    "next_hops_memo",
    "nmax",
    "nmin",
    "passed_objectives",
    "pkernel",
    "replica_chunks",
    "row_room",
    "second_hop",
    "take_column",
    "wanted_fields",
]

F64 = npt.NDArray[np.float64]
IP = npt.NDArray[np.intp]
Fn = TypeVar("Fn", bound=Callable[..., Any])
CHUNKS = 16
"""Parallel loops over listed units run in this many contiguous chunks."""
MAX_REPLICA_CHUNKS = 8
"""Most chunks of replicas (each with its own [N] work arrays) a kernel runs in."""


def replica_chunks() -> int:
    """Chunks of replicas for the kernels with work arrays: one per thread, at most 8.

    Any number gives the same results; more only costs work arrays to zero.
    """
    return min(numba.get_num_threads(), MAX_REPLICA_CHUNKS)


_ROOM: dict[tuple[int, int, int], npt.NDArray[np.intp]] = {}


def row_room(n: int, lists: int = 2) -> npt.NDArray[np.intp]:
    """Room for ``lists`` lists of up to ``n`` rows [lists, n], kept per thread.

    For kernels that list (replica, unit) rows, which return copies of what they
    wrote: writing into fresh room for R x U rows costs more than the listing (the
    system maps it anew and zeroes every page written).
    """
    key = (threading.get_ident(), n, lists)
    room = _ROOM.get(key)
    if room is None:
        if len(_ROOM) > 8:
            _ROOM.clear()
        room = _ROOM[key] = np.empty((lists, n), np.intp)
    return room


def kernel(fn: Fn) -> Fn:
    """``numba.njit(cache=True)``, keeping the Python signature for type checkers."""
    return cast(Fn, njit(cache=True)(fn))


def inline_kernel(fn: Fn) -> Fn:
    """:func:`kernel`, inlined into its callers by numba (a small helper of a loop)."""
    return cast(Fn, njit(cache=True, inline="always")(fn))


def pkernel(fn: Fn) -> Fn:
    """``numba.njit(cache=True, parallel=True)``: its ``prange`` loops run in threads.

    Only loops over replicas (or listed units) whose iterations share no output run
    in parallel; each iteration does what the serial loop did, so results stay bit
    for bit the same whatever the number of threads.
    """
    return cast(Fn, njit(cache=True, parallel=True)(fn))


@dataclass(frozen=True, slots=True)
class LossRows:
    """Losses of a few units: replica ``rr``, unit ``uu`` and their [M, L, K] figures.

    The sparse form of a dense [R, U, L, K] loss array: units not listed lose nothing.
    Listed units are distinct; a listed unit may lose nothing (a no-op).
    """

    rr: IP
    uu: IP
    hit: F64

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> LossRows:
        """No losses; ``shape`` is the dense shape's trailing (L, K)."""
        none = np.zeros(0, np.intp)
        return cls(none, none, np.zeros((0, *shape)))

    @classmethod
    def zeros(cls, rr: IP, uu: IP, shape: tuple[int, ...]) -> LossRows:
        """Zero losses (to be filled in) for the listed units."""
        return cls(rr, uu, np.zeros((rr.size, *shape)))

    def dense(self, shape: tuple[int, ...]) -> F64:
        """The dense [R, U, L, K] array."""
        out = np.zeros(shape)
        out[self.rr, self.uu] = self.hit
        return out

    def where(self, keep: npt.NDArray[np.bool_]) -> LossRows:
        """Only the listed units where ``keep`` [M] holds."""
        return LossRows(self.rr[keep], self.uu[keep], self.hit[keep])


@kernel
def nmin(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.minimum`` of two non-NaN floats (the first when equal)."""
    return a if a <= b else b


@kernel
def nmax(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.maximum`` of two non-NaN floats (the first when equal)."""
    return a if a >= b else b


@inline_kernel
def _best_hop(
    f: int,
    c: int,
    route_class: int,
    route_hours: npt.NDArray[np.float32],
    neighbors: npt.NDArray[np.int32],
    fields: npt.NDArray[np.float32],
) -> tuple[int, int]:  # pragma: no cover - compiled
    """:meth:`FieldBank.next_hop` from cell ``c`` toward field ``f``: (next, slot).

    The neighbour minimising edge hours + field (the first smallest); (-1, -1)
    where none is finite or nearer the target than ``c`` (by more than 1e-4 h).
    """
    here = fields[f, c]
    best = np.float32(np.inf)
    k = -1
    for j in range(neighbors.shape[1]):
        nb = neighbors[c, j]
        v = np.float32(np.inf)
        if nb >= 0:
            v = route_hours[route_class, c, j] + fields[f, nb]
        if k < 0 or v < best:  # argmin: the first smallest
            best = v
            k = j
    nb = neighbors[c, k]
    to = nb if nb >= 0 else 0
    if np.isfinite(best) and fields[f, to] < here - np.float32(1e-4):
        return to, k
    return -1, -1


@pkernel
def next_hops(
    want: npt.NDArray[np.bool_],
    field: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    route_class: npt.NDArray[np.int64],
    route_hours: npt.NDArray[np.float32],
    neighbors: npt.NDArray[np.int32],
    fields: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:  # pragma: no cover
    """:meth:`FieldBank.next_hop` of units that want to move [R, U], one by one.

    Units that do not (``want`` false or ``field`` < 0) stay: next = cell, slot -1.
    """
    n_r, n_u = cell.shape
    nxt = cell.copy()
    slot = np.full((n_r, n_u), -1, np.intp)
    for r in prange(n_r):
        for u in range(n_u):
            f = field[r, u]
            if not want[r, u] or f < 0:
                continue
            c = cell[r, u]
            to, k = _best_hop(f, c, route_class[u], route_hours, neighbors, fields)
            if k >= 0:
                nxt[r, u] = to
                slot[r, u] = k
    return nxt, slot


@pkernel
def next_hops_memo(
    want: npt.NDArray[np.bool_],
    field: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    route_class: npt.NDArray[np.int64],
    route_hours: npt.NDArray[np.float32],
    neighbors: npt.NDArray[np.int32],
    fields: npt.NDArray[np.float32],
    memo: tuple[
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
        npt.NDArray[np.intp],
    ],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:  # pragma: no cover
    """:func:`next_hops`, remembering each unit's last hop [R, U] (same results).

    ``memo`` holds the cell and field each unit's hop was last found for (cell -1:
    none) and that hop (next cell, slot); a unit in the same cell toward the same
    field takes it again (a hop depends on nothing else), others find theirs and
    update ``memo`` in place.
    """
    m_cell, m_field, m_nxt, m_slot = memo
    n_r, n_u = cell.shape
    nxt = np.empty((n_r, n_u), np.int32)
    slot = np.empty((n_r, n_u), np.intp)
    for r in prange(n_r):
        for u in range(n_u):
            c = cell[r, u]
            nxt[r, u] = c
            slot[r, u] = -1
            f = field[r, u]
            if not want[r, u] or f < 0:
                continue
            if m_cell[r, u] == c and m_field[r, u] == f:
                nxt[r, u] = m_nxt[r, u]
                slot[r, u] = m_slot[r, u]
                continue
            to, k = _best_hop(f, c, route_class[u], route_hours, neighbors, fields)
            if k >= 0:
                nxt[r, u] = to
                slot[r, u] = k
            m_cell[r, u] = c
            m_field[r, u] = f
            m_nxt[r, u] = nxt[r, u]
            m_slot[r, u] = slot[r, u]
    return nxt, slot


@inline_kernel
def second_hop(
    f: int,
    c: int,
    k: int,
    route_class: int,
    route_hours: npt.NDArray[np.float32],
    neighbors: npt.NDArray[np.int32],
    fields: npt.NDArray[np.float32],
) -> tuple[int, int]:  # pragma: no cover - compiled
    """The second-best hop from cell ``c`` toward field ``f`` besides slot ``k``.

    The cheapest other neighbour nearer the objective (as :func:`next_hops` judges
    nearer); returns (cell, slot), or (c, -1) where there is none: the way round a
    crowded road.
    """
    eps = np.float32(1e-4)
    here = fields[f, c]
    second = np.float32(np.inf)
    to = c
    s2 = -1
    for j in range(neighbors.shape[1]):
        nb = neighbors[c, j]
        if j == k or nb < 0 or not fields[f, nb] < here - eps:
            continue
        v = route_hours[route_class, c, j] + fields[f, nb]
        if v < second:
            second = v
            to = nb
            s2 = j
    return to, s2


@pkernel
def passed_objectives(
    objective: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    objectives: npt.NDArray[np.int32],
) -> npt.NDArray[np.int32]:  # pragma: no cover - compiled
    """Each unit's objective index after passing those it stands on [R, U].

    ``objectives`` [U, M] are the objective cells (-1 = none).
    """
    n_r, n_u = cell.shape
    m = objectives.shape[1]
    out = np.empty((n_r, n_u), np.int32)
    for r in prange(n_r):
        for u in range(n_u):
            o = objective[r, u]
            while o < m and objectives[u, o] >= 0 and objectives[u, o] == cell[r, u]:
                o += 1
            out[r, u] = o
    return out


@pkernel
def wanted_fields(
    status: npt.NDArray[np.int8],
    posture: npt.NDArray[np.int8],
    mobility: npt.NDArray[np.int8],
    objective: npt.NDArray[np.int32],
    obj_field: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int32]]:  # pragma: no cover
    """Units that want to move, and their objective's routing field [R, U].

    Active, not static, and attacking, in reserve or withdrawing; the field is
    ``obj_field[u, objective]`` (-1 past the last objective or not wanting).
    """
    n_r, n_u = status.shape
    m = obj_field.shape[1]
    wants = np.empty((n_r, n_u), np.bool_)
    field = np.empty((n_r, n_u), np.int32)
    for r in prange(n_r):
        for u in range(n_u):
            wants[r, u] = False
            field[r, u] = -1
            pos = posture[r, u]
            if (
                status[r, u] != 1
                or mobility[u] == 4
                or not (pos == 0 or pos == 4 or pos == 3)
            ):
                continue
            wants[r, u] = True
            o = objective[r, u]
            if o < m:
                field[r, u] = obj_field[u, o]
    return wants, field


@kernel
def idle_units(
    wants: npt.NDArray[np.bool_],
    field: npt.NDArray[np.int32],
    able: npt.NDArray[np.bool_],
    posture: npt.NDArray[np.int8],
) -> tuple[IP, IP]:  # pragma: no cover - compiled
    """(replica, unit) of the exploiting units, in replica-then-unit order.

    Those that want to move, may exploit (``able``), attack and have no objective
    left; the order is ``np.nonzero``'s.
    """
    n_r, n_u = wants.shape
    rr = np.empty(n_r * n_u, np.intp)
    uu = np.empty(n_r * n_u, np.intp)
    n = 0
    for r in range(n_r):
        for u in range(n_u):
            if wants[r, u] and field[r, u] < 0 and able[u] and posture[r, u] == 0:
                rr[n] = r
                uu[n] = u
                n += 1
    return rr[:n], uu[:n]


@kernel
def take_column(
    out: F64, present: F64, rr: npt.NDArray[np.integer], uu: npt.NDArray[np.integer]
) -> None:  # pragma: no cover - compiled
    """``out[rr, uu] = present[rr, uu, 0]`` (a few rows of an [R, U] copy)."""
    for i in range(rr.shape[0]):
        out[rr[i], uu[i]] = present[rr[i], uu[i], 0]


@kernel
def held_targets(
    targets: npt.NDArray[np.bool_], column: IP, n_cols: int
) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """Whether any target place of each column is held [R, n_cols].

    ``targets`` [R, P] are the held targets, ``column`` [P] each place's column.
    """
    n_r, n_p = targets.shape
    out = np.zeros((n_r, n_cols), np.bool_)
    for r in range(n_r):
        for q in range(n_p):
            if targets[r, q]:
                out[r, column[q]] = True
    return out

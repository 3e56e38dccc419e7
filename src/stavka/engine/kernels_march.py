"""The compiled march: progress along edges, fuel, enemy blocking and road crowding.

Contact: a unit whose next cell holds enemy troops makes contact at the cells'
boundary, halfway along the edge (``CONTACT_SHARE``); an attacker then assaults the
cell (the assault covers the defended depth, the other half) and its march goes on
up to the edge's end, so that it enters as soon as the cell is cleared.

Crowding: a cell's roads hold a column of ``capacity`` men of one side
(``EngineParams.column_men_per_km`` x the cell's route length). A unit ready to
enter a cell already holding that many of its own side's marching troops (counted
as they enter, in the order they reached their next cell, as in continuous time:
those that have stood ready there longest first; units facing the enemy have left
the road to deploy)
takes its second-best hop nearer the objective if that
is free, or marches on across country beside the road: it enters once its progress
covers the edge's cross-country hours, or by the road as soon as there is room. A
unit alone may always enter: an oversized column strings out behind its head.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import (
    inline_kernel,
    kernel,
    nmax,
    nmin,
    pkernel,
    second_hop,
)
from stavka.engine.state import Pos

__all__ = ["CONTACT_SHARE", "march", "march_work"]

INVESTED = int(Pos.INVESTED)
"""Posture of an invested garrison: it neither blocks nor pins (a compile-time int)."""
CONTACT_SHARE = 0.5
"""Share of an edge marched before contact with troops holding the next cell: its
boundary lies halfway between the cells' centres (the assault then covers the other
half, ``EngineParams.defended_depth_km``)."""


_WORK: dict[tuple[int, int, int], npt.NDArray[np.float64]] = {}


def march_work(threads: int, replicas: int, n_cells: int) -> npt.NDArray[np.float64]:
    """Zeroed work arrays for :func:`march`, kept between steps (it leaves them zero).

    One set per calling thread, number of chunks and map size.
    """
    n_t = max(min(threads, replicas), 1)
    key = (threading.get_ident(), n_t, n_cells)
    work = _WORK.get(key)
    if work is None:
        work = _WORK[key] = np.zeros((n_t, 2 + 6, n_cells, 2))
    return work


@pkernel
def march(
    status: npt.NDArray[np.int8],
    posture: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    progress: npt.NDArray[np.float32],
    fuel: npt.NDArray[np.float32],
    assault: npt.NDArray[np.float32],
    waited: npt.NDArray[np.float32],
    men: npt.NDArray[np.float64],
    hops: tuple[
        npt.NDArray[np.int32],
        npt.NDArray[np.intp],
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
    ],
    routing: tuple[
        npt.NDArray[np.int64],
        npt.NDArray[np.float32],
        npt.NDArray[np.int32],
        npt.NDArray[np.float32],
    ],
    side: npt.NDArray[np.int8],
    mobility: npt.NDArray[np.int8],
    carrier: npt.NDArray[np.int64],
    crowds: npt.NDArray[np.bool_],
    roadway: npt.NDArray[np.bool_],
    hours_now: npt.NDArray[np.float32],
    cross_now: npt.NDArray[np.float32],
    carry_hours: npt.NDArray[np.float32],
    factor: npt.NDArray[np.float32],
    refill: tuple[float, float],
    threshold: float,
    capacity: float,
    work: npt.NDArray[np.float64],
) -> tuple[
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
]:  # pragma: no cover - compiled
    """The march of ``movement.move`` after the next hops, unit by unit.

    ``hops`` holds the next cell, its neighbour slot (-1: none), the objective's
    routing field (-1: none) and the invested garrison the unit besieges (-1: none;
    it stays and assaults that garrison's cell) [R, U]; ``routing`` the route class
    [U], the routing edge hours [C, N, 6], the neighbours [N, 6] and the fields
    [F, N], for the way round a full cell (``kernels.second_hop``); ``cross_now``
    [Mob, N, 6] the edge hours across country, for the way beside a full road;
    ``crowds`` [U] the
    units that take road space (not headquarters nodes or static garrisons), on the
    edges that have a road or a railway embankment (``roadway`` [N, 6]; across
    country columns spread out and take none); ``refill`` the hours of moving per
    refill, tracked and motor; ``capacity`` the men of one side a cell's roads hold
    (0: no crowding); ``factor`` [Mob] the hours of marching per step; ``threshold``
    the enemy men that block a cell; ``work`` [T, 8, N, 2] zeros, one block per
    chunk of replicas (T = min(threads, R); :func:`march_work`), left zero again.

    Men per side and cell are summed per replica into [N, 2] work arrays (one set
    per chunk, zero between replicas) in unit order. Replicas run in parallel, in T
    contiguous chunks (any number gives the same results).

    ``waited`` [R, U] is the steps each unit has stood ready to enter its next cell
    (at a full cell or facing the enemy); the longest-waiting enters a full cell
    first.

    Returns:
        New cell, progress, fuel, attack cell, assault progress and steps waited
        [R, U].
    """
    n_r, n_u = cell.shape
    # Filled row by row in the chunks (as copies of the inputs, attack -1) before
    # the row's march: one pass over the rows instead of two.
    new_cell = np.empty((n_r, n_u), np.int32)
    prog_out = np.empty((n_r, n_u), np.float32)
    fuel_out = np.empty((n_r, n_u), np.float32)
    attack = np.empty((n_r, n_u), np.int32)
    assault_out = np.empty((n_r, n_u), np.float32)
    waited_out = np.empty((n_r, n_u), np.float32)
    n_t = work.shape[0]
    for t in prange(n_t):
        _march_chunk(
            t * n_r // n_t, (t + 1) * n_r // n_t, status, posture, cell, progress,
            fuel, assault, waited, men, hops, routing, side, mobility, carrier,
            crowds, roadway, hours_now, cross_now, carry_hours, factor, refill,
            threshold, capacity, work[t], new_cell, prog_out, fuel_out, attack,
            assault_out, waited_out,
        )  # fmt: skip
    return new_cell, prog_out, fuel_out, attack, assault_out, waited_out


@inline_kernel
def _edge_hours(
    m: int,
    c: int,
    k: int,
    carrier: int,
    hours_now: npt.NDArray[np.float32],
    carry_hours: npt.NDArray[np.float32],
) -> float:
    """Hours to cross edge ``k`` of cell ``c``: on foot/wheels/tracks or carried."""
    travel = hours_now[m, c, k]
    boat = carry_hours[carrier, c, k]
    return np.float64(boat if boat < travel else travel)


@inline_kernel
def _march_hours(
    m: int,
    fuel: np.float32,
    factor: npt.NDArray[np.float32],
    refill: tuple[float, float],
) -> float:
    """Hours a unit of mobility ``m`` marches this step (motorised: fuel allowing)."""
    fac = np.float64(factor[m])
    per_refill = _hours_per_refill(m, refill)
    if per_refill > 0:
        return nmin(fac, np.float64(fuel) * per_refill)
    return fac


@inline_kernel
def _hours_per_refill(m: int, refill: tuple[float, float]) -> float:
    """Hours of moving one refill lasts a unit of mobility ``m`` (0: burns no fuel)."""
    if m == 3:
        return refill[0]
    if m == 2:
        return refill[1]
    return 0.0


@inline_kernel
def _full(
    work: npt.NDArray[np.float64],
    neighbors: npt.NDArray[np.int32],
    frm: int,
    to: int,
    side: int,
    men: float,
    capacity: float,
) -> bool:
    """Whether cell ``to`` has no room for ``men`` of ``side`` coming from ``frm``.

    Columns there marching the other way, toward ``frm``, pass them (``work[2 + k]``:
    the men marching out of each cell by its neighbour slot ``k``). A unit alone may
    always enter: an oversized column strings out behind its head.
    """
    held = work[1, to, side]
    for k in range(neighbors.shape[1]):
        if neighbors[to, k] == frm:
            held -= work[2 + k, to, side]
    return held > 0 and held + men > capacity


@inline_kernel
def _settle_in_place(
    r: int,
    u: int,
    enter: bool,
    to: int,
    travel: float,
    ready_hours: float,
    prog: float,
    can: float,
    m: int,
    c: int,
    progress: npt.NDArray[np.float32],
    fuel: npt.NDArray[np.float32],
    assault: npt.NDArray[np.float32],
    waited: npt.NDArray[np.float32],
    refill: tuple[float, float],
    new_cell: npt.NDArray[np.int32],
    prog_out: npt.NDArray[np.float32],
    fuel_out: npt.NDArray[np.float32],
    assault_out: npt.NDArray[np.float32],
    waited_out: npt.NDArray[np.float32],
) -> None:
    """Write a unit's step: enter ``to`` (carrying progress over) or wait.

    A unit in cell ``c`` that enters ``to`` takes the step's progress beyond the
    edge's ``travel`` hours on and burns fuel for all its marching (``can`` hours);
    one that does not keeps its progress up to ``travel`` and burns fuel for what it
    gained. One that stood ready to enter the way of ``ready_hours`` without entering
    counts the rest of the step as waited. Written without branches on the unit's
    data (selects, every output written): the march's units take these paths at
    random, and mispredicted branches cost more than the arithmetic.
    """
    p0 = np.float64(progress[r, u])
    kept = prog if prog <= travel else travel  # nmin(prog, travel)
    prog2 = float(prog - travel) if enter else kept
    gain = prog2 - p0
    spent = can if enter else (gain if gain >= 0.0 else 0.0)
    prog_out[r, u] = np.float32(prog2)
    new_cell[r, u] = to if enter else c
    assault_out[r, u] = np.float32(0.0) if enter else assault[r, u]
    per_refill = refill[0] if m == 3 else (refill[1] if m == 2 else 0.0)
    burnt = np.float64(fuel[r, u]) - spent / (per_refill if per_refill > 0 else 1.0)
    left = burnt if burnt >= 0.0 else 0.0  # nmax(burnt, 0.0)
    fuel_out[r, u] = np.float32(left) if per_refill > 0 else fuel[r, u]
    # Stood ready without entering: the rest of the step is waited (_ready_at).
    ready_for = (ready_hours - p0) / (can if can > 0 else 1.0)
    share = (ready_for if ready_for >= 0.0 else 0.0) if can > 0 else 1.0
    stood = (not enter) and can > 0 and prog >= ready_hours
    waited_out[r, u] = (
        np.float32(np.float64(waited[r, u]) + 1.0 - share) if stood else np.float32(0.0)
    )


@inline_kernel
def _ready_at(travel: float, progress: np.float32, can: float) -> float:
    """Share of the step (0-1) when a unit reaches its next cell.

    ``can``: its hours of marching this step; 0 for one that stood ready at the
    step's start.
    """
    if can <= 0:
        return 1.0
    return nmax((travel - np.float64(progress)) / can, 0.0)


@inline_kernel
def _sort_by_key(
    items: npt.NDArray[np.intp], key: npt.NDArray[np.float64], n: int
) -> None:
    """Sort the first ``n`` items by key in place, stably.

    An insertion sort: the units entering cells in one step are few.
    """
    for i in range(1, n):
        k = key[i]
        it = items[i]
        j = i - 1
        while j >= 0 and key[j] > k:
            key[j + 1] = key[j]
            items[j + 1] = items[j]
            j -= 1
        key[j + 1] = k
        items[j + 1] = it


@kernel
def _march_chunk(
    r_lo: int,
    r_hi: int,
    status: npt.NDArray[np.int8],
    posture: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    progress: npt.NDArray[np.float32],
    fuel: npt.NDArray[np.float32],
    assault: npt.NDArray[np.float32],
    waited: npt.NDArray[np.float32],
    men: npt.NDArray[np.float64],
    hops: tuple[
        npt.NDArray[np.int32],
        npt.NDArray[np.intp],
        npt.NDArray[np.int32],
        npt.NDArray[np.int32],
    ],
    routing: tuple[
        npt.NDArray[np.int64],
        npt.NDArray[np.float32],
        npt.NDArray[np.int32],
        npt.NDArray[np.float32],
    ],
    side: npt.NDArray[np.int8],
    mobility: npt.NDArray[np.int8],
    carrier: npt.NDArray[np.int64],
    crowds: npt.NDArray[np.bool_],
    roadway: npt.NDArray[np.bool_],
    hours_now: npt.NDArray[np.float32],
    cross_now: npt.NDArray[np.float32],
    carry_hours: npt.NDArray[np.float32],
    factor: npt.NDArray[np.float32],
    refill: tuple[float, float],
    threshold: float,
    capacity: float,
    work: npt.NDArray[np.float64],
    new_cell: npt.NDArray[np.int32],
    prog_out: npt.NDArray[np.float32],
    fuel_out: npt.NDArray[np.float32],
    attack: npt.NDArray[np.int32],
    assault_out: npt.NDArray[np.float32],
    waited_out: npt.NDArray[np.float32],
) -> None:  # pragma: no cover - compiled
    """:func:`march` of replicas ``r_lo`` to ``r_hi`` (writes their rows), serially.

    Each output row starts as the input's (attack: -1), then the march updates it.
    """
    nxt, slot, field, siege = hops
    route_class, route_hours, neighbors, fields = routing
    scratch = work[0]  # men per cell and side at the start of the step
    road = work[1]  # road-space men per cell and side, updated as units enter
    # work[2 + k]: the road-space men marching out of each cell by neighbour slot k.
    n_u = cell.shape[1]
    cand = np.empty(n_u, np.intp)  # units entering and taking road space
    key = np.empty(n_u, np.float64)  # the share of the step when they got there
    for r in range(r_lo, r_hi):
        for u in range(n_u):
            new_cell[r, u] = cell[r, u]
            prog_out[r, u] = progress[r, u]
            fuel_out[r, u] = fuel[r, u]
            attack[r, u] = -1
            assault_out[r, u] = assault[r, u]
            waited_out[r, u] = np.float32(0.0)
            # Men that block or pin the other side (not invested garrisons).
            if status[r, u] == 1 and men[r, u] > 0 and posture[r, u] != INVESTED:
                scratch[cell[r, u], side[u]] += men[r, u]
        n_c = 0
        for u in range(n_u):
            active = status[r, u] == 1
            m = mobility[u]
            c = cell[r, u]
            s = slot[r, u]
            other = 1 - side[u]
            g = siege[r, u]
            if g >= 0 and active:
                s = -1  # left to besiege an invested garrison: it stays
            if s < 0:
                # Staying: progress is dropped, no fuel burns (0 / refill); an
                # attacker unit sharing its cell with the enemy assaults it.
                prog_out[r, u] = np.float32(nmin(np.float64(progress[r, u]) + 0.0, 0.0))
                if active and side[u] == 0 and scratch[c, other] > threshold:
                    attack[r, u] = c
                if g >= 0 and active:
                    attack[r, u] = cell[r, g]
                continue
            facing = scratch[nxt[r, u], other] > threshold
            pinned = active and scratch[c, other] > threshold
            # On the road: marching units (those facing the enemy have deployed).
            marching = active and men[r, u] > 0 and not facing and not pinned
            on_road = capacity > 0 and crowds[u] and roadway[c, s]
            if on_road and marching:
                road[c, side[u]] += men[r, u]
                work[2 + s, c, side[u]] += men[r, u]
            travel = _edge_hours(m, c, s, carrier[u], hours_now, carry_hours)
            can = _march_hours(m, fuel[r, u], factor, refill)
            prog = np.float64(progress[r, u]) + can
            ready = can > 0 and prog >= travel
            # Contact is made at the boundary of the enemy-held cell, half the
            # edge from here; the assault then takes the other half (the
            # defended depth) while the march goes on to the cell.
            blocked = can > 0 and facing and prog >= CONTACT_SHARE * travel
            if blocked and side[u] == 0 and posture[r, u] == 0:
                attack[r, u] = nxt[r, u]
            if active and side[u] == 0 and pinned:
                attack[r, u] = c
            enter = bool(ready and not blocked and not pinned)
            if enter and on_road and active and men[r, u] > 0:
                # Takes road space: settled below, in the order units got there.
                # The share of the step when it got there, less the steps it
                # has already stood ready.
                cand[n_c] = u
                key[n_c] = _ready_at(travel, progress[r, u], can) - waited[r, u]
                n_c += 1
                continue
            _settle_in_place(r, u, enter, nxt[r, u], travel, travel, prog, can, m, c,
                             progress, fuel, assault, waited, refill, new_cell,
                             prog_out, fuel_out, assault_out, waited_out)  # fmt: skip
        # Units that take road space enter in the order they reached their next
        # cell within the step (then unit order), as in continuous time: a cell
        # already full of their side's marching troops is gone round by the
        # second-best hop, if free and reached, or waited for.
        _sort_by_key(cand, key, n_c)
        for j in range(n_c):
            u = cand[j]
            m = mobility[u]
            c = cell[r, u]
            other = 1 - side[u]
            travel = _edge_hours(m, c, slot[r, u], carrier[u], hours_now, carry_hours)
            can = _march_hours(m, fuel[r, u], factor, refill)
            prog = np.float64(progress[r, u]) + can
            mine = men[r, u]
            to = nxt[r, u]
            enter = not _full(work, neighbors, c, to, side[u], mine, capacity)
            taken = mine
            if not enter and field[r, u] >= 0:
                to2, s2 = second_hop(
                    field[r, u], c, slot[r, u], route_class[u], route_hours,
                    neighbors, fields,
                )  # fmt: skip
                if s2 >= 0:
                    t2 = _edge_hours(m, c, s2, carrier[u], hours_now, carry_hours)
                    full2 = roadway[c, s2] and _full(
                        work, neighbors, c, to2, side[u], mine, capacity
                    )
                    if not full2 and prog >= t2 and scratch[to2, other] <= threshold:
                        enter = True
                        to = to2
                        travel = t2
                        if not roadway[c, s2]:
                            taken = 0.0  # across country: no road space there
            by_road = travel  # the way it stands ready to take (its hours)
            if not enter:
                # The road is full: the column marches on across country beside
                # it, and enters once it has covered the edge that way (or by the
                # road, as soon as it has room).
                across = nmax(np.float64(cross_now[m, c, slot[r, u]]), travel)
                if across < np.inf:  # (impassable across country: it waits)
                    if prog >= across:
                        enter = True
                        taken = 0.0
                    travel = across  # its progress runs on up to that
            elif taken > 0 and np.float64(progress[r, u]) > travel:
                # By the road after marching beside it: what it marched beyond
                # the road's hours before this step is not carried on.
                prog = np.float64(travel + can)
            _settle_in_place(r, u, enter, to, travel, by_road, prog, can, m, c,
                             progress, fuel, assault, waited, refill, new_cell,
                             prog_out, fuel_out, assault_out, waited_out)  # fmt: skip
            if enter:
                # Its men move from its cell's road space to that of ``to``, out of
                # its cell's outgoing lane; none taken across country.
                if mine > 0:
                    road[c, side[u]] -= mine
                    road[to, side[u]] += mine
                work[2 + slot[r, u], c, side[u]] -= mine
                road[to, side[u]] -= mine - taken
        for u in range(n_u):
            c = cell[r, u]
            scratch[c, 0] = 0.0
            scratch[c, 1] = 0.0
            road[c, 0] = 0.0
            road[c, 1] = 0.0
            k = slot[r, u]  # the only lane a unit may have added to
            if k >= 0:
                work[2 + k, c, 0] = 0.0
                work[2 + k, c, 1] = 0.0
            c = new_cell[r, u]  # road space was added where units entered
            road[c, 0] = 0.0
            road[c, 1] = 0.0

"""Fast paths of the step: sparse losses and compiled loops numpy cannot vectorise.

Every function here gives bit for bit what the plain numpy code it replaces gave
(``benchmarks/engine_identity.py`` checks whole campaigns); the loops add floats in
the same order as the numpy reductions they stand for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from numba import njit

__all__ = ["LossRows"]

F64 = npt.NDArray[np.float64]
IP = npt.NDArray[np.intp]
Fn = TypeVar("Fn", bound=Callable[..., Any])


def _jit(fn: Fn) -> Fn:
    """``numba.njit(cache=True)``, keeping the Python signature for type checkers."""
    return cast(Fn, njit(cache=True)(fn))


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


@_jit
def _min(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.minimum`` of two non-NaN floats (the first when equal)."""
    return a if a <= b else b


@_jit
def _max(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.maximum`` of two non-NaN floats (the first when equal)."""
    return a if a >= b else b


@_jit
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
    eps = np.float32(1e-4)
    for r in range(n_r):
        for u in range(n_u):
            f = field[r, u]
            if not want[r, u] or f < 0:
                continue
            c = cell[r, u]
            here = fields[f, c]
            best = np.float32(np.inf)
            k = -1
            for j in range(neighbors.shape[1]):
                nb = neighbors[c, j]
                v = np.float32(np.inf)
                if nb >= 0:
                    v = route_hours[route_class[u], c, j] + fields[f, nb]
                if k < 0 or v < best:  # argmin: the first smallest
                    best = v
                    k = j
            nb = neighbors[c, k]
            to = nb if nb >= 0 else 0
            if np.isfinite(best) and fields[f, to] < here - eps:
                nxt[r, u] = to
                slot[r, u] = k
    return nxt, slot


@_jit
def march(
    status: npt.NDArray[np.int8],
    posture: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    progress: npt.NDArray[np.float32],
    fuel: npt.NDArray[np.float32],
    assault: npt.NDArray[np.float32],
    men: npt.NDArray[np.float64],
    nxt: npt.NDArray[np.int32],
    slot: npt.NDArray[np.intp],
    side: npt.NDArray[np.int8],
    mobility: npt.NDArray[np.int8],
    carrier: npt.NDArray[np.int64],
    hours_now: npt.NDArray[np.float32],
    carry_hours: npt.NDArray[np.float32],
    factor: npt.NDArray[np.float32],
    refill_tracked: float,
    refill_motor: float,
    threshold: float,
    scratch: npt.NDArray[np.float64],
) -> tuple[
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
]:  # pragma: no cover - compiled
    """The march of ``movement.move`` after the next hops, unit by unit.

    Men per side and cell are summed per replica into ``scratch`` [N, 2] (zeros on
    entry and on return) in unit order, as ``CellSums.of`` sums them.

    Returns:
        New cell, progress, fuel, attack cell and assault progress [R, U].
    """
    n_r, n_u = cell.shape
    new_cell = cell.copy()
    prog_out = progress.copy()
    fuel_out = fuel.copy()
    attack = np.full((n_r, n_u), -1, np.int32)
    assault_out = assault.copy()
    for r in range(n_r):
        for u in range(n_u):
            if status[r, u] == 1 and men[r, u] > 0:
                scratch[cell[r, u], side[u]] += men[r, u]
        for u in range(n_u):
            active = status[r, u] == 1
            m = mobility[u]
            c = cell[r, u]
            s = slot[r, u]
            going = s >= 0
            if not going:
                # Staying: progress is dropped, no fuel burns (0 / refill); an
                # attacker unit sharing its cell with the enemy assaults it.
                prog_out[r, u] = np.float32(_min(np.float64(progress[r, u]) + 0.0, 0.0))
                other = 1 - side[u]
                if active and side[u] == 0 and scratch[c, other] > threshold:
                    attack[r, u] = c
                continue
            k = s if going else 0
            travel = hours_now[m, c, k] if going else np.float32(np.inf)
            boat = carry_hours[carrier[u], c, k]
            travel = boat if boat < travel else travel
            motor = m == 2 or m == 3
            refill = refill_tracked if m == 3 else refill_motor
            fac = np.float64(factor[m])
            can = _min(fac, np.float64(fuel[r, u]) * refill) if motor else fac
            moving = can if going else 0.0
            prog = np.float64(progress[r, u]) + moving
            ready = going and moving > 0 and prog >= np.float64(travel)
            other = 1 - side[u]
            blocked = ready and scratch[nxt[r, u], other] > threshold
            pinned = active and scratch[c, other] > threshold
            enter = ready and not blocked and not pinned
            if blocked and side[u] == 0 and posture[r, u] == 0:
                attack[r, u] = nxt[r, u]
            if active and side[u] == 0 and pinned:
                attack[r, u] = c
            if enter:
                new_cell[r, u] = nxt[r, u]
                prog2 = float(prog - np.float64(travel))
                spent = moving
                assault_out[r, u] = np.float32(0.0)
            else:
                prog2 = _min(prog, np.float64(travel) if going else 0.0)
                spent = _max(prog2 - np.float64(progress[r, u]), 0.0)
            prog_out[r, u] = np.float32(prog2)
            if motor:
                fuel_out[r, u] = np.float32(
                    _max(np.float64(fuel[r, u]) - spent / refill, 0.0)
                )
        for u in range(n_u):
            scratch[cell[r, u], 0] = 0.0
            scratch[cell[r, u], 1] = 0.0
    return new_cell, prog_out, fuel_out, attack, assault_out


@_jit
def step_down(
    held: npt.NDArray[np.bool_],
    rows: IP,
    cell: npt.NDArray[np.int32],
    edge_h: npt.NDArray[np.float32],
    neighbors: npt.NDArray[np.int32],
    order: npt.NDArray[np.int32],
    near: npt.NDArray[np.float32],
    table: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:  # pragma: no cover
    """:meth:`FieldBank.step_down_table` unit by unit (same arguments, same result).

    Unit i's targets are ``held[rows[i]]``.

    A unit's value at a cell is its first target among the cell's ``NEARBY`` closest
    candidates (``order``, ``near``), else the minimum over all its targets
    (``table``); then the steepest descent of ``routing._descend``.
    """
    m_units = cell.shape[0]
    n_nb = neighbors.shape[1]
    nxt = cell.copy()
    slot = np.full(m_units, -1, np.intp)
    eps = np.float32(1e-4)
    inf = np.float32(np.inf)
    there = np.empty(n_nb, np.float32)
    for i in range(m_units):
        c = cell[i]
        h = rows[i]
        here = inf
        for a in range(n_nb + 1):
            cc = c
            if a > 0:
                cc = neighbors[c, a - 1]
                if cc < 0:
                    cc = 0
            v = inf
            found = False
            for j in range(order.shape[1]):
                if held[h, order[cc, j]]:
                    v = near[cc, j]
                    found = True
                    break
            if not found:
                for t in range(table.shape[1]):
                    if held[h, t] and table[cc, t] < v:
                        v = table[cc, t]
            if a == 0:
                here = v
            else:
                there[a - 1] = v
        best = inf
        k = -1
        for j in range(n_nb):
            v = inf
            if neighbors[c, j] >= 0:
                v = edge_h[i, j] + there[j]
            if k < 0 or v < best:
                best = v
                k = j
        if np.isfinite(best) and there[k] < here - eps:
            nb = neighbors[c, k]
            nxt[i] = nb if nb >= 0 else 0
            slot[i] = k
    return nxt, slot


@_jit
def engagements(
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
    as ``CellSums.of`` adds them, of the attackers' and defenders' power (men, tanks
    + SP guns, guns + mortars; times 1, or ``ammo_out_factor`` when ammunition is at
    or below ``ammo_low``), the holding defenders' men and the defenders' fight
    hours x men. ``cols`` are the strength columns (men, tanks, SP guns, guns,
    mortars).

    Returns:
        Keys ``replica * n_cells + cell`` (ascending), attacker and defender power
        [E, 3], holding men [E], fight hours x men [E]; the units in contact as
        [C, 4] rows (replica, unit, attacked engagement or -1, defended engagement or
        -1) in replica-then-unit order; and the contact mask [R, U].
    """
    n_r, n_u = cell.shape
    men_c, tank_c, sp_c, gun_c, mor_c = cols
    cap = n_r * n_u
    keys = np.empty(cap, np.int64)
    a_out = np.empty((cap, 3))
    d_out = np.empty((cap, 3))
    hold_out = np.empty(cap)
    fought_out = np.empty(cap)
    contact = np.empty((cap, 4), np.int64)
    in_contact = np.zeros((n_r, n_u), np.bool_)
    slot_of = np.full(n_cells, -1, np.int64)  # attacked cell -> its row in a_sum
    eng_of = np.full(n_cells, -1, np.int64)  # engaged cell -> engagement index
    d_sum = np.zeros((n_cells, 5))  # power (3), holding men, fight hours x men
    a_sum = np.zeros((n_u, 3))
    a_cells = np.empty(n_u, np.int64)
    att = np.zeros(n_u, np.bool_)
    dfd = np.zeros(n_u, np.bool_)
    w = np.empty(n_u)
    e = 0
    n_c = 0
    for r in range(n_r):
        n_a = 0
        for u in range(n_u):
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
                a_sum[q, 0] += present[r, u, men_c] * w[u]
                a_sum[q, 1] += (present[r, u, tank_c] + present[r, u, sp_c]) * w[u]
                a_sum[q, 2] += (present[r, u, gun_c] + present[r, u, mor_c]) * w[u]
        if n_a == 0:
            continue
        for u in range(n_u):
            if dfd[u]:
                c = cell[r, u]
                men = present[r, u, men_c]
                d_sum[c, 0] += men * w[u]
                d_sum[c, 1] += (present[r, u, tank_c] + present[r, u, sp_c]) * w[u]
                d_sum[c, 2] += (present[r, u, gun_c] + present[r, u, mor_c]) * w[u]
                if posture[r, u] == 1:  # holding
                    d_sum[c, 3] += men
                d_sum[c, 4] += np.float64(fight_hours[r, u]) * men
        for c in np.sort(a_cells[:n_a]):
            if d_sum[c, 0] > 0:
                q = slot_of[c]
                keys[e] = r * n_cells + c
                a_out[e, :] = a_sum[q, :]
                d_out[e, :] = d_sum[c, :3]
                hold_out[e] = d_sum[c, 3]
                fought_out[e] = d_sum[c, 4]
                eng_of[c] = e
                e += 1
        for u in range(n_u):
            ea = eng_of[attack_cell[r, u]] if att[u] else -1
            ed = eng_of[cell[r, u]] if dfd[u] else -1
            if ea >= 0 or ed >= 0:
                contact[n_c, 0] = r
                contact[n_c, 1] = u
                contact[n_c, 2] = ea
                contact[n_c, 3] = ed
                in_contact[r, u] = True
                n_c += 1
        for u in range(n_u):
            if dfd[u]:
                d_sum[cell[r, u], :] = 0.0
        for q in range(n_a):
            slot_of[a_cells[q]] = -1
            eng_of[a_cells[q]] = -1
    return (
        keys[:e],
        a_out[:e],
        d_out[:e],
        hold_out[:e],
        fought_out[:e],
        contact[:n_c],
        in_contact,
    )


@_jit
def prisoners(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    men: npt.NDArray[np.float64],
    neighbors: npt.NDArray[np.int32],
    scratch: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """Surrendered units with men, in or next to a cell with active attacker men.

    ``scratch`` [N, 2] is zero on entry and on return (column 0 is used).
    """
    n_r, n_u = cell.shape
    taken = np.zeros((n_r, n_u), np.bool_)
    for r in range(n_r):
        any_waiting = False
        for u in range(n_u):
            if status[r, u] == 2 and men[r, u] > 0:
                any_waiting = True
                break
        if not any_waiting:
            continue
        for u in range(n_u):
            if status[r, u] == 1 and side[u] == 0:
                scratch[cell[r, u], 0] += men[r, u]
        for u in range(n_u):
            if status[r, u] == 2 and men[r, u] > 0:
                c = cell[r, u]
                hit = scratch[c, 0] > 0
                for j in range(neighbors.shape[1]):
                    nb = neighbors[c, j]
                    if nb >= 0 and scratch[nb, 0] > 0:
                        hit = True
                taken[r, u] = hit
        for u in range(n_u):
            scratch[cell[r, u], 0] = 0.0
    return taken


@_jit
def men_at_places(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    men: npt.NDArray[np.float64],
    first: npt.NDArray[np.int64],
    count: npt.NDArray[np.int64],
    places: npt.NDArray[np.int64],
    n_places: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:  # pragma: no cover
    """Active men of each side at each place [R, P], summed in unit order.

    The places at cell c are ``places[first[c] : first[c] + count[c]]``.
    """
    n_r, n_u = cell.shape
    s0 = np.zeros((n_r, n_places))
    s1 = np.zeros((n_r, n_places))
    for r in range(n_r):
        for u in range(n_u):
            c = cell[r, u]
            if count[c] == 0 or status[r, u] != 1:
                continue
            for q in range(first[c], first[c] + count[c]):
                if side[u] == 0:
                    s0[r, places[q]] += men[r, u]
                else:
                    s1[r, places[q]] += men[r, u]
    return s0, s1


@_jit
def apply_losses(
    present: npt.NDArray[np.float64],
    lost: npt.NDArray[np.float64],
    rr: IP,
    uu: IP,
    hit: F64,
) -> None:  # pragma: no cover - compiled
    """Move ``hit`` [M, L, K] of the listed units from ``present`` to ``lost``.

    In place; capped at what is present (all kinds scaled alike), as
    ``core._apply_losses`` does (the kinds are summed in order, as numpy's sum over
    that axis does).
    """
    n_l, n_k = hit.shape[1], hit.shape[2]
    for i in range(rr.size):
        r, u = rr[i], uu[i]
        for k in range(n_k):
            here = present[r, u, k]
            total = hit[i, 0, k]
            for j in range(1, n_l):
                total += hit[i, j, k]
            scale = here / _max(total, 1e-9) if total > here else 1.0
            gone = hit[i, 0, k] * scale
            lost[r, u, 0, k] = lost[r, u, 0, k] + gone
            for j in range(1, n_l):
                h = hit[i, j, k] * scale
                gone += h
                lost[r, u, j, k] = lost[r, u, j, k] + h
            present[r, u, k] = _max(here - gone, 0.0)


@_jit
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
    for r in range(n_r):
        for u in range(n_u):
            o = objective[r, u]
            while o < m and objectives[u, o] >= 0 and objectives[u, o] == cell[r, u]:
                o += 1
            out[r, u] = o
    return out


@_jit
def free_cells(
    rr: IP,
    here: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    attacker: npt.NDArray[np.bool_],
    attack_cell: npt.NDArray[np.int32],
    neighbors: npt.NDArray[np.int32],
    water: npt.NDArray[np.bool_],
    mark: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """Neighbours [M, 6] a unit of replica ``rr`` in cell ``here`` may fall back to.

    On the map, not water, and neither held by an attacker (``attacker`` [R, U]) nor
    assaulted by anyone (``attack_cell`` [R, U], -1 none) in that replica. ``rr`` is
    ascending; ``mark`` [N] is all false on entry and on return.
    """
    n_m = rr.size
    n_u = attacker.shape[1]
    n_nb = neighbors.shape[1]
    free = np.zeros((n_m, n_nb), np.bool_)
    i = 0
    while i < n_m:
        r = rr[i]
        for u in range(n_u):
            if attacker[r, u]:
                mark[cell[r, u]] = True
            if attack_cell[r, u] >= 0:
                mark[attack_cell[r, u]] = True
        while i < n_m and rr[i] == r:
            for k in range(n_nb):
                nb = neighbors[here[i], k]
                free[i, k] = nb >= 0 and not water[nb] and not mark[nb]
            i += 1
        for u in range(n_u):
            mark[cell[r, u]] = False
            if attack_cell[r, u] >= 0:
                mark[attack_cell[r, u]] = False
    return free


@_jit
def resupply_units(
    status: npt.NDArray[np.int8],
    in_contact: npt.NDArray[np.bool_],
    dislodged: npt.NDArray[np.bool_],
    ammo: npt.NDArray[np.float32],
    fuel: npt.NDArray[np.float32],
    one_way: npt.NDArray[np.float64],
    side: npt.NDArray[np.int8],
    motorised: npt.NDArray[np.bool_],
    ammo_use: np.float32,
    consts: tuple[float, float, float, float, float],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:  # pragma: no cover
    """Fuel and ammunition after one step of ``logistics.resupply`` [R, U].

    ``one_way`` is each unit's truck hours from its replica's nearest serving
    railhead; ``ammo_use`` the combat loads a unit in contact spends this step
    (float32, as numpy rounds it); ``consts`` are truck hours per day, refills per
    day, air refills per day, the step in days and the initial fuel refills.
    """
    truck_h, refills, air, dt, initial_fuel = consts
    n_r, n_u = status.shape
    fuel_out = fuel.copy()
    ammo_out = np.empty((n_r, n_u), np.float32)
    rate_def_ok = refills * dt
    for r in range(n_r):
        for u in range(n_u):
            a = ammo[r, u] - ammo_use if in_contact[r, u] else ammo[r, u]
            if status[r, u] != 1:
                ammo_out[r, u] = np.float32(_max(np.float64(a), 0.0))
                continue
            motor = motorised[u]
            if side[u] == 0:
                x = truck_h / _max(2.0 * one_way[r, u], 1e-3)
                trips = _min(_max(x, 0.0), 1.0)
                rate = refills * trips
                if motor and rate < refills:
                    rate = rate + air
                rate = rate * dt
            else:
                rate = 0.0 if dislodged[r, u] else rate_def_ok
            if motor:
                fuel_out[r, u] = np.float32(
                    _min(np.float64(fuel[r, u]) + rate, initial_fuel)
                )
            ammo_out[r, u] = np.float32(_max(_min(np.float64(a) + rate, 1.0), 0.0))
    return fuel_out, ammo_out


@_jit
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
    wants = np.zeros((n_r, n_u), np.bool_)
    field = np.full((n_r, n_u), -1, np.int32)
    for r in range(n_r):
        for u in range(n_u):
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

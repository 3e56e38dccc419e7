"""Compiled per-unit loops of the step, part 3: losses, fall-back cells, supply, orders.

As in :mod:`stavka.engine.kernels`, each gives bit for bit what the numpy code it
replaces gave.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import F64, IP, inline_kernel, kernel, pkernel
from stavka.engine.state import Pos

__all__ = [
    "air_lift",
    "apply_losses",
    "fall_back_orders",
    "fight_hours",
    "free_cells",
    "new_battle_clock",
    "orders",
    "refill_tonnes",
    "resupply_units",
    "wake",
]

WITHDRAW = int(Pos.WITHDRAW)
"""Posture of a withdrawing unit (a compile-time int)."""
DELAY = int(Pos.DELAY)
"""Posture of a delaying unit (a compile-time int)."""

FallBackUnits = tuple[
    npt.NDArray[np.int8],
    npt.NDArray[np.bool_],
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
]
"""(status, cut_off, objective, pressed_hour) [R, U] of the fall-back order kernels."""
FallBackStatic = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    F64,
]
"""(led, led_hq, heads, under, relay) of ``fallback._static``."""
FallBackTree = tuple[
    npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]
]
"""(fall-back headquarters [U], parent [U], objective cells [U, M])."""


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


@pkernel
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
    that axis does). The listed units are distinct: they run in parallel.
    """
    n_l, n_k = hit.shape[1], hit.shape[2]
    for i in prange(rr.size):
        r, u = rr[i], uu[i]
        for k in range(n_k):
            here = present[r, u, k]
            total = hit[i, 0, k]
            for j in range(1, n_l):
                total += hit[i, j, k]
            scale = here / nmax(total, 1e-9) if total > here else 1.0
            gone = hit[i, 0, k] * scale
            lost[r, u, 0, k] = lost[r, u, 0, k] + gone
            for j in range(1, n_l):
                h = hit[i, j, k] * scale
                gone += h
                lost[r, u, j, k] = lost[r, u, j, k] + h
            present[r, u, k] = nmax(here - gone, 0.0)


@kernel
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


@kernel
def refill_tonnes(
    present: npt.NDArray[np.float64], r: int, u: int, per_vehicle: float, per_men: float
) -> float:  # pragma: no cover - compiled
    """Tonnes of fuel one refill of unit ``u`` of replica ``r`` weighs, now.

    Its tanks and SP guns (items 1 and 2) times ``per_vehicle``; a unit with none
    refills its trucks: ``per_men`` per 1000 men (item 0).
    """
    vehicles = present[r, u, 1] + present[r, u, 2]
    if vehicles > 0.0:
        return vehicles * per_vehicle
    return present[r, u, 0] / 1000.0 * per_men


@kernel
def _share_lift(
    r: int,
    fuel_out: npt.NDArray[np.float32],
    lifted: npt.NDArray[np.bool_],
    present: npt.NDArray[np.float64],
    tonnes: float,
    full_fuel: npt.NDArray[np.float64],
    per_vehicle: float,
    per_men: float,
) -> float:  # pragma: no cover - compiled
    """Share ``tonnes`` among the ``lifted`` units by shortfall; return tonnes used.

    Each gets ``tonnes`` times its share of the summed shortfall (its initial refills
    ``full_fuel`` minus fuel on hand, in tonnes), at most its shortfall.
    """
    n_u = lifted.shape[0]
    need = 0.0
    for u in range(n_u):
        if not lifted[u]:
            continue
        short = full_fuel[u] - np.float64(fuel_out[r, u])
        if short > 0.0:
            need += short * refill_tonnes(present, r, u, per_vehicle, per_men)
    if need <= 0.0 or tonnes <= 0.0:
        return 0.0
    share = nmin(tonnes / need, 1.0)
    for u in range(n_u):
        if not lifted[u]:
            continue
        f = np.float64(fuel_out[r, u])
        short = full_fuel[u] - f
        if short > 0.0 and refill_tonnes(present, r, u, per_vehicle, per_men) > 0.0:
            fuel_out[r, u] = np.float32(nmin(f + short * share, full_fuel[u]))
    return need * share


@kernel
def air_lift(
    r: int,
    fuel_out: npt.NDArray[np.float32],
    status: npt.NDArray[np.int8],
    one_way: npt.NDArray[np.float64],
    side: npt.NDArray[np.int8],
    motorised: npt.NDArray[np.bool_],
    present: npt.NDArray[np.float64],
    air_units: npt.NDArray[np.bool_],
    forward: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]],
    tonnes: float,
    full_fuel: npt.NDArray[np.float64],
    air_consts: tuple[float, float, float],
) -> float:  # pragma: no cover - compiled
    """Share one day's air lift among replica ``r``'s eligible units; return tonnes.

    Eligible: active attacker motorised units of the lifted formations
    (``air_units``) that their trucks cannot serve daily and that are short of fuel.
    The corps' forward detachments come first: ``forward`` holds each unit's corps
    group [U] (-1: none, or not a candidate) and the units' depths [R, U]; a group's
    eligible unit that has gone deepest (the one with more tanks and SP guns on a
    tie, then the first) is its forward detachment. The detachments share the
    tonnage by shortfall (each filled up if it suffices), then the other eligible
    units share what is left by shortfall (:func:`_share_lift`). No unit goes above
    its initial fuel ``full_fuel`` [U] and what is not needed is not flown.
    ``fuel_out`` is updated in place; ``air_consts`` are truck hours per day, tonnes
    per vehicle refill and per 1000 men's refill.
    """
    truck_h, per_vehicle, per_men = air_consts
    group, depth = forward
    n_u = status.shape[1]
    lifted = np.zeros(n_u, np.bool_)
    n_g = 0
    for u in range(n_u):
        lifted[u] = (
            air_units[u]
            and motorised[u]
            and side[u] == 0
            and status[r, u] == 1
            and truck_h / nmax(2.0 * one_way[r, u], 1e-3) < 1.0  # not served daily
        )
        if group[u] >= n_g:
            n_g = group[u] + 1
    first = np.zeros(n_u, np.bool_)
    if n_g > 0:
        lead = np.full(n_g, -1, np.int64)
        for u in range(n_u):
            g = group[u]
            if not lifted[u] or g < 0:
                continue
            v = lead[g]
            deeper = v < 0 or depth[r, u] > depth[r, v]
            if not deeper and depth[r, u] == depth[r, v]:
                mine = present[r, u, 1] + present[r, u, 2]
                deeper = mine > present[r, v, 1] + present[r, v, 2]
            if deeper:
                lead[g] = u
        for g in range(n_g):
            if lead[g] >= 0:
                first[lead[g]] = True
                lifted[lead[g]] = False
    used = _share_lift(
        r, fuel_out, first, present, tonnes, full_fuel, per_vehicle, per_men
    )
    return used + _share_lift(
        r, fuel_out, lifted, present, tonnes - used, full_fuel, per_vehicle, per_men
    )


@pkernel
def resupply_units(
    status: npt.NDArray[np.int8],
    in_contact: npt.NDArray[np.bool_],
    dislodged: npt.NDArray[np.bool_],
    ammo: npt.NDArray[np.float32],
    fuel: npt.NDArray[np.float32],
    convoy: npt.NDArray[np.float32],
    one_way: npt.NDArray[np.float64],
    side: npt.NDArray[np.int8],
    motorised: npt.NDArray[np.bool_],
    ammo_use: np.float32,
    consts: tuple[float, float, float],
    full_fuel: npt.NDArray[np.float64],
    present: npt.NDArray[np.float64],
    air_units: npt.NDArray[np.bool_],
    forward: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]],
    air_tonnes: float,
    air_consts: tuple[float, float],
) -> tuple[
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.float64],
]:  # pragma: no cover
    """Fuel, ammunition and supply-column progress after one step [R, U].

    As ``logistics.resupply``: ``one_way`` is each unit's truck hours from its
    replica's nearest serving railhead; an attacker's column completes
    ``min(1, truck hours per day / (2 one_way))`` round trips a day and its load
    (one refill) arrives when a trip is complete; the defender is resupplied unless
    dislodged. Then, when ``air_tonnes`` > 0 (the step holding a lift day's midday),
    :func:`air_lift` shares that many tonnes of fuel among the motorised units of
    the lifted formations (``air_units`` [U]) served less than daily, by their
    holdings ``present`` [R, U, K], the corps' forward detachments first
    (``forward``: each unit's corps group [U] and depth [R, U]). ``ammo_use`` is the
    combat loads a unit in contact spends this step (float32, as numpy rounds it);
    ``consts`` are truck hours per day, refills per trip and the step in days;
    ``full_fuel`` [U] each unit's initial fuel refills, which no resupply exceeds;
    ``air_consts`` the tonnes of a vehicle's refill and of 1000 men's. Also returns
    the tonnes flown in per replica [R]. Replicas run in parallel.
    """
    truck_h, refills, dt = consts
    per_vehicle, per_men = air_consts
    n_r, n_u = status.shape
    fuel_out = np.empty((n_r, n_u), np.float32)  # rows: copies, then updated
    convoy_out = np.empty((n_r, n_u), np.float32)
    ammo_out = np.empty((n_r, n_u), np.float32)
    flown = np.zeros(n_r, np.float64)
    rate_def_ok = refills * dt
    for r in prange(n_r):
        for u in range(n_u):
            fuel_out[r, u] = fuel[r, u]
            convoy_out[r, u] = convoy[r, u]
        for u in range(n_u):
            a = ammo[r, u] - ammo_use if in_contact[r, u] else ammo[r, u]
            if status[r, u] != 1:
                ammo_out[r, u] = np.float32(nmax(np.float64(a), 0.0))
                continue
            motor = motorised[u]
            if side[u] == 0:
                x = truck_h / nmax(2.0 * one_way[r, u], 1e-3)
                trips = nmin(nmax(x, 0.0), 1.0)
                c = np.float64(convoy[r, u]) + trips * dt
                rate = 0.0
                if c >= 1.0:
                    c = c - 1.0
                    rate = refills
                convoy_out[r, u] = np.float32(c)
            else:
                rate = 0.0 if dislodged[r, u] else rate_def_ok
            if motor:
                fuel_out[r, u] = np.float32(
                    nmin(np.float64(fuel[r, u]) + rate, full_fuel[u])
                )
            ammo_out[r, u] = np.float32(nmax(nmin(np.float64(a) + rate, 1.0), 0.0))
        if air_tonnes > 0.0:
            flown[r] = air_lift(
                r,
                fuel_out,
                status,
                one_way,
                side,
                motorised,
                present,
                air_units,
                forward,
                air_tonnes,
                full_fuel,
                (truck_h, per_vehicle, per_men),
            )
    return fuel_out, ammo_out, convoy_out, flown


@pkernel
def orders(
    status: npt.NDArray[np.int8],
    relays_late: tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]],
    side: npt.NDArray[np.int8],
    parent: npt.NDArray[np.int32],
    depth: npt.NDArray[np.int32],
    puppets: npt.NDArray[np.bool_],
    order_hour: npt.NDArray[np.float32],
    first_order: npt.NDArray[np.float32],
    per_level: float,
    cutoff: float,
    hour: np.float32,
    room: IP,
    threads: int = 1,
) -> tuple[npt.NDArray[np.float32], IP, IP, IP, IP]:  # pragma: no cover - compiled
    """Receipt of the ceasefire order, as ``surrender.surrender_and_desertion`` has it.

    A defender unit still without the order gets it ``depth x per_level`` hours after
    ``first_order`` [U], the first ceasefire order it heeds once issued (inf: none),
    (times ``cutoff`` when its parent is not active or relays late: withdrawing
    or cut off from supply, ``relays_late`` = (posture, cut_off)
    [R, U]), if that is by ``hour`` (float32, as numpy compares). Returns the new
    order hours [R, U], the (replica, unit) rows of the active defenders holding the
    order, and those of the active puppet units, both in replica-then-unit order.
    Replicas run in parallel in ``threads`` contiguous chunks, each into its own
    rows of ``room`` [4, R x U] (``kernels.row_room``), joined in chunk order.
    """
    posture, cut_off = relays_late
    n_r, n_u = status.shape
    out = np.empty((n_r, n_u), np.float32)
    gr = room[0]
    gu = room[1]
    pr = room[2]
    pu = room[3]
    n_t = max(min(threads, n_r), 1)
    n_g = np.zeros(n_t, np.int64)
    n_p = np.zeros(n_t, np.int64)
    for t in prange(n_t):
        r_lo = t * n_r // n_t
        g = r_lo * n_u  # the chunk's rows start here
        q = r_lo * n_u
        for r in range(r_lo, (t + 1) * n_r // n_t):
            for u in range(n_u):
                oh = order_hour[r, u]
                out[r, u] = oh
                first = first_order[u]
                if side[u] == 1 and np.isinf(oh) and first <= hour:
                    up = parent[u] if parent[u] > 0 else 0
                    late = posture[r, up] == WITHDRAW or cut_off[r, up]
                    cut = parent[u] >= 0 and (status[r, up] != 1 or late)
                    delay = np.float64(depth[u]) * per_level * (cutoff if cut else 1.0)
                    arrives = np.float32(np.float64(first) + delay)
                    if arrives <= hour:
                        oh = arrives
                        out[r, u] = oh
                if status[r, u] != 1:
                    continue
                if side[u] == 1 and oh <= hour:
                    gr[g] = r
                    gu[g] = u
                    g += 1
                if puppets[u]:
                    pr[q] = r
                    pu[q] = u
                    q += 1
        n_g[t] = g - r_lo * n_u
        n_p[t] = q - r_lo * n_u
    # Join the chunks' rows (the first chunk's are in place).
    g_all = n_g[0]
    p_all = n_p[0]
    for t in range(1, n_t):
        lo = (t * n_r // n_t) * n_u
        for i in range(n_g[t]):
            gr[g_all + i] = gr[lo + i]
            gu[g_all + i] = gu[lo + i]
        for i in range(n_p[t]):
            pr[p_all + i] = pr[lo + i]
            pu[p_all + i] = pu[lo + i]
        g_all += n_g[t]
        p_all += n_p[t]
    return (
        out,
        gr[:g_all].copy(),
        gu[:g_all].copy(),
        pr[:p_all].copy(),
        pu[:p_all].copy(),
    )


@kernel
def fall_back_orders(
    issued: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    unit_state: FallBackUnits,
    attacked: npt.NDArray[np.bool_],
    static: FallBackStatic,
    tree: FallBackTree,
    hour: float,
    cutoff: float,
    threads: int = 1,
) -> tuple[
    npt.NDArray[np.float32], npt.NDArray[np.int8], bool, bool
]:  # pragma: no cover - compiled
    """The fall-back order of ``fallback.relay_fall_back``, replica by replica.

    ``unit_state`` = (status, cut_off, objective, pressed_hour) [R, U]; ``static``
    = (led, led_hq, heads, under, relay) of ``fallback._static``; ``tree`` = (each
    unit's fall-back headquarters, parent [U], objective cells [U, M]). While some
    delaying headquarters (``heads``) has not issued the order, every active
    headquarters above an attacked unit under one that has not issues it at
    ``hour`` (in float32). A delaying unit holding the order starts to withdraw
    once it has arrived (float64 hours), it was pressed (float32, as numpy
    compares), it is active, not attacked and has an objective left.

    Returns the issue hours and postures [R, U] (``issued`` and ``posture``
    themselves where unchanged), and whether each changed. (Each is looked for
    before it is written into a copy: a kernel variable that is either an input
    or a copy of it makes numba's loops far slower.) The units that start are
    looked for in parallel in ``threads`` contiguous chunks of replicas.
    """
    status = unit_state[0]
    heads, under = static[2], static[3]
    hq = tree[0]
    hour32 = np.float32(hour)
    pending = False
    for r in range(issued.shape[0]):
        for k in range(heads.size):
            if np.isinf(issued[r, heads[k]]):
                pending = True
    issues = pending and _issue(issued, status, attacked, under, hq, hour32, False)
    if issues:
        out = issued.copy()
        _issue(out, status, attacked, under, hq, hour32, True)
        return _fall_back_starts(
            out, posture, unit_state, attacked, static, tree, hour, cutoff, True,
            threads,
        )  # fmt: skip
    return _fall_back_starts(
        issued, posture, unit_state, attacked, static, tree, hour, cutoff, False,
        threads,
    )  # fmt: skip


@kernel
def _issue(
    issued: npt.NDArray[np.float32],
    status: npt.NDArray[np.int8],
    attacked: npt.NDArray[np.bool_],
    under: npt.NDArray[np.int64],
    hq: npt.NDArray[np.int32],
    hour32: np.float32,
    write: bool,
) -> bool:  # pragma: no cover - compiled
    """Whether a headquarters issues the fall-back order (with ``write``: issue it).

    The report of an attacked unit under a delaying headquarters goes up to every
    headquarters above it; the active ones that have not issued the order do.
    """
    for r in range(issued.shape[0]):
        for k in range(under.size):
            if not attacked[r, under[k]]:
                continue
            h = hq[under[k]]
            while h >= 0:
                if status[r, h] == 1 and np.isinf(issued[r, h]):
                    if not write:
                        return True
                    issued[r, h] = hour32
                h = hq[h]
    return write


@kernel
def _fall_back_starts(
    issued: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    unit_state: FallBackUnits,
    attacked: npt.NDArray[np.bool_],
    static: FallBackStatic,
    tree: FallBackTree,
    hour: float,
    cutoff: float,
    issues: bool,
    threads: int,
) -> tuple[
    npt.NDArray[np.float32], npt.NDArray[np.int8], bool, bool
]:  # pragma: no cover - compiled
    """:func:`fall_back_orders` once the orders are issued: the units that start."""
    starts = _starts(issued, posture, posture, unit_state, attacked, static, tree,
                     hour, cutoff, False, threads)  # fmt: skip
    if not starts:
        return issued, posture, issues, False
    out = posture.copy()
    _starts(issued, posture, out, unit_state, attacked, static, tree, hour, cutoff,
            True, threads)  # fmt: skip
    return issued, out, issues, True


@pkernel
def _starts(
    issued: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    out: npt.NDArray[np.int8],
    unit_state: FallBackUnits,
    attacked: npt.NDArray[np.bool_],
    static: FallBackStatic,
    tree: FallBackTree,
    hour: float,
    cutoff: float,
    write: bool,
    threads: int,
) -> bool:  # pragma: no cover - compiled
    """Whether a delaying unit holding the order starts to withdraw.

    With ``write``, the posture in ``out`` of every one that does becomes withdraw.
    Replicas run in parallel in ``threads`` contiguous chunks.
    """
    hour32 = np.float32(hour)
    m = tree[2].shape[1]
    n_r = issued.shape[0]
    n_t = max(min(threads, n_r), 1)
    found = np.zeros(n_t, np.bool_)
    for t in prange(n_t):
        for r in range(t * n_r // n_t, (t + 1) * n_r // n_t):
            _starts_of(r, t, issued, posture, out, unit_state, attacked, static,
                       tree, hour, hour32, cutoff, m, write, found)  # fmt: skip
    return bool(found.any())


@inline_kernel
def _starts_of(
    r: int,
    t: int,
    issued: npt.NDArray[np.float32],
    posture: npt.NDArray[np.int8],
    out: npt.NDArray[np.int8],
    unit_state: FallBackUnits,
    attacked: npt.NDArray[np.bool_],
    static: FallBackStatic,
    tree: FallBackTree,
    hour: float,
    hour32: np.float32,
    cutoff: float,
    m: int,
    write: bool,
    found: npt.NDArray[np.bool_],
) -> None:  # pragma: no cover - compiled
    """:func:`_starts` of replica ``r`` (of chunk ``t``: ``found[t]`` if any)."""
    status, cut_off, objective, pressed_hour = unit_state
    led, led_hq, _, _, relay = static
    parent, objectives = tree[1], tree[2]
    for i in range(led.size):
        v = led[i]
        at = issued[r, led_hq[i]]
        if posture[r, v] != DELAY or not np.isfinite(at):
            continue
        # Receipt: slower where the unit's own headquarters is out of action,
        # falling back or cut off.
        up = parent[v] if parent[v] > 0 else 0
        late = status[r, up] != 1 or posture[r, up] == WITHDRAW or cut_off[r, up]
        delay = relay[i] * cutoff if late else relay[i]
        o = objective[r, v]
        left = o < m and objectives[v, o if o < m - 1 else m - 1] >= 0
        if (
            np.float64(at) + delay <= hour
            and pressed_hour[r, v] <= hour32
            and status[r, v] == 1
            and not attacked[r, v]
            and left
        ):
            found[t] = True
            if write:
                out[r, v] = WITHDRAW


@pkernel
def fight_hours(
    in_contact: npt.NDArray[np.bool_],
    hours: npt.NDArray[np.float32],
    pause: npt.NDArray[np.float32],
    step_h: np.float32,
    break_h: np.float32,
    attack_cell: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    fight_cell: npt.NDArray[np.int32],
) -> tuple[
    npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.int32]
]:  # pragma: no cover - compiled
    """Hours in the fight, hours since the last contact and the fight's cell [R, U].

    In contact: ``hours + step_h``, 0, and the cell it assaulted (its own when it
    assaulted none). Out of it: the break grows by ``step_h``; the fight's hours
    and cell are kept while the break is shorter than ``break_h`` (a fight's active
    periods add up, as CDB90 counts a battle's duration), else 0 and -1.
    """
    n_r, n_u = hours.shape
    out = np.empty((n_r, n_u), np.float32)
    brk = np.empty((n_r, n_u), np.float32)
    cells = np.empty((n_r, n_u), np.int32)
    for r in prange(n_r):
        for u in range(n_u):
            if in_contact[r, u]:
                out[r, u] = hours[r, u] + step_h
                brk[r, u] = np.float32(0)
                a = attack_cell[r, u]
                cells[r, u] = a if a >= 0 else cell[r, u]
            else:
                brk[r, u] = pause[r, u] + step_h
                if brk[r, u] < break_h:
                    out[r, u] = hours[r, u]
                    cells[r, u] = fight_cell[r, u]
                else:
                    out[r, u] = np.float32(0)
                    cells[r, u] = np.int32(-1)
    return out, brk, cells


@pkernel
def new_battle_clock(
    side: npt.NDArray[np.int8],
    attack_cell: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    fight_cell: npt.NDArray[np.int32],
    hours: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:  # pragma: no cover - compiled
    """The fight hours [R, U] with a new battle's clock where the place changed.

    A battle is fought at one place, as CDB90 counts one and ``battles.py`` groups
    the engagements: an attacker-side unit (side 0) assaulting a cell other than its
    fight's (``fight_cell``, -1 = none), or a defender-side unit standing in another
    cell than its fight's, starts a new battle at 0 h.
    """
    n_r, n_u = hours.shape
    out = np.empty((n_r, n_u), np.float32)
    for r in prange(n_r):
        for u in range(n_u):
            f = fight_cell[r, u]
            here = attack_cell[r, u] if side[u] == 0 else cell[r, u]
            new = f >= 0 and here >= 0 and here != f
            out[r, u] = np.float32(0) if new else hours[r, u]
    return out


@kernel
def wake(
    status: npt.NDArray[np.int8], due: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int8], bool]:  # pragma: no cover - compiled
    """Waiting units (0) whose start is ``due`` [U] become active (1) [R, U].

    Returns the new status (a copy) and True, or ``status`` and False where none
    wakes.
    """
    n_r, n_u = status.shape
    for r in range(n_r):
        for u in range(n_u):
            if due[u] and status[r, u] == 0:
                out = status.copy()
                for r2 in range(r, n_r):
                    for u2 in range(n_u):
                        if due[u2] and out[r2, u2] == 0:
                            out[r2, u2] = 1
                return out, True
    return status, False

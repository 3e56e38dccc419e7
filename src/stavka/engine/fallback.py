"""Falling back: dislodged defenders, and the delaying armies' fall-back order.

A dislodged defender falls back one cell toward its objective, or collapses if it
holds, has no free cell or is cut off (:func:`fall_back_dislodged`); the units
assaulting a collapsing unit pay for its destruction at the fitted collapse exchange
ratio. A static garrison
of permanent works (``EngineParams.fortress_level``) neither: the attacker has broken
through, but the garrison holds its works, invested (:class:`~stavka.engine.state.Pos`
``INVESTED``): it no longer blocks the roads, keeps its place until it surrenders, and
fights only the force left to besiege it (:func:`release_sieges` lets that go on).

The Japanese plan (plans.md 2.1) has border units delay and then fall back to their
army's next position (docs/oob-japanese.md P1: their plans' ``withdraw_when_superior``
target; "superior" comes with no force ratio). An army headquarters orders its border
units back the hour any unit under it is attacked (its delay line is engaged; the
report goes up to every delaying headquarters above the unit). The order passes down
the hierarchy like the ceasefire order: ``order_delay_hours_per_level`` per command
level below the headquarters, times ``order_delay_cutoff_factor`` where the unit's own
headquarters is destroyed, surrendered, falling back or cut off. The order authorises
the plans' condition, which is each unit's own: a unit falls back once it holds the
order and has itself been attacked by a superior force (more attacking men than its
cell holds, as the combat models count them); it goes on delaying while in contact,
then marches to that position (posture withdraw) and takes up a prepared defence there
(posture hold). A unit the enemy has not reached stays in its position.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.combat import (
    CAPTURED,
    KILLED,
    MISSING,
    WOUNDED,
    collapse_exchange_ratio,
    collapse_max_attacker_share,
    collapse_split,
    engaged_split,
    loss_shares,
)
from stavka.engine.kernels import LossRows, replica_chunks
from stavka.engine.kernels_combat import motorised, nonzero2
from stavka.engine.kernels_units import fall_back_orders, free_cells
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, Mob, Pos, State, Status

__all__ = [
    "fall_back_dislodged",
    "hold_on_arrival",
    "reinforce_sieges",
    "relay_fall_back",
    "release_sieges",
]

I64 = npt.NDArray[np.int64]
_STATIC: dict[int, tuple[I64, I64, I64, I64, npt.NDArray[np.float64]]] = {}


def _static(ctx: Context) -> tuple[I64, I64, I64, I64, npt.NDArray[np.float64]]:
    """Static index arrays of the fall-back order, per context (cached).

    The units that fall back, their headquarters, the delaying headquarters, the units
    under one, and each falling-back unit's relay hours from its headquarters.
    """
    if ctx.token not in _STATIC:
        if len(_STATIC) > 64:
            _STATIC.clear()
        u = ctx.units
        led = np.flatnonzero(u.falls_back & (u.fallback_hq >= 0))
        hq = u.fallback_hq[led].astype(np.int64)
        levels = (u.depth[led] - u.depth[hq]).astype(np.float64)
        _STATIC[ctx.token] = (
            led,
            hq,
            np.unique(hq),
            np.flatnonzero(u.fallback_hq >= 0),
            levels * ctx.params.order_delay_hours_per_level,
        )
    return _STATIC[ctx.token]


def relay_fall_back(
    ctx: Context, st: State, attacked: npt.NDArray[np.bool_], hour: float
) -> State:
    """Issue fall-back orders when a delay line is attacked; start units that hold one.

    Args:
        ctx: static context.
        st: state after combat and falling back.
        attacked: [R, U] units in contact this step (those dislodged were too).
        hour: hours since the start at the start of this step.
    """
    u, p = ctx.units, ctx.params
    static = _static(ctx)
    if static[0].size == 0:
        return st
    # A headquarters issues the order when any unit under it is attacked (looked
    # for only while some headquarters has not issued it); the order reaches a
    # unit after the relay delay, slower where the unit's own headquarters is out
    # of action, falling back or cut off (kernels_units.fall_back_orders).
    issued, posture, issues, starts = fall_back_orders(
        st.fallback_hour,
        st.posture,
        (st.status, st.cut_off, st.objective, st.pressed_hour),
        attacked,
        static,
        (u.fallback_hq, u.parent, u.objectives),
        float(hour),
        float(p.order_delay_cutoff_factor),
        replica_chunks(),
    )
    changed: dict[str, object] = {"fallback_hour": issued} if issues else {}
    if starts:
        changed["posture"] = posture
    return st.replace(**changed) if changed else st


def hold_on_arrival(
    ctx: Context, st: State, objective: npt.NDArray[np.int32]
) -> npt.NDArray[np.int8]:
    """Posture after passing objectives: a unit falling back holds where it arrives.

    Args:
        ctx: static context.
        st: state before the objectives were passed.
        objective: [R, U] the new objective index.
    """
    fb = np.flatnonzero(ctx.units.falls_back)
    arrived = objective[:, fb] > st.objective[:, fb]
    arrived &= st.posture[:, fb] == Pos.WITHDRAW
    if not arrived.any():
        return st.posture
    posture = st.posture.copy()
    posture[:, fb] = np.where(arrived, Pos.HOLD, posture[:, fb])
    return posture


_MARK: list[npt.NDArray[np.bool_]] = []
"""Work array of :func:`kernels.free_cells` (all false between calls)."""


def _invest_fortresses(
    ctx: Context, st: State, dislodged: npt.NDArray[np.bool_]
) -> tuple[State, npt.NDArray[np.bool_]]:
    """Invest the dislodged static garrisons of permanent works in their cells.

    A garrison newly invested keeps a besieging force on it: the units assaulting
    its cell, foot troops first and smallest first, until they have
    ``contain_ratio`` times its men (or all of them); the others pass on. An
    invested garrison dislodged again by the besiegers stays invested. Returns the
    state (posture ``INVESTED``, assault progress 0, ``siege_unit`` of the
    besiegers) and the dislodged units left to fall back or collapse.
    """
    rr, uu = nonzero2(dislodged, replica_chunks())
    if rr.size == 0:
        return st, dislodged
    u, p = ctx.units, ctx.params
    works = (u.mobility[uu] == Mob.STATIC) & (
        (st.posture[rr, uu] == Pos.HOLD) | (st.posture[rr, uu] == Pos.INVESTED)
    )
    works &= ctx.theatre.fortified_level[st.cell[rr, uu]] >= p.fortress_level
    if not works.any():
        return st, dislodged
    fresh = works & (st.posture[rr, uu] == Pos.HOLD)
    rr, uu = rr[works], uu[works]
    posture, assault, left = st.posture.copy(), st.assault.copy(), dislodged.copy()
    posture[rr, uu] = Pos.INVESTED
    assault[rr, uu] = 0.0
    left[rr, uu] = False
    siege = st.siege_unit
    if fresh.any():
        siege = siege.copy()
        can = (u.side == 0) & ~u.headquarters & (u.mobility != Mob.STATIC)
        # Rifle troops carried by their front's trucks besiege as infantry.
        mobile = motorised(ctx.token, u.mobility) & ~u.foot_troops
        for r, g in zip(rr[fresh[works]], uu[fresh[works]], strict=True):
            c = st.cell[r, g]
            near = np.flatnonzero(
                can
                & (st.status[r] == Status.ACTIVE)
                & (st.attack_cell[r] == c)
                & (siege[r] < 0)
            )
            # Foot troops first, smallest first (the mobile ones push on), up to
            # and including the unit that reaches the ratio (all if none does).
            men = st.present[r, near, PERSONNEL]
            rank = np.lexsort((men, mobile[near]))
            need = p.contain_ratio * st.present[r, g, PERSONNEL]
            upto = int(np.searchsorted(np.cumsum(men[rank]), need)) + 1
            siege[r, near[rank][:upto]] = g
    return st.replace(posture=posture, assault=assault, siege_unit=siege), left


def release_sieges(st: State) -> State:
    """End the sieges whose garrison has gone (destroyed, surrendered, no men left)."""
    rr, uu = nonzero2(st.siege_unit >= 0, replica_chunks())
    if rr.size == 0:
        return st
    g = st.siege_unit[rr, uu]
    over = (st.status[rr, g] != Status.ACTIVE) | (st.present[rr, g, PERSONNEL] <= 0)
    if not over.any():
        return st
    siege = st.siege_unit.copy()
    siege[rr[over], uu[over]] = -1
    return st.replace(siege_unit=siege)


_WORKS: dict[int, tuple[I64, npt.NDArray[np.int16]]] = {}


def _works(ctx: Context) -> tuple[I64, npt.NDArray[np.int16]]:
    """The static garrisons of permanent works, and each cell's garrison [N] (-1: none).

    Cached per context; where two share a cell, the later one in the file stands
    for the cell.
    """
    if ctx.token not in _WORKS:
        if len(_WORKS) > 64:
            _WORKS.clear()
        u = ctx.units
        level = ctx.theatre.fortified_level[u.start_cell]
        g = np.flatnonzero(
            (u.mobility == Mob.STATIC) & (level >= ctx.params.fortress_level)
        ).astype(np.int64)
        of_cell = np.full(ctx.theatre.lat.shape[0], -1, np.int16)
        of_cell[u.start_cell[g]] = np.arange(g.size, dtype=np.int16)
        _WORKS[ctx.token] = (g, of_cell)
    return _WORKS[ctx.token]


def reinforce_sieges(
    ctx: Context, st: State, rr: I64, uu: I64, here: npt.NDArray[np.int32]
) -> State:
    """Foot troops coming into an under-besieged invested garrison's cell join it.

    A siege holds ``contain_ratio`` times the garrison's men where the assaulting
    units had that many when it was invested; where they had fewer (a tank brigade
    alone before a fortress), foot units of the attacker that come into the
    garrison's cell (``rr``, ``uu``: the units that moved this step, now in cells
    ``here``) join it, smallest first, until the ratio is met (the mobile troops
    push on, as the advance detachments do in the source text, l. 211).
    """
    works, of_cell = _works(ctx)
    k = of_cell[here]
    come = k >= 0
    if not come.any():
        return st
    rr, uu, gg = rr[come], uu[come], works[k[come]]
    come = (st.posture[rr, gg] == Pos.INVESTED) & (st.status[rr, gg] == Status.ACTIVE)
    if not come.any():
        return st
    u, p = ctx.units, ctx.params
    rr, uu, gg = rr[come], uu[come], gg[come]
    come = (
        (u.side[uu] == 0)
        & ~u.headquarters[uu]
        & u.foot_troops[uu]
        & (st.status[rr, uu] == Status.ACTIVE)
        & (st.siege_unit[rr, uu] < 0)
    )
    rr, uu, gg = rr[come], uu[come], gg[come]
    order = np.lexsort((st.present[rr, uu, PERSONNEL], rr))  # smallest first
    siege = st.siege_unit
    for r, i, g in zip(rr[order], uu[order], gg[order], strict=True):
        men = st.present[r, :, PERSONNEL]
        if p.contain_ratio * men[g] > men[siege[r] == g].sum():
            if siege is st.siege_unit:
                siege = siege.copy()
            siege[r, i] = g
    return st if siege is st.siege_unit else st.replace(siege_unit=siege)


def fall_back_dislodged(
    ctx: Context, st: State, dislodged: npt.NDArray[np.bool_]
) -> tuple[State, LossRows]:
    """Move dislodged defenders one cell back.

    Those that hold, have no free cell or are cut off from supply (``encircle``)
    collapse instead; static garrisons of permanent works are invested in their
    cells. Returns the losses of the dislodged units.
    """
    st, dislodged = _invest_fortresses(ctx, st, dislodged)
    rr, uu = nonzero2(dislodged, replica_chunks())
    losses = LossRows.zeros(rr, uu, st.lost.shape[2:])
    if rr.size == 0:
        return st, losses
    here = st.cell[rr, uu]
    nb = ctx.theatre.neighbors[here]  # M x 6
    safe = np.where(nb < 0, 0, nb)
    # Cells attackers stand in or assault cannot be fallen back into.
    n_cells = ctx.theatre.lat.shape[0]
    attacker = (ctx.units.side[None, :] == 0) & (st.status == Status.ACTIVE)
    if not _MARK or _MARK[0].shape[0] != n_cells:
        _MARK[:] = [np.zeros(n_cells, np.bool_)]
    free = free_cells(
        np.ascontiguousarray(rr),
        here,
        st.cell,
        attacker,
        st.attack_cell,
        ctx.theatre.neighbors,
        np.asarray(ctx.theatre.water, np.bool_),
        _MARK[0],
    )
    m = ctx.obj_field.shape[1]
    obj = st.objective[rr, uu]
    field = np.where(obj < m, ctx.obj_field[uu, np.minimum(obj, m - 1)], -1).astype(
        np.int32
    )
    toward, slot = ctx.bank.next_hop(
        here, field, ctx.route_hours[ctx.route_class[uu], here]
    )
    toward_free = (slot >= 0) & np.take_along_axis(
        free, np.maximum(slot, 0)[..., None], -1
    )[..., 0]
    any_free = free.any(axis=-1)
    first_free = np.take_along_axis(safe, np.argmax(free, axis=-1)[..., None], -1)[
        ..., 0
    ]
    retreat = (st.posture[rr, uu] != Pos.HOLD) & any_free & ~st.cut_off[rr, uu]
    collapse = ~retreat
    cell, posture, status = st.cell.copy(), st.posture.copy(), st.status.copy()
    cell[rr, uu] = np.where(retreat, np.where(toward_free, toward, first_free), here)
    posture[rr, uu] = np.where(retreat & (field >= 0), Pos.WITHDRAW, posture[rr, uu])
    status[rr, uu] = np.where(collapse, Status.DESTROYED, status[rr, uu])
    shares = loss_shares(ctx, st, rr, uu, collapse_split())
    present = st.present[rr, uu]
    for j, kind in enumerate((KILLED, WOUNDED, CAPTURED)):
        share = shares[:, j, None]
        losses.hit[:, kind] += np.where(collapse[..., None], present * share, 0.0)
    if collapse.any():
        losses = _with_collapse_cost(
            ctx, st, losses, rr[collapse], uu[collapse], dislodged
        )
    assault = np.where(dislodged, 0.0, st.assault).astype(np.float32)
    return st.replace(
        cell=cell, posture=posture, status=status, assault=assault
    ), losses


def _with_collapse_cost(
    ctx: Context,
    st: State,
    losses: LossRows,
    rr: I64,
    gg: I64,
    dislodged: npt.NDArray[np.bool_],
) -> LossRows:
    """Add what destroying the collapsing units ``(rr, gg)`` costs their attackers.

    The units of the other side assaulting a collapsing unit's cell this step lose
    its men over the fitted collapse exchange ratio (defender casualties per attacker
    casualty in CDB90's battles whose defender was annihilated,
    :mod:`stavka.models.exchange`) between them, each the same share of its men,
    tanks and guns, split as engaged losses (killed, wounded, missing). A share is at
    most the largest an attacker lost in those battles (in all of them the attacker
    outnumbered the defender; a smaller one destroying a larger unit is beyond
    them).
    """
    u = ctx.units
    n_cells = ctx.theatre.lat.shape[0]
    key = rr * n_cells + st.cell[rr, gg]
    keys, inv = np.unique(key, return_inverse=True)
    men_lost = np.bincount(inv, st.present[rr, gg, PERSONNEL], keys.size)
    owed = men_lost / collapse_exchange_ratio()
    side = np.empty(keys.size, u.side.dtype)
    side[inv] = u.side[gg]
    # The assaulting units of the replicas with a collapse (replica, then unit order).
    reps = np.unique(rr)
    cells = st.attack_cell[reps]
    at_r, ua = np.nonzero(
        (cells >= 0) & (st.status[reps] == Status.ACTIVE) & ~dislodged[reps]
    )
    ra = reps[at_r]
    target = ra * n_cells + cells[at_r, ua]
    at = np.minimum(np.searchsorted(keys, target), keys.size - 1)
    hit = (keys[at] == target) & (u.side[ua] != side[at])
    ra, ua, at = ra[hit], ua[hit], at[hit]
    if ra.size == 0:
        return losses
    men = st.present[ra, ua, PERSONNEL]
    have = np.bincount(at, men, keys.size)
    frac = np.minimum(
        owed[at] / np.maximum(have[at], 1.0), collapse_max_attacker_share()
    )
    paid = LossRows.zeros(ra, ua, losses.hit.shape[1:])
    shares = loss_shares(ctx, st, ra, ua, engaged_split())
    present = st.present[ra, ua] * frac[:, None]
    for j, kind in enumerate((KILLED, WOUNDED, MISSING)):
        paid.hit[:, kind] = present * shares[:, j, None]
    return LossRows(
        np.concatenate([losses.rr, paid.rr]),
        np.concatenate([losses.uu, paid.uu]),
        np.concatenate([losses.hit, paid.hit]),
    )

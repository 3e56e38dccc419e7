"""Morale and surrender: the ceasefire order cascade, compliance, desertion, collapse.

The defender's ceasefire/surrender orders (events.csv) reach each unit after a delay
that grows with its depth in the command tree; from then on it complies with a constant
hazard (slower for fortified garrisons). A complying unit lays down its arms where it
stands; its men and equipment become prisoners/captured when attacker troops reach its
cell or a neighbouring one (:func:`take_prisoners`); units no attacker reaches stay
surrendered. Puppet (Manchukuo, Mengjiang) units lose men to desertion from the start. A
dislodged holding unit with no free cell to fall back to collapses (captured/missing).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import LossRows
from stavka.engine.kernels_sums import prisoners
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, Pos, State, Status

__all__ = ["PUPPET_NATIONS", "surrender_and_desertion", "take_prisoners"]

PUPPET_NATIONS = frozenset({"manchukuo", "mengjiang"})
CAPTURED, DESERTED = 2, 4


_PUPPETS: dict[int, npt.NDArray[np.bool_]] = {}


def _puppets(ctx: Context) -> npt.NDArray[np.bool_]:
    """[U] units of a puppet nation (cached per context)."""
    if ctx.token not in _PUPPETS:
        if len(_PUPPETS) > 64:
            _PUPPETS.clear()
        _PUPPETS[ctx.token] = np.array([n in PUPPET_NATIONS for n in ctx.units.nation])
    return _PUPPETS[ctx.token]


def surrender_and_desertion(
    ctx: Context,
    st: State,
    hour: float,
    resolve: npt.NDArray[np.float32],
    in_contact: npt.NDArray[np.bool_],
) -> tuple[State, LossRows]:
    """Apply order receipt, compliance and desertion.

    Args:
        ctx: static context.
        st: the state.
        hour: hours after the scenario start at the start of this step.
        resolve: [R, U] each unit's resolve: a uniform draw made once per run; the unit
            complies ``-mean * ln(1 - resolve)`` hours after the order reaches it (an
            exponential time, the same whatever the step).
        in_contact: [R, U] the unit fought this step (puppet units desert faster).

    Returns:
        The new state and the losses (of the units that lost men or equipment).
    """
    u, p = ctx.units, ctx.params
    dt = p.step_hours
    active = st.status == Status.ACTIVE
    defender = u.side[None, :] == 1
    order_hour = st.order_hour
    issued = [h for h in ctx.surrender_hours if h <= hour]
    if issued:
        # A headquarters that is destroyed, surrendered or falling back relays late.
        par = np.maximum(u.parent, 0)
        displaced = (u.parent[None, :] >= 0) & (
            (st.status[:, par] != Status.ACTIVE) | (st.posture[:, par] == Pos.WITHDRAW)
        )
        delay = (
            u.depth[None, :]
            * p.order_delay_hours_per_level
            * np.where(displaced, p.order_delay_cutoff_factor, 1.0)
        )
        arrives = (np.float32(issued[0]) + delay).astype(np.float32)
        order_hour = np.where(
            defender & np.isinf(order_hour) & (arrives <= hour), arrives, order_hour
        )
    got = defender & active & (order_hour <= hour)
    # The compliance delay of the units that got the order (the others can't comply).
    gr, gu = np.nonzero(got)
    mean = np.where(u.fortified, p.comply_hours_fortified, p.comply_hours)[gu]
    wait = -mean * np.log1p(-np.minimum(resolve[gr, gu], 1.0 - 1e-7))
    complies = np.zeros(got.shape, bool)
    complies[gr, gu] = hour + dt >= order_hour[gr, gu] + wait
    puppet = _puppets(ctx)[None, :] & active & ~complies
    rate = (
        np.where(
            in_contact, p.puppet_desertion_contact_per_day, p.puppet_desertion_per_day
        )
        * dt
        / 24.0
    )
    rr, uu = np.nonzero(puppet)
    losses = LossRows.zeros(rr, uu, st.lost.shape[2:])
    losses.hit[:, DESERTED] = st.present[rr, uu] * rate[rr, uu, None]
    losses = losses.where(np.asarray(losses.hit[:, DESERTED].any(axis=-1)))
    status = np.where(complies, Status.SURRENDERED, st.status).astype(np.int8)
    return st.replace(status=status, order_hour=order_hour.astype(np.float32)), losses


_WORK: list[npt.NDArray[np.float64]] = []


def take_prisoners(ctx: Context, st: State) -> LossRows:
    """Losses of surrendered units within one cell of attacker troops."""
    waiting = (st.status == Status.SURRENDERED) & (st.present[..., PERSONNEL] > 0)
    if not waiting.any():
        return LossRows.empty(st.lost.shape[2:])
    n = ctx.theatre.lat.shape[0]
    # Attacker men per cell, summed per replica in a zeroed [N, 2] work array.
    work = _WORK[0] if _WORK and _WORK[0].shape[0] == n else np.zeros((n, 2))
    _WORK[:] = [work]
    taken = prisoners(
        st.status,
        ctx.units.side,
        st.cell,
        st.present[..., PERSONNEL],
        ctx.theatre.neighbors,
        work,
    )
    rr, uu = np.nonzero(taken)
    losses = LossRows.zeros(rr, uu, st.lost.shape[2:])
    losses.hit[:, CAPTURED] = st.present[rr, uu]
    return losses

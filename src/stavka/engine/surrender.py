"""Morale and surrender: the ceasefire order cascade, compliance, desertion, collapse.

The defender's ceasefire/surrender orders (events.csv) reach each unit after a delay
that grows with its depth in the command tree; from then on it complies with a constant
hazard (slower for a fortified garrison while it is isolated: cut off from every supply
source it holds, or invested in its works). A unit under attack fights on in
self-defence until an order without that exception has reached it. A complying unit
lays down its arms where it stands; its men and equipment become prisoners/captured
when attacker troops reach its cell or a neighbouring one (:func:`take_prisoners`);
units no attacker reaches stay surrendered. Puppet (Manchukuo, Mengjiang) units lose
men to desertion from the start. A dislodged holding unit with no free cell to fall
back to collapses (captured/missing).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import LossRows, replica_chunks, row_room
from stavka.engine.kernels_sums import prisoners
from stavka.engine.kernels_units import orders
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
    # A headquarters that is destroyed, surrendered, falling back or cut off relays late
    # (kernels_units.orders: order receipt; who holds it; the active puppet units).
    order_hour, gr, gu, pr, pu = orders(
        st.status,
        (st.posture, st.cut_off),
        u.side,
        u.parent,
        u.depth,
        _puppets(ctx),
        st.order_hour,
        ctx.order_from,
        p.order_delay_hours_per_level,
        p.order_delay_cutoff_factor,
        np.float32(hour),  # numpy compares float32 hours with a float in float32
        row_room(st.status.size, 4),
        replica_chunks(),
    )
    # The compliance delay of the units that got the order (the others can't comply).
    # Isolated fortified garrisons hold out longer (the engine issue): a garrison
    # cut off from every supply source it holds or invested in its works.
    isolated = u.fortified[gu] & (
        st.cut_off[gr, gu] | (st.posture[gr, gu] == Pos.INVESTED)
    )
    mean = np.where(isolated, p.comply_hours_fortified, p.comply_hours)
    wait = -mean * np.log1p(-np.minimum(resolve[gr, gu], 1.0 - 1e-7))
    # A Japanese unit under attack fights on in self-defence (the Japanese orders of
    # 15 and 16 Aug allow it) until an order without that exception reaches it,
    # relayed as the first one was; puppet armies were not bound by them.
    # (Only the units holding an order: with no ceasefire order at all, a
    # no-capitulation variant, both hours are inf.)
    relay = ctx.order_outright_from[gu] - ctx.order_from[gu]
    outright = order_hour[gr, gu] + np.where(_puppets(ctx)[gu], np.float32(0), relay)
    comply = (hour + dt >= order_hour[gr, gu] + wait) & (
        ~in_contact[gr, gu] | (hour + dt >= outright)
    )
    # Puppet units that do not lay down their arms desert.
    keep = ~_among(pr, pu, gr[comply], gu[comply], st.status.shape[1])
    rr, uu = pr[keep], pu[keep]
    rate = (
        np.where(
            in_contact[rr, uu],
            p.puppet_desertion_contact_per_day,
            p.puppet_desertion_per_day,
        )
        * dt
        / 24.0
    )
    losses = LossRows.zeros(rr, uu, st.lost.shape[2:])
    losses.hit[:, DESERTED] = st.present[rr, uu] * rate[:, None]
    losses = losses.where(np.asarray(losses.hit[:, DESERTED].any(axis=-1)))
    status = st.status
    if comply.any():
        status = status.copy()
        status[gr[comply], gu[comply]] = Status.SURRENDERED
    return st.replace(status=status, order_hour=order_hour), losses


def _among(
    rr: npt.NDArray[np.intp],
    uu: npt.NDArray[np.intp],
    r2: npt.NDArray[np.intp],
    u2: npt.NDArray[np.intp],
    n_u: int,
) -> npt.NDArray[np.bool_]:
    """Which rows (``rr``, ``uu``) are among the rows (``r2``, ``u2``).

    Both in replica-then-unit order (``n_u`` units a replica); the rows of the
    second are distinct.
    """
    if r2.size == 0:
        return np.zeros(rr.size, bool)
    keys = r2 * n_u + u2
    want = rr * n_u + uu
    at = np.minimum(np.searchsorted(keys, want), keys.size - 1)
    return keys[at] == want


def take_prisoners(
    ctx: Context, st: State, men: npt.NDArray[np.float64] | None = None
) -> LossRows:
    """Losses of surrendered units within one cell of attacker troops.

    ``men``: [R, U] the men, if at hand (default: ``st.present``'s column).
    """
    if not (st.status == Status.SURRENDERED).any():
        return LossRows.zeros(
            np.zeros(0, np.intp), np.zeros(0, np.intp), st.lost.shape[2:]
        )
    # Attacker men per cell, summed per replica in a zeroed work array.
    rr, uu = prisoners(
        st.status,
        ctx.units.side,
        st.cell,
        st.present[..., PERSONNEL] if men is None else men,
        ctx.theatre.neighbors,
        replica_chunks(),
    )
    losses = LossRows.zeros(rr, uu, st.lost.shape[2:])
    losses.hit[:, CAPTURED] = st.present[rr, uu]
    return losses

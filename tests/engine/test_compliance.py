"""Compliance with the ceasefire order depends on a unit's situation.

The engine issue: each formation complies with a probability that depends on its
situation (isolated fortified garrisons hold out longer). A garrison of a fortified
region complies at ``comply_hours_fortified`` only while it is isolated: cut off
from every supply source it holds, or invested in its works; otherwise at
``comply_hours``, like any unit.
"""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context, prepare
from stavka.engine.core import init_state
from stavka.engine.state import Pos, Status
from stavka.engine.surrender import surrender_and_desertion


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The August Storm context."""
    return prepare("august-storm")


def test_only_isolated_fortified_garrisons_hold_out_longer(ctx: Context) -> None:
    """With the order in hand, a free garrison complies at the usual mean time."""
    u, p = ctx.units, ctx.params
    fortified = np.flatnonzero(u.fortified & (u.side == 1))
    free, cut, invested = (int(i) for i in fortified[:3])
    st = init_state(ctx, 1)
    order = np.full_like(st.order_hour, np.inf)
    order[0, [free, cut, invested]] = 0.0  # the order reached them at hour 0
    cut_off = np.zeros_like(st.cut_off)
    cut_off[0, cut] = True
    posture = st.posture.copy()
    posture[0, invested] = Pos.INVESTED
    st = st.replace(order_hour=order, cut_off=cut_off, posture=posture)
    # Resolve 1 - e^-1: each complies after its mean time exactly.
    resolve = np.full(st.status.shape, 1.0 - np.exp(-1.0), np.float32)
    quiet = np.zeros(st.status.shape, bool)
    assert p.comply_hours < p.comply_hours_fortified
    hour = 0.5 * (p.comply_hours + p.comply_hours_fortified)
    out, _ = surrender_and_desertion(ctx, st, hour, resolve, quiet)
    assert out.status[0, free] == Status.SURRENDERED
    assert out.status[0, cut] == Status.ACTIVE
    assert out.status[0, invested] == Status.ACTIVE
    later = p.comply_hours_fortified + 1.0
    out, _ = surrender_and_desertion(ctx, st, later, resolve, quiet)
    assert out.status[0, cut] == Status.SURRENDERED
    assert out.status[0, invested] == Status.SURRENDERED


def test_the_orders_of_15_and_16_august_allow_self_defence(ctx: Context) -> None:
    """plans.md 2.3: only the Kwantung Army's order of 17 Aug ceases fire outright."""
    from stavka.engine.timeline import surrender_order_hours

    s = ctx.scenario
    every = surrender_order_hours(s)
    outright = surrender_order_hours(s, unconditional=True)
    assert len(every) == 3 and outright == every[-1:]
    u = ctx.units
    i = u.ids.index("ija_107d")
    assert ctx.order_from[i] == np.float32(every[0])
    assert ctx.order_outright_from[i] == np.float32(every[-1])


def test_a_unit_under_attack_fights_on_until_the_outright_order(ctx: Context) -> None:
    """Self-defence: a unit not attacked lays down its arms at once.

    Attacked, it fights on until the outright order has reached it (relayed with the
    first order's delay), then complies.
    """
    p = ctx.params
    i = ctx.units.ids.index("ija_107d")
    gap = float(ctx.order_outright_from[i] - ctx.order_from[i])
    assert gap > 24.0
    st = init_state(ctx, 1)
    order = np.full_like(st.order_hour, np.inf)
    order[0, i] = 0.0  # the first order reached it at hour 0
    st = st.replace(order_hour=order)
    resolve = np.zeros(st.status.shape, np.float32)  # complies at once
    quiet = np.zeros(st.status.shape, bool)
    attacked = quiet.copy()
    attacked[0, i] = True
    out, _ = surrender_and_desertion(ctx, st, 1.0, resolve, quiet)
    assert out.status[0, i] == Status.SURRENDERED
    out, _ = surrender_and_desertion(ctx, st, 1.0, resolve, attacked)
    assert out.status[0, i] == Status.ACTIVE
    out, _ = surrender_and_desertion(ctx, st, gap - 2 * p.step_hours, resolve, attacked)
    assert out.status[0, i] == Status.ACTIVE
    out, _ = surrender_and_desertion(ctx, st, gap, resolve, attacked)
    assert out.status[0, i] == Status.SURRENDERED


def test_puppet_armies_do_not_fight_on_in_self_defence(ctx: Context) -> None:
    """The Japanese orders' self-defence exception does not hold a puppet army."""
    from stavka.engine.surrender import PUPPET_NATIONS

    u = ctx.units
    i = next(k for k, n in enumerate(u.nation) if n in PUPPET_NATIONS)
    st = init_state(ctx, 1)
    order = np.full_like(st.order_hour, np.inf)
    order[0, i] = 0.0
    st = st.replace(order_hour=order)
    resolve = np.zeros(st.status.shape, np.float32)
    attacked = np.zeros(st.status.shape, bool)
    attacked[0, i] = True
    out, _ = surrender_and_desertion(ctx, st, 1.0, resolve, attacked)
    assert out.status[0, i] == Status.SURRENDERED

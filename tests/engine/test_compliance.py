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

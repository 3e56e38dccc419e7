"""An order to fight on after the ceasefire: its formations heed only a later one."""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context, prepare, run_campaign
from stavka.engine.state import Status
from stavka.engine.timeline import fight_on_orders, surrender_order_hours


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The August Storm context."""
    return prepare("august-storm")


def test_the_88th_division_is_told_to_defend_karafuto(ctx: Context) -> None:
    """plans.md 2.3: the 88th Division, not its issuer, heeds the next ceasefire."""
    s = ctx.scenario
    ceasefire = surrender_order_hours(s)
    bound = fight_on_orders(s)
    assert [f for _, fs in bound for f in fs] == ["ija_88d"]
    hour = bound[0][0]
    assert ceasefire[0] < hour < ceasefire[-1]  # after the rescript
    later = min(h for h in ceasefire if h > hour)
    u = ctx.units
    for i, fid in enumerate(u.ids):
        want = later if fid.startswith("ija_88d") else ceasefire[0]
        assert ctx.order_from[i] == np.float32(want), fid


def test_a_unit_that_heeds_no_ceasefire_never_lays_down_its_arms(ctx: Context) -> None:
    """With no ceasefire order heeded (inf), the 88th Division never surrenders."""
    import dataclasses

    u = ctx.units
    i = u.ids.index("ija_88d")
    never = ctx.order_from.copy()
    never[i] = np.inf
    out = run_campaign(dataclasses.replace(ctx, order_from=never), 1).final
    assert out.status[0, i] != Status.SURRENDERED
    assert np.isinf(out.order_hour[0, i])
    base = run_campaign(ctx, 1).final
    assert base.status[0, i] == Status.SURRENDERED

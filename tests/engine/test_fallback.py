"""The delaying armies' fall-back order: who gets it, when, and what they do."""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context, prepare, run_campaign
from stavka.engine.core import init_state
from stavka.engine.fallback import hold_on_arrival, relay_fall_back
from stavka.engine.output import event_log
from stavka.engine.state import Pos, State, Status


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The August Storm context."""
    return prepare("august-storm")


def _unit(ctx: Context, fid: str) -> int:
    return ctx.units.ids.index(fid)


def _start(ctx: Context, replicas: int = 2) -> State:
    """The start state, with every unit in its plan's posture."""
    st = init_state(ctx, replicas)
    return st.replace(
        posture=np.broadcast_to(ctx.units.plan_posture, st.status.shape).copy()
    )


def test_border_units_fall_back_to_their_armys_next_position(ctx: Context) -> None:
    u = ctx.units
    i = _unit(ctx, "ija_135d")
    assert u.falls_back[i]
    assert u.ids[u.fallback_hq[i]] == "fifth_army"
    assert u.objectives[i, 0] == ctx.theatre.place_cell["hengdaohezi"]
    assert (u.objectives[i, 1:] < 0).all()
    # Headquarters and units with objectives of their own keep them.
    for fid in ("fifth_army", "ija_122d", "ija_80imb"):
        assert not u.falls_back[_unit(ctx, fid)]
    # A border unit with no delaying headquarters above it keeps its position to fall
    # back to (on its own dislodgement) but gets no order.
    lone = _unit(ctx, "ija_108d")
    assert u.falls_back[lone] and u.fallback_hq[lone] == -1
    # Only the defender's delaying units fall back.
    assert (u.side[u.falls_back] == 1).all()
    assert (u.plan_posture[u.falls_back] == Pos.DELAY).all()


def test_order_is_issued_when_a_unit_under_the_army_is_attacked(ctx: Context) -> None:
    u, p = ctx.units, ctx.params
    st = _start(ctx)
    hq, hit, other = (_unit(ctx, f) for f in ("fifth_army", "ija_124d", "ija_135d"))
    attacked = np.zeros(st.status.shape, bool)
    attacked[0, hit] = True
    # Both have been attacked by a superior force (the plans' condition).
    pressed = st.pressed_hour.copy()
    pressed[:, [hit, other]] = 8.0
    st = relay_fall_back(ctx, st.replace(pressed_hour=pressed), attacked, 10.0)
    assert st.fallback_hour[0, hq] == 10.0
    assert np.isinf(st.fallback_hour[1, hq])  # the other replica: no attack
    assert st.posture[0, other] == Pos.DELAY  # the order is on its way
    # It arrives after one relay delay per command level below the headquarters.
    levels = u.depth[other] - u.depth[hq]
    due = 10.0 + levels * p.order_delay_hours_per_level
    none = np.zeros_like(attacked)
    early = relay_fall_back(ctx, st, none, due - 1.0)
    assert early.posture[0, other] == Pos.DELAY
    on_time = relay_fall_back(ctx, st, attacked, due)
    assert on_time.posture[0, other] == Pos.WITHDRAW
    assert on_time.posture[1, other] == Pos.DELAY
    # A unit still in contact goes on delaying.
    assert on_time.posture[0, hit] == Pos.DELAY
    assert relay_fall_back(ctx, on_time, none, due).posture[0, hit] == Pos.WITHDRAW


def test_an_attack_is_reported_up_to_every_delaying_headquarters(ctx: Context) -> None:
    u = ctx.units
    det = _unit(ctx, "ija_124d_suifenhe")  # the Suifenhe detachment of the 124th
    div, army = _unit(ctx, "ija_124d"), _unit(ctx, "fifth_army")
    assert u.fallback_hq[det] == div and u.fallback_hq[div] == army
    st = _start(ctx)
    attacked = np.zeros(st.status.shape, bool)
    attacked[1, det] = True
    out = relay_fall_back(ctx, st, attacked, 3.0)
    assert out.fallback_hour[1, div] == 3.0
    assert out.fallback_hour[1, army] == 3.0
    assert np.isinf(out.fallback_hour[0, [div, army]]).all()


def test_relay_is_slower_under_a_headquarters_out_of_action(ctx: Context) -> None:
    u, p = ctx.units, ctx.params
    hq, other = _unit(ctx, "fifth_army"), _unit(ctx, "ija_135d")
    st = _start(ctx)
    st = st.replace(
        fallback_hour=np.where(np.arange(u.n) == hq, 0.0, np.inf)[None, :]
        .repeat(2, 0)
        .astype(np.float32)
    )
    status = st.status.copy()
    status[0, u.parent[other]] = Status.DESTROYED
    st = st.replace(status=status, pressed_hour=np.zeros_like(st.pressed_hour))
    levels = u.depth[other] - u.depth[hq]
    due = levels * p.order_delay_hours_per_level
    none = np.zeros(st.status.shape, bool)
    out = relay_fall_back(ctx, st, none, due)
    assert out.posture[1, other] == Pos.WITHDRAW
    assert out.posture[0, other] == Pos.DELAY
    late = relay_fall_back(ctx, st, none, due * p.order_delay_cutoff_factor)
    assert late.posture[0, other] == Pos.WITHDRAW


def test_a_unit_the_enemy_has_not_pressed_keeps_its_position(ctx: Context) -> None:
    """The order authorises the fall-back; each unit goes when pressed itself."""
    u, p = ctx.units, ctx.params
    hq, other = _unit(ctx, "fifth_army"), _unit(ctx, "ija_135d")
    st = _start(ctx)
    issued = np.where(np.arange(u.n) == hq, 0.0, np.inf)[None, :].repeat(2, 0)
    pressed = st.pressed_hour.copy()
    pressed[1, other] = 30.0  # replica 1: attacked by a superior force at 30 h
    st = st.replace(fallback_hour=issued.astype(np.float32), pressed_hour=pressed)
    due = (u.depth[other] - u.depth[hq]) * p.order_delay_hours_per_level
    none = np.zeros(st.status.shape, bool)
    out = relay_fall_back(ctx, st, none, max(due, 40.0))
    assert out.posture[0, other] == Pos.DELAY  # holds the order, never pressed
    assert out.posture[1, other] == Pos.WITHDRAW
    early = relay_fall_back(ctx, st, none, max(due, 29.0))
    assert early.posture[1, other] == Pos.DELAY  # not yet pressed at 29 h


def test_no_order_from_a_headquarters_that_has_surrendered(ctx: Context) -> None:
    hq, hit = _unit(ctx, "fifth_army"), _unit(ctx, "ija_124d")
    st = _start(ctx)
    status = st.status.copy()
    status[:, hq] = Status.SURRENDERED
    attacked = np.zeros(st.status.shape, bool)
    attacked[:, hit] = True
    out = relay_fall_back(ctx, st.replace(status=status), attacked, 5.0)
    assert np.isinf(out.fallback_hour[:, hq]).all()


def test_a_unit_falling_back_holds_where_it_arrives(ctx: Context) -> None:
    i, j = _unit(ctx, "ija_135d"), _unit(ctx, "fifth_army")
    st = _start(ctx)
    posture = st.posture.copy()
    posture[:, [i, j]] = Pos.WITHDRAW
    st = st.replace(posture=posture)
    objective = st.objective.copy()
    objective[0, [i, j]] = 1
    out = hold_on_arrival(ctx, st, objective)
    assert out[0, i] == Pos.HOLD
    assert out[1, i] == Pos.WITHDRAW  # not arrived
    assert out[0, j] == Pos.WITHDRAW  # not a border unit under a fall-back order


def test_campaign_border_units_fall_back(ctx: Context) -> None:
    res = run_campaign(ctx, 1, trace_every=6)
    fb = ctx.units.falls_back
    went = np.zeros(ctx.units.n, bool)
    held = np.zeros(ctx.units.n, bool)
    for s in res.trace:
        went |= (s.posture[0] == Pos.WITHDRAW) & fb
        held |= (s.posture[0] == Pos.HOLD) & fb
    assert went.sum() >= 5
    # Those that got there hold (none need to: the ceasefire may come first).
    assert not (held & ~went).any()
    heads = ctx.units.fallback_hq[fb & (ctx.units.fallback_hq >= 0)]
    assert np.isfinite(res.final.fallback_hour[0, heads]).any()
    kinds = {e["kind"] for e in event_log(res)}
    assert {"fallback_order", "withdraw"} <= kinds
    # Same run, same orders.
    again = run_campaign(ctx, 1)
    assert np.array_equal(again.final.fallback_hour, res.final.fallback_hour)


def test_pressed_hour_is_the_first_attack_by_a_superior_force(ctx: Context) -> None:
    """Set once, the step a defender is first in contact outnumbered (4 days)."""
    res = run_campaign(ctx, 1, days=4, trace_every=1)
    u = ctx.units
    final = res.final.pressed_hour[0]
    pressed = np.flatnonzero(np.isfinite(final))
    assert pressed.size >= 3
    assert (u.side[pressed] == 1).all()
    by_hour = {round(float(s.hour)): s for s in res.trace}
    for i in pressed:
        # The state at the end of that step: the unit fought in it, and from then
        # on the hour stays.
        st = by_hour[round(float(final[i])) + 1]
        assert st.in_contact[0, i] or st.status[0, i] != Status.ACTIVE
        assert st.pressed_hour[0, i] == final[i]


def test_a_plans_ratio_sets_when_a_unit_counts_as_pressed(ctx: Context) -> None:
    """`withdraw_when_superior` with a ratio: pressed only beyond it; without, 1."""
    from stavka.engine.formations import superior_ratio
    from stavka.scenario.schema import PlanCondition

    plan = ctx.scenario.plans["ija_124d"]
    assert superior_ratio(plan) == 1.0  # the pack gives no ratio
    assert ctx.units.superior_ratio[_unit(ctx, "ija_124d")] == 1.0
    cond = PlanCondition.model_validate(
        {"kind": "withdraw_when_superior", "target": "hengdaohezi", "ratio": 3.0,
         "source": "test"}
    )  # fmt: skip
    three = plan.model_copy(update={"conditions": [cond]})
    assert superior_ratio(three) == 3.0
    assert superior_ratio(None) == 1.0


def test_no_unit_is_pressed_below_its_ratio(ctx: Context) -> None:
    """Raise every unit's ratio out of reach: 3 days, no defender counts as pressed."""
    import dataclasses

    u = ctx.units
    high = dataclasses.replace(u, superior_ratio=np.full(u.n, 1e9, np.float32))
    out = run_campaign(dataclasses.replace(ctx, units=high), 1, days=3).final
    assert np.isinf(out.pressed_hour).all()
    base = run_campaign(ctx, 1, days=3).final
    assert np.isfinite(base.pressed_hour).any()

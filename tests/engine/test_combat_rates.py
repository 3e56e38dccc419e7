"""Step loss rates integrate the fitted attrition model exactly."""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context
from stavka.engine.combat import _models, step_loss_rates

FACTORS = {
    "posture": np.array([3, 4]),
    "terrain": np.array([0, 2]),
    "weather": np.array([0, 1]),
    "surprise": np.array([0.0, 2.0]),
    "air": 1.0,
    "att_tanks_per_1000": np.array([10.0, 0.0]),
    "att_arty_per_1000": np.array([20.0, 5.0]),
    "def_tanks_per_1000": np.array([0.0, 1.0]),
    "def_arty_per_1000": np.array([10.0, 3.0]),
}


@pytest.mark.parametrize("step_h", [0.5, 1.0, 3.0])
def test_steps_sum_to_the_fitted_total(step_h: float) -> None:
    """Stepping through a 2-day fight loses what the model gives a 2-day fight."""
    att, dfn = np.array([10000.0, 3000.0]), np.array([5000.0, 4000.0])
    attrition = _models().attrition
    total_a = np.zeros(2)
    total_d = np.zeros(2)
    for i in range(int(48 / step_h)):
        elapsed = np.full(2, i * step_h)
        ra, rd = step_loss_rates(
            attrition, att, dfn, (elapsed, elapsed), step_h, FACTORS
        )
        total_a += ra * step_h / 24.0
        total_d += rd * step_h / 24.0
    want_a, want_d = attrition.daily_loss_rates(
        att, dfn, duration_days=np.full(2, 2.0), **FACTORS
    )
    np.testing.assert_allclose(total_a, 2.0 * want_a, rtol=1e-9)
    np.testing.assert_allclose(total_d, 2.0 * want_d, rtol=1e-9)


def test_first_hour_costs_more_than_a_later_hour() -> None:
    """Loss rates fall with the length of a fight (the fitted duration term)."""
    attrition = _models().attrition
    att, dfn = np.array([10000.0, 3000.0]), np.array([5000.0, 4000.0])
    zero, old = np.zeros(2), np.full(2, 30.0)
    first = step_loss_rates(attrition, att, dfn, (zero, zero), 1.0, FACTORS)
    later = step_loss_rates(attrition, att, dfn, (old, old), 1.0, FACTORS)
    assert (first[0] > later[0]).all() and (first[1] > later[1]).all()


def test_each_side_follows_its_own_time_in_the_fight() -> None:
    """Attackers fresh to an old fight lose at the early rate; defenders at theirs."""
    attrition = _models().attrition
    att, dfn = np.array([10000.0, 3000.0]), np.array([5000.0, 4000.0])
    zero, old = np.zeros(2), np.full(2, 30.0)
    mixed = step_loss_rates(attrition, att, dfn, (zero, old), 1.0, FACTORS)
    fresh = step_loss_rates(attrition, att, dfn, (zero, zero), 1.0, FACTORS)
    stale = step_loss_rates(attrition, att, dfn, (old, old), 1.0, FACTORS)
    np.testing.assert_allclose(mixed[0], fresh[0], rtol=1e-12)
    np.testing.assert_allclose(mixed[1], stale[1], rtol=1e-12)


def test_attackers_hours_are_their_men_weighted_mean() -> None:
    """An engagement's attacker hours weigh each attacking unit's hours by its men."""
    from types import SimpleNamespace

    from stavka.engine.combat import attackers_hours

    present = np.zeros((1, 3, 9))
    present[0, :, 0] = [1000.0, 3000.0, 500.0]
    st = SimpleNamespace(present=present, fight_hours=np.array([[10.0, 2.0, 40.0]]))
    # Units 0 and 1 attack engagement 0; unit 2 defends it (not counted).
    contact = np.array([[0, 0, 0, -1], [0, 1, 0, -1], [0, 2, -1, 0]], np.int64)
    got = attackers_hours(st, contact, 1)  # type: ignore[arg-type]
    np.testing.assert_allclose(got, [(1000 * 10 + 3000 * 2) / 4000])


def test_rates_by_side_match_the_model_at_each_length() -> None:
    """Rates by each side's own length equal the model's for a fight that long."""
    attrition = _models().attrition
    att, dfn = np.array([10000.0, 3000.0]), np.array([5000.0, 4000.0])
    days = np.array([[0.5, 2.0], [1.0 / 24.0, 7.0]])
    ra, rd = attrition.loss_rates_by_side(att, dfn, days, days[::-1], **FACTORS)
    for k in range(2):
        want_a, _ = attrition.daily_loss_rates(
            att, dfn, duration_days=days[k], **FACTORS
        )
        _, want_d = attrition.daily_loss_rates(
            att, dfn, duration_days=days[1 - k], **FACTORS
        )
        np.testing.assert_allclose(ra[k], want_a, rtol=1e-12)
        np.testing.assert_allclose(rd[k], want_d, rtol=1e-12)


def test_units_that_do_not_surrender_lose_few_prisoners(ctx: Context) -> None:
    """Before its surrender order a Japanese unit's losses are its nation's split.

    2.2 % captured and 5.0 % wounded (Pacific War Online Encyclopedia), the rest
    killed; the models' split once the order has reached it.
    """
    from stavka.engine import init_state
    from stavka.engine.combat import collapse_split, loss_shares

    st = init_state(ctx, 1)
    u = ctx.units
    red, blue = u.ids.index("red_rd"), u.ids.index("blue_div")
    assert u.nation[blue] == "japan" and u.nation[red] != "japan"
    rr, uu = np.zeros(2, np.intp), np.array([red, blue], np.intp)
    usual = collapse_split()
    shares = loss_shares(ctx, st, rr, uu, usual)
    np.testing.assert_allclose(shares[0], usual)
    assert shares[1, 2] == pytest.approx(ctx.params.no_surrender_captured_share)
    assert shares[1].sum() == pytest.approx(1.0)
    assert shares[1, 1] == pytest.approx(ctx.params.no_surrender_wounded_share)
    assert shares[1, 0] > 0.9 > usual[0]
    # Once the surrender order has reached it, the models' split applies.
    st.order_hour[0, blue] = 100.0
    np.testing.assert_allclose(loss_shares(ctx, st, rr, uu, usual)[1], usual)


def test_a_short_intense_fight_loses_what_the_model_predicts() -> None:
    """The first hours of a fight may cost more than 1/24 of a force an hour.

    The model caps a fight's casualties at the strength, not its daily rate at 1:
    stepping through a 3-hour fight in which the defender would lose about a
    tenth gives the model's casualties for a 3-hour fight.
    """
    from stavka.models.features import WWII_ERA, Engagement

    attrition = _models().attrition
    att, dfn = np.array([60000.0]), np.array([2000.0])
    factors = {
        k: (v[:1] if isinstance(v, np.ndarray) else v) for k, v in FACTORS.items()
    }
    total_a = total_d = 0.0
    for i in range(3):
        elapsed = np.full(1, float(i))
        ra, rd = step_loss_rates(attrition, att, dfn, (elapsed, elapsed), 1.0, factors)
        total_a += float(ra[0]) / 24.0
        total_d += float(rd[0]) / 24.0
    eng = Engagement.build(att, dfn, 3.0 / 24.0, era=WWII_ERA, **factors)
    cas_a, cas_d = attrition.predict(eng)
    assert total_d * 24.0 / 3.0 > 1.0  # more than a daily rate of 1
    assert total_d == pytest.approx(float(cas_d[0] / dfn[0]), rel=1e-9)
    assert total_a == pytest.approx(float(cas_a[0] / att[0]), rel=1e-9)


def test_a_fight_goes_on_through_a_break_shorter_than_a_battles() -> None:
    """A break in contact keeps the fight's hours until ``battle_break_hours``.

    CDB90 adds up a battle's active periods; after a longer break a new fight starts.
    """
    from stavka.engine.kernels_units import fight_hours

    step, limit = np.float32(1.0), np.float32(30.0)
    hours = np.array([[5.0, 5.0, 5.0, 0.0]], np.float32)
    pause = np.array([[0.0, 10.0, 29.0, np.inf]], np.float32)
    contact = np.array([[True, False, False, False]])
    attack = np.array([[4, 4, 4, -1]], np.int32)
    cell = np.array([[1, 1, 1, 2]], np.int32)
    fight = np.array([[4, 4, 4, -1]], np.int32)
    got, brk, cells = fight_hours(
        contact, hours, pause, step, limit, attack, cell, fight
    )
    assert got.tolist() == [[6.0, 5.0, 0.0, 0.0]]
    assert brk.tolist() == [[0.0, 11.0, 30.0, np.inf]]
    # The fight's cell is kept with its clock and forgotten with it.
    assert cells.tolist() == [[4, 4, -1, -1]]
    # Back in contact after the short break: the fight's clock goes on from 5 h.
    again, brk, _ = fight_hours(~contact, got, brk, step, limit, attack, cell, cells)
    assert again[0, 1] == 6.0 and brk[0, 1] == 0.0


def test_a_tank_brigade_alone_is_read_at_the_edge_of_the_data() -> None:
    """Tanks per 1,000 men beyond the fitted battles' range count as at its edge.

    A tank brigade attacking alone (60 tanks per 1,000 men) loses at the rate of the
    most tank-heavy battles the models were fitted on, not an extrapolation that
    halves its losses.
    """
    attrition = _models().attrition
    sup = _models().support
    edge = float(np.expm1(sup.hi[sup.columns.index("att_tanks_per_1000")]))
    att, dfn = np.array([1300.0, 1300.0]), np.array([6000.0, 6000.0])
    zero = np.zeros(2)
    same = {k: v if np.isscalar(v) else np.repeat(v[:1], 2) for k, v in FACTORS.items()}
    lone = dict(same, att_tanks_per_1000=np.array([60.0, edge]))
    ra, rd = step_loss_rates(attrition, att, dfn, (zero, zero), 1.0, lone)
    np.testing.assert_allclose(ra[0], ra[1], rtol=1e-12)
    np.testing.assert_allclose(rd[0], rd[1], rtol=1e-12)
    # Unheld, the fitted term would give the lone brigade fewer losses.
    raw_a, _ = attrition.daily_loss_rates(att, dfn, **lone)
    assert raw_a[0] < raw_a[1]


def test_a_fight_at_another_place_is_a_new_battle() -> None:
    """CDB90 counts a battle at one place: the clock restarts at another cell.

    Attacker side (0): the cell it assaults; defender side (1): the cell it holds.
    """
    from stavka.engine.kernels_units import fight_hours, new_battle_clock

    side = np.array([0, 0, 0, 1, 1], np.int8)
    attack = np.array([[7, 8, -1, -1, -1]], np.int32)
    cell = np.array([[3, 3, 3, 7, 9]], np.int32)
    fight = np.array([[7, 7, 7, 7, 7]], np.int32)
    hours = np.array([[40.0, 40.0, 40.0, 40.0, 40.0]], np.float32)
    got = new_battle_clock(side, attack, cell, fight, hours)
    # Same cell assaulted / held: the fight goes on; another cell: a new one; an
    # attacker assaulting nothing keeps its clock (the break rule decides).
    assert got.tolist() == [[40.0, 0.0, 40.0, 40.0, 0.0]]
    # After the step: in contact, the fight's cell is the one assaulted (attackers)
    # or held; out of contact it is kept while the clock runs, else forgotten.
    contact = np.array([[True, True, False, False, True]])
    pause = np.array([[0.0, 0.0, 5.0, 40.0, 0.0]], np.float32)
    after, _, cells = fight_hours(
        contact, got, pause, np.float32(1.0), np.float32(30.0), attack, cell, fight
    )
    assert after.tolist() == [[41.0, 1.0, 40.0, 0.0, 1.0]]
    assert cells.tolist() == [[7, 8, 7, -1, 9]]

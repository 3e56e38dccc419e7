"""Garrisons of permanent works: invested when the attacker breaks through."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from stavka.engine import Context, RunResult, prepare, run_campaign
from stavka.engine.core import init_state
from stavka.engine.fallback import fall_back_dislodged
from stavka.engine.state import PERSONNEL, Pos, State, Status

FORTRESS = "ija_15bgu"  # the Hutou garrison: level 3, a fortress
BORDER_FR = "ija_132imb"  # the Dongning garrison: level 2, works not described


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The August Storm context."""
    return prepare("august-storm")


@pytest.fixture(scope="module")
def run(ctx: Context) -> RunResult:
    """Twelve days of seed 1, every step kept."""
    return run_campaign(ctx, 1, days=12, trace_every=1)


def _start(ctx: Context) -> State:
    st = init_state(ctx, 1)
    return st.replace(
        posture=np.broadcast_to(ctx.units.plan_posture, st.status.shape).copy()
    )


def test_garrisons_of_the_fixture_are_static_holders(ctx: Context) -> None:
    u, level = ctx.units, ctx.theatre.fortified_level
    for fid, want in ((FORTRESS, 3), (BORDER_FR, 2)):
        i = u.ids.index(fid)
        assert u.plan_posture[i] == Pos.HOLD
        assert level[u.start_cell[i]] == want


def test_a_fortress_garrison_is_invested_where_others_collapse(ctx: Context) -> None:
    u = ctx.units
    st = _start(ctx)
    fort, border = u.ids.index(FORTRESS), u.ids.index(BORDER_FR)
    dislodged = np.zeros(st.status.shape, bool)
    dislodged[0, [fort, border]] = True
    out, losses = fall_back_dislodged(ctx, st, dislodged)
    assert out.status[0, fort] == Status.ACTIVE
    assert out.posture[0, fort] == Pos.INVESTED
    assert out.cell[0, fort] == st.cell[0, fort]
    assert out.status[0, border] == Status.DESTROYED
    lost = losses.dense(st.lost.shape)[0, :, :, PERSONNEL].sum(axis=1)
    assert lost[fort] == 0.0
    assert lost[border] == pytest.approx(st.present[0, border, PERSONNEL])
    assert (out.siege_unit < 0).all()  # no one was assaulting it: no siege


def test_the_foot_troops_assaulting_it_are_left_to_besiege_it(ctx: Context) -> None:
    """Foot first, smallest first, up to 3:1 of the garrison; tanks push on."""
    u = ctx.units
    st = _start(ctx)
    fort = u.ids.index(FORTRESS)
    c = st.cell[0, fort]
    rifles, tanks = u.ids.index("66rd"), u.ids.index("125tb")
    attack = st.attack_cell.copy()
    attack[0, [rifles, tanks]] = c
    dislodged = np.zeros(st.status.shape, bool)
    dislodged[0, fort] = True
    out, _ = fall_back_dislodged(ctx, st.replace(attack_cell=attack), dislodged)
    assert st.present[0, rifles, PERSONNEL] >= 3 * st.present[0, fort, PERSONNEL]
    assert out.siege_unit[0, rifles] == fort
    assert out.siege_unit[0, tanks] == -1
    # Dislodged again by its besiegers, it stays invested (and in place).
    again, _ = fall_back_dislodged(ctx, out, dislodged)
    assert again.posture[0, fort] == Pos.INVESTED
    assert again.status[0, fort] == Status.ACTIVE
    assert again.cell[0, fort] == c
    # Above every level on the map, the fortress garrison collapses too.
    none = dataclasses.replace(
        ctx, params=dataclasses.replace(ctx.params, fortress_level=4.0)
    )
    out, _ = fall_back_dislodged(none, st, dislodged)
    assert out.status[0, fort] == Status.DESTROYED


def test_an_invested_garrison_holds_its_place_and_opens_the_road(
    ctx: Context, run: RunResult
) -> None:
    """Invested: only its besiegers fight it, others pass, its place is held."""
    u = ctx.units
    i = u.ids.index(FORTRESS)
    place = ctx.place_ids.index("hutou")
    trace = run.trace
    first = next(k for k, s in enumerate(trace) if s.posture[0, i] == Pos.INVESTED)
    holding = [s for s in trace[first + 1 :] if s.status[0, i] == Status.ACTIVE]
    assert len(holding) > 24
    c = holding[0].cell[0, i]
    for s in holding:
        assert s.control[0, place] == 1
        assaulting = (s.attack_cell[0] == c) & (u.side == 0)
        assert assaulting.any() and (s.siege_unit[0, assaulting] == i).all()
    besiegers = holding[0].siege_unit[0] == i
    assert all((s.cell[0, besiegers] == holding[0].cell[0, besiegers]).all()
               for s in holding)  # fmt: skip
    # Attacker troops other than the besiegers stand in its cell: not pinned.
    here = [(s.cell[0] == c) & (u.side == 0) & (s.siege_unit[0] != i) for s in holding]
    assert any(h.any() for h in here)
    # Once it has surrendered, the besiegers go on.
    after = [s for s in trace[first:] if s.status[0, i] != Status.ACTIVE]
    assert after and (after[-1].siege_unit[0] != i).all()


def test_foot_troops_coming_up_fill_a_siege_short_of_its_ratio(ctx: Context) -> None:
    """A tank brigade alone before the fortress: foot units coming up join it."""
    from stavka.engine.fallback import reinforce_sieges

    u = ctx.units
    st = _start(ctx)
    fort = u.ids.index(FORTRESS)
    c = st.cell[0, fort]
    tanks, rifles, more, tanks2 = (
        u.ids.index(x) for x in ("125tb", "66rd", "264rd", "209tb")
    )
    cell, posture, siege = st.cell.copy(), st.posture.copy(), st.siege_unit.copy()
    status = st.status.copy()
    posture[0, fort] = Pos.INVESTED
    siege[0, tanks] = fort
    came = np.array([rifles, more, tanks2])
    cell[0, [tanks, *came]] = c
    status[0, [tanks, *came]] = Status.ACTIVE
    st = st.replace(cell=cell, posture=posture, siege_unit=siege, status=status)
    assert st.present[0, tanks, PERSONNEL] < 3 * st.present[0, fort, PERSONNEL]
    rr = np.zeros(came.size, np.int64)
    out = reinforce_sieges(ctx, st, rr, came, st.cell[rr, came])
    joined = np.flatnonzero(out.siege_unit[0] == fort)
    # One rifle division fills the ratio (both have 10,932 men: the first in the
    # file); the other and the second tank brigade push on.
    assert set(joined) == {tanks, rifles}
    # A siege that has its ratio takes no one; units that did not move are not asked.
    again = reinforce_sieges(ctx, out, rr, came, out.cell[rr, came])
    assert (again.siege_unit == out.siege_unit).all()
    none = np.zeros(0, np.int64)
    nowhere = np.zeros(0, np.int32)
    assert (reinforce_sieges(ctx, st, none, none, nowhere).siege_unit == siege).all()

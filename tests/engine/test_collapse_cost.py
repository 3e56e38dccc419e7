"""Destroying a defender costs its attackers (the fitted collapse exchange ratio).

A dislodged unit that holds (or cannot fall back) collapses: all its men are lost at
once. The units assaulting its cell pay for it: its men over the collapse exchange
ratio (defender casualties per attacker casualty in CDB90's battles whose defender
was annihilated), each the same share of its men, tanks and guns, at most the
largest share an attacker lost in those battles.
"""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context, prepare
from stavka.engine.combat import (
    KILLED,
    MISSING,
    WOUNDED,
    collapse_exchange_ratio,
    collapse_max_attacker_share,
)
from stavka.engine.core import init_state
from stavka.engine.fallback import fall_back_dislodged
from stavka.engine.state import PERSONNEL, Pos, State, Status


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The August Storm context."""
    return prepare("august-storm")


def _assault(ctx: Context, garrison: str, attackers: list[str]) -> tuple[State, int]:
    """Two replicas: in replica 0 ``attackers`` assault ``garrison``'s cell."""
    u = ctx.units
    g = u.ids.index(garrison)
    st = init_state(ctx, 2)
    status = np.full_like(st.status, Status.ACTIVE)
    posture = st.posture.copy()
    posture[:, g] = Pos.HOLD
    attack = np.full_like(st.attack_cell, -1)
    for fid in attackers:
        attack[0, u.ids.index(fid)] = st.cell[0, g]
    return st.replace(status=status, posture=posture, attack_cell=attack), g


def test_attackers_pay_for_a_collapse(ctx: Context) -> None:
    u = ctx.units
    st, g = _assault(ctx, "ija_135imb", ["22rd", "59rd"])
    a, b = (u.ids.index(f) for f in ("22rd", "59rd"))
    dislodged = np.zeros(st.status.shape, bool)
    dislodged[:, g] = True
    out, losses = fall_back_dislodged(ctx, st, dislodged)
    assert (out.status[:, g] == Status.DESTROYED).all()
    lost = losses.dense(st.lost.shape)
    men = st.present[0, g, PERSONNEL]
    owed = men / collapse_exchange_ratio()
    paid = lost[0, [a, b], :, PERSONNEL]
    # The attackers pay the garrison's men over the ratio, as engaged losses.
    assert paid.sum() == pytest.approx(owed)
    assert paid[:, [KILLED, WOUNDED, MISSING]].sum() == pytest.approx(owed)
    # Each the same share of its men, tanks and guns.
    share = paid.sum(-1) / st.present[0, [a, b], PERSONNEL]
    assert share[0] == pytest.approx(share[1])
    tanks = lost[0, [a, b]].sum(1)[:, 1:] / np.maximum(st.present[0, [a, b], 1:], 1e-9)
    held = st.present[0, [a, b], 1:] > 0
    assert np.allclose(tanks[held], share[0])
    # The replica where nobody assaults: only the garrison loses.
    others = np.ones(u.n, bool)
    others[g] = False
    assert lost[1, others].sum() == 0.0
    assert lost[1, g, :, PERSONNEL].sum() == pytest.approx(st.present[1, g, PERSONNEL])


def test_a_share_is_at_most_the_largest_in_the_data(ctx: Context) -> None:
    """A remnant far smaller than the garrison's price loses at most 25 %.

    That is the largest share of its strength an attacker lost in CDB90's
    annihilation battles, in all of which the attacker outnumbered its defender.
    """
    u = ctx.units
    st, g = _assault(ctx, "ija_135imb", ["22rd"])
    a = u.ids.index("22rd")
    present = st.present.copy()
    present[0, a] *= 1e-3
    st = st.replace(present=present)
    dislodged = np.zeros(st.status.shape, bool)
    dislodged[0, g] = True
    _, losses = fall_back_dislodged(ctx, st, dislodged)
    lost = losses.dense(st.lost.shape)
    cap = collapse_max_attacker_share()
    assert 0.2 < cap < 0.3
    assert lost[0, a].sum(0) == pytest.approx(cap * present[0, a])

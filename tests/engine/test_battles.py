"""The battles of a run: engagements grouped by cell and time, with their losses."""

from __future__ import annotations

import numpy as np

from stavka.engine import Context
from stavka.engine.battles import battle_events, battles
from stavka.engine.core import simulate
from stavka.engine.state import PERSONNEL


def test_battles_hold_every_combat_loss_of_the_attacker(ctx: Context) -> None:
    """Each step's losses of units in contact land in exactly one battle."""
    res = simulate(ctx, 1, trace_every=1)
    found = battles(res)
    assert found, "the duel has fighting"
    attacker = ctx.units.side == 0
    lost = res.final.lost[0][attacker][:, :, PERSONNEL]
    combat = lost[:, [0, 1, 2, 3]].sum()  # killed, wounded, captured, missing
    in_battles = sum(b.attacker_losses for b in found)
    assert np.isclose(in_battles, combat, rtol=1e-6)


def test_battles_are_ordered_and_separate_in_time_per_cell(ctx: Context) -> None:
    """Battles at one cell do not overlap; each has attackers and defenders."""
    found = battles(simulate(ctx, 1, trace_every=1))
    assert [b.start_hour for b in found] == sorted(b.start_hour for b in found)
    by_cell: dict[int, float] = {}
    for b in found:
        assert b.attackers and b.defenders
        assert b.end_hour >= b.start_hour
        assert b.start_hour > by_cell.get(b.cell, -1.0)
        by_cell[b.cell] = b.end_hour
        assert b.result in {"taken", "surrendered", "broken off", "ongoing"}


def test_battle_events_are_run_format_events(ctx: Context) -> None:
    """Battle events carry time, kind, place and both sides' men and losses."""
    events = battle_events(simulate(ctx, 1, trace_every=1))
    assert events and all(e["kind"] == "battle" for e in events)
    for e in events:
        assert e["end"] >= e["time"]
        assert e["attacker_men"] > 0 and e["defender_men"] > 0
        assert e["attackers"] and e["defenders"]

"""Encirclement: a defender cut off from every held supply source."""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context, init_state
from stavka.engine.encircle import coarse_grid, cut_off
from stavka.engine.fallback import fall_back_dislodged
from stavka.engine.state import PERSONNEL, Status

# Five parent cells in a line, 0 - 1 - 2 - 3 - 4; the supply source is cell 0.
INDPTR = np.array([0, 1, 3, 5, 7, 8], np.int64)
INDICES = np.array([1, 0, 2, 1, 3, 2, 4, 3], np.int64)
LAND = np.ones(5, bool)
IDENTITY = np.arange(5, dtype=np.int64)
SOURCE = np.array([0], np.int64)
SIDE = np.array([1, 0], np.int8)  # unit 0 defends, unit 1 attacks


def _cut(defender_cell: int, attacker_cell: int, held: bool = True) -> bool:
    out = cut_off(
        np.ones((1, 2), np.int8),
        SIDE,
        np.array([[defender_cell, attacker_cell]], np.int32),
        np.full((1, 2), 5000.0),
        np.array([[held]]),
        IDENTITY,
        INDPTR,
        INDICES,
        LAND,
        SOURCE,
        200.0,
    )
    assert not out[0, 1]  # attackers are never judged
    return bool(out[0, 0])


def test_an_attacker_between_defender_and_source_cuts_it_off() -> None:
    """Attacker troops astride the only path cut the defender off."""
    assert _cut(defender_cell=4, attacker_cell=2)


def test_an_open_path_supplies_the_defender() -> None:
    """With the attacker behind it, the defender still reaches its source."""
    assert not _cut(defender_cell=2, attacker_cell=4)


def test_a_neighbour_on_the_path_is_enough() -> None:
    """An attacker in the defender's own cell does not cut it off from behind."""
    assert not _cut(defender_cell=3, attacker_cell=3)


def test_a_lost_source_supplies_nobody() -> None:
    """A source the defender no longer holds supplies nothing."""
    assert _cut(defender_cell=2, attacker_cell=4, held=False)


def test_small_parties_do_not_block() -> None:
    """Attacker parties under the threshold do not block the path."""
    out = cut_off(
        np.ones((1, 2), np.int8),
        SIDE,
        np.array([[4, 2]], np.int32),
        np.array([[5000.0, 100.0]]),
        np.array([[True]]),
        IDENTITY,
        INDPTR,
        INDICES,
        LAND,
        SOURCE,
        200.0,
    )
    assert not out[0, 0]


def test_a_dislodged_unit_cut_off_collapses(ctx: Context) -> None:
    """A delaying unit falls back when dislodged, but collapses when cut off."""
    st = init_state(ctx, 2)
    div = ctx.units.ids.index("blue_div")
    dislodged = np.zeros(st.status.shape, bool)
    dislodged[:, div] = True
    cut = np.zeros(st.status.shape, bool)
    cut[1, div] = True
    after, losses = fall_back_dislodged(ctx, st.replace(cut_off=cut), dislodged)
    assert after.status[0, div] == Status.ACTIVE
    assert after.cell[0, div] != st.cell[0, div]
    assert after.status[1, div] == Status.DESTROYED
    lost = losses.dense(st.lost.shape)[:, div, :, PERSONNEL].sum(axis=-1)
    assert lost[0] == 0.0
    assert lost[1] == pytest.approx(st.present[1, div, PERSONNEL])


def test_the_duel_map_has_a_parent_grid(ctx: Context) -> None:
    """Every map cell has a parent cell, and stations supply the defender."""
    g = coarse_grid(ctx)
    assert g.parent.shape == ctx.theatre.lat.shape
    assert 0 < g.land.sum() <= g.land.size < ctx.theatre.lat.size
    assert g.sources.size > 0

"""A place passes to the attacker when the surrender of its garrison is taken."""

from __future__ import annotations

import numpy as np

from stavka.engine import Context, init_state
from stavka.engine.control import surrendered_places
from stavka.engine.state import PERSONNEL, State, Status


def _setup(ctx: Context) -> tuple[State, int, int, int]:
    st = init_state(ctx, 1)
    u = ctx.units
    div = u.ids.index("blue_div")
    st.status[0, div] = Status.SURRENDERED
    town = list(ctx.place_ids).index("town_b")
    return st, div, town, int(st.cell[0, div])


def test_taking_a_garrisons_surrender_takes_its_place(ctx: Context) -> None:
    """Town B's only garrison surrenders: Town B is the attacker's from that hour."""
    st, div, town, cell = _setup(ctx)
    assert int(ctx.place_cells[town]) == cell and st.control[0, town] == 1
    rr, uu = np.array([0]), np.array([div])
    got = surrendered_places(ctx, st, rr, uu, 100.0)
    assert got.control[0, town] == 0
    assert got.capture_hour[0, town] == np.float32(100.0)
    # A second hand-over keeps the first capture hour.
    again = surrendered_places(ctx, got, rr, uu, 120.0)
    assert again.capture_hour[0, town] == np.float32(100.0)


def test_other_troops_holding_the_cell_keep_the_place(ctx: Context) -> None:
    """With another active defender unit in the cell, the place stays the defender's."""
    st, div, town, cell = _setup(ctx)
    other = ctx.units.ids.index("blue_puppets")
    st.cell[0, other] = cell
    st.status[0, other] = Status.ACTIVE
    assert st.present[0, other, PERSONNEL] > ctx.params.contact_threshold_men
    got = surrendered_places(ctx, st, np.array([0]), np.array([div]), 100.0)
    assert got.control[0, town] == 1 and np.isnan(got.capture_hour[0, town])
    # A unit with no men left hands nothing over.
    st.cell[0, other] = ctx.units.start_cell[other]
    st.present[0, div] = 0.0
    none = surrendered_places(ctx, st, np.array([0]), np.array([div]), 100.0)
    assert none.control[0, town] == 1

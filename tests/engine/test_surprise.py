"""Surprise belongs to a battle: a fight begun in the surprise window keeps it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from stavka.engine import Context, simulate
from stavka.engine.combat import resolve_combat
from stavka.engine.kernels_combat import ContactLosses


def _rates_later_in_first_fight(
    make_ctx: Callable[..., Context], window: float
) -> tuple[float, np.ndarray]:
    """Defenders' loss rates ten hours into the duel's first fight."""
    ctx = make_ctx()
    trace = simulate(ctx, 3, trace_every=1).trace
    first = next(st for st in trace if st.in_contact[0].any())
    later = next(st for st in trace if st.hour >= first.hour + 10)
    assert later.in_contact[0].any(), "the first fight must still go on"
    wet = np.zeros(ctx.theatre.lat.shape[0], bool)
    out = resolve_combat(make_ctx(surprise_hours=window), later, later.hour, wet)
    assert isinstance(out.losses, ContactLosses)
    return first.hour, out.losses.rate_d


def test_a_battle_begun_by_surprise_keeps_it(
    make_ctx: Callable[..., Context],
) -> None:
    """Ten hours on, a fight begun inside the window is still a surprise battle."""
    start, _ = _rates_later_in_first_fight(make_ctx, 1.0)
    _, inside = _rates_later_in_first_fight(make_ctx, start + 1.0)
    _, forever = _rates_later_in_first_fight(make_ctx, 1e6)
    _, never = _rates_later_in_first_fight(make_ctx, 0.0)
    np.testing.assert_array_equal(inside, forever)
    assert (inside > never).all()

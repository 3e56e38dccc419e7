"""Fast paths of the step agree bit for bit with the plain numpy code they replace."""

from __future__ import annotations

import dataclasses

import numpy as np

from stavka.engine import Context, init_state, step
from stavka.engine.core import ReplicaRng, _apply_losses
from stavka.engine.kernels import LossRows
from stavka.engine.logistics import build_supply_net
from stavka.engine.state import State


def test_sparse_losses_match_dense_losses(ctx: Context) -> None:
    """Listed per-unit losses move exactly what the dense array moves, capped alike."""
    rng = np.random.default_rng(5)
    st = init_state(ctx, 3)
    shape = st.lost.shape
    rows = rng.random(shape[:2]) < 0.5
    dense = np.zeros(shape)
    rr, uu = np.nonzero(rows)
    # Some losses exceed what is present, so the cap applies.
    hit = rng.random((rr.size, *shape[2:])) * st.present[rr, uu][:, None, :] * 0.6
    dense[rr, uu] = hit
    want, _ = _apply_losses(st, dense, rows=rows)
    got, owned = _apply_losses(st, LossRows(rr, uu, hit))
    assert owned
    assert np.array_equal(want.present, got.present)
    assert np.array_equal(want.lost, got.lost)
    assert np.array_equal(LossRows(rr, uu, hit).dense(shape), dense)


def test_in_place_steps_match_pure_steps(ctx: Context) -> None:
    """Stepping in place (no trace kept) gives the states pure steps give."""
    net = build_supply_net(ctx, init_state(ctx, 1).control[0])
    pure, fast = init_state(ctx, 2), init_state(ctx, 2)
    rngs_a, rngs_b = ReplicaRng.spawn(9, 2), ReplicaRng.spawn(9, 2)
    kept: list[State] = []
    for _ in range(24 * 4):
        pure = step(ctx, net, pure, rngs_a)
        kept.append(pure)
        fast = step(ctx, net, fast, rngs_b, inplace=True)
        for f in dataclasses.fields(pure):
            a, b = getattr(pure, f.name), getattr(fast, f.name)
            assert np.array_equal(a, b, equal_nan=True), f.name
    assert fast.lost.sum() > 0  # there was fighting to get wrong
    # Pure steps leave earlier states alone.
    assert not np.shares_memory(kept[0].present, kept[-1].present)

"""The run's remembered hops and men copy are speed-ups only: same state without."""

from __future__ import annotations

import dataclasses
import math

import numba
import numpy as np

from stavka.engine import init_state, prepare, simulate, step
from stavka.engine.core import ReplicaRng
from stavka.engine.logistics import build_supply_net
from stavka.engine.state import Status


def test_steps_without_memory_give_the_same_state() -> None:
    """With and without the hop memory and the men copy, the same state.

    Nine days of August Storm: exploitation, the fall-back order, the surrender
    cascade and prisoners.
    """
    ctx = prepare("august-storm")
    days, replicas, seed = 9, 3, 11
    with_memo = simulate(ctx, seed, replicas=replicas, days=days).final
    rngs = ReplicaRng.spawn(seed, replicas)
    st = init_state(ctx, replicas)
    net = build_supply_net(ctx, st.control[0])
    threads = numba.get_num_threads()
    numba.set_num_threads(1)  # as simulate runs a few replicas
    try:
        for _ in range(math.ceil(days * 24 / ctx.params.step_hours)):
            st = step(ctx, net, st, rngs)
    finally:
        numba.set_num_threads(threads)
    assert (st.status == Status.SURRENDERED).any()  # the surrender cascade began
    for f in dataclasses.fields(st):
        a, b = getattr(st, f.name), getattr(with_memo, f.name)
        assert np.array_equal(a, b, equal_nan=True), f.name

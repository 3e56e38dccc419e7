"""Shipped engine contract checks: run in CI on every scenario, usable by authors.

>>> from stavka.testing.engine import check_determinism  # doctest: +SKIP
>>> check_determinism(prepare("august-storm"), days=2)   # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses

import numpy as np

from stavka.engine.core import simulate
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL
from stavka.errors import EngineError

__all__ = ["check_accounting", "check_batch_invariance", "check_determinism"]


def check_determinism(ctx: Context, seed: int = 1, days: float = 2.0) -> None:
    """Same scenario and seed twice give bit-identical state.

    Raises:
        EngineError: naming the first state field that differs.
    """
    a = simulate(ctx, seed, days=days).final
    b = simulate(ctx, seed, days=days).final
    for f in dataclasses.fields(a):
        if not np.array_equal(getattr(a, f.name), getattr(b, f.name), equal_nan=True):
            raise EngineError(
                f"state field {f.name!r} differs between two runs of seed {seed}"
            )


def check_batch_invariance(
    ctx: Context, seed: int = 1, days: float = 2.0, replicas: int = 4
) -> None:
    """Replica 0 of a batch equals the single run from the same seed.

    Raises:
        EngineError: naming the first state field that differs.
    """
    one = simulate(ctx, seed, days=days).final
    many = simulate(ctx, seed, days=days, replicas=replicas).final
    for f in dataclasses.fields(one):
        x, y = getattr(one, f.name), getattr(many, f.name)
        if isinstance(x, np.ndarray) and not np.array_equal(x[0], y[0], equal_nan=True):
            raise EngineError(
                f"state field {f.name!r} of replica 0 differs in a batch of {replicas}"
            )


def check_accounting(
    ctx: Context, seed: int = 1, days: float = 2.0, tol: float = 1e-6
) -> None:
    """Every man is present or in one loss kind: initial = present + losses, per unit.

    Raises:
        EngineError: with the largest error.
    """
    st = simulate(ctx, seed, days=days).final
    initial = ctx.units.initial[None, :, PERSONNEL].astype(np.float64)
    now = st.present[..., PERSONNEL] + st.lost[..., PERSONNEL].sum(axis=2)
    err = float(np.abs(initial - now).max())
    if err > tol:
        raise EngineError(f"accounting error {err} men exceeds {tol}")

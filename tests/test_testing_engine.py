"""The shipped engine contract checks pass on every built-in scenario and can fail."""

from __future__ import annotations

import pytest

from stavka.engine import prepare
from stavka.engine.params import EngineParams
from stavka.errors import EngineError
from stavka.scenario import BUILTIN_SCENARIOS
from stavka.testing.engine import (
    check_accounting,
    check_batch_invariance,
    check_determinism,
)


@pytest.mark.parametrize("scenario", sorted(BUILTIN_SCENARIOS))
def test_builtin_scenarios_pass_engine_checks(scenario: str) -> None:
    """Determinism, batch invariance and accounting hold on each built-in scenario."""
    ctx = prepare(scenario)
    check_determinism(ctx, days=2)
    check_batch_invariance(ctx, days=2, replicas=3)
    check_accounting(ctx, days=2)


def test_accounting_check_can_fail() -> None:
    """A tolerance below zero makes the accounting check raise."""
    ctx = prepare("august-storm", params=EngineParams())
    with pytest.raises(EngineError, match="accounting"):
        check_accounting(ctx, days=1, tol=-1.0)

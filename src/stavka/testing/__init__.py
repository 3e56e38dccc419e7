"""Shipped contract checks and test fixtures (synthetic map, scenario/engine checks)."""

from __future__ import annotations

from stavka.testing.engine import (
    check_accounting,
    check_batch_invariance,
    check_determinism,
)
from stavka.testing.scenario import check_scenario_roundtrip, check_scenario_totals
from stavka.testing.theatre import SyntheticTheatre, make_synthetic_theatre

__all__ = [
    "SyntheticTheatre",
    "check_accounting",
    "check_batch_invariance",
    "check_determinism",
    "check_scenario_roundtrip",
    "check_scenario_totals",
    "make_synthetic_theatre",
]

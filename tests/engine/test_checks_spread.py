"""The spread of a figure over runs, against the engine issue's range."""

from __future__ import annotations

import pytest

from stavka.engine.checks import ISSUE_RANGES, spread


def test_spread_gives_percentiles_and_the_share_in_range() -> None:
    rows = [{"Soviet wounded": 1000.0 * k, "other": float(k)} for k in range(1, 41)]
    med, lo, hi, share = spread(rows, "Soviet wounded")
    assert med == pytest.approx(20_500.0)
    assert lo == pytest.approx(2_950.0)
    assert hi == pytest.approx(38_050.0)
    low, high = ISSUE_RANGES["Soviet wounded"]
    assert share == pytest.approx(
        sum(low <= r["Soviet wounded"] <= high for r in rows) / 40
    )
    assert spread(rows, "other")[3] is None  # no range for it

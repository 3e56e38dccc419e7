"""The models' data range: bounds from the battles; clip holds rows to it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from stavka.errors import ModelError
from stavka.models import Engagement, Support, load_models
from stavka.models.data import read_battles
from stavka.models.features import FEATURES, design_matrix
from stavka.models.support import SUPPORT_COLUMNS

INPUTS = tuple(f.name for f in dataclasses.fields(Engagement))


def test_bounds_are_the_battles_percentiles(calib_path: Path) -> None:
    """Each held column's bounds are the 1st and 99th percentiles of the battles."""
    t = read_battles(calib_path)
    eng = Engagement.build(**{k: getattr(t.engagement, k)[t.ok] for k in INPUTS})
    x = design_matrix(eng)
    sup = load_models().support
    assert set(sup.columns) == set(SUPPORT_COLUMNS)
    for j, name in enumerate(sup.columns):
        col = x[:, FEATURES.index(name)]
        lo, hi = np.percentile(col, [1, 99])
        assert sup.lo[j] == pytest.approx(lo, rel=1e-5, abs=1e-6)
        assert sup.hi[j] == pytest.approx(hi, rel=1e-5, abs=1e-6)
        # About 1 % of the battles lie beyond each bound that is not the extreme.
        assert (col > sup.hi[j] + 1e-5).mean() <= 0.011


def test_clip_moves_only_the_rows_outside() -> None:
    """Rows inside the range keep every column; outside ones go to the bound."""
    sup = load_models().support
    eng = Engagement.build(
        np.array([8000.0, 1300.0, 50.0]),
        np.array([6000.0, 6000.0, 6000.0]),
        att_tanks_per_1000=np.array([10.0, 60.0, 0.0]),
        att_arty_per_1000=np.array([20.0, 0.0, 5.0]),
    )
    x = design_matrix(eng)
    y = sup.clip(x.copy())
    np.testing.assert_array_equal(y[0], x[0])
    tanks = FEATURES.index("att_tanks_per_1000")
    hi = sup.hi[sup.columns.index("att_tanks_per_1000")]
    assert x[1, tanks] > hi and y[1, tanks] == hi
    others = [j for j in range(len(FEATURES)) if j != tanks]
    np.testing.assert_array_equal(y[1, others], x[1, others])
    strength = FEATURES.index("log_att_strength")
    lo = sup.lo[sup.columns.index("log_att_strength")]
    assert x[2, strength] < lo and y[2, strength] == lo


def test_bad_support_documents_are_refused() -> None:
    """An unknown column or bounds out of order raise ModelError."""
    with pytest.raises(ModelError, match="unknown design column"):
        Support.from_dict({"columns": {"tanks": [0.0, 1.0]}})
    with pytest.raises(ModelError, match="lo <= hi"):
        Support.from_dict({"columns": {"att_tanks_per_1000": [2.0, 1.0]}})
    doc = load_models().support.to_dict()
    back = Support.from_dict(doc)
    assert back.columns == load_models().support.columns

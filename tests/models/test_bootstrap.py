"""The cluster bootstrap of the fitted models (``stavka.models.bootstrap``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from stavka.errors import ModelError
from stavka.models.api import load_doc, params_path
from stavka.models.bootstrap import bootstrap_docs, campaign_draw


def test_a_draw_takes_whole_campaigns() -> None:
    rows = [
        {"isqno": str(i), "campgn": c}
        for i, c in enumerate(["a", "b", "b", "c", "c", "c", ""])
    ]
    sizes = {"a": 1, "b": 2, "c": 3, "isqno-6": 1}
    for seed in range(20):
        out = campaign_draw(rows, np.random.default_rng(seed))
        copies = Counter(r["campgn"] for r in out)
        assert len(copies) == 4  # as many campaigns as there are
        for label, n in copies.items():
            assert n == sizes[label.split("#")[0]]  # each with all its battles


def test_draws_are_reproducible_and_differ(calib_path: Path) -> None:
    first = list(bootstrap_docs(calib_path, 2, seed=7, sections=["attrition"]))
    again = list(bootstrap_docs(calib_path, 1, seed=7, sections=["attrition"]))
    assert first[0]["attrition"] == again[0]["attrition"]
    assert first[0]["attrition"] != first[1]["attrition"]
    shipped = load_doc(params_path())
    for doc in first:
        assert doc["attrition"] != shipped["attrition"]
        assert doc["outcome"] == shipped["outcome"]  # sections not asked for stay
        assert doc["bootstrap"] == {"seed": 7, "sections": ["attrition"]}


def test_bad_requests_are_errors(tmp_path: Path, calib_path: Path) -> None:
    with pytest.raises(ModelError, match="unknown"):
        next(bootstrap_docs(calib_path, 1, sections=["morale"]))
    with pytest.raises(ModelError, match="not found"):
        next(bootstrap_docs(tmp_path / "none.csv", 1))

"""The collapse exchange ratio: annihilation battles of the WWII era, fitted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from stavka.errors import ModelError
from stavka.models import load_models
from stavka.models.data import read_battles
from stavka.models.exchange import CollapseExchange
from stavka.models.features import WWII_ERA


def test_ratio_is_the_geometric_mean_of_wwii_annihilations(calib_path: Path) -> None:
    t = read_battles(calib_path)
    res = np.array(t.defender_result)
    rows = (
        t.ok
        & (t.engagement.era == WWII_ERA)
        & (res == "AA")
        & (t.cas_a > 0)
        & (t.cas_d > 0)
    )
    expect = np.exp(np.mean(np.log(t.cas_d[rows] / t.cas_a[rows])))
    fit = CollapseExchange.fit(t)
    assert fit.ratio == pytest.approx(expect)
    assert set(fit.battles) == set(np.array(t.isqno)[rows])
    lo, hi = fit.interval90
    assert lo < fit.ratio < hi
    # Annihilated defenders lose more than their attackers.
    assert fit.ratio > 1.0
    # The shipped parameter file holds this fit (to its 6 significant digits).
    assert load_models().collapse_exchange.ratio == pytest.approx(fit.ratio, rel=1e-5)


def test_only_annihilation_battles_of_the_era_count(calib_path: Path) -> None:
    t = read_battles(calib_path)
    res = list(t.defender_result)
    era = t.engagement.era.copy()
    first = next(i for i, r in enumerate(res) if r == "AA" and era[i] == WWII_ERA)
    # Move one annihilation battle to another era: it no longer counts.
    era[first] = WWII_ERA - 1
    moved = dataclasses.replace(
        t, engagement=dataclasses.replace(t.engagement, era=era)
    )
    assert t.isqno[first] not in CollapseExchange.fit(moved).battles
    # Call every battle a withdrawal: nothing left to fit.
    none = dataclasses.replace(t, defender_result=["WD"] * len(t))
    with pytest.raises(ModelError, match="fewer than two"):
        CollapseExchange.fit(none)


def test_a_bad_ratio_is_refused() -> None:
    doc = load_models().collapse_exchange.to_dict()
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ModelError, match="must be > 0"):
            CollapseExchange.from_dict({**doc, "ratio": bad})
    assert CollapseExchange.from_dict(doc) == load_models().collapse_exchange


def test_max_attacker_share_is_the_largest_in_those_battles(calib_path: Path) -> None:
    """The share that bounds a smaller attacker's price (all outnumbered theirs)."""
    t = read_battles(calib_path)
    fit = CollapseExchange.fit(t)
    rows = np.isin(np.array(t.isqno), fit.battles)
    share = t.cas_a[rows] / t.engagement.att_strength[rows]
    assert fit.max_attacker_share == pytest.approx(share.max())
    assert 0 < fit.max_attacker_share < 1
    assert (t.engagement.att_strength[rows] >= t.engagement.def_strength[rows]).all()
    shipped = load_models().collapse_exchange.max_attacker_share
    assert shipped == pytest.approx(fit.max_attacker_share, rel=1e-5)
    doc = load_models().collapse_exchange.to_dict()
    for bad in (0.0, 1.5, float("nan")):
        with pytest.raises(ModelError, match="max_attacker_share"):
            CollapseExchange.from_dict({**doc, "max_attacker_share": bad})

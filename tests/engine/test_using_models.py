"""The engine runs with other fitted models inside ``using_models`` only."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from stavka.engine import Context
from stavka.engine.combat import _models, models_digest, using_models
from stavka.engine.core import simulate
from stavka.engine.state import PERSONNEL
from stavka.models.api import CombatModels, load_doc, params_path


def _attacker_losses(ctx: Context) -> float:
    res = simulate(ctx, 1)
    return float(res.final.lost[0][ctx.units.side == 0][:, :, PERSONNEL].sum())


def test_other_models_change_losses_and_are_undone(ctx: Context) -> None:
    """Models with e times the attacker's loss rate cost the attacker more.

    After the block the run is the shipped one again, bit for bit.
    """
    shipped = _attacker_losses(ctx)
    doc = copy.deepcopy(load_doc(params_path()))
    doc["attrition"]["coef_att"]["const"] += 1.0
    other = CombatModels.from_dict(doc)
    with using_models(other, "0123456789abcdef") as m:
        assert _models() is m
        assert models_digest() == "0123456789abcdef"
        costly = _attacker_losses(ctx)
    assert costly > 1.2 * shipped > 0
    assert _models() is not other
    assert models_digest() != "0123456789abcdef"
    assert _attacker_losses(ctx) == shipped


def test_the_override_is_undone_on_error() -> None:
    other = CombatModels.from_dict(load_doc(params_path()))
    with pytest.raises(RuntimeError), using_models(other, "x"):
        raise RuntimeError("boom")
    assert _models() is not other
    assert np.isfinite(_models().collapse_exchange.ratio)

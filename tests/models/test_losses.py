import numpy as np
import pytest

from stavka.models.api import CombatModels
from stavka.models.enums import Situation
from stavka.models.losses import KILLED_SHARE, LossSplit, collapse_rate


def test_split_conserves_losses(models: CombatModels) -> None:
    """Killed + wounded + captured equals the losses, for every situation."""
    losses = np.array([100.0, 2500.0, 7.0])
    sit = np.array([Situation.ENGAGED, Situation.WITHDRAWING, Situation.ENCIRCLED])
    k, w, c = models.loss_split.split(losses, sit)
    np.testing.assert_allclose(k + w + c, losses)
    assert np.all(k >= 0) and np.all(w >= 0) and np.all(c >= 0)
    assert k[0] / (k[0] + w[0]) == pytest.approx(KILLED_SHARE)


def test_captured_share_grows_with_collapse(models: CombatModels) -> None:
    """An encircled side loses a larger share as prisoners than an engaged one."""
    share = models.loss_split.captured_share()
    assert share[Situation.ENGAGED] < share[Situation.WITHDRAWING]
    assert share[Situation.ENGAGED] < share[Situation.ENCIRCLED]


def test_collapse_rate_form() -> None:
    """The extra rate is (M - 1) x fire rate, zero when engaged, capped at 1 total."""
    split = LossSplit(
        multiplier={
            Situation.ENGAGED: 1.0,
            Situation.WITHDRAWING: 2.0,
            Situation.ENCIRCLED: 3.0,
        }
    )
    r = np.array([0.01, 0.01, 0.01, 0.6])
    s = np.array([0, 1, 2, 2])
    extra = collapse_rate(r, s, split)
    np.testing.assert_allclose(extra, [0.0, 0.01, 0.02, 0.4])

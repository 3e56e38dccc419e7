import numpy as np

from stavka.models.api import CombatModels
from stavka.models.enums import DEFENSIVE_ORDER


def test_probability_in_range_and_batched(models: CombatModels) -> None:
    """P(attacker wins) is a [B] array of probabilities."""
    p = models.outcome.p_attacker_wins(np.array([1e3, 1e4, 1e5]), 1e4)
    assert p.shape == (3,)
    assert np.all((p > 0) & (p < 1))


def test_force_ratio_surprise_air_raise_chances(models: CombatModels) -> None:
    """More attackers, surprise and air never lower the attacker's chance."""
    p = models.outcome.p_attacker_wins([5e3, 1e4, 4e4], 1e4)
    assert np.all(np.diff(p) >= 0)
    p = models.outcome.p_attacker_wins(2e4, 1e4, surprise=[-3, 0, 3])
    assert np.all(np.diff(p) >= 0)
    p = models.outcome.p_attacker_wins(2e4, 1e4, air=[-1, 0, 1])
    assert np.all(np.diff(p) >= 0)


def test_fortified_defence_slows_and_holds(models: CombatModels) -> None:
    """A stronger posture never raises the attacker's chance or speed."""
    order = [int(p) for p in DEFENSIVE_ORDER]
    p = models.outcome.p_attacker_wins(2e4, 1e4, posture=order)
    v = models.advance.km_per_day(2e4, 1e4, posture=order)
    assert np.all(np.diff(p) <= 0)
    assert np.all(np.diff(v) <= 0)
    assert np.all(v >= 0)

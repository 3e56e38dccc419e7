import numpy as np
import pytest

from stavka.models.baselines import (
    QJM_BASE_RATE_ATT,
    QJM_BASE_RATE_DEF,
    DupuyQJM,
    LanchesterSquare,
    PowerLaw,
)
from stavka.models.enums import Posture, Terrain
from stavka.models.features import Engagement


def test_lanchester_square_by_hand() -> None:
    """With k fitted on one battle, a 2x enemy over 3x the time gives 6x the losses."""
    m = LanchesterSquare()
    e1 = Engagement.build(1000.0, 500.0, 1.0)
    m.fit(e1, np.array([50.0]), np.array([40.0]))
    e2 = Engagement.build(2000.0, 1000.0, 3.0)
    ca, cd = m.predict(e2)
    assert ca[0] == pytest.approx(50.0 * 2 * 3)
    assert cd[0] == pytest.approx(40.0 * 2 * 3)


def test_qjm_base_rates_at_reference_conditions() -> None:
    """Hasty defence, flat bare, dry, no surprise: Dupuy's 2.8 % and 1.5 % a day."""
    e = Engagement.build(
        10_000.0, 8_000.0, 2.0, posture=Posture.HASTY, terrain=Terrain.FLAT_BARE
    )
    ca, cd = DupuyQJM().predict(e)
    assert ca[0] == pytest.approx(QJM_BASE_RATE_ATT * 10_000 * 2)
    assert cd[0] == pytest.approx(QJM_BASE_RATE_DEF * 8_000 * 2)


def test_power_law_recovers_exponents() -> None:
    """On noiseless synthetic data the power law recovers its exponents."""
    rng = np.random.default_rng(1)
    a, d, t = (
        rng.uniform(1e3, 1e5, 50),
        rng.uniform(1e3, 1e5, 50),
        rng.uniform(0.5, 9, 50),
    )
    e = Engagement.build(a, d, t)
    ca = 0.01 * a**0.5 * d**0.4 * t**0.7
    m = PowerLaw()
    m.fit(e, ca, ca)
    np.testing.assert_allclose(m.coef[0][1:], [0.5, 0.4, 0.7], atol=1e-9)

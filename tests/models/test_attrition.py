import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stavka.errors import ModelError
from stavka.models.api import CombatModels
from stavka.models.enums import DEFENSIVE_ORDER, Posture, Terrain, Weather

strength = st.floats(min_value=100.0, max_value=500_000.0)
factors = st.fixed_dictionaries(
    {
        "posture": st.sampled_from(list(Posture)),
        "terrain": st.sampled_from(list(Terrain)),
        "weather": st.sampled_from(list(Weather)),
        "surprise": st.integers(-3, 3),
        "air": st.integers(-1, 1),
        "att_tanks_per_1000": st.floats(0.0, 20.0),
        "att_arty_per_1000": st.floats(0.0, 20.0),
        "def_tanks_per_1000": st.floats(0.0, 20.0),
        "def_arty_per_1000": st.floats(0.0, 20.0),
        "duration_days": st.floats(0.1, 30.0),
    }
)


def test_batched_shapes_and_range(models: CombatModels) -> None:
    """Rates come back as [B] arrays of fractions in [0, 1] for a mixed batch."""
    b = 64
    rng = np.random.default_rng(0)
    ra, rd = models.attrition.daily_loss_rates(
        rng.uniform(1e3, 1e5, b),
        rng.uniform(1e3, 1e5, b),
        posture=rng.integers(0, len(Posture), b),
        terrain=rng.integers(0, len(Terrain), b),
        weather=rng.integers(0, 2, b),
        surprise=rng.integers(-3, 4, b),
        duration_days=rng.uniform(0.5, 10, b),
    )
    assert ra.shape == rd.shape == (b,)
    assert np.all((ra > 0) & (ra <= 1)) and np.all((rd > 0) & (rd <= 1))


@settings(max_examples=60, deadline=None)
@given(a=strength, d=strength, k=st.floats(1.01, 5.0), f=factors)
def test_more_defenders_never_lower_attacker_losses(
    models: CombatModels, a: float, d: float, k: float, f: dict[str, float]
) -> None:
    """More defender strength never lowers the attacker's losses."""
    r1, _ = models.attrition.daily_loss_rates(a, d, **f)
    r2, _ = models.attrition.daily_loss_rates(a, d * k, **f)
    assert r2[0] * a >= r1[0] * a * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(a=strength, d=strength, k=st.floats(1.01, 5.0), f=factors)
def test_more_attackers_never_lower_defender_losses(
    models: CombatModels, a: float, d: float, k: float, f: dict[str, float]
) -> None:
    """More attacker strength never lowers the defender's losses."""
    _, r1 = models.attrition.daily_loss_rates(a, d, **f)
    _, r2 = models.attrition.daily_loss_rates(a * k, d, **f)
    assert r2[0] >= r1[0] * (1 - 1e-12)


def test_stronger_posture_favours_defender(models: CombatModels) -> None:
    """A stronger posture never raises the defender's nor lowers the attacker's rate."""
    order = [int(p) for p in DEFENSIVE_ORDER]
    ra, rd = models.attrition.daily_loss_rates(20_000, 10_000, posture=order)
    assert np.all(np.diff(ra) >= 0)
    assert np.all(np.diff(rd) <= 0)
    assert ra[-1] >= ra[0] and rd[-1] <= rd[0]


@pytest.mark.parametrize("field", ["surprise", "air"])
def test_advantages_help_the_attacker(models: CombatModels, field: str) -> None:
    """Surprise and air superiority never raise the attacker's rate."""
    levels = [-3, -1, 0, 1, 3] if field == "surprise" else [-1, 0, 1]
    ra, rd = models.attrition.daily_loss_rates(20_000, 10_000, **{field: levels})
    assert np.all(np.diff(ra) <= 0)
    assert np.all(np.diff(rd) >= 0)


def test_marginal_rates_reproduce_totals(models: CombatModels) -> None:
    """Integrating the marginal rate from day 1 to day 6 gives the fitted increment."""
    grid = np.linspace(1.0, 6.0, 5_001)
    rm, _ = models.attrition.marginal_loss_rates(30_000, 15_000, duration_days=grid)
    total = float(np.sum((rm[1:] + rm[:-1]) / 2 * np.diff(grid)))
    ra, _ = models.attrition.daily_loss_rates(30_000, 15_000, duration_days=[1.0, 6.0])
    assert total == pytest.approx(ra[1] * 6.0 - ra[0] * 1.0, rel=1e-3)


def test_bad_engine_input_is_model_error(models: CombatModels) -> None:
    """Non-positive strengths or unknown enum values raise ModelError."""
    with pytest.raises(ModelError, match="def_strength"):
        models.attrition.daily_loss_rates(1000, 0)
    with pytest.raises(ModelError, match="posture"):
        models.attrition.daily_loss_rates(1000, 1000, posture=9)

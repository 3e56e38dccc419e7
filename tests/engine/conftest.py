"""Fixtures for engine tests: the 'duel' scenario on a flat synthetic map."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from stavka.engine import Context, EngineParams, build_context
from stavka.geo import haversine_km
from stavka.scenario import Scenario, load_scenario
from stavka.testing.theatre import SyntheticTheatre, make_synthetic_theatre

DUEL = Path(__file__).parent / "data" / "duel"


@pytest.fixture(scope="session")
def duel() -> Scenario:
    """The duel test scenario."""
    return load_scenario(DUEL)


@pytest.fixture(scope="session")
def flat(duel: Scenario) -> SyntheticTheatre:
    """A flat map 43-49N, 118-133E with the duel's places and fortified region."""
    places = {p.id: (p.lat, p.lon) for p in duel.places.values()}
    theatre = make_synthetic_theatre(43.0, 49.0, 118.0, 133.0, 5, places)
    for fr in duel.fortified_regions.values():
        place = duel.places[fr.place]
        d = haversine_km(place.lat, place.lon, theatre.lat, theatre.lon)
        theatre.fortified_level[d <= (fr.radius_km.value or 0)] = fr.level
    rail = [theatre.place_cell[s] for s in duel.railways["main_line"].stations]
    for a, b in pairwise(rail):
        del a, b  # rail edges are not needed by the engine tests
    return theatre


@pytest.fixture(scope="session")
def make_ctx(duel: Scenario, flat: SyntheticTheatre) -> Callable[..., Context]:
    """Factory: an engine context for the duel with parameter overrides."""

    def make(**params: float) -> Context:
        return build_context(duel, flat, EngineParams(**params))  # type: ignore[arg-type]

    return make


@pytest.fixture
def ctx(make_ctx: Callable[..., Context]) -> Context:
    """Engine context with default parameters."""
    return make_ctx()


@pytest.fixture(scope="session")
def identity_error() -> Callable[[Context, np.ndarray, np.ndarray], float]:
    """Largest |initial - present - lost| over replicas, units and items."""

    def err(ctx: Context, present: np.ndarray, lost: np.ndarray) -> float:
        initial = ctx.units.initial[None].astype(np.float64)
        return float(np.abs(initial - present - lost.sum(axis=2)).max())

    return err

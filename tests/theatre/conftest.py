"""Fixtures for the theatre tests: the shipped map, alone and with August Storm."""

from __future__ import annotations

import pytest

from stavka.scenario import load_scenario
from stavka.scenario.container import Scenario
from stavka.theatre import Theatre, load_theatre


@pytest.fixture(scope="session")
def theatre() -> Theatre:
    """The shipped resolution-5 map without scenario layers."""
    return load_theatre(5)


@pytest.fixture(scope="session")
def storm() -> Scenario:
    """The built-in August Storm scenario (consistency problems kept as warnings)."""
    return load_scenario("august-storm", strict=False)


@pytest.fixture(scope="session")
def storm_map(theatre: Theatre, storm: Scenario) -> Theatre:
    """The map with August Storm's places, railways, roads and forts overlaid."""
    return theatre.for_scenario(storm)

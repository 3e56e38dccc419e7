"""Scenarios as plain data files: pydantic models, the loader and consistency checks.

>>> from stavka.scenario import load_scenario
>>> s = load_scenario("august-storm")
>>> s.versioned_id
'august-storm-v1'
"""

from __future__ import annotations

from stavka.scenario.container import STRENGTH_ITEMS, Scenario
from stavka.scenario.loader import (
    BUILTIN_SCENARIOS,
    check_scenario,
    load_scenario,
    resolve_scenario_dir,
)
from stavka.scenario.schema import (
    Echelon,
    Event,
    Formation,
    FormationType,
    FortifiedRegion,
    Mobility,
    Place,
    Plan,
    Posture,
    Quantity,
    Railway,
    Road,
    Strength,
    Variant,
    WeatherPeriod,
)

__all__ = [
    "BUILTIN_SCENARIOS",
    "STRENGTH_ITEMS",
    "Echelon",
    "Event",
    "Formation",
    "FormationType",
    "FortifiedRegion",
    "Mobility",
    "Place",
    "Plan",
    "Posture",
    "Quantity",
    "Railway",
    "Road",
    "Scenario",
    "Strength",
    "Variant",
    "WeatherPeriod",
    "check_scenario",
    "load_scenario",
    "resolve_scenario_dir",
]

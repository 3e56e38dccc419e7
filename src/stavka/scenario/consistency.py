"""Cross-object checks of a scenario: one ``check_*`` function per rule.

Each check takes the loaded :class:`~stavka.scenario.Scenario` and a locator (object ->
file origin) and returns a list of :class:`~stavka.errors.Problem`, each naming file,
line, field path, what is wrong and how to fix it. :func:`check_all` runs them all in
the order of :data:`CHECKS`; ``load_scenario(strict=False)`` keeps the problems as
warnings instead of raising.

The rules live in :mod:`stavka.scenario.consistency_forces` (order of battle) and
:mod:`stavka.scenario.consistency_refs` (plans, events, railways, fortified regions,
dates). Problems inside one file (types, ranges, unknown fields, duplicate ids) are
found earlier, by the models and the loader.
"""

from __future__ import annotations

from collections.abc import Callable

from stavka.errors import Problem
from stavka.scenario.consistency_forces import (
    Locator,
    check_command_tree_acyclic,
    check_echelon_order,
    check_formation_references,
    check_joins,
    check_mobility_matches_type,
    check_naval_start,
    check_sides,
    check_start_on_land,
)
from stavka.scenario.consistency_refs import (
    check_dates_inside_scenario,
    check_events,
    check_fortified_regions,
    check_plan_conditions,
    check_plans,
    check_railways,
)
from stavka.scenario.container import Scenario

__all__ = [
    "CHECKS",
    "Check",
    "Locator",
    "check_all",
    "check_command_tree_acyclic",
    "check_dates_inside_scenario",
    "check_echelon_order",
    "check_events",
    "check_formation_references",
    "check_fortified_regions",
    "check_joins",
    "check_mobility_matches_type",
    "check_naval_start",
    "check_plan_conditions",
    "check_plans",
    "check_railways",
    "check_sides",
    "check_start_on_land",
]

Check = Callable[[Scenario, Locator], list[Problem]]
"""A consistency rule: returns the problems it finds (empty if none)."""

CHECKS: tuple[Check, ...] = (
    check_sides,
    check_formation_references,
    check_command_tree_acyclic,
    check_echelon_order,
    check_joins,
    check_mobility_matches_type,
    check_naval_start,
    check_start_on_land,
    check_dates_inside_scenario,
    check_plans,
    check_plan_conditions,
    check_events,
    check_railways,
    check_fortified_regions,
)
"""Every rule, in the order :func:`check_all` runs them."""


def check_all(s: Scenario, locate: Locator) -> list[Problem]:
    """Run every consistency check and return all problems found."""
    out: list[Problem] = []
    for check in CHECKS:
        out += check(s, locate)
    return out

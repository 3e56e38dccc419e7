"""Reusable checks for scenarios (run them on any scenario, in tests or by hand).

>>> from stavka.testing.scenario import check_scenario_roundtrip  # doctest: +SKIP
>>> check_scenario_roundtrip("august-storm", tmp_path)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stavka.scenario.container import STRENGTH_ITEMS, Scenario
from stavka.scenario.loader import load_scenario
from stavka.scenario.summary import oob_summary
from stavka.scenario.writer import write_scenario

__all__ = ["COMPARED", "check_scenario_roundtrip", "check_scenario_totals"]

COMPARED = (
    "meta",
    "formations",
    "places",
    "railways",
    "roads",
    "fortified_regions",
    "plans",
    "events",
    "weather",
    "variants",
)
"""Scenario attributes that must survive a write and a reload unchanged."""


def _first_difference(a: Any, b: Any) -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return f"keys only on one side: {sorted(set(a) ^ set(b))[:5]}"
        key = next(k for k in a if a[k] != b[k])
        return f"{key!r}: {a[key]!r} != {b[key]!r}"
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{len(a)} items != {len(b)} items"
        i = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
        return f"item {i}: {a[i]!r} != {b[i]!r}"
    return f"{a!r} != {b!r}"


def check_scenario_roundtrip(ref: str | Path, workdir: Path) -> Scenario:
    """Load a scenario, write it to ``workdir``, load the copy and compare.

    Args:
        ref: a built-in id or a scenario directory.
        workdir: an existing directory to write the copy into.

    Returns:
        The reloaded copy.

    Raises:
        AssertionError: naming the first object that differs after the round trip.
    """
    original = load_scenario(ref, strict=False)
    dest = workdir / f"{original.id}-roundtrip"
    write_scenario(original, dest)
    again = load_scenario(dest, strict=False)
    for name in COMPARED:
        a, b = getattr(original, name), getattr(again, name)
        if a != b:
            msg = f"{name} differ after the round trip: {_first_difference(a, b)}"
            raise AssertionError(msg)
    if len(original.warnings) != len(again.warnings):
        msg = f"{len(original.warnings)} warnings became {len(again.warnings)}"
        raise AssertionError(msg)
    return again


def check_scenario_totals(s: Scenario) -> None:
    """Check that per-side totals in the summary add up and are never negative.

    Raises:
        AssertionError: naming the side and item that do not add up.
    """
    summary = oob_summary(s)
    for side, doc in summary["sides"].items():
        for item in STRENGTH_ITEMS:
            by_hand = sum(
                f.strength.values()[item] or 0.0
                for f in s.formations.values()
                if f.side == side
            )
            if doc["totals"][item] != by_hand or by_hand < 0:
                msg = f"{side} {item}: summary {doc['totals'][item]} != {by_hand}"
                raise AssertionError(msg)
        if sum(doc["by_type"].values()) != doc["formations"]:
            raise AssertionError(f"{side}: formations by type do not add up")

"""Fixtures for the record tests: a small scenario and synthetic runs."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from stavka.scenario import Place, Scenario
from stavka.scenario.schema import ScenarioMeta

BUILTIN = Path(__file__).resolve().parents[2] / "src/stavka/scenarios/august_storm_1945"


def make_scenario(formations: dict[str, tuple[float, float]] | None = None) -> Scenario:
    """Build the built-in scenario's meta and places with stand-in formations.

    Formations are ``{id: (lat, lon)}``; only their start location is used by the
    record code, so the test does not depend on the OOB data being complete.
    """
    meta = ScenarioMeta.model_validate(
        tomllib.loads((BUILTIN / "scenario.toml").read_text(encoding="utf-8"))
    )
    with (BUILTIN / "places.csv").open(encoding="utf-8", newline="") as fh:
        places = {r["id"]: Place.model_validate(r) for r in csv.DictReader(fh)}
    forms: dict[str, Any] = {
        fid: SimpleNamespace(
            id=fid, location=SimpleNamespace(lat=lat, lon=lon, place=None)
        )
        for fid, (lat, lon) in (formations or {}).items()
    }
    return Scenario(
        root=BUILTIN,
        meta=meta,
        formations=forms,
        places=places,
        railways={},
        roads={},
        fortified_regions={},
        plans={},
        events=[],
        weather=[],
        variants={},
    )


@pytest.fixture
def scenario() -> Scenario:
    """The built-in scenario's places and meta, with formation 6gta at Tamsag-Bulag."""
    return make_scenario({"6gta": (47.23, 117.27), "36a": (49.63, 117.32)})

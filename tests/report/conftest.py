"""Fixtures for the report tests: a synthetic run over the built-in record."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from stavka.record.evaluate import Evaluation, evaluate
from stavka.record.loader import load_record
from stavka.record.synthetic import Leg, synthetic_run
from stavka.report import build_report
from stavka.scenario import Scenario

_spec = importlib.util.spec_from_file_location(
    "record_test_helpers",
    Path(__file__).resolve().parents[1] / "record" / "conftest.py",
)
assert _spec is not None and _spec.loader is not None
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
make_scenario = _helpers.make_scenario

LEGS = [
    Leg("6gta", "ussr", "tamsag_bulag", "lubei", 0.0, 3.0, 50_000),
    Leg("6gta", "ussr", "lubei", "shenyang", 3.0, 11.0, 45_000),
    Leg("36a", "ussr", "otpor", "hailar", 0.0, 2.5, 60_000),
    Leg("5a", "ussr", "grodekovo", "mudanjiang", 0.0, 8.0, 80_000),
    Leg("ija_107d", "japan", "arxan", "changchun", 3.0, 12.0, 15_000, 0.5),
    Leg("ija_124d", "japan", "muling", "mudanjiang", 2.0, 6.0, 20_000, 0.7),
]


def example_run(root: Path, scenario: Scenario) -> Path:
    """Write a synthetic run whose captures scatter around the record windows.

    Offsets are a fixed pattern (-2 to +2 days), two places are never taken, and the
    advance series are straight lines: a test fixture, not a simulation.
    """
    rec = load_record(scenario.record_dir or "", scenario)
    tz = scenario.meta.start.tzinfo
    captures: dict[str, str | None] = {}
    for i, (place, w) in enumerate(sorted(rec.windows.items())):
        if i % 11 == 5:
            captures[place] = None
            continue
        offset = ((i * 7) % 9 - 4) * 0.5
        when = dt.datetime.combine(w.first, dt.time(12), tzinfo=tz)
        captures[place] = (when + dt.timedelta(days=offset)).isoformat()
    advance: dict[str, dict[str, float]] = {}
    for fid, rate in (
        ("6gta", 70.0),
        ("trans_baikal_front", 85.0),
        ("first_far_eastern_front", 24.0),
        ("17a", 40.0),
        ("36a", 60.0),
        ("1rba", 12.0),
    ):
        advance[fid] = {
            (scenario.meta.start.date() + dt.timedelta(days=d)).isoformat(): rate
            * (min(d, 6) + 1 + 0.25 * max(0, d - 6))
            for d in range(20)
        }
    return synthetic_run(
        root,
        scenario,
        captures=captures,
        advance_km=advance,
        legs=LEGS,
        losses={
            "ussr": {"killed": 9000, "wounded": 21000},
            "japan": {"killed": 70000, "captured": 600000, "wounded": 10000},
        },
        seed=42,
    )


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    """A synthetic run scored against the built-in record."""
    scenario = make_scenario(
        {"6gta": (47.23, 117.27), "36a": (49.63, 117.32), "5a": (44.4, 131.15)}
    )
    run_dir = example_run(tmp_path_factory.mktemp("run"), scenario)
    return evaluate(run_dir, scenario=scenario)


@pytest.fixture(scope="module")
def report_html(evaluation: Evaluation) -> str:
    """The report of the synthetic run, with snapshots on days 1 and 8."""
    return build_report(evaluation, days=[1, 8])

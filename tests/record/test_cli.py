"""The `stavka score` and `stavka report` commands."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from stavka.record.cli import register
from stavka.record.synthetic import synthetic_run
from stavka.scenario import Scenario

CAPTURES = {"harbin": "1945-08-21T12:00:00+09:00", "jilin": None}


def cli() -> typer.Typer:
    """A root app with the record commands registered."""
    app = typer.Typer()
    register(app)
    return app


def stavka_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `stavka` entry point with ``args`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", "from stavka.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_score_json_with_other_record_dir(tmp_path: Path, scenario: Scenario) -> None:
    """--record points the scorer at any directory of the same format."""
    run = synthetic_run(tmp_path / "run", scenario, captures=CAPTURES, days=20)
    rec = tmp_path / "rec"
    shutil.copytree(scenario.root / "record", rec)
    (rec / "events.csv").write_text(
        "date,time,side,unit,event_kind,place_id,detail,source,formation_id\n"
        "1945-08-20,,USSR,2FEF,capture,harbin,Harbin taken,src,\n"
    )
    res = CliRunner().invoke(cli(), ["score", str(run), "--record", str(rec), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["record"] == str(rec)
    (harbin,) = data["captures"]["places"]
    assert harbin["place"] == "harbin" and harbin["error_days"] == pytest.approx(0.5)


def test_score_text_and_report(tmp_path: Path, scenario: Scenario) -> None:
    """Text output names the places; report writes an HTML file."""
    run = synthetic_run(tmp_path / "run", scenario, captures=CAPTURES, days=20)
    res = CliRunner().invoke(cli(), ["score", str(run)])
    assert res.exit_code == 0, res.output
    assert "harbin" in res.stdout and "median capture-date error" in res.stdout
    out = tmp_path / "r.html"
    res = CliRunner().invoke(
        cli(), ["report", str(run), "--out", str(out), "--days", "2"]
    )
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_incomplete_run_exits_1_naming_file(tmp_path: Path, scenario: Scenario) -> None:
    """A run without units.parquet exits 1 with the file named on stderr."""
    run = synthetic_run(tmp_path / "run", scenario, captures={}, days=2)
    (run / "units.parquet").unlink()
    proc = stavka_subprocess("score", str(run))
    assert proc.returncode == 1
    assert "units.parquet" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_record_exits_1_naming_row(tmp_path: Path, scenario: Scenario) -> None:
    """A record with an unknown place exits 1 naming file, row and column."""
    run = synthetic_run(tmp_path / "run", scenario, captures={}, days=2)
    rec = tmp_path / "rec"
    shutil.copytree(scenario.root / "record", rec)
    with (rec / "events.csv").open("a") as fh:
        fh.write("1945-08-20,,USSR,x,capture,nowhere,d,src,\n")
    proc = stavka_subprocess("score", str(run), "--record", str(rec))
    assert proc.returncode == 1
    assert "events.csv: row" in proc.stderr and "'place_id'" in proc.stderr
    assert "nowhere" in proc.stderr

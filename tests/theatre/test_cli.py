"""``stavka map`` commands: JSON contract and clear errors (exit 1)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stavka.theatre.cli import app

runner = CliRunner()


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from stavka.cli import main; sys.argv[0] = 'stavka'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_cell_json() -> None:
    """`map cell LAT LON --json` prints one document with the contract's keys."""
    r = runner.invoke(app, ["cell", "45.75", "126.65", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    for key in (
        "h3",
        "elevation_m",
        "cover",
        "terrain",
        "water",
        "rail",
        "road",
        "rivers",
        "fortified",
        "place",
    ):
        assert key in doc
    assert doc["place"] == "harbin"
    assert doc["rail"] is True
    assert any(rv["name"] == "Sungari" for rv in doc["rivers"])


def test_path_json() -> None:
    """`map path FROM TO --json` reports km, hours and cells."""
    r = runner.invoke(
        app, ["path", "harbin", "changchun", "--mobility", "rail", "--json"]
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["km"] > 0
    assert doc["hours"] > 0
    assert len(doc["cells"]) >= 2


def test_info_json() -> None:
    """`map info --json` reports counts and file sizes."""
    r = runner.invoke(app, ["info", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["cells"] == doc["land_cells"] + doc["water_cells"]
    assert sum(doc["files_bytes"].values()) <= 20 * 2**20


def test_unknown_place_exit_1() -> None:
    """An unknown place id gives a message naming it and exit code 1."""
    r = _main("map", "path", "atlantis", "harbin")
    assert r.returncode == 1
    assert "atlantis" in r.stderr
    assert "Traceback" not in r.stderr


def test_outside_theatre_exit_1() -> None:
    """Coordinates outside the theatre give a clear message and exit code 1."""
    r = _main("map", "cell", "10", "10", "--json")
    assert r.returncode == 1
    assert "outside the theatre" in r.stderr
    assert r.stdout == ""


def test_bad_mobility_exit_1() -> None:
    """An unknown mobility class gives a clear message and exit code 1."""
    r = _main("map", "path", "harbin", "changchun", "--mobility", "camel")
    assert r.returncode == 1
    assert "camel" in r.stderr


@pytest.mark.parametrize("grid", [False, True])
def test_render_png(tmp_path: Path, grid: bool) -> None:
    """`map render` writes a PNG (small box, low dpi to stay fast)."""
    out = tmp_path / "m.png"
    args = ["render", "--out", str(out), "--bbox", "119,45,123,48", "--dpi", "40"]
    r = runner.invoke(app, [*args, *(["--grid"] if grid else [])])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 5_000

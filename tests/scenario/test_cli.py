"""The ``stavka scenario check|show`` command-line contract."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stavka.scenario import STRENGTH_ITEMS, load_scenario, resolve_scenario_dir
from stavka.scenario.cli import app

Edit = Callable[[Path, str, str], None]

runner = CliRunner()


def _stavka(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``stavka`` entry point (exit codes as a user sees them)."""
    code = "import sys; from stavka.cli import main; sys.argv[0] = 'stavka'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _one_json(text: str) -> Any:
    """Parse stdout that must hold exactly one JSON document."""
    return json.loads(text)


def test_check_ok(mini_dir: Path) -> None:
    """A valid scenario: exit 0 and a one-line OK."""
    result = runner.invoke(app, ["check", str(mini_dir)])
    assert result.exit_code == 0
    assert result.stdout.startswith("mini-v1: OK (10 formations")


def test_check_json_ok(mini_dir: Path) -> None:
    """``check --json`` prints one JSON document with ok, counts and no problems."""
    result = runner.invoke(app, ["check", str(mini_dir), "--json"])
    assert result.exit_code == 0
    doc = _one_json(result.stdout)
    assert doc["ok"] is True
    assert doc["scenario"] == "mini-v1"
    assert doc["formations"] == 10
    assert doc["variants"] == ["blue-forward"]
    assert doc["problems"] == []


def test_check_bad_exits_1(mini: Path, edit: Edit) -> None:
    """A bad scenario: exit 1, each problem on its own line of stderr."""
    edit(mini / "forces" / "red.yaml", "posture: reserve", "posture: asleep")
    edit(mini / "places.csv", "49.21,119.74", "49.21,east")
    result = runner.invoke(app, ["check", str(mini)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].endswith(": 2 problems")
    assert lines[1].strip().startswith("forces/red.yaml:")
    assert lines[2].strip().startswith("places.csv:5: lon:")


def test_check_json_bad(mini: Path, edit: Edit) -> None:
    """``check --json`` on a bad scenario: exit 1, one document listing the problems."""
    edit(mini / "railways.yaml", "stations: [otpor,", "stations: [otpr,")
    result = runner.invoke(app, ["check", str(mini), "--json"])
    assert result.exit_code == 1
    doc = _one_json(result.stdout)
    assert doc["ok"] is False
    (problem,) = doc["problems"]
    assert problem["file"] == "railways.yaml"
    assert problem["where"] == "6: lines[0].stations[0]"
    assert "'otpr'" in problem["what"]
    assert problem["fix"]
    assert problem["message"].startswith("railways.yaml:6: lines[0].stations[0]: ")


def test_check_variant_option(mini_dir: Path) -> None:
    """``check --variant`` checks the scenario with that variant applied."""
    ok = runner.invoke(app, ["check", str(mini_dir), "--variant", "blue-forward"])
    assert ok.exit_code == 0
    bad = runner.invoke(app, ["check", str(mini_dir), "--variant", "nope", "--json"])
    assert bad.exit_code == 1
    assert "no variant 'nope'" in bad.stdout


def test_show_json_keys(mini_dir: Path) -> None:
    """``show --json`` has the DESIGN keys and totals equal to the scenario's."""
    result = runner.invoke(app, ["show", str(mini_dir), "--json"])
    assert result.exit_code == 0
    doc = _one_json(result.stdout)
    s = load_scenario(mini_dir)
    assert doc["scenario"] == "mini" and doc["version"] == 1
    assert doc["formations"] == len(s.formations)
    assert set(doc["sides"]) == {"ussr", "japan"}
    for sid, side in doc["sides"].items():
        assert {"formations", "by_type", "by_echelon", "totals"} <= set(side)
        assert sum(side["by_type"].values()) == side["formations"]
        assert sum(side["by_echelon"].values()) == side["formations"]
        assert set(side["totals"]) == set(STRENGTH_ITEMS)
        assert side["totals"] == s.totals(sid)
        assert 0.0 <= side["estimated_share"] <= 1.0
    assert doc["sides"]["japan"]["unknown"] == 1


def test_show_tree(mini_dir: Path) -> None:
    """The tree names every formation once, children indented under parents."""
    result = runner.invoke(app, ["show", str(mini_dir)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    s = load_scenario(mini_dir)
    for fid in s.formations:
        assert sum(f"[{fid}]" in line for line in lines) == 1
    indent = {
        fid: len(line) - len(line.lstrip())
        for line in lines
        for fid in s.formations
        if f"[{fid}]" in line
    }
    for f in s.formations.values():
        if f.parent is not None:
            assert indent[f.id] == indent[f.parent] + 2
    header = [line for line in lines if line.startswith("== ")]
    assert len(header) == 2
    assert "6 formations: 22,000 men" in header[0]


def test_show_lists_the_variants(mini_dir: Path) -> None:
    """``show`` ends with each variant's id and title; ``--json`` maps id to title."""
    result = runner.invoke(app, ["show", str(mini_dir)])
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "variants (--variant ID):",
        "  blue-forward: Blue defends forward",
    ]
    doc = _one_json(runner.invoke(app, ["show", str(mini_dir), "--json"]).stdout)
    assert doc["variants"] == {"blue-forward": "Blue defends forward"}


def test_show_depth_limits_tree(mini_dir: Path) -> None:
    """``--depth 1`` prints only the top formations."""
    result = runner.invoke(app, ["show", str(mini_dir), "--depth", "1"])
    assert "[red_front]" in result.stdout
    assert "[red_army]" not in result.stdout
    assert "... 5 subordinate formations" in result.stdout


def test_entry_point_exit_codes(mini: Path, edit: Edit) -> None:
    """Through ``stavka``: bad input exits 1 with the problem and no traceback."""
    edit(mini / "forces" / "blue.yaml", "joins: 1945-08-10", "joins: 1945-02-30")
    check = _stavka("scenario", "check", str(mini))
    show = _stavka("scenario", "show", str(mini), "--json")
    assert (check.returncode, show.returncode) == (1, 1)
    for result in (check, show):
        assert "Traceback" not in result.stderr + result.stdout
    assert "forces/blue.yaml:59: formations[3].joins" in check.stderr
    assert "formations[3].joins" in show.stderr
    assert show.stdout == ""


def test_usage_error_exits_2() -> None:
    """A missing argument is a usage error: exit 2, no traceback."""
    usage = _stavka("scenario", "check")
    assert "Traceback" not in usage.stderr
    assert usage.returncode == 2


def test_ten_injected_mistakes(mini: Path, edit: Edit) -> None:
    """Ten mistakes in ten places: exit 1, all ten named, no traceback."""
    red, blue = mini / "forces" / "red.yaml", mini / "forces" / "blue.yaml"
    edit(mini / "scenario.toml", "time_notes =", "time_note =")  # unknown field
    edit(red, "personnel: {value: 10000", "personnel: {value: -10000")  # negative
    edit(blue, "joins: 1945-08-10", "joins: 1945-02-30")  # impossible date
    edit(blue, "{place: hailar}", "{place: hailr}")  # dangling place
    edit(mini / "plans" / "blue.yaml", "posture: withdraw", "posture: flee")
    edit(mini / "places.csv", "47.35,123.92", "47.35,far east")  # wrong type
    edit(mini / "railways.yaml", "qiqihar, harbin]", "qiqihar, harbn]")  # station
    edit(mini / "fortified_regions.yaml", "[blue_garrison]", "[blue_garison]")
    edit(mini / "events.csv", "red_army;red_rd1", "red_army;red_rd9")  # event id
    edit(mini / "weather.csv", ",dry,", ",dusty,")  # enum
    expected = [
        ("scenario.toml:8: time_note", "Extra inputs"),
        ("forces/red.yaml:40: formations[2].strength.personnel", "negative"),
        ("forces/blue.yaml:59: formations[3].joins", "date"),
        ("forces/blue.yaml:29: formations[1].location.place", "'hailr'"),
        ("plans/blue.yaml:5: plans[0].objectives[0].posture", "'flee'"),
        ("places.csv:6: lon", "'far east'"),
        ("railways.yaml:6: lines[0].stations[4]", "'harbn'"),
        (
            "fortified_regions.yaml:7: fortified_regions[0].garrison[0]",
            "'blue_garison'",
        ),
        ("events.csv:3: formation_id[1]", "'red_rd9'"),
        ("weather.csv:2: condition", "'dusty'"),
    ]
    result = _stavka("scenario", "check", str(mini), "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    messages = [p["message"] for p in _one_json(result.stdout)["problems"]]
    for where, what in expected:
        assert any(m.startswith(where) and what in m for m in messages), (where, what)
    assert len(messages) == len(expected)


BUILTIN_MISTAKES = [
    ("scenario.toml", r"^title =", "titel =", "titel"),
    (
        "forces/soviet_command.yaml",
        r"posture: attack",
        "posture: sleeping",
        "'sleeping'",
    ),
    (
        "forces/japanese_kwantung.yaml",
        r"parent: (?!null)[a-z0-9_]+",
        "parent: ghost_hq",
        "'ghost_hq'",
    ),
    (
        "forces/soviet_trans_baikal_front.yaml",
        r"(personnel:\s*\{?\s*value:\s*)(\d)",
        r"\1-\2",
        "negative",
    ),
    (
        "plans/soviet.yaml",
        r"formation: [a-z0-9_]+",
        "formation: ghost_unit",
        "'ghost_unit'",
    ),
    ("plans/japanese.yaml", r"posture: prepared_defence", "posture: panic", "'panic'"),
    ("places.csv", r",\d+\.\d+,(\d+\.\d+),", r",north,\1,", "'north'"),
    ("railways.yaml", r"stations: \[", "stations: [ghost_station, ", "'ghost_station'"),
    ("fortified_regions.yaml", r"level: \d", "level: 7", "level"),
    ("events.csv", r"\n1945-08-\d\d,", "\n1945-02-30,", "1945-02-30"),
]


def test_ten_mistakes_in_the_builtin_scenario(tmp_path: Path) -> None:
    """Ten mistakes in ten files of a copy of august-storm are all reported."""
    source = resolve_scenario_dir("august-storm")
    if not all((source / name).is_file() for name, *_ in BUILTIN_MISTAKES):
        pytest.skip("the built-in scenario's files are not all written yet")
    root = tmp_path / "august-storm"
    shutil.copytree(source, root)
    for name, pattern, new, _ in BUILTIN_MISTAKES:
        path = root / name
        text, n = re.subn(
            pattern, new, path.read_text(encoding="utf-8"), count=1, flags=re.M
        )
        assert n == 1, (name, pattern)
        path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(root), "--json"])
    assert result.exit_code == 1
    messages = [p["message"] for p in _one_json(result.stdout)["problems"]]
    for name, _, _, what in BUILTIN_MISTAKES:
        assert any(m.startswith(f"{name}:") and what in m for m in messages), name


def test_check_json_unknown_scenario(tmp_path: Path) -> None:
    """An unknown scenario reference is one JSON problem and exit 1."""
    result = runner.invoke(app, ["check", str(tmp_path / "nope"), "--json"])
    assert result.exit_code == 1
    (problem,) = _one_json(result.stdout)["problems"]
    assert "not a built-in scenario id nor a directory" in problem["what"]

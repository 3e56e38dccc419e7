"""The ``stavka run`` command contract (docs/design.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STAVKA = [sys.executable, "-c", "from stavka.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STAVKA, *args], capture_output=True, text=True, timeout=300)


def _models_file(path: Path, const: object) -> Path:
    """The shipped parameter file, its attacker attrition constant set, at ``path``.

    ``const`` is the new value, or a callable of the shipped one.
    """
    from stavka.models.api import params_path

    doc = json.loads(params_path().read_text(encoding="utf-8"))
    coef = doc["attrition"]["coef_att"]
    coef["const"] = const(coef["const"]) if callable(const) else const
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _three_days(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return _run("run", "august-storm", "--days", "3", "--out", str(out), *extra)


def test_run_json_prints_one_summary_document(tmp_path: Path) -> None:
    """--json prints exactly one JSON document with the contract's keys; exit 0."""
    out = tmp_path / "run"
    res = _run(
        "run", "august-storm", "--days", "2", "--out", str(out), "--json", "--no-report"
    )
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    for key in ("captures", "advance_km", "losses", "accounting", "score", "seed"):
        assert key in doc
    assert all(abs(v) < 1e-6 for v in doc["accounting"].values())
    assert (out / "summary.json").is_file()
    assert (out / "units.parquet").is_file()


def test_run_rejects_unknown_scenario_and_variant(tmp_path: Path) -> None:
    """A wrong scenario id or variant: exit 1, a message, no traceback."""
    for args in (("run", "no-such-war"), ("run", "august-storm", "--variant", "nope")):
        res = _run(*args, "--out", str(tmp_path / "x"))
        assert res.returncode == 1
        assert "Traceback" not in res.stderr
        assert "error" in res.stderr


def test_run_usage_error_exits_2() -> None:
    """A malformed option is a usage error: exit 2."""
    res = _run("run", "august-storm", "--days", "many")
    assert res.returncode == 2


def test_run_prints_the_day_table_and_the_costliest_battles(tmp_path: Path) -> None:
    """The text output has the day table and the battles, also kept in events.jsonl."""
    out = tmp_path / "run"
    res = _run("run", "august-storm", "--days", "3", "--out", str(out), "--no-report")
    assert res.returncode == 0, res.stderr
    assert "day date" in res.stdout
    assert "battles:" in res.stdout
    events = [
        json.loads(line)
        for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    fought = [e for e in events if e["kind"] == "battle"]
    assert fought and all(e["attackers"] and e["defenders"] for e in fought)
    times = [e["time"] for e in events]
    assert times == sorted(times)  # one offset throughout: string order is time order


def test_run_with_other_models_records_their_hash(tmp_path: Path) -> None:
    """--models FILE runs with that parameter file and says so in data_hashes.

    A missing file: exit 1, a message naming it, no traceback.
    """
    import hashlib

    models = _models_file(tmp_path / "costly.json", lambda c: c + 1.0)
    runs = {}
    for name, extra in (("shipped", ()), ("costly", ("--models", str(models)))):
        res = _three_days(tmp_path / name, "--json", "--no-report", *extra)
        assert res.returncode == 0, res.stderr
        runs[name] = json.loads(res.stdout)
    digest = hashlib.sha256(models.read_bytes()).hexdigest()[:16]
    assert runs["costly"]["data_hashes"]["models"] == digest
    assert runs["shipped"]["data_hashes"]["models"] != digest
    soviet = {k: v["losses"]["ussr"]["wounded"] for k, v in runs.items()}
    assert soviet["costly"] > 1.2 * soviet["shipped"] > 0
    res = _run("run", "august-storm", "--models", str(tmp_path / "none.json"))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "none.json" in res.stderr


def test_run_rejects_a_malformed_models_file(tmp_path: Path) -> None:
    """A parameter file with a bad coefficient: exit 1, naming file and field."""
    bad = _models_file(tmp_path / "bad.json", "abc")
    res = _run("run", "august-storm", "--models", str(bad), "--out", str(tmp_path))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "bad.json" in res.stderr
    assert "attrition.coef_att.const" in res.stderr


def test_day_table_gives_each_fronts_losses(tmp_path: Path) -> None:
    """Each day row has each front's depth and losses to date.

    The fronts' losses add up to at most the attacker's (some units are in no front).
    """
    res = _three_days(tmp_path / "r", "--no-report")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("day date"))
    assert "losses (men)" in lines[head - 1]
    fronts = lines[head].split("att.loss")[0].split()[2:]
    n = len(fronts) // 2
    assert n == 3 and fronts[:n] == fronts[n:]
    rows = lines[head + 1 : head + 4]
    for row in rows:
        nums = [float(x.replace(",", "")) for x in row.split()[2 : 2 + 2 * n + 2]]
        by_front, attacker = nums[n : 2 * n], nums[2 * n]
        assert 0 < sum(by_front) <= attacker + 1


def test_run_param_sets_an_engine_parameter_and_records_it(tmp_path: Path) -> None:
    """--param changes the run and the summary records it.

    Combat noise off: two seeds agree. A bad --param exits 1 naming it, before
    anything is written.
    """
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"s{seed}"
        res = _run(
            "run", "august-storm", "--days", "2", "--out", str(out), "--seed", seed,
            "--no-report", "--param", "combat_noise=false",
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        assert "changed from the shipped values: combat_noise=False" in res.stdout
        runs.append(json.loads((out / "summary.json").read_text(encoding="utf-8")))
    assert all(r["param_overrides"] == {"combat_noise": False} for r in runs)
    assert runs[0]["losses"] == runs[1]["losses"]
    bad = tmp_path / "bad"
    res = _run("run", "august-storm", "--out", str(bad), "--param", "ship_kmh=-1")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "ship_kmh=-1" in res.stderr
    assert not bad.exists()

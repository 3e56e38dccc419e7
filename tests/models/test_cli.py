import csv
import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from stavka.models.api import CombatModels
from stavka.models.cli import app
from stavka.models.data import read_battles
from stavka.models.fit import subset
from stavka.models.predict import OUTPUT_COLUMNS

runner = CliRunner()


def test_predict_battles_round_trip(
    calib_path: Path, tmp_path: Path, models: CombatModels
) -> None:
    """Every calibration row comes back once, in order, with the API's predictions."""
    out = tmp_path / "pred.csv"
    res = runner.invoke(app, ["predict-battles", str(calib_path), "--out", str(out)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    t = read_battles(calib_path)
    assert list(rows[0].keys()) == list(OUTPUT_COLUMNS)
    assert [r["isqno"] for r in rows] == t.isqno
    ok = np.flatnonzero(t.ok)
    cas_a, _, p, _ = models.predict_battles(subset(t.engagement, ok))
    got = np.array([float(rows[i]["cas_a_pred"]) for i in ok])
    np.testing.assert_allclose(got, cas_a, rtol=1e-5)
    gotp = np.array([float(rows[i]["p_attacker_wins"]) for i in ok])
    np.testing.assert_allclose(gotp, p, rtol=1e-5)
    for i in np.flatnonzero(~t.ok):
        assert rows[i]["cas_a_pred"] == ""


def test_report_json_is_one_document() -> None:
    """`models report --json` prints one JSON document with the scoreboard."""
    res = runner.invoke(app, ["report", "--json"])
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert {"attrition", "outcome", "advance"} <= set(doc["cv"])


def test_report_text_lists_every_model() -> None:
    """The text scoreboard names every baseline and the fitted model."""
    res = runner.invoke(app, ["report"])
    assert res.exit_code == 0
    for name in (
        "lanchester_square",
        "lanchester_linear",
        "logarithmic",
        "power_law",
        "dupuy_qjm",
        "stavka_ridge",
        "stavka_logistic",
    ):
        assert name in res.stdout


def test_fit_without_data_names_the_option(tmp_path: Path) -> None:
    """`models fit` with an absent --data file fails with a message naming --data."""
    from stavka.errors import ModelError

    res = runner.invoke(app, ["fit", "--data", str(tmp_path / "x.csv")])
    assert res.exit_code != 0
    assert isinstance(res.exception, ModelError)
    assert "--data" in str(res.exception)


def test_rows_missing_inputs_warn(tmp_path: Path, calib_path: Path) -> None:
    """A row without a strength gets empty predictions and a warning, not a crash."""
    lines = calib_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("str_d")] = ""
    bad = tmp_path / "b.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerow(cells)
        w.writerow(next(csv.reader([lines[2]])))
    res = runner.invoke(app, ["predict-battles", str(bad)])
    assert res.exit_code == 0
    out = list(csv.DictReader(res.stdout.splitlines()))
    assert out[0]["cas_a_pred"] == "" and out[1]["cas_a_pred"] != ""
    assert "row 2" in res.stderr


def test_bootstrap_writes_loadable_reproducible_draws(
    calib_path: Path, tmp_path: Path
) -> None:
    """Each draw is a parameter file the engine can load; same seed, same bytes."""
    args = ["bootstrap", "--draws", "2", "--section", "attrition", "--seed", "3"]
    for d in ("a", "b"):
        res = runner.invoke(
            app, [*args, "--out", str(tmp_path / d), "--data", str(calib_path)]
        )
        assert res.exit_code == 0, res.output
    files = sorted((tmp_path / "a").glob("draw-*.json"))
    assert [f.name for f in files] == ["draw-000.json", "draw-001.json"]
    for f in files:
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes()
        CombatModels.from_dict(json.loads(f.read_text(encoding="utf-8")))
    assert files[0].read_bytes() != files[1].read_bytes()


def test_bootstrap_rejects_an_unknown_section(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["bootstrap", "--out", str(tmp_path), "--section", "morale"]
    )
    assert res.exit_code != 0
    assert "morale" in str(res.exception) + res.output


def test_bootstrap_out_must_be_a_directory(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    res = runner.invoke(app, ["bootstrap", "--out", str(afile), "--draws", "1"])
    assert res.exit_code != 0
    assert "cannot make the directory" in str(res.exception)

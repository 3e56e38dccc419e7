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

from pathlib import Path
from typing import Any

from stavka.models.api import params_path
from stavka.models.data import file_sha256
from stavka.models.fit import dumps_params, run_fit


def test_fit_is_byte_identical(calib_path: Path) -> None:
    """Two fits of the same file give the same bytes."""
    a = dumps_params(run_fit(calib_path, cross_validate=False))
    b = dumps_params(run_fit(calib_path, cross_validate=False))
    assert a == b


def test_shipped_parameters_match_a_fresh_fit(
    calib_path: Path, fitted_doc: dict[str, Any]
) -> None:
    """The shipped file is exactly what `stavka models fit` writes from the data."""
    shipped = params_path().read_text(encoding="utf-8")
    assert dumps_params(fitted_doc) == shipped
    assert fitted_doc["data"]["sha256"] == file_sha256(calib_path)


def test_best_attrition_model_beats_every_baseline(fitted_doc: dict[str, Any]) -> None:
    """In CV the fitted model has the best median error and within-x2 share."""
    att = fitted_doc["cv"]["attrition"]
    best = att["stavka_ridge"]["all"]
    for name, sc in att.items():
        if name == "stavka_ridge":
            continue
        s = sc["all"]
        assert best["median_abs_log10_att"] < s["median_abs_log10_att"], name
        assert best["median_abs_log10_def"] < s["median_abs_log10_def"], name
        assert best["within_x2_att"] > s["within_x2_att"], name
        assert best["within_x2_def"] > s["within_x2_def"], name


def test_outcome_and_advance_beat_their_baselines(fitted_doc: dict[str, Any]) -> None:
    """The fitted outcome and advance models beat the constant baselines in CV."""
    out = fitted_doc["cv"]["outcome"]
    assert out["stavka_logistic"]["all"]["brier"] < out["base_rate"]["all"]["brier"]
    adv = fitted_doc["cv"]["advance"]
    key = "mae_log1p_km_per_day"
    assert adv["stavka_ridge"]["all"][key] < adv["median"]["all"][key]

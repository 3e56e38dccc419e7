"""The fitting procedure: leave-one-campaign-out CV, scoreboard and parameter file.

:func:`run_fit` reads the calibration table, cross-validates every model (each
campaign's battles predicted by models fitted on all other campaigns), fits the final
models on all rows and returns a JSON-ready document; :func:`dumps_params` renders it
byte-for-byte reproducibly (sorted keys, rounded floats, no clock time).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from stavka.models.attrition import AttritionModel
from stavka.models.baselines import BASELINES, CasualtyPredictor
from stavka.models.data import INPUT_COLUMNS, BattleTable, file_sha256, read_battles
from stavka.models.enums import Posture, Situation
from stavka.models.exchange import CollapseExchange
from stavka.models.features import FEATURES, Engagement, FloatArray, design_matrix
from stavka.models.linear import fit_logistic, sigmoid
from stavka.models.losses import KILLED_SHARE, LossSplit
from stavka.models.outcome import AdvanceModel, OutcomeModel
from stavka.models.scoring import (
    advance_scores,
    attrition_scores,
    outcome_scores,
    size_class,
)
from stavka.models.support import Support

__all__ = ["FIT_PROCEDURE_DATE", "HYPER", "dumps_params", "run_fit", "subset"]

#: Date of the fitting procedure's current version (a fixed field, not the clock).
FIT_PROCEDURE_DATE = "2026-11-27"
#: Hyper-parameters (how each was set, and the sensitivity: docs/models.md).
HYPER: dict[str, float] = {
    "ridge": 1.0,
    "era_ridge": 1.0,
    "huber_k": 1.0,
    "outcome_ridge": 3.0,
}
_FORMAT = 1
#: Columns the calibration file must have.
FIT_COLUMNS = (*INPUT_COLUMNS, "cas_a", "cas_d", "wina", "adv_km_per_day", "campgn")


def subset(eng: Engagement, mask: np.ndarray) -> Engagement:
    """Return the engagements selected by a boolean mask or index array."""
    return Engagement(*(getattr(eng, f.name)[mask] for f in dataclasses.fields(eng)))


def _loco(
    groups: np.ndarray,
    rows: np.ndarray,
    fit_predict: Callable[[np.ndarray, np.ndarray], Any],
) -> None:
    """Call ``fit_predict(train_mask, test_mask)`` once per campaign among ``rows``."""
    for g in np.unique(groups[rows]):
        fit_predict(rows & (groups != g), rows & (groups == g))


def _cv_attrition(
    t: BattleTable, camp: np.ndarray, rows: np.ndarray
) -> dict[str, tuple[FloatArray, FloatArray]]:
    n = len(t)
    preds: dict[str, tuple[FloatArray, FloatArray]] = {}
    factories: list[tuple[str, Callable[[], CasualtyPredictor]]] = [
        (cls().name, cls) for cls in BASELINES
    ]
    for name, make in factories:
        pa, pd_ = np.full(n, np.nan), np.full(n, np.nan)

        def fp(
            tr: np.ndarray,
            te: np.ndarray,
            make: Callable[[], CasualtyPredictor] = make,
            pa: FloatArray = pa,
            pd_: FloatArray = pd_,
        ) -> None:
            m = make()
            m.fit(subset(t.engagement, tr), t.cas_a[tr], t.cas_d[tr])
            pa[te], pd_[te] = m.predict(subset(t.engagement, te))

        _loco(camp, rows, fp)
        preds[name] = (pa, pd_)
    pa, pd_ = np.full(n, np.nan), np.full(n, np.nan)

    def fp_best(tr: np.ndarray, te: np.ndarray) -> None:
        m = AttritionModel.fit(
            subset(t.engagement, tr),
            t.cas_a[tr],
            t.cas_d[tr],
            ridge=HYPER["ridge"],
            era_ridge=HYPER["era_ridge"],
            huber_k=HYPER["huber_k"],
        )
        pa[te], pd_[te] = m.predict(subset(t.engagement, te))

    _loco(camp, rows, fp_best)
    preds["stavka_ridge"] = (pa, pd_)
    return preds


def _cv_outcome(
    t: BattleTable, camp: np.ndarray, rows: np.ndarray, win: FloatArray
) -> dict[str, FloatArray]:
    n = len(t)
    x = design_matrix(t.engagement)
    lfr = (
        x[:, FEATURES.index("log_att_strength")]
        - x[:, FEATURES.index("log_def_strength")]
    )
    out = {
        k: np.full(n, np.nan)
        for k in ("base_rate", "force_ratio_logistic", "stavka_logistic")
    }

    def fp(tr: np.ndarray, te: np.ndarray) -> None:
        out["base_rate"][te] = win[tr].mean()
        z = np.column_stack([np.ones(n), lfr])
        b = fit_logistic(
            z[tr], win[tr], np.zeros(2), np.full(2, -np.inf), np.full(2, np.inf)
        )
        out["force_ratio_logistic"][te] = sigmoid(z[te] @ b)
        m = OutcomeModel.fit(
            subset(t.engagement, tr),
            win[tr],
            ridge=HYPER["outcome_ridge"],
            era_ridge=HYPER["outcome_ridge"],
        )
        out["stavka_logistic"][te] = m.predict(subset(t.engagement, te))

    _loco(camp, rows, fp)
    return out


def _cv_advance(
    t: BattleTable, camp: np.ndarray, rows: np.ndarray
) -> dict[str, FloatArray]:
    n = len(t)
    adv = t.adv_km_per_day
    post = t.engagement.posture
    out = {k: np.full(n, np.nan) for k in ("median", "posture_median", "stavka_ridge")}

    def fp(tr: np.ndarray, te: np.ndarray) -> None:
        out["median"][te] = np.median(adv[tr])
        for p in Posture:
            sel = tr & (post == p)
            v = np.median(adv[sel]) if sel.sum() >= 3 else np.median(adv[tr])
            out["posture_median"][te & (post == p)] = v
        m = AdvanceModel.fit(
            subset(t.engagement, tr),
            adv[tr],
            ridge=HYPER["ridge"],
            era_ridge=HYPER["era_ridge"],
            huber_k=HYPER["huber_k"],
        )
        out["stavka_ridge"][te] = m.predict(subset(t.engagement, te))

    _loco(camp, rows, fp)
    return out


def _collapse_multipliers(
    t: BattleTable, pred_d: FloatArray, rows: np.ndarray
) -> dict[str, Any]:
    """Median observed/predicted defender losses by the defender's result code."""
    res = np.array(t.defender_result)
    ratio = t.cas_d / pred_d
    groups = {"withdrawing": ("WL",), "encircled": ("AA",)}
    out: dict[str, Any] = {}
    for name, codes in groups.items():
        sel = rows & np.isin(res, codes) & np.isfinite(ratio)
        out[name] = {
            "codes": list(codes),
            "n": int(sel.sum()),
            "median_ratio": float(np.median(ratio[sel])) if sel.any() else 1.0,
        }
    return out


def run_fit(path: Path, *, cross_validate: bool = True) -> dict[str, Any]:
    """Fit all models on the calibration file and (optionally) cross-validate them.

    Args:
        path: the calibration CSV (CDB90 format).
        cross_validate: run the leave-one-campaign-out CV (the scoreboard and the
            collapse multipliers need it; without it they are omitted / set to 1).

    Returns:
        The parameter document (JSON-ready; see ``docs/models.md``).

    Raises:
        ModelError: the file is missing or malformed.
    """
    t = read_battles(path, require=FIT_COLUMNS)
    camp = np.array(
        [c or f"isqno-{i}" for c, i in zip(t.campaign, t.isqno, strict=True)]
    )
    att_rows = t.ok & (t.cas_a > 0) & (t.cas_d > 0)
    out_rows = t.ok & np.isfinite(t.wina)
    win = (t.wina == 1).astype(np.float64)
    adv_rows = (
        t.ok & (t.wina == 1) & np.isfinite(t.adv_km_per_day) & (t.adv_km_per_day >= 0)
    )
    e = t.engagement
    attr = AttritionModel.fit(
        subset(e, att_rows),
        t.cas_a[att_rows],
        t.cas_d[att_rows],
        ridge=HYPER["ridge"],
        era_ridge=HYPER["era_ridge"],
        huber_k=HYPER["huber_k"],
    )
    outc = OutcomeModel.fit(
        subset(e, out_rows),
        win[out_rows],
        ridge=HYPER["outcome_ridge"],
        era_ridge=HYPER["outcome_ridge"],
    )
    advm = AdvanceModel.fit(
        subset(e, adv_rows),
        t.adv_km_per_day[adv_rows],
        ridge=HYPER["ridge"],
        era_ridge=HYPER["era_ridge"],
        huber_k=HYPER["huber_k"],
    )
    total = e.att_strength + e.def_strength
    sizes = size_class(total)
    core = np.array(
        [
            str(v).strip().lower() == "true"
            for v in t.columns.get("core_calibration", [""] * len(t))
        ]
    )
    doc: dict[str, Any] = {
        "format": _FORMAT,
        "fit_date": FIT_PROCEDURE_DATE,
        "data": {
            "file": path.name,
            "sha256": file_sha256(path),
            "rows": len(t),
            "rows_attrition": int(att_rows.sum()),
            "rows_outcome": int(out_rows.sum()),
            "rows_advance": int(adv_rows.sum()),
            "campaigns": len(np.unique(camp[att_rows])),
        },
        "hyperparameters": dict(HYPER),
        "attrition": attr.to_dict(),
        "outcome": outc.to_dict(),
        "advance": advm.to_dict(),
        # The range of the battles with known inputs: callers read the models
        # inside it (stavka.models.support).
        "support": Support.of(subset(e, t.ok)).to_dict(),
        # What destroying a defender costs the attacker (stavka.models.exchange).
        "collapse_exchange": CollapseExchange.fit(t).to_dict(),
    }
    mult = dict.fromkeys(Situation, 1.0)
    if cross_validate:
        att_preds = _cv_attrition(t, camp, att_rows)
        out_preds = _cv_outcome(t, camp, out_rows, win)
        adv_preds = _cv_advance(t, camp, adv_rows)
        coll = _collapse_multipliers(t, att_preds["stavka_ridge"][1], att_rows)
        mult[Situation.WITHDRAWING] = max(coll["withdrawing"]["median_ratio"], 1.0)
        mult[Situation.ENCIRCLED] = max(coll["encircled"]["median_ratio"], 1.0)
        doc["collapse_fit"] = coll
        doc["cv"] = {
            "method": "leave-one-campaign-out (campgn)",
            "size_classes": "total men engaged (str_a + str_d): <20k, 20-100k, >100k",
            "attrition": {
                k: attrition_scores(pa, pd_, t.cas_a, t.cas_d, att_rows, sizes, core)
                for k, (pa, pd_) in att_preds.items()
            },
            "outcome": {
                k: outcome_scores(p, win, out_rows, sizes, core)
                for k, p in out_preds.items()
            },
            "advance": {
                k: advance_scores(p, t.adv_km_per_day, adv_rows, sizes, core)
                for k, p in adv_preds.items()
            },
        }
    doc["loss_split"] = LossSplit(killed_share=KILLED_SHARE, multiplier=mult).to_dict()
    return doc


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        if not np.isfinite(obj):
            return None
        return 0.0 if abs(obj) < 1e-12 else float(f"{obj:.6g}")
    if isinstance(obj, dict):
        return {str(k): _round(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_round(v) for v in obj]
    if isinstance(obj, np.generic):
        return _round(obj.item())
    return obj


def dumps_params(doc: dict[str, Any]) -> str:
    """Render the parameter document reproducibly.

    Floats are rounded to 6 significant digits and solver noise below 1e-12 to 0;
    keys are sorted; nothing depends on the clock.
    """
    return json.dumps(_round(doc), sort_keys=True, indent=1, ensure_ascii=True) + "\n"

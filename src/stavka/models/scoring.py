"""Error measures of the scoreboard, overall, by size class and on the 1939+ core.

- attrition: median ``|log10(predicted / observed)|`` per side and the share of battles
  predicted within a factor of 2 (``|log10| <= log10 2``);
- outcome: accuracy (threshold 0.5) and Brier score;
- advance: mean absolute error of ``log(1 + km/day)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stavka.models.features import FloatArray

__all__ = [
    "SIZE_CLASSES",
    "advance_scores",
    "attrition_scores",
    "outcome_scores",
    "size_class",
]

#: Size-class labels, by total men engaged (both sides).
SIZE_CLASSES: tuple[str, ...] = ("lt20k", "20k-100k", "gt100k")
_LOG2 = float(np.log10(2.0))


def size_class(total_men: FloatArray) -> np.ndarray:
    """Return 0 (< 20 k), 1 (20-100 k) or 2 (> 100 k) per engagement."""
    return np.searchsorted(np.array([20_000.0, 100_000.0]), total_men, side="right")


def _groups(
    rows: np.ndarray, sizes: np.ndarray, core: np.ndarray
) -> dict[str, np.ndarray]:
    g = {"all": rows}
    for i, name in enumerate(SIZE_CLASSES):
        g[name] = rows & (sizes == i)
    g["core_1939on"] = rows & core
    return g


def attrition_scores(
    pred_a: FloatArray,
    pred_d: FloatArray,
    obs_a: FloatArray,
    obs_d: FloatArray,
    rows: np.ndarray,
    sizes: np.ndarray,
    core: np.ndarray,
) -> dict[str, Any]:
    """Return median |log10 error| and within-x2 share per side and group."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ea = np.abs(np.log10(pred_a / obs_a))
        ed = np.abs(np.log10(pred_d / obs_d))
    out: dict[str, Any] = {}
    for name, sel in _groups(
        rows & np.isfinite(ea) & np.isfinite(ed), sizes, core
    ).items():
        n = int(sel.sum())
        if n == 0:
            out[name] = {"n": 0}
            continue
        out[name] = {
            "n": n,
            "median_abs_log10_att": float(np.median(ea[sel])),
            "median_abs_log10_def": float(np.median(ed[sel])),
            "within_x2_att": float(np.mean(ea[sel] <= _LOG2)),
            "within_x2_def": float(np.mean(ed[sel] <= _LOG2)),
        }
    return out


def outcome_scores(
    p: FloatArray,
    win: FloatArray,
    rows: np.ndarray,
    sizes: np.ndarray,
    core: np.ndarray,
) -> dict[str, Any]:
    """Return accuracy and Brier score per group (``win`` 1 = attacker won)."""
    out: dict[str, Any] = {}
    for name, sel in _groups(rows & np.isfinite(p), sizes, core).items():
        n = int(sel.sum())
        out[name] = {"n": n}
        if n:
            out[name]["accuracy"] = float(np.mean((p[sel] > 0.5) == (win[sel] == 1)))
            out[name]["brier"] = float(np.mean((p[sel] - win[sel]) ** 2))
    return out


def advance_scores(
    pred: FloatArray,
    obs: FloatArray,
    rows: np.ndarray,
    sizes: np.ndarray,
    core: np.ndarray,
) -> dict[str, Any]:
    """Return the MAE of log(1 + km/day) per group."""
    err = np.abs(np.log1p(np.maximum(pred, 0.0)) - np.log1p(np.maximum(obs, 0.0)))
    out: dict[str, Any] = {}
    for name, sel in _groups(rows & np.isfinite(err), sizes, core).items():
        n = int(sel.sum())
        out[name] = {"n": n}
        if n:
            out[name]["mae_log1p_km_per_day"] = float(np.mean(err[sel]))
    return out

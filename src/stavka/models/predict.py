"""``predict-battles``: apply the fitted models to a battle table (CDB90 format)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from stavka.models.api import CombatModels
from stavka.models.data import read_battles
from stavka.models.fit import subset

__all__ = ["OUTPUT_COLUMNS", "predict_battles"]

#: Columns written by :func:`predict_battles`, in order.
OUTPUT_COLUMNS: tuple[str, ...] = (
    "isqno",
    "cas_a_pred",
    "cas_d_pred",
    "p_attacker_wins",
    "adv_km_per_day_pred",
)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def predict_battles(path: Path, models: CombatModels) -> tuple[str, list[str]]:
    """Predict every row of a battle file.

    Args:
        path: CSV with the calibration table's input columns.
        models: the fitted models.

    Returns:
        ``(csv_text, warnings)``: one output row per input row, in order; rows missing
        a strength or the duration get empty predictions and a warning.

    Raises:
        ModelError: missing columns, text in numeric columns, negative strengths.
    """
    t = read_battles(path)
    n = len(t)
    cols = [np.full(n, np.nan) for _ in range(4)]
    idx = np.flatnonzero(t.ok)
    if idx.size:
        preds = models.predict_battles(subset(t.engagement, idx))
        for c, p in zip(cols, preds, strict=True):
            c[idx] = p
    warnings = [
        f"{path}: row {t.lines[i]} (isqno {t.isqno[i] or '?'}): str_a, str_d and"
        " dur_days must be known and > 0; predictions left empty"
        for i in np.flatnonzero(~t.ok)
    ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(OUTPUT_COLUMNS)
    for i in range(n):
        vals = ["" if np.isnan(c[i]) else _fmt(float(c[i])) for c in cols]
        w.writerow([t.isqno[i], *vals])
    return buf.getvalue(), warnings

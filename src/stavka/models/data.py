"""Read and check battle tables in the CDB90 calibration format.

:func:`read_battles` reads a CSV with the calibration table's columns, checks it
(missing columns, text in numeric columns and negative strengths raise a
:class:`~stavka.errors.ModelError` naming the row and column) and returns a
:class:`BattleTable`: the model inputs as an :class:`~stavka.models.features.Engagement`
plus the observed outcomes where the file has them.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stavka.errors import ModelError
from stavka.models.enums import (
    Posture,
    Terrain,
    Weather,
    posture_from_cdb90,
    terrain_from_cdb90,
    weather_from_cdb90,
)
from stavka.models.features import Engagement, FloatArray, era_of_year

__all__ = [
    "INPUT_COLUMNS",
    "NUMERIC_COLUMNS",
    "BattleTable",
    "default_data_path",
    "file_sha256",
    "read_battles",
]

#: Columns a file must have for ``predict-battles``.
INPUT_COLUMNS: tuple[str, ...] = (
    "isqno",
    "str_a",
    "str_d",
    "dur_days",
    "post1",
    "terra1",
    "wx1",
    "surpa",
    "aeroa",
    "tank_a",
    "arty_a",
    "tank_d",
    "arty_d",
    "year",
)
#: Columns that must hold numbers (or be empty) wherever they are present.
NUMERIC_COLUMNS: tuple[str, ...] = (
    "str_a",
    "str_d",
    "dur_days",
    "surpa",
    "aeroa",
    "tank_a",
    "arty_a",
    "tank_d",
    "arty_d",
    "year",
    "cas_a",
    "cas_d",
    "wina",
    "adv_km_per_day",
)
_NON_NEGATIVE = ("str_a", "str_d", "dur_days", "tank_a", "arty_a", "tank_d", "arty_d")
_REL = Path("shared") / "data" / "cdb90" / "battles_calibration.csv"


def default_data_path() -> Path:
    """Return the calibration file: ``../shared/...`` beside the checkout or the cwd.

    Looks beside the source checkout (``<clone>/../shared``), then in the current
    directory and its parents (``shared/`` or ``../shared``). Returns the first
    candidate even if it does not exist, so the caller can name it in an error.
    """
    here = Path(__file__).resolve()
    cands = [p / _REL for p in here.parents]
    cwd = Path.cwd().resolve()
    cands += [p / _REL for p in (cwd, *cwd.parents)]
    for c in cands:
        if c.is_file():
            return c
    return here.parents[4] / _REL if len(here.parents) > 4 else cands[0]


def file_sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True, slots=True)
class BattleTable:
    """A checked battle table. Arrays have shape ``[N]`` (one row per battle).

    Attributes:
        columns: the raw table: column name -> cell texts (stripped), as read.
        lines: the file line of each row (the header is line 1; blank lines skipped).
        isqno: battle ids as text.
        ok: True where the required inputs (both strengths, duration) are known.
        engagement: model inputs; rows that are not ``ok`` hold placeholders.
        cas_a, cas_d: observed casualties (NaN where unknown or absent).
        wina: +1 attacker win, 0 draw, -1 loss (NaN unknown).
        adv_km_per_day: observed advance (km/day, NaN unknown).
        campaign: ``campgn`` labels (empty string where absent).
        defender_result: ``reso1_d`` codes (empty where absent).
    """

    columns: dict[str, list[str]]
    lines: list[int]
    isqno: list[str]
    ok: np.ndarray
    engagement: Engagement
    cas_a: FloatArray
    cas_d: FloatArray
    wina: FloatArray
    adv_km_per_day: FloatArray
    campaign: list[str]
    defender_result: list[str]

    def __len__(self) -> int:
        return len(self.isqno)


def _numeric(
    cols: dict[str, list[str]], lines: list[int], col: str, source: str
) -> FloatArray:
    """Parse one column as numbers; empty cells become NaN, text raises ModelError."""
    n = len(lines)
    if col not in cols:
        return np.full(n, np.nan)
    val = np.full(n, np.nan)
    for i, cell in enumerate(cols[col]):
        if cell == "":
            continue
        try:
            val[i] = float(cell)
        except ValueError:
            raise ModelError(
                f"{source}: row {lines[i]}, column {col!r}: {cell!r} is not a number"
                " (use digits, or leave the cell empty if unknown)"
            ) from None
        if not np.isfinite(val[i]):
            raise ModelError(
                f"{source}: row {lines[i]}, column {col!r}: {cell!r} is not finite"
            )
    if col in _NON_NEGATIVE:
        neg = np.flatnonzero(val < 0)
        if neg.size:
            i = int(neg[0])
            raise ModelError(
                f"{source}: row {lines[i]}, column {col!r}: negative value {val[i]:g}"
                " (strengths, durations and equipment counts must be >= 0)"
            )
    return val


def _code(x: FloatArray, limit: int) -> FloatArray:
    """Return a signed CDB90 code; empty or out-of-range values (e.g. -9) become 0."""
    v = np.nan_to_num(x)
    return np.where(np.abs(v) <= limit, v, 0.0)


def _codes(cols: dict[str, list[str]], n: int, col: str) -> list[str]:
    return cols.get(col, [""] * n)


def read_battles(
    path: Path, *, require: tuple[str, ...] = INPUT_COLUMNS
) -> BattleTable:
    """Read and check a battle table in the CDB90 calibration format.

    Args:
        path: the CSV file.
        require: columns that must be present.

    Returns:
        The checked table.

    Raises:
        ModelError: the file is absent or unreadable, a required column is missing, a
            numeric cell holds text, or a strength is negative (names row and column;
            rows count from 2, the first data line).
    """
    if not path.is_file():
        raise ModelError(f"battle file {path} not found (check the path)")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            body, lines = [], []
            for r in reader:
                if any(c.strip() for c in r):
                    body.append(r)
                    lines.append(reader.line_num)
    except (UnicodeDecodeError, csv.Error) as e:
        raise ModelError(f"{path}: cannot read as CSV: {e}") from None
    n = len(body)
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise ModelError(
                f"{path}: row {lines[i]} has {len(r)} cells, the header {len(header)}"
            )
    cols = {h: [r[j].strip() for r in body] for j, h in enumerate(header)}
    missing = [c for c in require if c not in cols]
    if missing:
        raise ModelError(f"{path}: missing column(s) {', '.join(missing)}")
    src = str(path)
    num = {c: _numeric(cols, lines, c, src) for c in NUMERIC_COLUMNS}
    str_a, str_d, dur = num["str_a"], num["str_d"], num["dur_days"]
    ok = (str_a > 0) & (str_d > 0) & (dur > 0)
    post = [posture_from_cdb90(c) for c in _codes(cols, n, "post1")]
    terr = [terrain_from_cdb90(c) for c in _codes(cols, n, "terra1")]
    wx = [weather_from_cdb90(c) for c in _codes(cols, n, "wx1")]

    def per_1000(x: FloatArray, s: FloatArray) -> FloatArray:
        return (
            np.where(ok & np.isfinite(x), np.nan_to_num(x) / np.where(ok, s, 1.0), 0.0)
            * 1000.0
        )

    eng = Engagement.build(
        att_strength=np.where(ok, str_a, 1.0),
        def_strength=np.where(ok, str_d, 1.0),
        duration_days=np.where(ok, dur, 1.0),
        posture=[int(p if p is not None else Posture.HASTY) for p in post] or 0,
        terrain=[int(t if t is not None else Terrain.ROLLING_MIXED) for t in terr] or 0,
        weather=[int(w if w is not None else Weather.DRY) for w in wx] or 0,
        surprise=_code(num["surpa"], 3),
        air=_code(num["aeroa"], 1),
        att_tanks_per_1000=per_1000(num["tank_a"], str_a),
        att_arty_per_1000=per_1000(num["arty_a"], str_a),
        def_tanks_per_1000=per_1000(num["tank_d"], str_d),
        def_arty_per_1000=per_1000(num["arty_d"], str_d),
        era=era_of_year(num["year"]),
    )
    if n == 0:
        eng = Engagement.build(np.ones(0), np.ones(0), np.ones(0))
    return BattleTable(
        columns=cols,
        lines=lines,
        isqno=_codes(cols, n, "isqno"),
        ok=ok,
        engagement=eng,
        cas_a=num["cas_a"],
        cas_d=num["cas_d"],
        wina=num["wina"],
        adv_km_per_day=num["adv_km_per_day"],
        campaign=_codes(cols, n, "campgn"),
        defender_result=_codes(cols, n, "reso1_d"),
    )

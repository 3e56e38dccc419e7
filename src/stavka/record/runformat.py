"""The run directory: what the engine writes and what scoring and reports read.

A run directory holds (``docs/run-format.md`` documents every key and column):

- ``summary.json``: identity (scenario, seed, variant, code version, data hashes),
  time span, ``captures``, ``advance_km``, ``losses``, ``accounting`` and ``score``;
- ``units.parquet``: per-step unit state (time, unit, cell, lat/lon, strength vector,
  fuel, ammunition, posture, status);
- ``control.parquet``: per-step place control (time, place, side);
- ``events.jsonl``: the event log, one JSON object a line.

>>> import tempfile, pandas as pd
>>> from stavka.record.runformat import read_run, write_run
>>> d = tempfile.mkdtemp()
>>> _ = write_run(d, {"scenario": {"id": "x", "version": 1}, "seed": 1,
...     "start": "1945-08-09T00:00:00+09:00", "end": "1945-08-10T00:00:00+09:00"})
>>> read_run(d).summary["seed"]
1
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd
import pyarrow as pa
import pyarrow.compute
import pyarrow.parquet as pq

from stavka.cliutil import to_jsonable
from stavka.errors import RunFormatError
from stavka.scenario.container import STRENGTH_ITEMS

__all__ = [
    "CONTROL_COLUMNS",
    "EVENT_KEYS",
    "FORMAT_VERSION",
    "SUMMARY_KEYS",
    "UNIT_COLUMNS",
    "Run",
    "parse_time",
    "read_run",
    "write_run",
]

FORMAT_VERSION = 1
"""Version of the run format; bump on any incompatible change."""

SUMMARY_FILE = "summary.json"
UNITS_FILE = "units.parquet"
CONTROL_FILE = "control.parquet"
EVENTS_FILE = "events.jsonl"

_TIME = pa.timestamp("s", tz="UTC")

UNIT_COLUMNS: dict[str, pa.DataType] = {
    "time": _TIME,
    "unit": pa.string(),
    "side": pa.string(),
    "cell": pa.string(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    **dict.fromkeys(STRENGTH_ITEMS, pa.float64()),
    "fuel": pa.float64(),
    "ammunition": pa.float64(),
    "posture": pa.string(),
    "status": pa.string(),
}
"""Columns of ``units.parquet`` and their Arrow types (units in docs/run-format.md)."""

CONTROL_COLUMNS: dict[str, pa.DataType] = {
    "time": _TIME,
    "place": pa.string(),
    "side": pa.string(),
}
"""Columns of ``control.parquet``: from ``time`` on, ``place`` is held by ``side``."""

EVENT_KEYS = ("time", "kind")
"""Keys every line of ``events.jsonl`` must have (``place``, ``unit``, ``side``,
``detail`` are optional)."""

SUMMARY_KEYS = (
    "format_version",
    "scenario",
    "seed",
    "variant",
    "code_version",
    "data_hashes",
    "start",
    "end",
    "captures",
    "advance_km",
    "losses",
    "accounting",
    "score",
)
"""Keys of ``summary.json`` (all present after :func:`write_run`)."""

_SUMMARY_DEFAULTS: dict[str, Any] = {
    "format_version": FORMAT_VERSION,
    "variant": None,
    "code_version": None,
    "data_hashes": {},
    "captures": {},
    "advance_km": {},
    "losses": {},
    "accounting": {},
    "score": None,
}

TableLike: TypeAlias = pa.Table | pd.DataFrame | None


def parse_time(value: str, *, file: str, where: str) -> dt.datetime:
    """Parse an ISO time with a UTC offset.

    Args:
        value: ISO 8601 text, e.g. ``1945-08-16T14:00:00+09:00``.
        file: file name for the error message.
        where: key path for the error message.

    Returns:
        An aware datetime.

    Raises:
        RunFormatError: if the text is not ISO or has no UTC offset.
    """
    try:
        out = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise RunFormatError(
            f"{file}: {where}: {value!r} is not an ISO time "
            "(write e.g. 1945-08-16T14:00:00+09:00)"
        ) from None
    if out.tzinfo is None:
        raise RunFormatError(
            f"{file}: {where}: {value!r} has no UTC offset (add e.g. +09:00)"
        )
    return out


def _as_table(
    data: TableLike, columns: Mapping[str, pa.DataType], name: str
) -> pa.Table:
    """Convert a frame to an Arrow table with the required columns in their types."""
    if data is None:
        return pa.table({c: pa.array([], type=t) for c, t in columns.items()})
    table = (
        pa.Table.from_pandas(data, preserve_index=False)
        if isinstance(data, pd.DataFrame)
        else data
    )
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise RunFormatError(f"{name}: missing column(s) {', '.join(missing)}")
    for col, typ in columns.items():
        idx = table.column_names.index(col)
        try:
            table = table.set_column(idx, col, table.column(col).cast(typ))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
            raise RunFormatError(
                f"{name}: column {col!r} is not {typ}: {err}"
            ) from None
    return table


def write_run(
    run_dir: str | Path,
    summary: Mapping[str, Any],
    unit_trace: TableLike = None,
    control_trace: TableLike = None,
    events: Iterable[Mapping[str, Any]] = (),
) -> Path:
    """Write a run directory.

    Args:
        run_dir: directory to create (or overwrite files in).
        summary: at least ``scenario`` ({id, version}), ``seed``, ``start`` and
            ``end`` (ISO with offset); missing optional keys get defaults.
        unit_trace: per-step unit state with the :data:`UNIT_COLUMNS` (extra columns
            are kept); ``None`` writes an empty table.
        control_trace: place control with the :data:`CONTROL_COLUMNS`.
        events: event dicts with at least ``time`` and ``kind``.

    Returns:
        The run directory.

    Raises:
        RunFormatError: if a required key or column is missing or has the wrong type.
    """
    out = Path(run_dir)
    full = {**_SUMMARY_DEFAULTS, **dict(summary)}
    _check_summary(full, SUMMARY_FILE)
    units = _as_table(unit_trace, UNIT_COLUMNS, UNITS_FILE)
    control = _as_table(control_trace, CONTROL_COLUMNS, CONTROL_FILE)
    lines = []
    for i, ev in enumerate(events, start=1):
        _check_event(ev, EVENTS_FILE, i)
        lines.append(json.dumps(to_jsonable(dict(ev)), ensure_ascii=False))
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_jsonable(full), indent=2, ensure_ascii=False) + "\n"
    (out / SUMMARY_FILE).write_text(text, encoding="utf-8")
    pq.write_table(units, out / UNITS_FILE)
    pq.write_table(control, out / CONTROL_FILE)
    (out / EVENTS_FILE).write_text(
        "".join(line + "\n" for line in lines), encoding="utf-8"
    )
    return out


def _check_event(ev: Mapping[str, Any], file: str, line: int) -> None:
    """Check one event of the log."""
    for key in EVENT_KEYS:
        if key not in ev:
            raise RunFormatError(f"{file}: line {line}: missing key {key!r}")
    parse_time(str(ev["time"]), file=file, where=f"line {line}: time")


def _check_summary(summary: Mapping[str, Any], file: str) -> None:
    """Check the keys and value types of a summary; raise naming the key."""
    for key in ("scenario", "seed", "start", "end"):
        if key not in summary:
            raise RunFormatError(f"{file}: missing key {key!r}")
    scen = summary["scenario"]
    if not isinstance(scen, Mapping) or "id" not in scen:
        raise RunFormatError(
            f"{file}: 'scenario' must be {{'id': ..., 'version': ...}}"
        )
    start = parse_time(str(summary["start"]), file=file, where="start")
    end = parse_time(str(summary["end"]), file=file, where="end")
    if end <= start:
        raise RunFormatError(f"{file}: end {summary['end']} is not after start")
    for key in ("captures", "advance_km", "losses", "accounting", "data_hashes"):
        if not isinstance(summary.get(key), Mapping):
            raise RunFormatError(f"{file}: {key!r} must be an object")
    for place, when in summary["captures"].items():
        if when is not None:
            parse_time(str(when), file=file, where=f"captures.{place}")
    for fid, series in summary["advance_km"].items():
        if not isinstance(series, Mapping):
            raise RunFormatError(f"{file}: advance_km.{fid} must be {{date: km}}")
        for day, km in series.items():
            try:
                dt.date.fromisoformat(str(day))
            except ValueError:
                raise RunFormatError(
                    f"{file}: advance_km.{fid}: {day!r} is not an ISO date"
                ) from None
            if not isinstance(km, int | float) or isinstance(km, bool):
                raise RunFormatError(
                    f"{file}: advance_km.{fid}.{day}: {km!r} is not km"
                )
    for side, losses in summary["losses"].items():
        if not isinstance(losses, Mapping):
            raise RunFormatError(f"{file}: losses.{side} must be {{category: count}}")
        for cat, n in losses.items():
            if not isinstance(n, int | float) or isinstance(n, bool):
                raise RunFormatError(
                    f"{file}: losses.{side}.{cat}: {n!r} is not a count"
                )


@dataclass(frozen=True)
class Run:
    """A run directory read back; traces are loaded on demand.

    Attributes:
        root: the run directory.
        summary: the parsed ``summary.json``.
    """

    root: Path
    summary: dict[str, Any]

    @property
    def start(self) -> dt.datetime:
        """Start time of the run (aware)."""
        return parse_time(self.summary["start"], file=SUMMARY_FILE, where="start")

    @property
    def end(self) -> dt.datetime:
        """End time of the run (aware)."""
        return parse_time(self.summary["end"], file=SUMMARY_FILE, where="end")

    @property
    def scenario_id(self) -> str:
        """Scenario id the run was made from."""
        return str(self.summary["scenario"]["id"])

    def captures(self) -> dict[str, dt.datetime | None]:
        """Return the first attacker control of each place (aware times or None)."""
        return {
            p: None if t is None else parse_time(t, file=SUMMARY_FILE, where=p)
            for p, t in self.summary["captures"].items()
        }

    def trace_end(self) -> dt.datetime | None:
        """Return the last time in the unit trace (None if empty or absent)."""
        path = self.root / UNITS_FILE
        if not path.is_file():
            return None
        times = pq.read_table(path, columns=["time"]).column("time")
        if len(times) == 0:
            return None
        last = pa.compute.max(times).as_py()
        return None if last is None else last.astimezone(self.start.tzinfo)

    def units(self) -> pd.DataFrame:
        """Return the unit trace (one row per unit and step)."""
        return pq.read_table(self.root / UNITS_FILE).to_pandas()

    def control(self) -> pd.DataFrame:
        """Return the place-control trace."""
        return pq.read_table(self.root / CONTROL_FILE).to_pandas()

    def events(self) -> list[dict[str, Any]]:
        """Return the event log."""
        text = (self.root / EVENTS_FILE).read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def read_run(run_dir: str | Path) -> Run:
    """Read and validate a run directory.

    Args:
        run_dir: the directory written by :func:`write_run`.

    Returns:
        The run (summary parsed, trace schemas checked).

    Raises:
        RunFormatError: naming the file (and key or column) that is missing or wrong.
    """
    root = Path(run_dir)
    if not root.is_dir():
        raise RunFormatError(f"{root}: not a run directory (run `stavka run` first)")
    path = root / SUMMARY_FILE
    if not path.is_file():
        raise RunFormatError(f"{path}: missing (the run directory is incomplete)")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise RunFormatError(f"{path}: not valid JSON: {err}") from None
    if not isinstance(summary, dict):
        raise RunFormatError(f"{path}: must hold a JSON object")
    missing = [k for k in SUMMARY_KEYS if k not in summary]
    if missing:
        raise RunFormatError(f"{path}: missing key(s) {', '.join(missing)}")
    _check_summary(summary, str(path))
    for name, columns in ((UNITS_FILE, UNIT_COLUMNS), (CONTROL_FILE, CONTROL_COLUMNS)):
        file = root / name
        if not file.is_file():
            raise RunFormatError(f"{file}: missing (the run directory is incomplete)")
        try:
            schema = pq.read_schema(file)
        except (pa.ArrowInvalid, OSError) as err:
            raise RunFormatError(f"{file}: not a Parquet file: {err}") from None
        absent = [c for c in columns if c not in schema.names]
        if absent:
            raise RunFormatError(f"{file}: missing column(s) {', '.join(absent)}")
    events = root / EVENTS_FILE
    if not events.is_file():
        raise RunFormatError(f"{events}: missing (the run directory is incomplete)")
    for i, line in enumerate(events.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            raise RunFormatError(f"{events}: line {i}: not valid JSON") from None
        if not isinstance(ev, dict):
            raise RunFormatError(f"{events}: line {i}: must be a JSON object")
        _check_event(ev, str(events), i)
    return Run(root=root, summary=summary)

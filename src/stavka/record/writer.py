"""Write a run directory step by step, for engines that should not hold the whole trace.

``summary.json`` is written last, by :meth:`RunWriter.close`: a run that dies half-way
leaves a directory that :func:`~stavka.record.runformat.read_run` reports as incomplete.

>>> import tempfile
>>> from stavka.record.runformat import read_run
>>> d = tempfile.mkdtemp()
>>> with RunWriter(d) as w:
...     w.add_event({"time": "1945-08-09T00:00:00+09:00", "kind": "start"})
...     _ = w.close({"scenario": {"id": "x", "version": 1}, "seed": 0,
...                  "start": "1945-08-09T00:00:00+09:00",
...                  "end": "1945-08-10T00:00:00+09:00"})
>>> len(read_run(d).events())
1
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from stavka.cliutil import to_jsonable
from stavka.errors import RunFormatError
from stavka.record.runformat import (
    _SUMMARY_DEFAULTS,
    CONTROL_COLUMNS,
    CONTROL_FILE,
    EVENTS_FILE,
    SUMMARY_FILE,
    UNIT_COLUMNS,
    UNITS_FILE,
    TableLike,
    _as_table,
    _check_event,
    _check_summary,
)

__all__ = ["RunWriter"]


class RunWriter:
    """Append unit and control rows and events; write the summary on close.

    Args:
        run_dir: directory to create.
    """

    def __init__(self, run_dir: str | Path) -> None:
        self.root = Path(run_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        for name in (SUMMARY_FILE, UNITS_FILE, CONTROL_FILE, EVENTS_FILE):
            (self.root / name).unlink(missing_ok=True)
        self._writers: dict[str, Any] = {}
        self._events: IO[str] | None = (self.root / EVENTS_FILE).open(
            "w", encoding="utf-8"
        )
        self._n_events = 0
        self.closed = False

    def _append(
        self, name: str, rows: TableLike, columns: Mapping[str, pa.DataType]
    ) -> None:
        """Append a batch to one of the Parquet traces."""
        if self.closed:
            raise RunFormatError(f"{self.root}: the run is already closed")
        table = _as_table(rows, columns, name)
        writer = self._writers.get(name)
        if writer is None:
            writer = pq.ParquetWriter(self.root / name, table.schema)
            self._writers[name] = writer
        else:
            try:
                table = table.select(writer.schema.names).cast(writer.schema)
            except (KeyError, pa.ArrowInvalid, ValueError) as err:
                raise RunFormatError(
                    f"{name}: batch columns differ from the first batch: {err}"
                ) from None
        writer.write_table(table)

    def add_units(self, rows: TableLike) -> None:
        """Append unit-state rows (columns of :data:`UNIT_COLUMNS`)."""
        self._append(UNITS_FILE, rows, UNIT_COLUMNS)

    def add_control(self, rows: TableLike) -> None:
        """Append place-control rows (columns of :data:`CONTROL_COLUMNS`)."""
        self._append(CONTROL_FILE, rows, CONTROL_COLUMNS)

    def add_event(self, event: Mapping[str, Any]) -> None:
        """Append one event (needs ``time`` and ``kind``)."""
        if self._events is None:
            raise RunFormatError(f"{self.root}: the run is already closed")
        self._n_events += 1
        _check_event(event, EVENTS_FILE, self._n_events)
        self._events.write(json.dumps(to_jsonable(dict(event)), ensure_ascii=False))
        self._events.write("\n")

    def _finish_files(self) -> None:
        """Close the traces (writing empty ones that got no rows) and the log."""
        for name, columns in (
            (UNITS_FILE, UNIT_COLUMNS),
            (CONTROL_FILE, CONTROL_COLUMNS),
        ):
            writer = self._writers.pop(name, None)
            if writer is not None:
                writer.close()
            elif not self.closed:
                pq.write_table(_as_table(None, columns, name), self.root / name)
        if self._events is not None:
            self._events.close()
            self._events = None

    def close(self, summary: Mapping[str, Any]) -> Path:
        """Finish the traces and write ``summary.json``.

        Args:
            summary: as for :func:`~stavka.record.runformat.write_run`.

        Returns:
            The run directory.

        Raises:
            RunFormatError: if the summary lacks a required key or has a bad value.
        """
        full = {**_SUMMARY_DEFAULTS, **dict(summary)}
        _check_summary(full, SUMMARY_FILE)
        self._finish_files()
        self.closed = True
        text = json.dumps(to_jsonable(full), indent=2, ensure_ascii=False) + "\n"
        (self.root / SUMMARY_FILE).write_text(text, encoding="utf-8")
        return self.root

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.closed:  # left without close(): traces closed, no summary
            self._finish_files()
            self.closed = True

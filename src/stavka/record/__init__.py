"""The historical record and the scoring of a run against it.

- :mod:`~stavka.record.runformat`: the run directory the engine writes
  (:func:`write_run`, :func:`read_run`; :class:`RunWriter` streams it step by step);
- :mod:`~stavka.record.loader`: a record directory as capture windows, advance points,
  notes and loss ranges (:func:`load_record`); the advance rows are read by
  :mod:`~stavka.record.advances`;
- :mod:`~stavka.record.scoring`: capture-date, advance and loss errors
  (:func:`score_run`);
- :mod:`~stavka.record.evaluate`: run directory to score in one call (:func:`evaluate`).
"""

from __future__ import annotations

from stavka.record.evaluate import Evaluation, evaluate
from stavka.record.loader import (
    AdvancePoint,
    CaptureWindow,
    LossRange,
    Note,
    Record,
    load_record,
)
from stavka.record.runformat import Run, read_run, write_run
from stavka.record.scoring import Score, score_run
from stavka.record.writer import RunWriter

__all__ = [
    "AdvancePoint",
    "CaptureWindow",
    "Evaluation",
    "LossRange",
    "Note",
    "Record",
    "Run",
    "RunWriter",
    "Score",
    "evaluate",
    "load_record",
    "read_run",
    "score_run",
    "write_run",
]

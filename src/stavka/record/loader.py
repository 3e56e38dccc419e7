"""Load a historical record directory: capture windows, advance points, notes, losses.

A record directory has ``events.csv`` and ``advances.csv`` in the format of the history
pack (``shared/history/README.md``) and optionally ``losses.csv`` (loss ranges; when
absent, the ranges shipped for the scenario as ``stavka/record/losses-<id>.csv`` are
used).
Advance rows become points and notes in :mod:`stavka.record.advances`.
``docs/record.md`` explains every rule.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from stavka.errors import RecordError
from stavka.record.advances import AdvancePoint, Note, load_advances
from stavka.record.parsing import alternative_dates, iso_date, read_rows, split_ids

if TYPE_CHECKING:
    from stavka.scenario import Scenario

__all__ = [
    "CONTROL_KINDS",
    "AdvancePoint",
    "CaptureWindow",
    "DateEvidence",
    "LossRange",
    "Note",
    "Record",
    "load_record",
]

logger = logging.getLogger(__name__)

CONTROL_KINDS = frozenset(
    {"capture", "fortress_fell", "surrender", "link_up", "landing", "airborne_landing"}
)
"""Event kinds in ``events.csv`` that mark Soviet control of their place."""

EVENT_COLUMNS = ("date", "event_kind", "place_id", "detail", "source", "formation_id")
LOSS_COLUMNS = ("side", "categories", "low", "high", "scope", "source")


@dataclass(frozen=True)
class DateEvidence:
    """One dated statement about a place's capture, with its provenance."""

    date: dt.date
    row: int
    kind: str
    detail: str
    source: str
    from_text: bool = False


@dataclass(frozen=True)
class CaptureWindow:
    """The dates between which the record puts the first Soviet control of a place."""

    place: str
    first: dt.date
    last: dt.date
    evidence: tuple[DateEvidence, ...]

    @property
    def sources(self) -> list[str]:
        """Every citation behind the window, in row order, without repeats."""
        return list(dict.fromkeys(e.source for e in self.evidence))


@dataclass(frozen=True)
class LossRange:
    """A sourced range for the sum of some loss categories of one side."""

    side: str
    categories: tuple[str, ...]
    low: float | None
    high: float | None
    scope: str
    source: str
    estimated: str = ""
    note: str = ""


@dataclass
class Record:
    """A loaded record directory."""

    root: Path
    windows: dict[str, CaptureWindow]
    advances: list[AdvancePoint]
    notes: list[Note]
    losses: list[LossRange]
    warnings: list[str] = field(default_factory=list)


def load_record(record_dir: str | Path, scenario: Scenario) -> Record:
    """Load and check a record directory against a scenario.

    Args:
        record_dir: directory with ``events.csv``, ``advances.csv`` and optionally
            ``losses.csv``.
        scenario: the scenario the record belongs to (places, formation starts).

    Returns:
        The record. Rows naming formations the scenario lacks are kept; each unknown
        id gives one warning.

    Raises:
        RecordError: on a missing file or column, an unparseable date or km figure,
            or a place id the scenario lacks (naming file, row and column).
    """
    root = Path(record_dir)
    if not root.is_dir():
        raise RecordError(f"{root}: not a record directory")
    unknown: dict[str, list[str]] = defaultdict(list)
    windows = _load_windows(root / "events.csv", scenario, unknown)
    advances, notes = load_advances(root / "advances.csv", scenario, unknown)
    losses = _load_losses(root, scenario)
    warnings = [
        f"formation {fid!r} is not in the scenario ({', '.join(where[:3])}"
        f"{', ...' if len(where) > 3 else ''}); its rows are kept"
        for fid, where in sorted(unknown.items())
    ]
    for w in warnings:
        logger.info("%s", w)
    return Record(root, windows, advances, notes, losses, warnings)


def _load_windows(
    path: Path, scenario: Scenario, unknown: dict[str, list[str]]
) -> dict[str, CaptureWindow]:
    """Collect the control-type events of each place into a window."""
    evidence: dict[str, list[DateEvidence]] = defaultdict(list)
    for i, r in enumerate(read_rows(path, EVENT_COLUMNS), start=1):
        day = iso_date(path, i, r["date"])
        place = r["place_id"]
        if place and place not in scenario.places:
            raise RecordError(
                f"{path}: row {i} (line {i + 1}), column 'place_id': place "
                f"{place!r} is not in the scenario's places.csv (correct the id or "
                "add the place)"
            )
        for fid in split_ids(r["formation_id"]):
            if fid not in scenario.formations:
                unknown[fid].append(f"{path.name} row {i}")
        if r["event_kind"] not in CONTROL_KINDS or not place:
            continue
        kind, detail, source = r["event_kind"], r["detail"], r["source"]
        evidence[place].append(DateEvidence(day, i, kind, detail, source))
        for alt in sorted(alternative_dates(f"{detail} {source}", day.year) - {day}):
            evidence[place].append(DateEvidence(alt, i, kind, detail, source, True))
    return {
        place: CaptureWindow(
            place, min(e.date for e in ev), max(e.date for e in ev), tuple(ev)
        )
        for place, ev in evidence.items()
    }


def _load_losses(root: Path, scenario: Scenario) -> list[LossRange]:
    """Read ``losses.csv`` from the record directory or the shipped default."""
    path = root / "losses.csv"
    if not path.is_file():
        pkg = resources.files("stavka.record") / f"losses-{scenario.id}.csv"
        if not pkg.is_file():
            return []
        path = Path(str(pkg))
    out = []
    for i, r in enumerate(read_rows(path, LOSS_COLUMNS), start=1):
        bounds: list[float | None] = []
        for col in ("low", "high"):
            try:
                bounds.append(float(r[col].replace(",", "")) if r[col] else None)
            except ValueError:
                raise RecordError(
                    f"{path}: row {i} (line {i + 1}), column {col!r}: "
                    f"{r[col]!r} is not a number"
                ) from None
        if bounds[0] is None and bounds[1] is None:
            raise RecordError(
                f"{path}: row {i} (line {i + 1}), column 'low': both bounds empty"
            )
        cats = tuple(c.strip() for c in r["categories"].split("+") if c.strip())
        out.append(
            LossRange(
                side=r["side"],
                categories=cats,
                low=bounds[0],
                high=bounds[1],
                scope=r["scope"] or "all",
                source=r["source"],
                estimated=r.get("estimated", ""),
                note=r.get("note", ""),
            )
        )
    return out

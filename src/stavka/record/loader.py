"""Load a historical record directory: capture windows, advance points, notes, losses.

A record directory has ``events.csv`` and ``advances.csv`` in the format of the history
pack (``shared/history/README.md``) and optionally ``losses.csv`` (loss ranges; when
absent, the ranges shipped for the scenario as ``stavka/record/losses-<id>.csv`` are
used).
``docs/record.md`` explains every rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from stavka.errors import RecordError
from stavka.record.parsing import (
    PlaceNames,
    alternative_dates,
    gc_in_text,
    great_circle_km,
    parse_km,
)

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
ADVANCE_COLUMNS = (
    "formation",
    "date",
    "cumulative_km",
    "location_reached",
    "source",
    "formation_id",
)
LOSS_COLUMNS = ("side", "categories", "low", "high", "scope", "source")
_NOTE_TAG = re.compile(r"^\s*\[([a-z/ ]+)\]\s*", re.I)
_HQ_ECHELONS = frozenset({"high_command", "command", "front", "fleet", "area_army"})
_SEA_AIR = frozenset({"naval", "air"})
_TO_GO = re.compile(r"\d\s*km\s+(?:from|short of)\b", re.I)


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
class AdvancePoint:
    """A formation's cumulative advance at the end of a dated day.

    Attributes:
        how: ``cumulative_km`` (sourced figure), ``gc_scenario`` (great-circle km from
            the formation's scenario start to the place reached) or ``gc_record``
            (the record's own derived great-circle figure).
        front: the formation is a front: the point is a depth checkpoint.
    """

    formation: str
    date: dt.date
    km_low: float
    km_high: float
    how: str
    row: int
    source: str
    text: str
    fd_km: float | None = None
    place: str | None = None
    front: bool = False


@dataclass(frozen=True)
class Note:
    """A logistics/weather note or a row that could not be turned into a point."""

    date: dt.date
    tag: str
    text: str
    source: str
    formations: tuple[str, ...]
    row: int


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


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a CSV file and check its header."""
    if not path.is_file():
        raise RecordError(f"{path}: missing (a record directory needs it)")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise RecordError(
                f"{path}: row 0 (header): missing column(s) {', '.join(missing)}"
            )
        return [{k: (v or "").strip() for k, v in r.items() if k} for r in reader]


def _date(path: Path, row: int, text: str) -> dt.date:
    """Parse the ISO ``date`` cell of a row."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError(
            f"{path}: row {row} (line {row + 1}), column 'date': "
            f"{text!r} is not an ISO date (write YYYY-MM-DD)"
        ) from None


def _ids(text: str) -> tuple[str, ...]:
    """Split a ``;``-separated id cell."""
    return tuple(p.strip() for p in text.split(";") if p.strip())


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
    advances, notes = _load_advances(root / "advances.csv", scenario, unknown)
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
    for i, r in enumerate(_rows(path, EVENT_COLUMNS), start=1):
        day = _date(path, i, r["date"])
        place = r["place_id"]
        if place and place not in scenario.places:
            raise RecordError(
                f"{path}: row {i} (line {i + 1}), column 'place_id': place "
                f"{place!r} is not in the scenario's places.csv (correct the id or "
                "add the place)"
            )
        for fid in _ids(r["formation_id"]):
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


def _load_advances(
    path: Path, scenario: Scenario, unknown: dict[str, list[str]]
) -> tuple[list[AdvancePoint], list[Note]]:
    """Turn advance rows into points (sourced or derived km) and notes."""
    names = PlaceNames(
        (p.id, p.name_modern, p.names_historical) for p in scenario.places.values()
    )
    points: list[AdvancePoint] = []
    notes: list[Note] = []
    for i, r in enumerate(_rows(path, ADVANCE_COLUMNS), start=1):
        day = _date(path, i, r["date"])
        fids = _ids(r["formation_id"])
        text, source = r["location_reached"], r["source"]
        for fid in fids:
            if fid not in scenario.formations:
                unknown[fid].append(f"{path.name} row {i}")
        tag = _NOTE_TAG.match(text)
        if tag:
            notes.append(Note(day, tag.group(1).lower(), text, source, fids, i))
            continue
        if not fids:
            notes.append(Note(day, "unassigned", text, source, fids, i))
            continue
        if r["cumulative_km"]:
            try:
                low, high, fd = parse_km(r["cumulative_km"])
            except ValueError as err:
                raise RecordError(
                    f"{path}: row {i} (line {i + 1}), column 'cumulative_km': {err}"
                ) from None
            points += [
                AdvancePoint(
                    f,
                    day,
                    low,
                    high,
                    "cumulative_km",
                    i,
                    source,
                    text,
                    fd,
                    front=_is_front(f, scenario),
                )
                for f in fids
            ]
            continue
        for fid in fids:
            point = _derived_point(fid, day, i, text, source, scenario, names)
            if isinstance(point, AdvancePoint):
                points.append(point)
            else:
                notes.append(Note(day, "skipped", point, source, (fid,), i))
    return points, notes


def _derived_point(
    fid: str,
    day: dt.date,
    row: int,
    text: str,
    source: str,
    scenario: Scenario,
    names: PlaceNames,
) -> AdvancePoint | str:
    """Derive km for a location-reached row, or say why not."""
    gc = gc_in_text(text)
    if gc is None and _TO_GO.search(text):
        return f"distance to go, not an advance ({fid}): {text}"
    target = names.first(gc[1]) if gc and gc[1] else None
    place = target or names.first(text)
    if fid in scenario.formations and place is not None:
        why = _no_land_advance(fid, place, scenario)
        if why:
            return f"{why}; no km derived for {fid} to {place}: {text}"
        start: tuple[float, float] | None
        try:
            start = scenario.location_of(fid)
        except (KeyError, TypeError, AttributeError):
            start = None
        if start is not None:
            lat, lon = start
            p = scenario.places[place]
            km = round(great_circle_km(lat, lon, p.lat, p.lon), 1)
            return AdvancePoint(
                fid, day, km, km, "gc_scenario", row, source, text, place=place
            )
    if gc is not None:
        return AdvancePoint(
            fid, day, gc[2], gc[2], "gc_record", row, source, text, place=place
        )
    if place is None:
        return f"no place found in the text for {fid}: {text}"
    return f"{fid} has no start in the scenario; cannot derive km to {place}: {text}"


def _is_front(fid: str, scenario: Scenario) -> bool:
    """Say whether a formation is a front (a depth checkpoint of the campaign)."""
    form = scenario.formations.get(fid)
    if form is not None and hasattr(form, "echelon"):
        return str(form.echelon) == "front"
    return fid.endswith("_front")


def _no_land_advance(fid: str, place: str, scenario: Scenario) -> str:
    """Say why a great-circle km from a formation's start would not be an advance."""
    form = scenario.formations[fid]
    echelon = str(getattr(form, "echelon", ""))
    if echelon in _HQ_ECHELONS:
        return f"{echelon} location is its HQ, not a start line"
    if str(getattr(form, "mobility", "")) in _SEA_AIR:
        return "naval/air formation"
    if str(getattr(scenario.places[place], "kind", "")) == "island":
        return "island reached by sea"
    return ""


def _load_losses(root: Path, scenario: Scenario) -> list[LossRange]:
    """Read ``losses.csv`` from the record directory or the shipped default."""
    path = root / "losses.csv"
    if not path.is_file():
        pkg = resources.files("stavka.record") / f"losses-{scenario.id}.csv"
        if not pkg.is_file():
            return []
        path = Path(str(pkg))
    out = []
    for i, r in enumerate(_rows(path, LOSS_COLUMNS), start=1):
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

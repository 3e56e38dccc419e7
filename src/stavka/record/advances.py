"""Advance rows of a record directory: cumulative-advance points and notes.

``advances.csv`` gives, per formation and day, a sourced cumulative advance in km or the
place reached; a place reached becomes a great-circle km from the formation's scenario
start when that measures a land advance (else the record's own derived figure, or a
note saying why none). Tagged rows (``[logistics]``, ``[weather]``, ...) are notes.
``docs/record.md`` explains every rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stavka.errors import RecordError
from stavka.record.parsing import (
    PlaceNames,
    gc_in_text,
    great_circle_km,
    iso_date,
    parse_km,
    read_rows,
    split_ids,
)

if TYPE_CHECKING:
    from stavka.scenario import Scenario

__all__ = ["ADVANCE_COLUMNS", "AdvancePoint", "Note", "load_advances"]

ADVANCE_COLUMNS = (
    "formation",
    "date",
    "cumulative_km",
    "location_reached",
    "source",
    "formation_id",
)
_NOTE_TAG = re.compile(r"^\s*\[([a-z/ ]+)\]\s*", re.I)
_HQ_ECHELONS = frozenset({"high_command", "command", "front", "fleet", "area_army"})
_SEA_AIR = frozenset({"naval", "air"})
_TO_GO = re.compile(r"\d\s*km\s+(?:from|short of)\b", re.I)


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


def load_advances(
    path: Path, scenario: Scenario, unknown: dict[str, list[str]]
) -> tuple[list[AdvancePoint], list[Note]]:
    """Turn advance rows into points (sourced or derived km) and notes.

    Args:
        path: the ``advances.csv`` file.
        scenario: the scenario (places, formation starts and echelons).
        unknown: gets, per formation id the scenario lacks, the rows naming it.

    Raises:
        RecordError: on a missing file or column, or an unparseable date or km figure.
    """
    names = PlaceNames(
        (p.id, p.name_modern, p.names_historical) for p in scenario.places.values()
    )
    points: list[AdvancePoint] = []
    notes: list[Note] = []
    for i, r in enumerate(read_rows(path, ADVANCE_COLUMNS), start=1):
        day = iso_date(path, i, r["date"])
        fids = split_ids(r["formation_id"])
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

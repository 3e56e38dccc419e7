"""Small parsers for record files: CSV rows, dates, km figures, place names.

>>> sorted(d.day for d in alternative_dates("source text says 17 Aug", 1945))
[17]
>>> parse_km("450-500")
(450.0, 500.0, None)
>>> parse_km("50 (FD 70)")
(50.0, 50.0, 70.0)
>>> round(great_circle_km(41.8, 123.43, 43.88, 125.32))
278
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from stavka.errors import RecordError
from stavka.geo import EARTH_RADIUS_KM, haversine_km

__all__ = [
    "EARTH_RADIUS_KM",
    "PlaceNames",
    "alternative_dates",
    "gc_in_text",
    "great_circle_km",
    "iso_date",
    "parse_km",
    "read_rows",
    "split_ids",
]

"""Mean Earth radius (IUGG), km."""

_MONTHS = {"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "jul": 7}
_MON = r"(Aug(?:ust)?|Sept?(?:ember)?|Jul)\b"
_DAYS = r"(\d{1,2})(?:\s*(?:-|–|/|or)\s*(\d{1,2}))?"
_ALT_PATTERNS = (
    # "source text says captured 17 Aug", "rt-online.ru gives 19 Aug"
    re.compile(
        r"\b(?:says?|gives?|dates? it)\b[^.;()]*?\b" + _DAYS + r"\s+" + _MON, re.I
    ),
    # "16 or 17 Aug"
    re.compile(r"\b(\d{1,2})\s+(or)\s+(\d{1,2})\s+" + _MON, re.I),
    # "taken 11-12 Aug", "seized (15-16 Aug)"
    re.compile(
        r"\b(?:taken|captured|seized|fell|falls|occupied|cleared|liberated)\s*\(?"
        + _DAYS
        + r"\s+"
        + _MON,
        re.I,
    ),
    # "source text (16 Aug)"
    re.compile(r"source[ _]text(?:\.txt)?\s*\(" + _DAYS + r"\s+" + _MON, re.I),
)


def alternative_dates(text: str, year: int) -> set[dt.date]:
    """Find the dates a text gives as alternatives for the event it describes.

    Only dates introduced as a source's version ("source text says 17 Aug", "gives
    19 Aug", "source text (16 Aug)"), a choice ("16 or 17 Aug") or a span of the event
    itself ("taken 11-12 Aug", "seized (15-16 Aug)") count; dates of other events
    ("battle 12-16 Aug", "siege 9-26 Aug") do not.

    Args:
        text: detail and source text of a record row.
        year: the year of the row's date.

    Returns:
        The dates found (possibly empty).
    """
    out: set[dt.date] = set()
    for pattern in _ALT_PATTERNS:
        for m in pattern.finditer(text):
            groups = [g for g in m.groups() if g is not None and g.lower() != "or"]
            month = _MONTHS[groups[-1].lower()]
            for day in groups[:-1]:
                try:
                    out.add(dt.date(year, month, int(day)))
                except ValueError:
                    continue
    return out


_KM = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*"
    r"(?:\(\s*FD\s*(\d+(?:\.\d+)?)\s*\))?\s*$",
    re.I,
)


def parse_km(text: str) -> tuple[float, float, float | None]:
    """Parse a ``cumulative_km`` cell.

    Args:
        text: ``150``, ``450-500``, ``1.5-9`` or ``50 (FD 70)`` (main forces 50 km,
            forward detachment 70 km).

    Returns:
        ``(low, high, forward_detachment_km)``; low == high for a single figure.

    Raises:
        ValueError: if the text has none of these forms.
    """
    m = _KM.match(text)
    if not m:
        msg = f"{text!r} is not km (write 150, 450-500 or 50 (FD 70))"
        raise ValueError(msg)
    low = float(m.group(1))
    high = float(m.group(2)) if m.group(2) else low
    if high < low:
        msg = f"{text!r}: range upper bound is below the lower bound"
        raise ValueError(msg)
    return low, high, float(m.group(3)) if m.group(3) else None


_GC = re.compile(
    r"gc\s+(?:from\s+)?([^~()>]*?)\s*->\s*([^~()]*?)\s*~\s*(\d+(?:\.\d+)?)\s*km"
)
_GC_FROM = re.compile(r"gc\s+from\s+([^~()]*?)\s*~\s*(\d+(?:\.\d+)?)\s*km")


def gc_in_text(text: str) -> tuple[str, str | None, float] | None:
    """Find the first ``gc A->B ~N km`` (or ``gc from A ~N km``) in a text.

    Args:
        text: a ``location_reached`` cell.

    Returns:
        ``(from_name, to_name or None, km)`` or None.
    """
    m = _GC.search(text)
    if m:
        return m.group(1).strip(), m.group(2).strip(), float(m.group(3))
    m = _GC_FROM.search(text)
    if m:
        return m.group(1).strip(), None, float(m.group(2))
    return None


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance.

    Args:
        lat1: latitude of the first point, degrees north.
        lon1: longitude of the first point, degrees east.
        lat2: latitude of the second point, degrees north.
        lon2: longitude of the second point, degrees east.

    Returns:
        Distance in km on a sphere of :data:`EARTH_RADIUS_KM`.
    """
    return float(haversine_km(lat1, lon1, lat2, lon2))


class PlaceNames:
    """Find place ids in free text by any of their names (case-insensitive)."""

    _MIN_LEN = 4

    def __init__(self, places: Iterable[tuple[str, str, str]]) -> None:
        """Index places.

        Args:
            places: ``(id, name_modern, names_historical)`` triples; historical names
                are ``;``-separated and may carry notes in parentheses.
        """
        names: dict[str, str] = {}
        for pid, modern, historical in places:
            cands = [pid, pid.replace("_", " "), modern, *historical.split(";")]
            for raw in cands:
                name = re.sub(r"\(.*?\)", "", raw).strip().lower()
                if len(name) >= self._MIN_LEN:
                    names.setdefault(name, pid)
        self._names = names
        alts = sorted(names, key=len, reverse=True)
        self._re = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(n) for n in alts) + r")(?![\w-])",
            re.I,
        )

    def find(self, text: str) -> list[str]:
        """Return the place ids named in a text, in order of appearance."""
        out: list[str] = []
        for m in self._re.finditer(text):
            pid = self._names[m.group(1).lower()]
            if pid not in out:
                out.append(pid)
        return out

    def first(self, text: str) -> str | None:
        """Return the first place id named in a text, or None."""
        found = self.find(text)
        return found[0] if found else None


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
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


def iso_date(path: Path, row: int, text: str) -> dt.date:
    """Parse the ISO ``date`` cell of a row."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError(
            f"{path}: row {row} (line {row + 1}), column 'date': "
            f"{text!r} is not an ISO date (write YYYY-MM-DD)"
        ) from None


def split_ids(text: str) -> tuple[str, ...]:
    """Split a ``;``-separated id cell."""
    return tuple(p.strip() for p in text.split(";") if p.strip())

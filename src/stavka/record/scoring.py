"""Score a run against a record: capture dates, advances, losses.

Rules (``docs/record.md``):

- **Capture date**: a record window ``[first, last]`` covers local days, i.e. the
  interval from ``first`` 00:00 to ``last + 1 day`` 00:00 (inclusive) in the
  scenario clock. The
  error is the signed time in days from the window to the simulated first Soviet
  control: negative = early, positive = late, 0 inside. A place never taken counts as
  late by (run end - window end) and is flagged; a place never taken whose window
  starts after the run end is not scored.
- **Advance**: at each record point the simulated cumulative km at the end of that date
  (or the last earlier date the run reports) minus the record figure; 0 inside a range,
  else the distance to the nearer bound. The % is relative to that bound. Points after
  the run's end are not scored (``beyond_run``).
- **Losses**: the sum of the named categories against ``[low, high]`` (open bounds
  allowed): 0 inside, else the signed distance to the nearer bound.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stavka.record.loader import LossRange, Record
    from stavka.record.runformat import Run

__all__ = [
    "AdvanceScore",
    "CaptureScore",
    "LossScore",
    "Score",
    "score_run",
]

DAY = dt.timedelta(days=1)
WORST_N = 10


@dataclass(frozen=True)
class CaptureScore:
    """Capture-date error of one place.

    Attributes:
        status: ``early``, ``inside``, ``late``, ``never_taken`` or ``beyond_run``.
        error_days: signed error in days (None for ``beyond_run``).
    """

    place: str
    first: dt.date
    last: dt.date
    simulated: dt.datetime | None
    error_days: float | None
    status: str
    sources: list[str]


@dataclass(frozen=True)
class AdvanceScore:
    """Advance error of one formation at one record point.

    Attributes:
        status: ``scored``; ``not_simulated`` (the run reports no km for the
            formation on or before the date); ``beyond_run`` (the run ends before the
            end of the record date).
    """

    formation: str
    date: dt.date
    km_low: float
    km_high: float
    simulated_km: float | None
    error_km: float | None
    error_pct: float | None
    how: str
    source: str
    text: str
    front: bool = False
    status: str = "scored"


@dataclass(frozen=True)
class LossScore:
    """A side's simulated losses against a sourced range."""

    side: str
    categories: list[str]
    scope: str
    low: float | None
    high: float | None
    simulated: float | None
    error: float | None
    status: str
    source: str
    estimated: str


@dataclass
class Score:
    """The whole score of a run; :meth:`to_dict` gives the JSON form."""

    captures: list[CaptureScore]
    advances: list[AdvanceScore]
    losses: list[LossScore]
    warnings: list[str]
    start: dt.date | None = None
    end: dt.datetime | None = None

    def checkpoints(self) -> list[dict[str, Any]]:
        """Return the front depth checkpoints: day, simulated km and record range."""
        out = []
        for a in self.advances:
            if not a.front:
                continue
            day = None if self.start is None else (a.date - self.start).days + 1
            out.append(
                {
                    "formation": a.formation,
                    "date": a.date.isoformat(),
                    "day": day,
                    "simulated_km": a.simulated_km,
                    "record_km": [a.km_low, a.km_high],
                    "error_km": a.error_km,
                }
            )
        return out

    def capture_stats(self) -> dict[str, Any]:
        """Return medians, shares within 1 and 3 days, and the worst ten places."""
        scored = [c for c in self.captures if c.error_days is not None]
        errs = [c.error_days for c in scored if c.error_days is not None]
        absn = [abs(e) for e in errs]
        worst = sorted(scored, key=lambda c: -abs(c.error_days or 0.0))[:WORST_N]
        return {
            "n": len(errs),
            "median_error_days": statistics.median(errs) if errs else None,
            "median_abs_error_days": statistics.median(absn) if absn else None,
            "within_1_day": sum(a <= 1 for a in absn) / len(absn) if absn else None,
            "within_3_days": sum(a <= 3 for a in absn) / len(absn) if absn else None,
            "never_taken": [
                c.place for c in self.captures if c.status == "never_taken"
            ],
            "worst": [
                {"place": c.place, "error_days": c.error_days, "status": c.status}
                for c in worst
            ],
        }

    def advance_stats(self) -> dict[str, Any]:
        """Return medians of absolute km and % errors and the worst ten points."""
        scored = [a for a in self.advances if a.error_km is not None]
        km = [abs(a.error_km) for a in scored if a.error_km is not None]
        pct = [abs(a.error_pct) for a in scored if a.error_pct is not None]
        worst = sorted(scored, key=lambda a: -abs(a.error_km or 0.0))[:WORST_N]
        return {
            "n": len(km),
            "median_abs_error_km": statistics.median(km) if km else None,
            "median_abs_error_pct": statistics.median(pct) if pct else None,
            "not_simulated": sorted(
                {a.formation for a in self.advances if a.status == "not_simulated"}
            ),
            "worst": [
                {
                    "formation": a.formation,
                    "date": a.date.isoformat(),
                    "error_km": a.error_km,
                    "error_pct": a.error_pct,
                }
                for a in worst
            ],
        }

    def headline(self) -> str:
        """Return one line: median capture error, shares, and advance error."""
        c, a = self.capture_stats(), self.advance_stats()
        parts = []
        if c["n"]:
            parts.append(
                f"median capture-date error {c['median_abs_error_days']:.1f} days over "
                f"{c['n']} places (signed {c['median_error_days']:+.1f}; within 1 day "
                f"{100 * c['within_1_day']:.0f}%, within 3 days "
                f"{100 * c['within_3_days']:.0f}%; never taken "
                f"{len(c['never_taken'])})"
            )
        if a["n"]:
            parts.append(
                f"median advance error {a['median_abs_error_km']:.0f} km "
                f"({a['median_abs_error_pct']:.0f}%) over {a['n']} record points"
            )
        # One entry per formation and day; several record figures for it are listed.
        records: dict[tuple[str, Any, float], list[str]] = {}
        for cp in self.checkpoints():
            if cp["simulated_km"] is None:
                continue
            lo, hi = cp["record_km"]
            rec = f"{lo:.0f}" if lo == hi else f"{lo:.0f}-{hi:.0f}"
            key = (cp["formation"], cp["day"], cp["simulated_km"])
            records.setdefault(key, []).append(rec)
        for (formation, day, km), recs in records.items():
            parts.append(
                f"{formation} at day {day}: {km:.0f} km (record {', '.join(recs)})"
            )
        return "; ".join(parts) if parts else "nothing to score"

    def to_dict(self) -> dict[str, Any]:
        """Return the score as plain JSON-ready data."""
        return {
            "captures": {
                **self.capture_stats(),
                "places": [asdict(c) for c in self.captures],
            },
            "advances": {
                **self.advance_stats(),
                "points": [asdict(a) for a in self.advances],
            },
            "checkpoints": self.checkpoints(),
            "losses": [asdict(x) for x in self.losses],
            "warnings": list(self.warnings),
            "headline": self.headline(),
        }


def _capture(
    place: str,
    first: dt.date,
    last: dt.date,
    when: dt.datetime | None,
    tz: dt.tzinfo,
    end: dt.datetime,
    sources: list[str],
) -> CaptureScore:
    """Score one place."""
    lo = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(last, dt.time(), tzinfo=tz) + DAY
    if when is None:
        if lo >= end:
            return CaptureScore(place, first, last, None, None, "beyond_run", sources)
        err = max(0.0, (end - hi) / DAY)
        return CaptureScore(place, first, last, None, err, "never_taken", sources)
    if when < lo:
        return CaptureScore(
            place, first, last, when, (when - lo) / DAY, "early", sources
        )
    if when > hi:
        return CaptureScore(
            place, first, last, when, (when - hi) / DAY, "late", sources
        )
    return CaptureScore(place, first, last, when, 0.0, "inside", sources)


def _sim_km(series: dict[str, float], day: dt.date) -> float | None:
    """Simulated km at the end of ``day`` (or the last earlier reported date)."""
    best: tuple[dt.date, float] | None = None
    for key, km in series.items():
        d = dt.date.fromisoformat(key)
        if d <= day and (best is None or d > best[0]):
            best = (d, float(km))
    return None if best is None else best[1]


def _miss(
    value: float, low: float | None, high: float | None
) -> tuple[float, float | None]:
    """Signed distance from a range and the bound it is measured from."""
    if low is not None and value < low:
        return value - low, low
    if high is not None and value > high:
        return value - high, high
    return 0.0, None


def _loss(rng: LossRange, summary: dict[str, Any]) -> LossScore:
    """Score one loss range."""
    if rng.scope == "all":
        table = summary.get("losses", {})
    elif rng.scope == "nation":
        # The side names a nation: its own forces only, not its allies'.
        table = summary.get("losses_by_nation", {})
    elif rng.scope in summary.get("losses_by_formation", {}):
        table = summary["losses_by_formation"][rng.scope]
    else:
        table = summary.get("losses_by_region", {}).get(rng.scope, {})
    side = table.get(rng.side)
    value: float | None = None
    if isinstance(side, dict):
        cats = list(side) if rng.categories == ("all",) else rng.categories
        got = [side[c] for c in cats if c in side]
        value = float(sum(got)) if got else None
    if value is None:
        err, status = None, "not_in_run"
    else:
        err, _ = _miss(value, rng.low, rng.high)
        status = "inside" if err == 0 else ("below" if err < 0 else "above")
    return LossScore(
        rng.side,
        list(rng.categories),
        rng.scope,
        rng.low,
        rng.high,
        value,
        err,
        status,
        rng.source,
        rng.estimated,
    )


def score_run(run: Run | Mapping[str, Any], record: Record) -> Score:
    """Score a run against a record.

    Args:
        run: a run read with :func:`stavka.record.runformat.read_run`, or just its
            summary (a mapping with ``start``, ``end``, ``captures``, ``advance_km``,
            ``losses``), so the engine can score before it writes ``summary.json``.
        record: a record loaded with :func:`stavka.record.loader.load_record`.

    Returns:
        The score (see the module docstring for the rules).
    """
    if isinstance(run, Mapping):
        from stavka.record.runformat import Run

        run = Run(root=Path(), summary=dict(run))
    tz = run.start.tzinfo or dt.UTC
    end = run.end
    warnings = list(record.warnings)
    trace_end = run.trace_end()
    if trace_end is not None and trace_end < end - DAY:
        warnings.insert(
            0,
            f"summary.json end {end.isoformat()} is more than a day after the unit "
            f"trace ends ({trace_end.isoformat()}); scored up to the trace end "
            "(write the time the run stopped as 'end', docs/run-format.md)",
        )
        end = trace_end
    caps = run.captures()
    captures = [
        _capture(place, w.first, w.last, caps.get(place), tz, end, w.sources)
        for place, w in sorted(record.windows.items(), key=lambda x: (x[1].first, x[0]))
    ]
    advance_km: dict[str, dict[str, float]] = run.summary.get("advance_km", {})
    advances = []
    for p in record.advances:
        series = advance_km.get(p.formation)
        day_end = dt.datetime.combine(p.date, dt.time(), tzinfo=tz) + DAY
        covered = day_end <= end + dt.timedelta(minutes=1)
        sim = _sim_km(series, p.date) if series and covered else None
        status = (
            "scored"
            if sim is not None
            else ("beyond_run" if not covered else "not_simulated")
        )
        err = pct = None
        if sim is not None:
            err, bound = _miss(sim, p.km_low, p.km_high)
            pct = 100.0 * err / bound if bound else 0.0 if err == 0 else None
        advances.append(
            AdvanceScore(
                p.formation,
                p.date,
                p.km_low,
                p.km_high,
                sim,
                err,
                pct,
                p.how,
                p.source,
                p.text,
                p.front,
                status,
            )
        )
    losses = [_loss(r, run.summary) for r in record.losses]
    return Score(captures, advances, losses, warnings, run.start.date(), end)

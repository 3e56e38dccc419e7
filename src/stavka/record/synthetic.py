"""Synthetic run directories: straight-line moves between places, not a simulation.

They exercise scoring and reports before (and besides) the engine, and show the engine's
authors how to call :func:`stavka.record.runformat.write_run`. Every value is what the
caller asks for; nothing is simulated.

>>> Leg("6gta", "ussr", "tamsag_bulag", "lubei", 0.0, 3.0).unit
'6gta'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import h3
import pandas as pd

from stavka.record.runformat import FORMAT_VERSION, write_run
from stavka.scenario.container import STRENGTH_ITEMS

if TYPE_CHECKING:
    from stavka.scenario import Scenario

__all__ = ["Leg", "synthetic_run"]

H3_RESOLUTION = 5
_HOME_COUNTRIES = {"ussr": ("USSR", "Mongolian PR")}


@dataclass(frozen=True)
class Leg:
    """A unit moving in a straight line from one place to another.

    Attributes:
        unit: unit id.
        side: side id.
        origin: place id where it starts.
        target: place id it reaches.
        depart_day: days after the run start when it leaves.
        arrive_day: days after the run start when it arrives (then it stays).
        personnel: men at the start.
        loss_share: share of men lost, linearly, by arrival.
    """

    unit: str
    side: str
    origin: str
    target: str
    depart_day: float
    arrive_day: float
    personnel: float = 10_000.0
    loss_share: float = 0.1


def _position(leg: Leg, day: float, scenario: Scenario) -> tuple[float, float, float]:
    """Return lat, lon and the share of the leg done at a day after the start."""
    a, b = scenario.places[leg.origin], scenario.places[leg.target]
    span = max(leg.arrive_day - leg.depart_day, 1e-9)
    f = min(1.0, max(0.0, (day - leg.depart_day) / span))
    return a.lat + f * (b.lat - a.lat), a.lon + f * (b.lon - a.lon), f


def _unit_rows(
    legs: Sequence[Leg],
    scenario: Scenario,
    times: list[dt.datetime],
    start: dt.datetime,
) -> list[dict[str, Any]]:
    """One row per unit and step; a unit with several legs follows them in order."""
    by_unit: dict[str, list[Leg]] = {}
    for leg in sorted(legs, key=lambda g: g.depart_day):
        by_unit.setdefault(leg.unit, []).append(leg)
    rows = []
    for t in times:
        day = (t - start) / dt.timedelta(days=1)
        for unit_legs in by_unit.values():
            leg = next(
                (g for g in reversed(unit_legs) if g.depart_day <= day), unit_legs[0]
            )
            lat, lon, f = _position(leg, day, scenario)
            row: dict[str, Any] = {
                "time": t,
                "unit": leg.unit,
                "side": leg.side,
                "cell": h3.latlng_to_cell(lat, lon, H3_RESOLUTION),
                "lat": lat,
                "lon": lon,
                **dict.fromkeys(STRENGTH_ITEMS, 0.0),
                "fuel": 1.0 - 0.5 * f,
                "ammunition": 1.0 - 0.3 * f,
                "posture": "advance" if 0.0 < f < 1.0 else "hold",
                "status": "active",
            }
            row["personnel"] = leg.personnel * (1.0 - leg.loss_share * f)
            rows.append(row)
    return rows


def synthetic_run(
    run_dir: str | Path,
    scenario: Scenario,
    *,
    captures: Mapping[str, str | None],
    advance_km: Mapping[str, Mapping[str, float]] | None = None,
    losses: Mapping[str, Mapping[str, float]] | None = None,
    legs: Iterable[Leg] = (),
    days: float | None = None,
    step_hours: int = 6,
    seed: int = 0,
) -> Path:
    """Write a synthetic run directory.

    Args:
        run_dir: directory to write.
        scenario: the scenario (places, start, end).
        captures: place id -> ISO time of first attacker control (or None).
        advance_km: formation id -> {ISO date: km}.
        losses: side -> {category: count}.
        legs: unit moves for the unit trace.
        days: run length in days (default the scenario span).
        step_hours: trace step.
        seed: recorded in the summary (nothing is random).

    Returns:
        The run directory.
    """
    start = scenario.meta.start
    end = scenario.meta.end if days is None else start + dt.timedelta(days=days)
    step = dt.timedelta(hours=step_hours)
    times = []
    t = start
    while t <= end:
        times.append(t)
        t += step
    legs = list(legs)
    units = pd.DataFrame(_unit_rows(legs, scenario, times, start)) if legs else None
    attacker = scenario.meta.attacker
    home = _HOME_COUNTRIES.get(attacker, ())
    other = next((s.id for s in scenario.meta.sides if s.id != attacker), "defender")
    control = [
        {
            "time": start,
            "place": p.id,
            "side": attacker if p.country_1945 in home else other,
        }
        for p in scenario.places.values()
    ]
    events = []
    for place, when in captures.items():
        if when is not None:
            control.append(
                {
                    "time": dt.datetime.fromisoformat(when),
                    "place": place,
                    "side": attacker,
                }
            )
            events.append(
                {
                    "time": when,
                    "kind": "capture",
                    "place": place,
                    "side": attacker,
                    "detail": "synthetic",
                }
            )
    losses = {k: dict(v) for k, v in (losses or {}).items()}
    summary = {
        "format_version": FORMAT_VERSION,
        "scenario": {"id": scenario.id, "version": scenario.meta.version},
        "seed": seed,
        "variant": None,
        "code_version": "synthetic",
        "data_hashes": {},
        "start": start.isoformat(),
        "end": end.isoformat(),
        "captures": dict(captures),
        "advance_km": {k: dict(v) for k, v in (advance_km or {}).items()},
        "losses": losses,
        "accounting": dict.fromkeys(losses, 0.0),
        "score": None,
    }
    return write_run(run_dir, summary, units, pd.DataFrame(control), events)

"""Turn the scenario's dated events into engine hours and typed schedule entries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stavka.scenario.container import Scenario
from stavka.scenario.schema import Event

__all__ = [
    "ScheduledLanding",
    "event_hour",
    "fight_on_orders",
    "landings",
    "surrender_order_hours",
]

PART_OF_DAY = {
    "dawn": 5.0,
    "morning": 8.0,
    "noon": 12.0,
    "afternoon": 15.0,
    "evening": 19.0,
    "night": 23.0,
}
"""Hour assumed for a part of day given instead of a clock time (history README)."""

SURRENDER_WORDS = re.compile(
    r"rescript|ceasefire|cease-fire|cessation|cease hostilities", re.IGNORECASE
)
FIGHT_ON = re.compile(
    r"\borders\b.*\bto (?:defend|hold)\b|\bto the last\b", re.IGNORECASE
)
"""A defender order telling formations to fight on (plans.md 2.3: the 5th Area Army
orders the 88th Division to defend Karafuto)."""
SELF_DEFENCE = re.compile(r"except in self-defen[cs]e|stop offensive", re.IGNORECASE)
"""A ceasefire order that still lets units fight back when attacked (plans.md 2.3:
15 Aug IGHQ directive to stop offensive operations, 16 Aug ceasefire except in
self-defence; the Kwantung Army's order of 17 Aug ceases hostilities outright)."""
MEN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)\s*men")


def event_hour(s: Scenario, event: Event) -> float:
    """Hours after the scenario start of an event (local clock text, history README).

    A clock time 'HH:MM' is read as scenario-clock time; 'Moscow' times add 6 h,
    'Tokyo' times are UTC+9 like the clock. A part of day maps via ``PART_OF_DAY``; no
    time = 12:00.
    """
    text = event.time.lower()
    hour = 12.0
    clock = re.search(r"(\d{1,2}):(\d{2})", text)
    if clock:
        hour = int(clock.group(1)) + int(clock.group(2)) / 60
        if "moscow" in text:
            hour += 6.0
    else:
        for word, value in PART_OF_DAY.items():
            if word in text:
                hour = value
                break
    start = s.meta.start
    when = dt.datetime.combine(
        event.date, dt.time(0, 0), tzinfo=start.tzinfo
    ) + dt.timedelta(hours=hour)
    return (when - start).total_seconds() / 3600.0


@dataclass(frozen=True, slots=True)
class ScheduledLanding:
    """An amphibious or airborne landing as ordered in events.csv."""

    hour: float
    place: str
    formations: tuple[str, ...]
    airborne: bool
    men: float | None
    detail: str


def landings(s: Scenario) -> list[ScheduledLanding]:
    """Return the landings of events.csv in time order (place must be known)."""
    out = []
    for e in s.events:
        if e.event_kind not in {"landing", "airborne_landing"} or e.place_id is None:
            continue
        m = MEN.search(e.unit + " " + e.detail)
        men = float(m.group(1).replace(",", "")) if m else None
        out.append(
            ScheduledLanding(
                event_hour(s, e),
                e.place_id,
                tuple(e.formation_id),
                e.event_kind == "airborne_landing",
                men,
                e.detail,
            )
        )
    return sorted(out, key=lambda x: (x.hour, x.place))


def surrender_order_hours(
    s: Scenario,
    side_names: tuple[str, ...] = ("Japan",),
    *,
    unconditional: bool = False,
) -> list[float]:
    """Hours of the defender's ceasefire/surrender orders and declarations.

    Read from events.csv. ``unconditional``: only the orders without a self-defence
    exception (:data:`SELF_DEFENCE`).
    """
    return sorted(
        event_hour(s, e)
        for e in s.events
        if e.side in side_names
        and e.event_kind in {"order", "declaration"}
        and SURRENDER_WORDS.search(e.detail)
        and not (unconditional and SELF_DEFENCE.search(e.detail))
    )


def fight_on_orders(
    s: Scenario, side_names: tuple[str, ...] = ("Japan",)
) -> list[tuple[float, list[str]]]:
    """Hours of the defender's orders to fight on, and the formations they bind.

    Order rows of events.csv, from the first ceasefire order on, whose detail tells
    formations to defend or hold (:data:`FIGHT_ON`; earlier ones are plans, not a
    countermand); they bind the formations named that are not superiors of another
    one named (the issuing headquarters is named with them).
    """
    ceasefire = surrender_order_hours(s, side_names)
    out = []
    for e in s.events:
        if e.event_kind != "order" or e.side not in side_names:
            continue
        if not ceasefire or event_hour(s, e) < ceasefire[0]:
            continue
        if not FIGHT_ON.search(e.detail):
            continue
        named = {f for f in e.formation_id if f in s.formations}
        bound = sorted(f for f in named if not named & set(s.subtree(f)[1:]))
        out.append((event_hour(s, e), bound))
    return sorted(out)

"""Consistency rules between files: plans, events, railways, fortified regions, dates.

Each ``check_*`` takes the scenario and a locator (object -> its file origin) and
returns the problems it finds; see :mod:`stavka.scenario.consistency` for the full list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel

from stavka.errors import Problem
from stavka.geo import haversine_km
from stavka.scenario.consistency_forces import Locator, problem_at
from stavka.scenario.container import Scenario
from stavka.scenario.rawfiles import PathKey
from stavka.scenario.schema import ConditionKind

__all__ = [
    "check_dates_inside_scenario",
    "check_events",
    "check_fortified_regions",
    "check_plan_conditions",
    "check_plans",
    "check_railways",
    "km_between",
]

"""Mean Earth radius used for distances, km."""
GARRISON_MARGIN_KM = 10.0
"""How far outside its zone's radius a garrison's start point may lie, km."""
_NOT_A_PLACE = "is not in places.csv"
_FIX_ID = "correct the id or add it to places.csv"


def check_dates_inside_scenario(s: Scenario, locate: Locator) -> list[Problem]:
    """Weather, plan starts, intended days and events fall inside the scenario."""
    start, end = s.meta.start, s.meta.end
    first, last = start.date(), end.date()
    days = s.day_of(last)
    span = f"{first}..{last}"
    out: list[Problem] = []
    for w in s.weather:
        if w.end < first or w.start > last:
            what = f"{w.start}..{w.end} is outside the scenario {span}"
            fix = "correct the dates or drop the row"
            out.append(problem_at(w, locate, ("start",), what, fix))
    for p in s.plans.values():
        if p.start is not None and p.start.tzinfo is None:
            what = f"start {p.start.isoformat()} has no UTC offset"
            fix = "write e.g. 1945-08-09T00:00:00+09:00"
            out.append(problem_at(p, locate, ("start",), what, fix))
        elif p.start is not None and not start <= p.start <= end:
            what = f"start {p.start.isoformat()} is outside the scenario {span}"
            out.append(problem_at(p, locate, ("start",), what, "correct the time"))
        for i, obj in enumerate(p.objectives):
            if obj.intended_day is not None and obj.intended_day > days:
                what = f"day {obj.intended_day} is after the last day ({days})"
                fix = "use a day inside the scenario; day 1 is the start date"
                field = ("objectives", i, "intended_day")
                out.append(problem_at(p, locate, field, what, fix))
        for i, cond in enumerate(p.conditions):
            if cond.until_day is not None and cond.until_day > days:
                what = f"day {cond.until_day} is after the last day ({days})"
                field = ("conditions", i, "until_day")
                out.append(problem_at(p, locate, field, what, "use an earlier day"))
    for e in s.events:
        if e.date > last + dt.timedelta(days=1):
            what = f"{e.date} is after the scenario end {last}"
            fix = "correct the date (events before the start are background)"
            out.append(problem_at(e, locate, ("date",), what, fix))
    return out


def _place_fields(s: Scenario, p_axis: list[str], base: PathKey) -> list[PathKey]:
    return [(*base, i) for i, pl in enumerate(p_axis) if pl not in s.places]


def check_plans(s: Scenario, locate: Locator) -> list[Problem]:
    """Plans name existing formations and places; phase lines have two places."""
    out: list[Problem] = []
    for p in s.plans.values():
        if p.formation not in s.formations:
            what = f"formation {p.formation!r} does not exist"
            out.append(
                problem_at(p, locate, ("formation",), what, "use a formation id")
            )
        for field in _place_fields(s, p.axis, ("axis",)):
            what = f"place {p.axis[int(field[-1])]!r} {_NOT_A_PLACE}"
            out.append(problem_at(p, locate, field, what, _FIX_ID))
        for i, obj in enumerate(p.objectives):
            if obj.place is not None and obj.place not in s.places:
                what = f"place {obj.place!r} {_NOT_A_PLACE}"
                field = ("objectives", i, "place")
                out.append(problem_at(p, locate, field, what, _FIX_ID))
            line = obj.phase_line or []
            for field in _place_fields(s, line, ("objectives", i, "phase_line")):
                what = f"place {line[int(field[-1])]!r} {_NOT_A_PLACE}"
                out.append(problem_at(p, locate, field, what, _FIX_ID))
            if obj.phase_line is not None and len(set(obj.phase_line)) < 2:
                what = "a phase line needs at least two different places"
                field = ("objectives", i, "phase_line")
                fix = "add places or use 'place'"
                out.append(problem_at(p, locate, field, what, fix))
    return out


def check_plan_conditions(s: Scenario, locate: Locator) -> list[Problem]:
    """Condition targets exist and are of the kind the condition needs."""
    out: list[Problem] = []
    places, regions, forms = s.places, s.fortified_regions, s.formations
    for p in s.plans.values():
        own = forms.get(p.formation)
        for i, cond in enumerate(p.conditions):
            field = ("conditions", i, "target")
            t = cond.target
            if t is None:
                if cond.kind in {ConditionKind.BYPASS, ConditionKind.FOLLOW}:
                    what = f"a '{cond.kind.value}' condition needs a 'target'"
                    out.append(problem_at(p, locate, field, what, "add 'target'"))
                continue
            if t not in places and t not in regions and t not in forms:
                what = f"target {t!r} does not exist"
                fix = "use a place, fortified-region or formation id"
                out.append(problem_at(p, locate, field, what, fix))
            elif cond.kind is ConditionKind.FOLLOW and t not in forms:
                what = f"'follow' target {t!r} is not a formation"
                out.append(problem_at(p, locate, field, what, "use a formation id"))
            elif (
                cond.kind is ConditionKind.FOLLOW
                and own is not None
                and forms[t].side != own.side
            ):
                what = f"'follow' target {t!r} is on the other side"
                out.append(problem_at(p, locate, field, what, "follow a friendly one"))
            elif cond.kind is ConditionKind.BYPASS and t in forms:
                what = f"'bypass' target {t!r} is a formation"
                fix = "bypass a fortified region or a place"
                out.append(problem_at(p, locate, field, what, fix))
    return out


def check_events(s: Scenario, locate: Locator) -> list[Problem]:
    """Events name existing formations and places."""
    out: list[Problem] = []
    for e in s.events:
        for i, fid in enumerate(e.formation_id):
            if fid not in s.formations:
                what = f"formation {fid!r} does not exist"
                fix = "correct the id; ';' separates several"
                out.append(problem_at(e, locate, ("formation_id", i), what, fix))
        if e.place_id is not None and e.place_id not in s.places:
            what = f"place {e.place_id!r} {_NOT_A_PLACE}"
            out.append(problem_at(e, locate, ("place_id",), what, _FIX_ID))
    return out


def check_railways(s: Scenario, locate: Locator) -> list[Problem]:
    """Railway stations and road places exist; no stop is listed twice in a row."""
    out: list[Problem] = []
    routes: list[tuple[BaseModel, list[str], str]]
    routes = [(r, r.stations, "stations") for r in s.railways.values()]
    routes += [(r, r.connects, "connects") for r in s.railways.values()]
    routes += [(road, road.places, "places") for road in s.roads.values()]
    for obj, stops, name in routes:
        for field in _place_fields(s, stops, (name,)):
            noun = "station" if name == "connects" else name[:-1]
            what = f"{noun} {stops[int(field[-1])]!r} {_NOT_A_PLACE}"
            out.append(problem_at(obj, locate, field, what, _FIX_ID))
        for i in range(1, len(stops)):
            if stops[i] == stops[i - 1]:
                what = f"{stops[i]!r} follows itself"
                out.append(problem_at(obj, locate, (name, i), what, "drop the repeat"))
    return out


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two (lat, lon) points, degrees."""
    return float(haversine_km(lat1, lon1, lat2, lon2))


def check_fortified_regions(s: Scenario, locate: Locator) -> list[Problem]:
    """Regions sit on known places; garrisons exist, man one region, start inside it."""
    out: list[Problem] = []
    holders: Counter[str] = Counter()
    for fr in s.fortified_regions.values():
        holders.update(set(fr.garrison))
    for fr in s.fortified_regions.values():
        centre = s.places.get(fr.place)
        if centre is None:
            what = f"place {fr.place!r} {_NOT_A_PLACE}"
            out.append(problem_at(fr, locate, ("place",), what, _FIX_ID))
        radius = fr.radius_km.value
        if radius is not None and radius <= 0:
            what = f"radius {radius} km is not positive"
            fix = "give the zone's radius in km"
            out.append(problem_at(fr, locate, ("radius_km", "value"), what, fix))
        for i, g in enumerate(fr.garrison):
            field = ("garrison", i)
            if g not in s.formations:
                what = f"formation {g!r} does not exist"
                out.append(problem_at(fr, locate, field, what, "correct it"))
                continue
            if holders[g] > 1:
                what = f"formation {g!r} garrisons {holders[g]} fortified regions"
                fix = "list it in one region (split the unit if it held several)"
                out.append(problem_at(fr, locate, field, what, fix))
            loc = s.formations[g].location
            if centre is None or radius is None:
                continue
            if loc.lat is None and loc.place not in s.places:
                continue  # reported by check_formation_references
            lat, lon = s.location_of(g)
            km = km_between(centre.lat, centre.lon, lat, lon)
            if km > radius + GARRISON_MARGIN_KM:
                what = (
                    f"garrison {g!r} starts {km:.0f} km from the centre ({radius} km)"
                )
                fix = "move the garrison into the zone or correct the radius"
                out.append(problem_at(fr, locate, field, what, fix))
    return out

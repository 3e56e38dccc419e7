"""Landings as ordered in events.csv: who lands where and when.

For each landing, in time order, the landing force is taken from the uncommitted units
of the formations the event names: airborne units for an air landing; naval infantry,
and units that cannot march to the place (sea between) and stand within
``LANDING_REACH_KM``, for a sea landing. Where the event gives a number of men, units
are taken in file order until it is reached; where it gives none, all eligible units of
an army, corps or defence region it names land, but only one of a fleet or front (they
make many landings). A landing with no such unit gets a detachment of the event's size
(else ``landing_men_default``): the sources name the landing, not always the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stavka.engine.params import EngineParams
from stavka.engine.routing import FieldBank, TheatreLike
from stavka.engine.timeline import ScheduledLanding
from stavka.geo import haversine_km
from stavka.scenario.container import Scenario
from stavka.scenario.schema import Formation

__all__ = ["LANDING_REACH_KM", "LandingPlan", "plan_landings"]

LANDING_REACH_KM = 1000.0
"""Units farther than this from a landing are not its landing force (geographic bound:
the landings of events.csv sailed at most ~700 km, Vladivostok to Wonsan)."""


MANY_LANDINGS = frozenset({"fleet", "flotilla", "front", "high_command"})
"""Echelons that make many landings: naming one with no size lands one unit."""


@dataclass(frozen=True, slots=True)
class LandingPlan:
    """Which existing units land (index -> landing) and which detachments are added."""

    assigned: dict[int, ScheduledLanding]
    detachments: list[tuple[Formation, ScheduledLanding]]


def _detachment(
    s: Scenario, k: int, ld: ScheduledLanding, params: EngineParams
) -> Formation:
    men = ld.men or params.landing_men_default
    how = "the event's figure" if ld.men else "landing_men_default (assumption)"
    kind = "airborne" if ld.airborne else "naval_infantry"
    return Formation.model_validate(
        {
            "id": f"{kind}_{k}_{ld.place}",
            "name": f"{kind.replace('_', ' ')} detachment landed at {ld.place}",
            "side": s.meta.attacker,
            "nation": "ussr",
            "echelon": "detachment",
            "type": kind,
            "mobility": "foot",
            "strength": {
                "personnel": {"value": men, "estimated": f"{how}; events.csv"}
            },
            "quality": {"value": 0.8, "estimated": "assumption: picked landing troops"},
            "readiness": {"value": 1.0, "estimated": "assumption"},
            "location": {"place": ld.place},
            "posture": "hold",
        }
    )


def plan_landings(
    s: Scenario,
    chosen: list[Formation],
    start_cell: npt.NDArray[np.int32],
    side: npt.NDArray[np.int8],
    sched: list[ScheduledLanding],
    theatre: TheatreLike,
    params: EngineParams,
) -> LandingPlan:
    """Decide the landing force of every landing (see the module docstring)."""
    index = {f.id: i for i, f in enumerate(chosen)}
    foot = FieldBank(
        neighbors=theatre.neighbors, hours={"foot": theatre.edge_hours("foot")}
    )
    usable = [ld for ld in sched if theatre.place_cell.get(ld.place, -1) >= 0]
    rows = {
        ld.place: foot.register("foot", theatre.place_cell[ld.place]) for ld in usable
    }
    if rows:
        foot.build()
    assigned: dict[int, ScheduledLanding] = {}
    detachments: list[tuple[Formation, ScheduledLanding]] = []
    for k, ld in enumerate(usable):
        reach = foot.fields[rows[ld.place]]
        place = s.places[ld.place]
        far = haversine_km(
            place.lat, place.lon, theatre.lat[start_cell], theatre.lon[start_cell]
        )
        force: list[int] = []
        men = 0.0
        for fid in ld.formations:
            if fid not in s.formations:
                continue
            many = s.formations[fid].echelon.value in MANY_LANDINGS
            for sub in s.subtree(fid):
                i = index.get(sub)
                if i is None or i in assigned or i in force or side[i] != 0:
                    continue
                kind = chosen[i].type.value
                if ld.airborne and kind != "airborne":
                    continue
                if (
                    not ld.airborne
                    and kind != "naval_infantry"
                    and (np.isfinite(reach[start_cell[i]]) or far[i] > LANDING_REACH_KM)
                ):
                    continue
                if force and (men >= ld.men if ld.men is not None else many):
                    break
                force.append(i)
                men += chosen[i].strength.values()["personnel"] or 0.0
        for i in force:
            assigned[i] = ld
        if not force:
            detachments.append((_detachment(s, k, ld, params), ld))
    return LandingPlan(assigned, detachments)

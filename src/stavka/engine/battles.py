"""The battles that emerged in a run: engagements grouped by place and time.

A battle is a run of consecutive steps in which attacker units assault one cell that
holds defender units (``State.attack_cell`` and ``State.in_contact`` of the kept
trace). It opens the first such step and closes the step the cell is no longer
assaulted. For each battle: where (the cell's place, else the nearest place within
``NEAR_PLACE_KM``), when, who fought (every unit in contact there at some step), the
most men each side had in it, each side's losses there (killed, wounded, missing and
captured of the units in contact, counted step by step; the men of a unit that lays
down its arms are prisoners, not battle losses) and how it ended: ``taken``
(no defender left in the cell: dislodged or destroyed), ``surrendered`` (its defenders
laid down their arms), ``broken off`` (the assault stopped, the defenders are still
there) or ``ongoing`` (still fought at the end of the trace).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from stavka.engine.core import RunResult
from stavka.engine.state import LOSS_KINDS, PERSONNEL, State, Status
from stavka.geo import haversine_km

__all__ = ["NEAR_PLACE_KM", "Battle", "battle_events", "battles"]

NEAR_PLACE_KM = 30.0
"""A battle away from any place is named after the nearest place this close."""

COMBAT_LOSSES = tuple(
    LOSS_KINDS.index(k) for k in ("killed", "wounded", "missing", "captured")
)
"""Loss kinds that count as a battle's losses (desertion does not)."""


@dataclass
class Battle:
    """One battle: a cell assaulted over consecutive steps.

    ``start_hour`` and ``end_hour`` are the hours (since the scenario start) of the
    trace states of its first and last step, each taken at the step's end.
    """

    cell: int
    start_hour: float
    end_hour: float
    attackers: set[int] = field(default_factory=set)
    defenders: set[int] = field(default_factory=set)
    attacker_men: float = 0.0
    defender_men: float = 0.0
    attacker_losses: float = 0.0
    defender_losses: float = 0.0
    result: str = "ongoing"


def _step_engagements(
    st: State, before: npt.NDArray[np.int32], side: npt.NDArray[np.int8], replica: int
) -> dict[int, tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """Cells assaulted this step: cell -> (attackers, defenders), units in contact.

    ``before``: the units' cells at the step's start; a defender dislodged (or
    destroyed) this step was in contact in the cell it held then.
    """
    contact = st.in_contact[replica]
    assaulting = st.attack_cell[replica] >= 0
    att = np.flatnonzero(contact & (side == 0) & assaulting)
    if att.size == 0:
        return {}
    dfd = np.flatnonzero(contact & (side == 1))
    out = {}
    for c in np.unique(st.attack_cell[replica, att]):
        here = dfd[(before[dfd] == c) | (st.cell[replica, dfd] == c)]
        if here.size:
            out[int(c)] = (att[st.attack_cell[replica, att] == c], here)
    return out


def _outcome(
    st: State,
    b: Battle,
    side: npt.NDArray[np.int8],
    men: npt.NDArray[np.float64],
    replica: int,
) -> str:
    """How a battle ended, judged on the first state without the assault."""
    status, cell = st.status[replica], st.cell[replica]
    here = (cell == b.cell) & (status == Status.ACTIVE) & (side == 1) & (men > 0)
    if here.any():
        return "broken off"
    dfd = np.fromiter(b.defenders, np.int64)
    if (status[dfd] == Status.SURRENDERED).any():
        return "surrendered"
    return "taken"


def _step_losses(
    st: State, prev: State | None, replica: int
) -> npt.NDArray[np.float64]:
    """[U] men each unit lost in combat this step.

    Killed, wounded, missing and captured; a unit that laid down its arms this step
    counts no captured (those are its prisoners, not its battle's losses).
    """
    inc = st.lost[replica][:, COMBAT_LOSSES, PERSONNEL].copy()
    gave_up = st.status[replica] == Status.SURRENDERED
    if prev is not None:
        inc -= prev.lost[replica][:, COMBAT_LOSSES, PERSONNEL]
        gave_up &= prev.status[replica] != Status.SURRENDERED
    captured = COMBAT_LOSSES.index(LOSS_KINDS.index("captured"))
    inc[gave_up, captured] = 0.0
    return np.asarray(inc.sum(axis=1), np.float64)


def battles(result: RunResult, replica: int = 0) -> list[Battle]:
    """The battles of one replica, in order of their start (needs a per-step trace)."""
    u = result.ctx.units
    trace = result.trace
    done: list[Battle] = []
    open_: dict[int, Battle] = {}
    prev: State | None = None
    for st in trace:
        cells = st.cell[replica] if prev is None else prev.cell[replica]
        now = _step_engagements(st, cells, u.side, replica)
        step_loss = _step_losses(st, prev, replica)
        men = st.present[replica, :, PERSONNEL]
        # Men at the step's start: before its losses and surrenders.
        had = men if prev is None else prev.present[replica, :, PERSONNEL]
        for cell in [c for c in open_ if c not in now]:
            b = open_.pop(cell)
            b.result = _outcome(st, b, u.side, men, replica)
            done.append(b)
        for cell, (att, dfd) in now.items():
            b = open_.setdefault(cell, Battle(cell, st.hour, st.hour))
            b.end_hour = st.hour
            b.attackers.update(int(i) for i in att)
            b.defenders.update(int(i) for i in dfd)
            b.attacker_men = max(b.attacker_men, float(had[att].sum()))
            b.defender_men = max(b.defender_men, float(had[dfd].sum()))
            b.attacker_losses += float(step_loss[att].sum())
            b.defender_losses += float(step_loss[dfd].sum())
        prev = st
    done.extend(open_.values())
    return sorted(done, key=lambda b: (b.start_hour, b.cell))


def _place_names(result: RunResult, cells: list[int]) -> dict[int, str]:
    """The place of each cell, or the nearest place within NEAR_PLACE_KM, or ''."""
    ctx = result.ctx
    lat, lon = ctx.theatre.lat, ctx.theatre.lon
    pc = np.asarray(ctx.place_cells, np.int64)
    out: dict[int, str] = {}
    for c in cells:
        at = np.flatnonzero(pc == c)
        if at.size:
            out[c] = ctx.place_ids[int(at[0])]
            continue
        d = haversine_km(lat[c], lon[c], lat[pc], lon[pc])
        k = int(np.argmin(d))
        out[c] = f"near {ctx.place_ids[k]}" if d[k] <= NEAR_PLACE_KM else ""
    return out


def battle_events(result: RunResult, replica: int = 0) -> list[dict[str, Any]]:
    """The battles as run-format events (kind ``battle``, at the battle's start)."""
    ctx = result.ctx
    s, u = ctx.scenario, ctx.units
    found = battles(result, replica)
    names = _place_names(result, sorted({b.cell for b in found}))
    start = s.meta.start
    step = ctx.params.step_hours
    out = []
    for b in found:
        where = names[b.cell]
        lat, lon = float(ctx.theatre.lat[b.cell]), float(ctx.theatre.lon[b.cell])
        out.append(
            {
                "time": (start + dt.timedelta(hours=b.start_hour - step)).isoformat(),
                "kind": "battle",
                "end": (start + dt.timedelta(hours=b.end_hour)).isoformat(),
                "hours": round(b.end_hour - b.start_hour + step, 2),
                "place": where,
                "lat": round(lat, 3),
                "lon": round(lon, 3),
                "attackers": [u.ids[i] for i in sorted(b.attackers)],
                "defenders": [u.ids[i] for i in sorted(b.defenders)],
                "attacker_men": round(b.attacker_men),
                "defender_men": round(b.defender_men),
                "attacker_losses": round(b.attacker_losses, 1),
                "defender_losses": round(b.defender_losses, 1),
                "result": b.result,
                "detail": (
                    f"battle {where or 'at ' + f'{lat:.2f}N {lon:.2f}E'}: "
                    f"{round(b.attacker_men):,} attackers, {round(b.defender_men):,} "
                    f"defenders; losses {round(b.attacker_losses):,} / "
                    f"{round(b.defender_losses):,}; {b.result}"
                ),
            }
        )
    return out

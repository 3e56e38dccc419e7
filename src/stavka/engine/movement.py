"""Command and movement: objectives, least-time next hops, march progress, blocking.

A unit marches toward its current objective along the least-time path of its movement
class. Progress accumulates in hours (a formation's daily march hours, spread evenly
over the day: no separate night factor); it enters the next cell when the edge time
under the day's weather is spent. An attacker whose next cell holds enemy defenders
stops and assaults that cell instead (see ``combat``). A cell's roads hold a
limited column of each side; a unit finding its next cell full goes round by its
second-best hop or waits (``kernels_march``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import (
    held_targets,
    idle_units,
    next_hops,
    next_hops_memo,
    passed_objectives,
    replica_chunks,
    row_room,
    wanted_fields,
)
from stavka.engine.kernels_combat import by_class, motorised
from stavka.engine.kernels_march import march, march_work
from stavka.engine.kernels_routing import idle_units_memo, remember_hops
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, Mob, State

__all__ = ["HopMemo", "advance_objectives", "current_field", "move"]


@dataclass(slots=True)
class HopMemo:
    """The hops units last found in a run, to take again where nothing changed.

    A unit's hop toward its objective depends only on its cell and the objective's
    field, an exploiting unit's only on its cell and its replica's held targets (the
    context being fixed), so taking a remembered one gives the same results. Arrays
    [R, U] unless noted; a cell of -1 marks no hop remembered.

    Attributes:
        cell / field / nxt / slot: the cell and field of each unit's last
            objective hop, and that hop (next cell, neighbour slot).
        ex_cell / ex_nxt / ex_slot: the same for the last exploitation hop.
        targets: [R, T] the held targets the exploitation hops were found for.
        seen: the state's targets array last compared with ``targets`` (a state
            keeps one between situation reports).
    """

    cell: npt.NDArray[np.int32]
    field: npt.NDArray[np.int32]
    nxt: npt.NDArray[np.int32]
    slot: npt.NDArray[np.intp]
    ex_cell: npt.NDArray[np.int32]
    ex_nxt: npt.NDArray[np.int32]
    ex_slot: npt.NDArray[np.intp]
    targets: npt.NDArray[np.bool_]
    seen: npt.NDArray[np.bool_] | None = None

    @classmethod
    def empty(cls, replicas: int, units: int, n_targets: int) -> HopMemo:
        """A memo with no hop remembered."""
        shape = (replicas, units)
        return cls(
            cell=np.full(shape, -1, np.int32),
            field=np.full(shape, -1, np.int32),
            nxt=np.zeros(shape, np.int32),
            slot=np.zeros(shape, np.intp),
            ex_cell=np.full(shape, -1, np.int32),
            ex_nxt=np.zeros(shape, np.int32),
            ex_slot=np.zeros(shape, np.intp),
            targets=np.zeros((replicas, n_targets), np.bool_),
        )

    def forget_changed_targets(self, targets: npt.NDArray[np.bool_]) -> None:
        """Forget the exploitation hops of replicas whose held targets changed."""
        if targets is self.seen:
            return
        self.seen = targets
        changed = (self.targets != targets).any(axis=1)
        if changed.any():
            self.ex_cell[changed] = -1
            self.targets[changed] = targets[changed]


def advance_objectives(ctx: Context, st: State) -> npt.NDArray[np.int32]:
    """Step each unit past objectives it stands on; return the new objective index."""
    return passed_objectives(st.objective, st.cell, ctx.units.objectives)


def current_field(
    ctx: Context, objective: npt.NDArray[np.int32]
) -> npt.NDArray[np.int32]:
    """Routing field index of each unit's current objective (-1 = none left)."""
    m = ctx.obj_field.shape[1]
    units = np.arange(ctx.obj_field.shape[0])
    f = ctx.obj_field[units, np.minimum(objective, m - 1)]
    return np.where(objective < m, f, -1).astype(np.int32)


_EXPLOIT_CELLS: dict[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]] = {}


def _exploit_cells(ctx: Context) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """The exploitation places' distinct cells, and each place's (cached)."""
    if ctx.token not in _EXPLOIT_CELLS:
        if len(_EXPLOIT_CELLS) > 64:
            _EXPLOIT_CELLS.clear()
        cells, inverse = np.unique(
            ctx.place_cells[ctx.exploit_places].astype(np.int64), return_inverse=True
        )
        _EXPLOIT_CELLS[ctx.token] = (cells, inverse.ravel().astype(np.intp))
    return _EXPLOIT_CELLS[ctx.token]


def _exploit(
    ctx: Context,
    st: State,
    field: npt.NDArray[np.int32],
    nxt: npt.NDArray[np.int32],
    slot: npt.NDArray[np.intp],
    wants: npt.NDArray[np.bool_],
    memo: HopMemo | None = None,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
    """Send attacker units done with their plan to the nearest enemy-held place.

    Mobile units do so at once; after the defender's ceasefire order, all units do.
    Exploitation and pursuit by mobile forces is standing Soviet doctrine (plans.md 1.2:
    envelop and split the enemy; events.csv 18 Aug: fast mobile detachments); the
    targets are the enemy-held places inside the plans' area of operations
    (``exploit_places``). With ``memo``, units whose hop is remembered take it again,
    and ``nxt`` and ``slot`` (the caller's own) are written in place.
    """
    u = ctx.units
    mobile = motorised(ctx.token, u.mobility)
    # After the defender's ceasefire order every attacker unit occupies the country.
    occupying = bool(ctx.surrender_hours) and st.hour >= ctx.surrender_hours[0]
    able = (mobile | occupying) & (u.side == 0) & (u.mobility != Mob.STATIC)
    if ctx.exploit_places.size == 0:
        return nxt, slot
    # Attacking units with no objective left (Pos.ATTACK), by replica then unit.
    if memo is None:
        ir, iu = idle_units(wants, field, able, st.posture)
        if ir.size == 0:
            return nxt, slot
        nxt, slot = nxt.copy(), slot.copy()
    else:
        # Remembered hops are taken at once (into the caller's own arrays): only a
        # class with a table, which it then always uses, has hops remembered.
        memo.forget_changed_targets(st.targets)
        known = (memo.ex_cell, memo.ex_nxt, memo.ex_slot)
        room = row_room(wants.size)
        ir, iu = idle_units_memo(
            wants, field, able, st.posture, st.cell, known, nxt, slot, room,
            replica_chunks(),
        )  # fmt: skip
        if ir.size == 0:
            return nxt, slot
    bank = ctx.bank
    of_class = ctx.route_class[iu]
    # The units of each class, still by replica, then unit (a stable sort).
    order, bounds = by_class(of_class.astype(np.int64), len(ctx.route_names))
    held = None
    for c in np.flatnonzero(np.diff(bounds)).tolist():
        name = ctx.route_names[c]
        pick = order[bounds[c] : bounds[c + 1]]
        rr, uu = ir[pick], iu[pick]  # by replica, then unit
        if bank.prefers_table(name, int(np.count_nonzero(np.diff(rr))) + 1):
            # Every replica at once: nearest = minimum over its held targets.
            here = st.cell[rr, uu]
            cells, inverse = _exploit_cells(ctx)
            if held is None:
                held = held_targets(st.targets, inverse, cells.size)
            n2, s2 = bank.step_down_table(
                name,
                cells,
                held,
                here,
                ctx.route_hours[c],
                rows=rr,
                by_cell=True,
            )
            if memo is None:
                nxt[rr, uu], slot[rr, uu] = n2, s2
            else:
                remember_hops(rr, uu, here, (n2, s2), known, nxt, slot)
            continue
        for r in np.unique(rr):
            held_cells = ctx.place_cells[ctx.exploit_places[st.targets[r]]]
            who = uu[rr == r]
            n2, s2 = bank.nearest_step(
                name,
                held_cells.astype(np.int64),
                st.cell[r, who],
                ctx.route_hours[c, st.cell[r, who]],
            )
            nxt[r, who], slot[r, who] = n2, s2
    return nxt, slot


def move(
    ctx: Context,
    st: State,
    hour: float,
    hours_now: npt.NDArray[np.float32],
    memo: HopMemo | None = None,
    men: npt.NDArray[np.float64] | None = None,
    cross_now: npt.NDArray[np.float32] | None = None,
) -> State:
    """Advance march progress, enter next cells, and mark blocked attackers.

    Args:
        ctx: static context.
        st: state after command.
        hour: hours since the start.
        hours_now: [Mob, N, 6] edge hours under today's weather.
        memo: the run's remembered hops (updated in place; the same results).
        men: [R, U] the men, if at hand (default: ``st.present``'s column).
        cross_now: [Mob, N, 6] the edge hours across country under today's weather
            (default: dry, ``ctx.cross_hours``).
    """
    u, p = ctx.units, ctx.params
    n_cells = ctx.theatre.lat.shape[0]
    # Active units that attack, follow or withdraw and can move want their current
    # objective's field (-1 = no objective left).
    wants, field = wanted_fields(
        st.status, st.posture, u.mobility, st.objective, ctx.obj_field
    )
    routing = (ctx.route_class, ctx.route_hours, ctx.bank.neighbors, ctx.bank.fields)
    if memo is None:
        nxt, slot = next_hops(wants, field, st.cell, *routing)
    else:
        hops = (memo.cell, memo.field, memo.nxt, memo.slot)
        nxt, slot = next_hops_memo(wants, field, st.cell, *routing, hops)
    # Exploiting units have no objective field, hence no second-best hop.
    nxt, slot = _exploit(ctx, st, field, nxt, slot, wants, memo)
    # March discipline: a formation moves ``march_hours`` of every 24 (halts, rest,
    # closing up the column), spread evenly over the day.
    factor = (p.step_hours * ctx.march_share).astype(np.float32)
    # Fuel burns with engine hours: a refill lasts range / road speed hours of moving,
    # so sand, mud and mountains (slow edges) cost more fuel per km; a unit moves only
    # as many hours as its fuel allows.
    # Blocking: a cell holding enemy men above the threshold cannot be entered.
    # A unit sharing its cell with enemy troops (after a landing) is pinned: it
    # fights for the cell before it may leave; an attacker assaults its own cell.
    # Crowding: a cell's roads hold ``ctx.road_capacity`` men of a side; a unit
    # finding the road full goes round or marches on across country beside it.
    # A force left to besiege an invested garrison stays and assaults its cell.
    # (kernels_march.march, unit by unit.)
    new_cell, progress, fuel, attack_cell, assault, waited = march(
        st.status,
        st.posture,
        st.cell,
        st.progress,
        st.fuel,
        st.assault,
        st.waited,
        st.present[..., PERSONNEL] if men is None else men,
        (nxt, slot, field, st.siege_unit),
        routing,
        u.side,
        u.mobility,
        ctx.carrier,
        ctx.takes_road,
        ctx.roadway,
        hours_now,
        ctx.cross_hours if cross_now is None else cross_now,
        ctx.carry_hours,
        factor,
        (p.tracked_range_km / p.tracked_road_kmh, p.motor_range_km / p.motor_road_kmh),
        p.contact_threshold_men,
        ctx.road_capacity,
        march_work(replica_chunks(), st.cell.shape[0], n_cells),
    )
    return st.replace(
        cell=new_cell,
        progress=progress,
        fuel=fuel,
        attack_cell=attack_cell,
        assault=assault,
        waited=waited,
    )

"""Command and movement: objectives, least-time next hops, march progress, blocking.

A unit marches toward its current objective along the least-time path of its movement
class. Progress accumulates in hours; it enters the next cell when the edge time (times
weather and night factors) is spent. An attacker whose next cell holds enemy defenders
stops and assaults that cell instead (see ``combat``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.occupancy import CellSums, cell_keys
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, Mob, Pos, State, Status

__all__ = ["advance_objectives", "current_field", "move"]


def advance_objectives(ctx: Context, st: State) -> npt.NDArray[np.int32]:
    """Step each unit past objectives it stands on; return the new objective index."""
    obj = st.objective.copy()
    m = ctx.units.objectives.shape[1]
    for _ in range(m):
        safe = np.minimum(obj, m - 1)
        target = np.take_along_axis(
            ctx.units.objectives[None].repeat(obj.shape[0], 0), safe[..., None], -1
        )[..., 0]
        reached = (obj < m) & (target >= 0) & (target == st.cell)
        if not reached.any():
            break
        obj = obj + reached
    return obj.astype(np.int32)


def current_field(
    ctx: Context, objective: npt.NDArray[np.int32]
) -> npt.NDArray[np.int32]:
    """Routing field index of each unit's current objective (-1 = none left)."""
    m = ctx.obj_field.shape[1]
    fields = np.broadcast_to(
        ctx.obj_field[None], (objective.shape[0], *ctx.obj_field.shape)
    )
    f = np.take_along_axis(fields, np.minimum(objective, m - 1)[..., None], -1)[..., 0]
    return np.where(objective < m, f, -1).astype(np.int32)


def _exploit(
    ctx: Context,
    st: State,
    field: npt.NDArray[np.int32],
    nxt: npt.NDArray[np.int32],
    slot: npt.NDArray[np.intp],
    route_h: npt.NDArray[np.float32],
    wants: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
    """Send attacker units done with their plan to the nearest enemy-held place.

    Mobile units do so at once; after the defender's ceasefire order, all units do.
    Exploitation and pursuit by mobile forces is standing Soviet doctrine (plans.md 1.2:
    envelop and split the enemy; events.csv 18 Aug: fast mobile detachments); the
    targets are the enemy-held places inside the plans' area of operations
    (``exploit_places``).
    """
    u = ctx.units
    mobile = np.isin(u.mobility, (Mob.MOTOR, Mob.TRACKED))
    # After the defender's ceasefire order every attacker unit occupies the country.
    occupying = bool(ctx.surrender_hours) and st.hour >= ctx.surrender_hours[0]
    able = (mobile | occupying) & (u.side == 0) & (u.mobility != Mob.STATIC)
    idle = wants & (field < 0) & able[None, :] & (st.posture == Pos.ATTACK)
    if not idle.any() or ctx.exploit_places.size == 0:
        return nxt, slot
    nxt, slot = nxt.copy(), slot.copy()
    bank = ctx.bank
    for c in np.unique(ctx.route_class[idle.any(axis=0)]):
        name = ctx.route_names[c]
        of_class = idle & (ctx.route_class == c)[None, :]
        if bank.prefers_table(name, int(of_class.any(axis=1).sum())):
            # Every replica at once: nearest = minimum over its held targets.
            cells, inverse = np.unique(
                ctx.place_cells[ctx.exploit_places].astype(np.int64),
                return_inverse=True,
            )
            rr, uu = np.nonzero(of_class)
            held = np.zeros((st.targets.shape[0], cells.size), bool)
            tr, tp = np.nonzero(st.targets)
            held[tr, inverse[tp]] = True
            n2, s2 = bank.step_down_table(
                name,
                cells,
                held[rr],
                st.cell[rr, uu],
                route_h[rr, uu],
            )
            nxt[rr, uu], slot[rr, uu] = n2, s2
            continue
        for r in np.flatnonzero(of_class.any(axis=1)):
            held_cells = ctx.place_cells[ctx.exploit_places[st.targets[r]]]
            who = of_class[r]
            n2, s2 = bank.nearest_step(
                name, held_cells.astype(np.int64), st.cell[r, who], route_h[r, who]
            )
            nxt[r, who], slot[r, who] = n2, s2
    return nxt, slot


def move(
    ctx: Context, st: State, hour: float, hours_now: npt.NDArray[np.float32]
) -> State:
    """Advance march progress, enter next cells, and mark blocked attackers.

    Args:
        ctx: static context.
        st: state after command.
        hour: hours since the start.
        hours_now: [Mob, N, 6] edge hours under today's weather.
    """
    u, p = ctx.units, ctx.params
    n_cells = ctx.theatre.lat.shape[0]
    side = u.side[None, :]
    active = st.status == Status.ACTIVE
    mob = np.broadcast_to(u.mobility[None, :], st.cell.shape)
    wants = (
        active
        & np.isin(st.posture, (Pos.ATTACK, Pos.RESERVE, Pos.WITHDRAW))
        & (mob != Mob.STATIC)
    )
    field = np.where(wants, current_field(ctx, st.objective), -1)
    route_h = ctx.route_hours[ctx.route_class[None, :], st.cell]  # R x U x 6
    nxt, slot = ctx.bank.next_hop(st.cell, field, route_h)
    nxt, slot = _exploit(ctx, st, field, nxt, slot, route_h, wants)
    going = slot >= 0
    k = np.maximum(slot, 0)
    travel = np.where(going, hours_now[mob, st.cell, k], np.inf)
    boat = ctx.carry_hours[ctx.carrier[None, :], st.cell, k]
    travel = np.minimum(travel, boat)
    # March discipline: a formation moves ``march_hours`` of every 24 (halts, rest,
    # closing up the column), spread evenly over the day.
    factor = (p.step_hours * ctx.march_share[mob]).astype(np.float32)
    motorised = (mob == Mob.MOTOR) | (mob == Mob.TRACKED)
    # Fuel burns with engine hours: a refill lasts range / road speed hours of moving,
    # so sand, mud and mountains (slow edges) cost more fuel per km; a unit moves only
    # as many hours as its fuel allows.
    refill_h = np.where(
        mob == Mob.TRACKED,
        p.tracked_range_km / p.tracked_road_kmh,
        p.motor_range_km / p.motor_road_kmh,
    )
    can = np.where(motorised, np.minimum(factor, st.fuel * refill_h), factor)
    moving = np.where(going, can, 0.0)
    fuelled = moving > 0
    progress = st.progress + moving
    ready = going & fuelled & (progress >= travel)

    # Blocking: a cell holding enemy men above the threshold cannot be entered.
    men = st.present[..., PERSONNEL]
    keys = cell_keys(st.cell, n_cells)
    # Men per side in each occupied cell (column s: side s; the other side adds 0).
    by_side = np.stack([np.where(side == s_, men, 0.0) for s_ in (0, 1)], axis=-1)
    holds = CellSums.of(keys, active & (men > 0), by_side)
    there = holds.lookup(cell_keys(nxt, n_cells))
    enemy_men = np.where(side == 0, there[..., 1], there[..., 0])
    blocked = ready & (enemy_men > p.contact_threshold_men)
    # A unit sharing its cell with enemy troops (after a landing) is pinned: it
    # fights for the cell before it may leave; an attacker assaults its own cell.
    here = holds.lookup(keys)
    here_enemy = np.where(side == 0, here[..., 1], here[..., 0])
    pinned = here_enemy > p.contact_threshold_men
    enter = ready & ~blocked & ~pinned
    attack_cell = np.where(
        blocked & (side == 0) & (st.posture == Pos.ATTACK), nxt, -1
    ).astype(np.int32)
    attack_cell = np.where(active & (side == 0) & pinned, st.cell, attack_cell)

    new_cell = np.where(enter, nxt, st.cell).astype(np.int32)
    progress = np.where(
        enter,
        progress - np.where(enter, travel, 0),
        np.minimum(progress, np.where(going, travel, 0)),
    )
    # Only hours actually spent moving burn fuel (a blocked column waits).
    spent = np.where(enter, moving, np.maximum(progress - st.progress, 0.0))
    fuel = np.where(motorised, np.maximum(st.fuel - spent / refill_h, 0.0), st.fuel)
    assault = np.where(enter, 0.0, st.assault)
    return st.replace(
        cell=new_cell,
        progress=progress.astype(np.float32),
        fuel=fuel.astype(np.float32),
        attack_cell=attack_cell,
        assault=assault.astype(np.float32),
    )

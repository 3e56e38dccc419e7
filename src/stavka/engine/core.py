"""The campaign step and the run of a whole campaign.

The step: command -> movement -> contact & combat -> supply -> morale & surrender ->
events. ``init_state`` builds the batched state; ``step`` is one pure transition of all
replicas; ``simulate`` runs the whole span and collects what the run format needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numba
import numpy as np
import numpy.typing as npt

from stavka.engine.combat import resolve_combat
from stavka.engine.control import (
    depth_km,
    initial_control,
    surrendered_places,
    update_control,
)
from stavka.engine.encircle import cut_off_units
from stavka.engine.fallback import (
    fall_back_dislodged,
    hold_on_arrival,
    reinforce_sieges,
    relay_fall_back,
    release_sieges,
)
from stavka.engine.kernels import LossRows, row_room
from stavka.engine.kernels_combat import ContactLosses
from stavka.engine.kernels_sums import moved
from stavka.engine.kernels_units import (
    apply_losses,
    fight_hours,
    new_battle_clock,
    wake,
)
from stavka.engine.logistics import SupplyNet, build_supply_net, resupply
from stavka.engine.movement import HopMemo, advance_objectives, move
from stavka.engine.setup import Context
from stavka.engine.state import LOSS_KINDS, K, MenCache, Pos, State, Status
from stavka.engine.surrender import surrender_and_desertion, take_prisoners
from stavka.engine.weather import weather_now

__all__ = ["ReplicaRng", "RunResult", "init_state", "simulate", "step"]

REPORT_HOURS = 6.0
"""Exploiting units steer by the last situation report, every 6 h (assumption)."""
SERIAL_REPLICAS = 30
"""Runs of at most this many replicas use one thread: as fast on an idle machine
(measured on 2 cores), and no waiting for a second thread on a busy one."""


def init_state(ctx: Context, replicas: int) -> State:
    """Return the state at the scenario start for ``replicas`` identical replicas."""
    u = ctx.units
    r, n = replicas, u.n
    return State(
        hour=0.0,
        status=np.broadcast_to(
            np.where(u.start_hour > 0, Status.WAITING, Status.ACTIVE), (r, n)
        ).astype(np.int8, order="C"),
        cell=np.broadcast_to(u.start_cell, (r, n)).copy(),
        progress=np.zeros((r, n), np.float32),
        waited=np.zeros((r, n), np.float32),
        objective=np.zeros((r, n), np.int32),
        posture=np.broadcast_to(
            np.where(u.go_hour > 0, Pos.HOLD, u.plan_posture), (r, n)
        ).astype(np.int8, order="C"),
        present=np.broadcast_to(u.initial, (r, n, K)).astype(np.float64, order="C"),
        lost=np.zeros((r, n, len(LOSS_KINDS), K), np.float64),
        fuel=np.broadcast_to(ctx.full_fuel, (r, n)).astype(np.float32, order="C"),
        ammo=np.ones((r, n), np.float32),
        order_hour=np.full((r, n), np.inf, np.float32),
        fallback_hour=np.full((r, n), np.inf, np.float32),
        pressed_hour=np.full((r, n), np.inf, np.float32),
        control=np.broadcast_to(initial_control(ctx), (r, len(ctx.place_ids))).copy(),
        capture_hour=np.full((r, len(ctx.place_ids)), np.nan, np.float32),
        assault=np.zeros((r, n), np.float32),
        attack_cell=np.full((r, n), -1, np.int32),
        in_contact=np.zeros((r, n), bool),
        fight_hours=np.zeros((r, n), np.float32),
        break_hours=np.full((r, n), np.inf, np.float32),
        fight_cell=np.full((r, n), -1, np.int32),
        siege_unit=np.full((r, n), -1, np.int32),
        max_depth_km=np.zeros((r, n), np.float32),
        noise=np.ones((r, n), np.float32),
        luck=np.full((r, n), 0.5, np.float32),
        resolve=np.full((r, n), 0.5, np.float32),
        targets=np.zeros((r, ctx.exploit_places.size), bool),
        convoy=np.zeros((r, n), np.float32),
        cut_off=np.zeros((r, n), bool),
    )


@dataclass(frozen=True, slots=True)
class ReplicaRng:
    """The random streams of one replica.

    Daily draws and once-per-run draws are separate, and neither depends on the step,
    so a smaller step sees the same luck.
    """

    daily: np.random.Generator
    once: np.random.Generator

    @classmethod
    def spawn(
        cls, seed: int | np.random.SeedSequence | None, replicas: int
    ) -> list[ReplicaRng]:
        """One generator pair per replica: ``SeedSequence(seed).spawn(replicas)``."""
        root = (
            seed
            if isinstance(seed, np.random.SeedSequence)
            else np.random.SeedSequence(seed)
        )
        out = []
        for child in root.spawn(replicas):
            daily, once = child.spawn(2)
            out.append(cls(np.random.default_rng(daily), np.random.default_rng(once)))
        return out


def _daily_draws(ctx: Context, st: State, rngs: list[ReplicaRng]) -> State:
    """Draw today's loss-rate multiplier and success draw of every unit.

    The multiplier is log-normal, mean 1, with the fitted model's cross-validated
    spread per side.
    """
    sigma = np.where(ctx.units.side == 0, ctx.sigma_att, ctx.sigma_def)[None, :]
    z = np.stack([g.daily.standard_normal(ctx.units.n) for g in rngs])
    luck = np.stack([g.daily.random(ctx.units.n) for g in rngs])
    noise = (
        np.exp(sigma * z - 0.5 * sigma**2)
        if ctx.params.combat_noise
        else np.ones_like(z)
    )
    return st.replace(noise=noise.astype(np.float32), luck=luck.astype(np.float32))


def _apply_losses(
    st: State,
    losses: npt.NDArray[np.float64] | LossRows | ContactLosses,
    owned: bool = False,
    rows: npt.ArrayLike | None = None,
    men: MenCache | None = None,
) -> tuple[State, bool]:
    """Move ``losses`` [R, U, L, K] from present to lost, capped at what is present.

    Only units with a loss are touched (the others' figures would not change).

    Args:
        st: the state.
        losses: the losses to apply (dense, or the listed units' own).
        owned: ``st.present`` and ``st.lost`` are this step's own copies (no earlier
            state shares them), so they may be written in place.
        rows: [R, U] the units that may have a loss (default: found from ``losses``);
            a unit without one is left as it is either way. Not used with
            :class:`LossRows`.
        men: the run's men cache, brought up to date with the changed rows (with
            :class:`ContactLosses`; else by :func:`_sync`).

    Returns:
        The new state, and whether its present and lost arrays are owned now.
    """
    if isinstance(losses, ContactLosses):
        if losses.size == 0:
            return st, owned
        present, lost = (
            (st.present, st.lost) if owned else (st.present.copy(), st.lost.copy())
        )
        if men is None or men.men is None:
            losses.apply(present, lost)
        else:
            losses.apply(present, lost, men.men)
            men.of = present
        return st.replace(present=present, lost=lost), True
    if isinstance(losses, LossRows):
        rr, uu, hit = losses.rr, losses.uu, losses.hit
    else:
        if rows is None:
            if not losses.any():
                return st, owned
            rows = np.asarray(losses.reshape(*losses.shape[:2], -1).any(axis=-1))
        rr, uu = np.nonzero(np.asarray(rows))
        hit = losses[rr, uu]
    if rr.size == 0:
        return st, owned
    if isinstance(losses, LossRows):
        present, lost = (
            (st.present, st.lost) if owned else (st.present.copy(), st.lost.copy())
        )
        apply_losses(
            present,
            lost,
            np.ascontiguousarray(rr),
            np.ascontiguousarray(uu),
            np.ascontiguousarray(hit),
        )
        return st.replace(present=present, lost=lost), True
    here = st.present[rr, uu]
    total = hit.sum(axis=1)
    scale = np.where(total > here, here / np.maximum(total, 1e-9), 1.0)
    hit = hit * scale[:, None, :]
    present, lost = (
        (st.present, st.lost) if owned else (st.present.copy(), st.lost.copy())
    )
    present[rr, uu] = np.maximum(here - hit.sum(axis=1), 0.0)
    lost[rr, uu] = lost[rr, uu] + hit
    return st.replace(present=present, lost=lost), True


def _sync(men: MenCache | None, st: State, losses: LossRows) -> None:
    """Bring ``men`` up to date with the rows ``losses`` changed in ``st``."""
    if men is not None:
        men.sync(st.present, losses.rr, losses.uu)


def step(
    ctx: Context,
    net: SupplyNet,
    st: State,
    rngs: list[ReplicaRng],
    inplace: bool = False,
    memo: HopMemo | None = None,
    men: MenCache | None = None,
) -> State:
    """Advance every replica by one step (pure apart from drawing from ``rngs``).

    With ``inplace`` the step may overwrite ``st``'s holdings and losses arrays
    (``present``, ``lost``) instead of copying them: for callers that drop ``st``.
    ``memo``: the run's remembered hops (``movement.HopMemo``); ``men``: the run's
    contiguous copy of the men, kept in step (both give the same results).
    """
    p = ctx.params
    hour = st.hour
    u = ctx.units
    cell0, status0 = st.cell, st.status
    # Once-per-run and daily draws: each unit's resolve, and its combat luck
    # for the day.
    if hour < p.step_hours - 1e-9:
        st = st.replace(
            resolve=np.stack([g.once.random(u.n) for g in rngs]).astype(np.float32)
        )
    if hour % 24.0 < p.step_hours - 1e-9:
        st = _daily_draws(ctx, st, rngs)
        st = st.replace(cut_off=cut_off_units(ctx, st))
    if hour % REPORT_HOURS < p.step_hours - 1e-9:
        st = st.replace(targets=st.control[:, ctx.exploit_places] == 1)
    # Events: units whose start (attack hour or landing) has come enter play.
    due = u.start_hour <= hour
    if due.any():
        status, woke = wake(st.status, due)
        if woke:
            st = st.replace(status=status)
    # Command: plans start at their hour; objectives reached are passed.
    going = (u.go_hour > hour - p.step_hours) & (u.go_hour <= hour) & (u.go_hour > 0)
    if going.any():
        st = st.replace(
            posture=np.where(
                going[None, :], u.plan_posture[None, :], st.posture
            ).astype(np.int8)
        )
    objective = advance_objectives(ctx, st)
    st = st.replace(objective=objective, posture=hold_on_arrival(ctx, st, objective))
    # Movement.
    weather = weather_now(ctx, hour)
    men_now = None if men is None else men.get(st.present, hour)
    st = move(ctx, st, hour, weather.hours, memo, men_now, weather.cross)
    # Contact and combat: a fight at another place than a unit's last is a new
    # battle, with its own clock.
    st = st.replace(
        fight_hours=new_battle_clock(
            u.side, st.attack_cell, st.cell, st.fight_cell, st.fight_hours
        )
    )
    out = resolve_combat(ctx, st, hour, weather.wet)
    # In float32, as numpy adds a Python float to a float32 array.
    fight, pause, fight_cell = fight_hours(
        out.in_contact,
        st.fight_hours,
        st.break_hours,
        np.float32(p.step_hours),
        np.float32(p.battle_break_hours),
        st.attack_cell,
        st.cell,
        st.fight_cell,
    )
    st = st.replace(
        assault=out.assault,
        in_contact=out.in_contact,
        fight_hours=fight,
        break_hours=pause,
        fight_cell=fight_cell,
    )
    if out.pressed[0].size:
        first = np.isinf(st.pressed_hour[out.pressed])
        if first.any():
            pressed = st.pressed_hour.copy()
            pressed[out.pressed[0][first], out.pressed[1][first]] = np.float32(hour)
            st = st.replace(pressed_hour=pressed)
    # The first loss applied copies present and lost; later ones write in place.
    st, owned = _apply_losses(st, out.losses, owned=inplace, men=men)
    st, fall = fall_back_dislodged(ctx, st, out.dislodged)
    st, owned = _apply_losses(st, fall, owned)
    _sync(men, st, fall)
    st = relay_fall_back(ctx, st, out.in_contact, hour)
    # Supply.
    st = resupply(ctx, net, st, hour, out.dislodged | st.cut_off, weather)
    # Morale and surrender.
    st, sur = surrender_and_desertion(ctx, st, hour, st.resolve, out.in_contact)
    st, owned = _apply_losses(st, sur, owned)
    _sync(men, st, sur)
    taken = take_prisoners(ctx, st, men_now)
    # A place whose garrison's surrender was taken passes to the attacker (the
    # record counts such surrenders as captures, docs/record.md).
    st = surrendered_places(ctx, st, taken.rr, taken.uu, hour)
    st, owned = _apply_losses(st, taken, owned)
    _sync(men, st, taken)
    st = release_sieges(st)
    # Control and depth.
    st = update_control(ctx, st, hour, men_now)
    # Only units that moved or were waiting can have a new depth: for the others it
    # is the one already taken into the maximum.
    rr, uu = moved(st.cell, cell0, status0, row_room(st.cell.size))
    here = st.cell[rr, uu]
    # Foot troops coming into an under-besieged fortress's cell join its siege.
    st = reinforce_sieges(ctx, st, rr, uu, here)
    depth = depth_km(ctx, uu, here)
    depth = np.where(st.status[rr, uu] == Status.WAITING, np.float32(0), depth)
    max_depth = st.max_depth_km.copy()
    max_depth[rr, uu] = np.maximum(max_depth[rr, uu], depth)
    if men is not None:
        men.hour = hour + p.step_hours  # the men of the new state
    return st.replace(hour=hour + p.step_hours, max_depth_km=max_depth)


def _copy_state(st: State) -> State:
    """A state that shares no array with ``st``."""
    return st.replace(
        **{
            name: np.copy(getattr(st, name))
            for name in State.__dataclass_fields__
            if name != "hour"
        }
    )


@dataclass
class RunResult:
    """What a run produced: the final state, daily snapshots and a per-step trace."""

    ctx: Context
    final: State
    daily_depth: dict[int, npt.NDArray[np.float32]] = field(default_factory=dict)
    trace: list[State] = field(default_factory=list)


def simulate(
    ctx: Context,
    seed: int | np.random.SeedSequence | None,
    replicas: int = 1,
    days: float | None = None,
    trace_every: int = 0,
    on_day: Callable[[int, State], None] | None = None,
) -> RunResult:
    """Run every replica from the start to the end (or ``days``) of the scenario.

    Args:
        ctx: static context.
        seed: root seed; replica i uses ``SeedSequence(seed).spawn(replicas)[i]``
            (its two children drive the daily and the per-step draws).
        replicas: R.
        days: length to run (default: the whole scenario).
        trace_every: keep the state every N steps (0 = none).
        on_day: called with (day, state) at the end of each day (progress display).
    """
    rngs = ReplicaRng.spawn(seed, replicas)
    span_h = (ctx.scenario.meta.end - ctx.scenario.meta.start).total_seconds() / 3600.0
    hours = span_h if days is None else min(span_h, days * 24.0)
    n_steps = math.ceil(hours / ctx.params.step_hours)
    st = init_state(ctx, replicas)
    net = build_supply_net(ctx, st.control[0])
    result = RunResult(ctx=ctx, final=st)
    # Without a trace no earlier state is kept: steps may reuse its arrays.
    inplace = not trace_every
    memo = HopMemo.empty(replicas, ctx.units.n, ctx.exploit_places.size)
    men = MenCache()
    threads = numba.get_num_threads()
    if replicas <= SERIAL_REPLICAS:
        numba.set_num_threads(1)  # the same results with any number of threads
    try:
        for i in range(n_steps):
            st = step(ctx, net, st, rngs, inplace=inplace, memo=memo, men=men)
            if trace_every and i % trace_every == 0:
                result.trace.append(st)
            if st.hour % 24.0 < ctx.params.step_hours - 1e-9 or i == n_steps - 1:
                day = math.ceil(st.hour / 24.0 - 1e-9)
                result.daily_depth[day] = st.max_depth_km.copy()
                if on_day is not None:
                    on_day(day, _copy_state(st) if inplace else st)
    finally:
        numba.set_num_threads(threads)
    result.final = st
    return result

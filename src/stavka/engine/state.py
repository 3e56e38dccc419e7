"""Engine state: static unit tables and the per-replica struct-of-arrays state.

Shapes use R = replicas, U = units, K = strength items (``STRENGTH_ITEMS``), P = places,
L = loss kinds (``LOSS_KINDS``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import take_column
from stavka.scenario.container import STRENGTH_ITEMS

__all__ = [
    "LOSS_KINDS",
    "K",
    "MenCache",
    "Mob",
    "Pos",
    "State",
    "Status",
    "UnitTable",
]

K = len(STRENGTH_ITEMS)
PERSONNEL = 0
LOSS_KINDS = ("killed", "wounded", "captured", "missing", "deserted")
"""Where lost men and equipment go (equipment: killed = destroyed, captured = taken)."""

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]
B = npt.NDArray[np.bool_]


class Status(IntEnum):
    """What a unit is doing, decided each step."""

    WAITING = 0  # not yet in play (before its start time or landing)
    ACTIVE = 1
    SURRENDERED = 2
    DESTROYED = 3


class Pos(IntEnum):
    """Engine postures (a coarser view of the scenario's postures)."""

    ATTACK = 0
    HOLD = 1  # fortified/prepared defence: stay and fight
    DELAY = 2  # fight, give way when pressed by a superior force
    WITHDRAW = 3  # move away toward the next objective, avoid combat
    RESERVE = 4  # follow the parent's axis, no attack
    INVESTED = 5  # a garrison holding its works after the attacker broke through


class Mob(IntEnum):
    """Movement classes the map provides edge times for."""

    FOOT = 0
    HORSE = 1
    MOTOR = 2
    TRACKED = 3
    STATIC = 4


MOBILITY_NAMES = ("foot", "horse", "motor", "tracked", "static")


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Static facts per unit, shared by all replicas. Arrays of shape [U] unless noted.

    Attributes:
        ids: formation id of each unit.
        side: 0 = attacker side (scenario ``attacker``), 1 = the other.
        nation: nation name per unit.
        mobility: :class:`Mob` code.
        parent: index of the nearest ancestor that is a unit, or -1.
        depth: depth of the formation in the command tree (0 = top).
        initial: starting holdings [U, K] (men, tanks, ...).
        quality: 0-1.
        start_cell: map cell index at the start (or landing cell).
        start_hour: hour after the scenario start when it enters play (landings).
        go_hour: hour it starts executing its plan (it holds before).
        objectives: objective cells in order [U, M] (-1 = none).
        plan_posture: :class:`Pos` code from the plan.
        fortified: the unit starts inside a fortified region (bool).
        headquarters: the unit is a headquarters node's own troops (high command, front,
            area army, army, group: the residual army/front troops).
        fallback_hq: the headquarters unit whose fall-back order a unit is under
            (-1 = none).
        falls_back: a delaying border unit whose one objective is its army's next
            position, where the army's fall-back order (or its own dislodgement) sends
            it and where it then holds.
        superior_ratio: attacking/own men at which the unit counts as pressed by a
            superior force (its plan's ``withdraw_when_superior`` ratio, else 1).
        foot_troops: the formation marches on foot in the scenario (rifle troops);
            where its front carries it on its trucks (``motor_lift_fronts``) its
            ``mobility`` is motor, but it still besieges as infantry.
    """

    ids: list[str]
    side: I8
    nation: list[str]
    mobility: I8
    parent: I32
    depth: I32
    initial: F32
    quality: F32
    start_cell: I32
    start_hour: F32
    go_hour: F32
    objectives: I32
    plan_posture: I8
    fortified: B
    headquarters: B
    fallback_hq: I32
    falls_back: B
    superior_ratio: F32
    foot_troops: B

    @property
    def n(self) -> int:
        """Number of units."""
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class State:
    """Per-replica state. Shapes [R, U] unless noted; update with :meth:`replace`.

    Attributes:
        hour: hours since the scenario start (same for all replicas).
        status: :class:`Status` code.
        cell: current map cell.
        progress: hours of movement already spent toward the next cell.
        waited: steps the unit has stood ready to enter its next cell without
            entering (a full cell or the enemy ahead); the longest-waiting enters a
            full cell first.
        objective: index into ``UnitTable.objectives`` of the current objective.
        posture: :class:`Pos` code now.
        present: holdings now [R, U, K] (float64, so the accounting identity holds to
            rounding).
        lost: cumulative losses [R, U, L, K] by ``LOSS_KINDS`` (float64).
        fuel: fuel on hand, in refills (1 = full tanks and unit stocks).
        ammo: ammunition on hand, in combat loads (1 = full).
        order_hour: hour the surrender order reached the unit (inf = not yet).
        fallback_hour: hour a headquarters ordered its delaying units back (inf = not
            yet; set on headquarters units only).
        pressed_hour: hour a defender unit was first attacked by a superior force,
            more attacking men than defending ones in its cell (inf = not yet).
        control: side controlling each place [R, P] (0 attacker, 1 other).
        capture_hour: first hour the attacker controlled each place [R, P]
            (nan = never).
        assault: km of attacker progress against each defending unit (reset when
            it moves).
        attack_cell: cell an attacking unit is assaulting (-1 = none).
        in_contact: the unit fought this step.
        fight_hours: hours the unit has fought in its current fight: its hours in
            contact, kept through breaks shorter than
            ``EngineParams.battle_break_hours`` (then 0).
        break_hours: hours since the unit was last in contact (inf = never).
        fight_cell: the cell of the unit's current fight (-1 = none): the cell it
            assaulted, or held when it assaulted none; a fight elsewhere is a new
            battle, with its own clock.
        siege_unit: the invested garrison the (attacker) unit was left to besiege
            (unit index, -1 = none).
        max_depth_km: greatest distance from its start each unit has reached [R, U].
        noise: today's log-normal multiplier of the unit's combat loss rate (mean 1).
        luck: today's uniform draw deciding whether attacks on the unit succeed.
        resolve: a uniform draw per run deciding how long the unit takes to comply
            with a ceasefire order.
        targets: which exploitation places each replica knows to be enemy-held [R, T].
        convoy: share of its current round trip the unit's supply column has driven
            (a load arrives when it reaches 1).
        cut_off: the (defender) unit had no path to a supply source of its side at
            the day's start (``engine/encircle.py``).
    """

    hour: float
    status: I8
    cell: I32
    progress: F32
    waited: F32
    objective: I32
    posture: I8
    present: F64
    lost: F64
    fuel: F32
    ammo: F32
    order_hour: F32
    fallback_hour: F32
    pressed_hour: F32
    control: I8
    capture_hour: F32
    assault: F32
    attack_cell: I32
    in_contact: B
    fight_hours: F32
    break_hours: F32
    fight_cell: I32
    siege_unit: I32
    max_depth_km: F32
    noise: F32
    luck: F32
    resolve: F32
    targets: B
    convoy: F32
    cut_off: B

    @property
    def replicas(self) -> int:
        """Number of replicas R."""
        return int(self.cell.shape[0])

    def replace(self, **changes: object) -> State:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(slots=True)
class MenCache:
    """A contiguous copy of the personnel column of a run's holdings, kept in step.

    Kernels that read every unit's men then read [R, U] floats, not a strided column
    of ``present`` [R, U, K]. The copy is of ``of`` (a ``present`` array) at
    ``hour``; whoever changes rows of it calls :meth:`sync`, so the copy stays equal
    to the column (the same results either way).
    """

    men: F64 | None = None
    of: F64 | None = None
    hour: float = float("nan")

    def get(self, present: F64, hour: float) -> F64:
        """The men [R, U] of ``present`` at ``hour`` (copied afresh unless kept)."""
        if self.men is None or self.of is not present or self.hour != hour:
            self.men = np.ascontiguousarray(present[..., PERSONNEL])
            self.of, self.hour = present, hour
        return self.men

    def sync(
        self,
        present: F64,
        rr: npt.NDArray[np.integer],
        uu: npt.NDArray[np.integer],
    ) -> None:
        """Take the men of rows (``rr``, ``uu``) of ``present``, its only changes."""
        if self.men is not None:
            take_column(self.men, present, rr, uu)  # PERSONNEL: column 0
            self.of = present

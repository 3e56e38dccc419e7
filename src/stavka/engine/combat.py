"""Contact and combat: engagements per defended cell, fitted loss rates, dislodgement.

An engagement is every attacking unit assaulting a cell against every active
defending unit in it. Loss rates, the attacker's chance of success and its advance come
from the fitted models (``stavka.models``); the engine only aggregates, applies and
distributes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import LossRows, replica_chunks
from stavka.engine.kernels_combat import ContactLosses, attacker_sums, split_rows
from stavka.engine.kernels_sums import engagements
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, State

__all__ = [
    "CombatOutcome",
    "attackers_hours",
    "collapse_exchange_ratio",
    "collapse_max_attacker_share",
    "collapse_split",
    "engaged_split",
    "loss_shares",
    "models_digest",
    "no_surrender_split",
    "resolve_combat",
    "step_loss_rates",
    "using_models",
]

TANKS, SP_GUNS, GUNS, MORTARS = 1, 2, 3, 4
KILLED, WOUNDED, CAPTURED, MISSING = 0, 1, 2, 3
_NONE = np.empty(0, np.int64)


#: Models in force instead of the shipped ones (``using_models``), innermost last,
#: each with the digest of its parameter document.
_OVERRIDE: list[tuple[Any, str]] = []


@lru_cache(maxsize=1)
def _shipped_models() -> Any:
    from stavka.models.api import load_models

    return load_models()


def _models() -> Any:
    return _OVERRIDE[-1][0] if _OVERRIDE else _shipped_models()


def models_digest() -> str:
    """SHA-256 (first 16 hex) of the parameter document of the models in force."""
    if _OVERRIDE:
        return _OVERRIDE[-1][1]
    from stavka.models.api import params_path
    from stavka.models.data import file_sha256

    return file_sha256(params_path())[:16]


@contextmanager
def using_models(models: Any, digest: str) -> Iterator[Any]:
    """Run the engine with other fitted models (a ``CombatModels``) inside the block.

    For ``stavka run --models`` and parameter-uncertainty ensembles
    (``stavka.models.bootstrap``): every engagement, collapse and loss split reads
    ``models``, and a run's ``data_hashes.models`` is ``digest`` (that of their
    parameter document); the shipped ones are back when the block ends. Not for
    concurrent threads with different models.
    """
    _OVERRIDE.append((models, digest))
    try:
        yield models
    finally:
        _OVERRIDE.pop()


def engaged_split() -> tuple[float, float, float]:
    """Shares of killed, wounded and captured-missing among losses of engaged units."""
    k, w, c = _models().loss_split.split(1.0, 0)
    return float(k), float(w), float(c)


def collapse_exchange_ratio() -> float:
    """Defender casualties per attacker casualty where the defender is destroyed."""
    return float(_models().collapse_exchange.ratio)


def collapse_max_attacker_share() -> float:
    """The largest share of its strength an attacker lost destroying a defender."""
    return float(_models().collapse_exchange.max_attacker_share)


def collapse_split() -> tuple[float, float, float]:
    """Killed, wounded and captured shares of a collapsing unit (encircled, routed)."""
    k, w, c = _models().loss_split.split(1.0, 2)
    return float(k), float(w), float(c)


def no_surrender_split(captured: float, wounded: float) -> tuple[float, float, float]:
    """Killed, wounded and captured shares of a side that does not surrender.

    The captured and wounded shares are the nation's own; the rest is killed.
    """
    return 1.0 - captured - wounded, wounded, captured


_NO_SURRENDER: dict[int, npt.NDArray[np.bool_]] = {}


def loss_shares(
    ctx: Context,
    st: State,
    rr: npt.NDArray[np.intp],
    uu: npt.NDArray[np.intp],
    usual: tuple[float, float, float],
) -> npt.NDArray[np.float64]:
    """Killed, wounded and captured shares of each unit's losses [M, 3].

    ``usual`` (the models' split) except for units of ``no_surrender_nations`` the
    surrender order has not reached yet: their nation's captured and wounded
    shares (:func:`no_surrender_split`; a Japanese unit overrun before the
    rescript fought on or died rather than surrender).
    """
    p = ctx.params
    if ctx.token not in _NO_SURRENDER:
        if len(_NO_SURRENDER) > 64:
            _NO_SURRENDER.clear()
        nations = set(p.no_surrender_nations)
        _NO_SURRENDER[ctx.token] = np.array([n in nations for n in ctx.units.nation])
    k, w, c = no_surrender_split(
        p.no_surrender_captured_share, p.no_surrender_wounded_share
    )
    return split_rows(
        (float(usual[0]), float(usual[1]), float(usual[2])),
        (float(k), float(w), float(c)),
        _NO_SURRENDER[ctx.token],
        st.order_hour,
        rr,
        uu,
    )


def step_loss_rates(
    attrition: Any,
    att_men: npt.NDArray[np.float64],
    def_men: npt.NDArray[np.float64],
    elapsed_h: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    step_h: float,
    factors: dict[str, Any],
    design: npt.NDArray[np.float64] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Mean daily loss rates of attacker and defender over one step of a fight.

    The fitted model gives the mean daily rate ``r(T)`` of a fight lasting ``T``
    days, so its cumulative loss share is ``C(T) = T r(T)``; the step from ``T1`` to
    ``T2 = T1 + dt`` costs ``C(T2) - C(T1)``, i.e. a mean rate of that over ``dt``.
    Summed over the steps of a fight this gives the fitted total whatever the step.
    Each side's ``T`` is its own time in the fight: troops that join a fight late
    start their own curve.

    Args:
        attrition: the fitted attrition model (``cumulative_shares_of``).
        att_men: [E] attacking men in each engagement.
        def_men: [E] defending men in each engagement.
        elapsed_h: [E] hours the attackers and the defenders have fought before
            this step (each side's men-weighted mean).
        step_h: the step (hours).
        factors: the model's other inputs per engagement.
        design: the design matrix of the one-day engagements of these inputs, if
            already built (``features.design_matrix`` held to the models' data by
            ``Support.clip``; the same rates).
    """
    dt = step_h / 24.0
    t1 = [np.maximum(e, 0.0) / 24.0 for e in elapsed_h]
    t2 = [t + dt for t in t1]
    started = [t > 0 for t in t1]
    # Each side's share lost over a fight of T2 and of T1 (a fight's first step:
    # T1 = T2, unused). The shares, not the daily rates, are capped at 1: the
    # first hour of a fight may cost more than 1/24 of a force.
    days_a = np.stack([t2[0], np.where(started[0], t1[0], t2[0])])
    days_d = np.stack([t2[1], np.where(started[1], t1[1], t2[1])])
    if design is None:
        from stavka.models.features import WWII_ERA, Engagement, design_matrix

        factors = {"era": WWII_ERA, **factors}
        eng = Engagement.build(att_men, def_men, 1.0, **factors)
        design = _models().support.clip(design_matrix(eng))
    ca, cd = attrition.cumulative_shares_of(design, days_a, days_d)
    out = []
    for side, (c2, c1) in enumerate(((ca[0], ca[1]), (cd[0], cd[1]))):
        before = np.where(started[side], c1, 0.0)
        out.append(np.maximum(c2 - before, 0.0) / dt)
    return out[0], out[1]


def attackers_hours(
    st: State, contact: npt.NDArray[np.int64], n_eng: int
) -> npt.NDArray[np.float64]:
    """Men-weighted mean hours the attackers of each engagement have fought [E].

    ``contact`` rows are (replica, unit, attacked engagement or -1, defended one).
    """
    # Summed in contact order, as np.bincount sums (kernels_combat.attacker_sums).
    weighted, men = attacker_sums(
        contact, st.present, st.fight_hours, n_eng, replica_chunks()
    )
    return weighted / np.maximum(men, 1.0)


@dataclass(frozen=True, slots=True)
class CombatOutcome:
    """What combat did this step.

    Losses (of the units in contact), dislodged defenders, contact and the new assault
    progress against each defender (km) [R, U]; the defenders attacked by more men
    than their cell holds (replicas, units).
    """

    losses: LossRows | ContactLosses
    dislodged: npt.NDArray[np.bool_]
    in_contact: npt.NDArray[np.bool_]
    assault: npt.NDArray[np.float32]
    pressed: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] = (_NONE, _NONE)


def resolve_combat(
    ctx: Context, st: State, hour: float, wet: npt.NDArray[np.bool_]
) -> CombatOutcome:
    """Resolve one step of every engagement.

    Args:
        ctx: static context.
        st: state after movement (``attack_cell`` set for blocked attackers).
        hour: hours since the start.
        wet: [N] cells with rain or mud now.
    """
    u, p = ctx.units, ctx.params
    n_cells = ctx.theatre.lat.shape[0]
    dt_days = p.step_hours / 24.0
    losses: LossRows | ContactLosses = LossRows.empty(st.lost.shape[2:])
    dislodged = np.zeros(st.cell.shape, bool)
    # Engagements: defended cells that are being attacked and hold defenders; the
    # sums of power (men, tanks + SP guns, guns + mortars; times the ammunition
    # factor) per cell.
    keys, a, d, held_men, fought, contact, in_contact = engagements(
        st.status,
        u.side,
        st.attack_cell,
        st.cell,
        st.present,
        st.ammo,
        st.posture,
        st.fight_hours,
        np.float32(0.05),  # as numpy compares float32 ammunition with 0.05
        p.ammo_out_power_factor,
        n_cells,
        (PERSONNEL, TANKS, SP_GUNS, GUNS, MORTARS),
        replica_chunks(),
    )
    if keys.size == 0:
        return CombatOutcome(losses, dislodged, in_contact, st.assault)
    cell = (keys % n_cells).astype(np.int64)
    fort = ctx.theatre.fortified_level[cell]
    holding = held_men > 0.5 * d[:, 0]
    posture = np.where(
        fort > 0, 3, np.where(holding, 2, 4)
    )  # FORTIFIED / PREPARED / DELAY
    start = float(hour)
    # Surprise belongs to a battle, as CDB90 codes it (``surpa``, one value per
    # battle): a fight whose defenders came under attack within the surprise window
    # keeps it for as long as it lasts (its start: now less the defenders'
    # men-weighted hours in the fight).
    def_hours = fought / d[:, 0].clip(1)
    surprise = np.where(start - def_hours < p.surprise_hours, 2.0, 0.0)
    air = 1.0 if start >= p.air_superiority_after_hours else 0.0
    factors: dict[str, Any] = {
        "posture": posture,
        "terrain": ctx.model_terrain[cell],
        "weather": wet[cell].astype(np.int64),
        "surprise": surprise,
        "air": air,
        "att_tanks_per_1000": 1000 * a[:, 1] / a[:, 0].clip(1),
        "att_arty_per_1000": 1000 * a[:, 2] / a[:, 0].clip(1),
        "def_tanks_per_1000": 1000 * d[:, 1] / d[:, 0].clip(1),
        "def_arty_per_1000": 1000 * d[:, 2] / d[:, 0].clip(1),
    }
    from stavka.models.features import WWII_ERA, Engagement, design_matrix

    m = _models()
    att_men, def_men = a[:, 0].clip(1), d[:, 0].clip(1)
    # The three models read the same one-day engagements: one design matrix, held
    # to the range of the battles they were fitted on (a tank brigade attacking
    # alone has 50-70 tanks per 1,000 men, 99 % of CDB90's battles at most 23).
    x = design_matrix(Engagement.build(att_men, def_men, 1.0, era=WWII_ERA, **factors))
    x = m.support.clip(x)
    # Loss rates fall with the length of a fight (fitted): a fight of T days costs
    # C(T) = T x r(T) of the force, and a step from T1 to T2 = T1 + dt costs
    # C(T2) - C(T1) (exact for any step; T = each side's men-weighted mean of its
    # units' hours in the fight).
    rate_a, rate_d = step_loss_rates(
        m.attrition,
        att_men,
        def_men,
        (attackers_hours(st, contact, keys.size), def_hours),
        p.step_hours,
        factors,
        x,
    )
    p_win = m.outcome.predict_design(x)
    adv = m.advance.predict_design(x)

    # Back to units: attackers by their assaulted key, defenders by their cell key.
    # Attackers and defenders are distinct units: each in contact has one fraction.
    # Each unit's share lost: min(rate x noise, 1) x dt, split into killed, wounded
    # and missing (applied by kernels_combat.apply_contact_losses, unit by unit).
    rr, uu, ed = contact[:, 0], contact[:, 1], contact[:, 3]
    losses = ContactLosses(
        contact,
        rate_a,
        rate_d,
        st.noise,
        dt_days,
        loss_shares(ctx, st, rr, uu, engaged_split()),
        (KILLED, WOUNDED, MISSING),
    )
    # Today's attacks on a defender succeed when its luck falls below P(attacker wins);
    # a successful attacker advances at the fitted rate.
    # Without noise the expected advance ``P(win) x km/day`` is used instead.
    rd, ud, e = rr[ed >= 0], uu[ed >= 0], ed[ed >= 0]
    wins = (st.luck[rd, ud] < p_win[e]) if p.combat_noise else p_win[e]
    gain = (wins * adv[e] * dt_days).astype(np.float32)
    # A defender is dislodged when the attacker's successful advance has gone through
    # its position; how fast that happens against a delaying, prepared or fortified
    # defence is the fitted advance model's answer (CDB90 postures DL, PD, FD).
    st_assault = st.assault[rd, ud] + gain
    dislodged[rd, ud] = st_assault >= p.defended_depth_km
    assault = st.assault.copy()
    assault[rd, ud] = st_assault
    # Defenders facing a superior force: more attacking men than their cell holds,
    # times their plan's ratio where it gives one.
    sup = a[e, 0] > u.superior_ratio[ud] * d[e, 0]
    pressed = (rd[sup].astype(np.int64), ud[sup].astype(np.int64))
    return CombatOutcome(losses, dislodged, in_contact, assault, pressed)

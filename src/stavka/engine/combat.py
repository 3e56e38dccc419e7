"""Contact and combat: engagements per defended cell, fitted loss rates, dislodgement.

An engagement is every attacking unit assaulting a cell against every active
defending unit in it. Loss rates, the attacker's chance of success and its advance come
from the fitted models (``stavka.models``); the engine only aggregates, applies and
distributes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import LossRows
from stavka.engine.occupancy import CellSums, cell_keys
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, Pos, State, Status

__all__ = [
    "CombatOutcome",
    "collapse_split",
    "engaged_split",
    "resolve_combat",
]

TANKS, SP_GUNS, GUNS, MORTARS = 1, 2, 3, 4
KILLED, WOUNDED, CAPTURED, MISSING = 0, 1, 2, 3


@lru_cache(maxsize=1)
def _models() -> Any:
    from stavka.models.api import load_models

    return load_models()


def engaged_split() -> tuple[float, float, float]:
    """Shares of killed, wounded and captured-missing among losses of engaged units."""
    k, w, c = _models().loss_split.split(1.0, 0)
    return float(k), float(w), float(c)


def collapse_split() -> tuple[float, float, float]:
    """Killed, wounded and captured shares of a collapsing unit (encircled, routed)."""
    k, w, c = _models().loss_split.split(1.0, 2)
    return float(k), float(w), float(c)


@dataclass(frozen=True, slots=True)
class CombatOutcome:
    """What combat did this step.

    Losses (of the units in contact), dislodged defenders, contact and the new assault
    progress against each defender (km) [R, U].
    """

    losses: LossRows
    dislodged: npt.NDArray[np.bool_]
    in_contact: npt.NDArray[np.bool_]
    assault: npt.NDArray[np.float32]


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
    active = st.status == Status.ACTIVE
    men = st.present[..., PERSONNEL]
    att_mask = active & (st.attack_cell >= 0) & (u.side[None, :] == 0)
    def_mask = active & (u.side[None, :] == 1) & (men > 0)
    losses = LossRows.empty(st.lost.shape[2:])
    dislodged = np.zeros(st.cell.shape, bool)
    in_contact = np.zeros(st.cell.shape, bool)
    if not att_mask.any():
        return CombatOutcome(losses, dislodged, in_contact, st.assault)

    att_keys = cell_keys(np.where(att_mask, st.attack_cell, 0), n_cells)
    def_keys = cell_keys(st.cell, n_cells)
    power = np.stack(
        [
            men,
            st.present[..., TANKS] + st.present[..., SP_GUNS],
            st.present[..., GUNS] + st.present[..., MORTARS],
        ],
        axis=-1,
    )
    ammo_ok = np.where(st.ammo > 0.05, 1.0, p.ammo_out_power_factor)[..., None]
    att_sum = CellSums.of(att_keys, att_mask, power * ammo_ok)
    def_sum = CellSums.of(def_keys, def_mask, power * ammo_ok)
    # Engagements: defended cells that are being attacked and hold defenders.
    d_at = def_sum.lookup(att_sum.keys)
    live = d_at[:, 0] > 0
    keys = att_sum.keys[live]
    if keys.size == 0:
        return CombatOutcome(losses, dislodged, in_contact, st.assault)
    a = att_sum.values[live]
    d = d_at[live]
    cell = (keys % n_cells).astype(np.int64)
    fort = ctx.theatre.fortified_level[cell]
    hold_sum = CellSums.of(def_keys, def_mask & (st.posture == Pos.HOLD), men)
    holding = hold_sum.lookup(keys)[:, 0] > 0.5 * d[:, 0]
    posture = np.where(
        fort > 0, 3, np.where(holding, 2, 4)
    )  # FORTIFIED / PREPARED / DELAY
    start = float(hour)
    surprise = np.where(start < p.surprise_hours, 2.0, 0.0)
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
    m = _models()
    att_men, def_men = a[:, 0].clip(1), d[:, 0].clip(1)
    # Loss rates fall with the length of a fight (fitted): step with the marginal rate
    # at the engagement's elapsed time (men-weighted mean of its defenders' hours).
    fought = CellSums.of(def_keys, def_mask, st.fight_hours * men).lookup(keys)[:, 0]
    elapsed_h = np.maximum(fought / d[:, 0].clip(1) + p.step_hours, p.step_hours)
    rate_a, rate_d = m.attrition.marginal_loss_rates(
        att_men, def_men, duration_days=elapsed_h / 24.0, **factors
    )
    p_win = m.outcome.p_attacker_wins(att_men, def_men, **factors)
    adv = m.advance.km_per_day(att_men, def_men, **factors)

    # Back to units: attackers by their assaulted key, defenders by their cell key.
    idx_a = np.searchsorted(keys, att_keys).clip(0, keys.size - 1)
    hit_a = att_mask & (keys[idx_a] == att_keys)
    idx_d = np.searchsorted(keys, def_keys).clip(0, keys.size - 1)
    hit_d = def_mask & (keys[idx_d] == def_keys)
    frac_a = np.where(hit_a, np.minimum(rate_a[idx_a] * st.noise, 1.0) * dt_days, 0.0)
    frac_d = np.where(hit_d, np.minimum(rate_d[idx_d] * st.noise, 1.0) * dt_days, 0.0)
    k, w, c = engaged_split()
    # Attackers and defenders are distinct units: each in contact has one fraction.
    in_contact = hit_a | hit_d
    rr, uu = np.nonzero(in_contact)
    frac = np.where(hit_a[rr, uu], frac_a[rr, uu], frac_d[rr, uu])
    lost = st.present[rr, uu] * frac[:, None]
    losses = LossRows.zeros(rr, uu, st.lost.shape[2:])
    losses.hit[:, KILLED] = lost * k
    losses.hit[:, WOUNDED] = lost * w
    losses.hit[:, MISSING] = lost * c
    # Today's attacks on a defender succeed when its luck falls below P(attacker wins);
    # a successful attacker advances at the fitted rate.
    # Without noise the expected advance ``P(win) x km/day`` is used instead.
    wins = (st.luck < p_win[idx_d]) if p.combat_noise else p_win[idx_d]
    gain = np.where(hit_d, wins * adv[idx_d] * dt_days, 0.0).astype(np.float32)
    st_assault = st.assault + gain
    # A defender is dislodged when the attacker's successful advance has gone through
    # its position; how fast that happens against a delaying, prepared or fortified
    # defence is the fitted advance model's answer (CDB90 postures DL, PD, FD).
    dislodged = hit_d & (st_assault >= p.defended_depth_km)
    assault = np.where(hit_d, st_assault, st.assault).astype(np.float32)
    return CombatOutcome(losses, dislodged, in_contact, assault)

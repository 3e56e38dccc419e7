"""Baseline attrition laws the fitted model is compared against.

Every baseline predicts the casualties of each side over a whole engagement of
``duration_days`` from an :class:`~stavka.models.features.Engagement`, capped at the
side's strength. Fitted constants are set in log space by the median residual
(robust, the same criterion as the scoreboard), exponents by least squares.

- Lanchester square law: ``dA/dt = -k_a D``, so ``cas_a = k_a * D * T``.
- Lanchester linear law: ``dA/dt = -k_a A D``, so ``cas_a = k_a * A * D * T``.
- Logarithmic law (Peterson): ``dA/dt = -k_a A``, so ``cas_a = k_a * A * T``.
- Generalised power law: ``cas_a = k_a * A^p * D^q * T^r`` (p, q, r fitted).
- Dupuy QJM base rates: 2.8 %/day attacker, 1.5 %/day defender times posture, terrain,
  weather and surprise multipliers (not fitted; see ``docs/models.md`` for sources and
  which multipliers are estimated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from stavka.models.enums import Posture, Terrain, Weather
from stavka.models.features import Engagement, FloatArray

__all__ = [
    "BASELINES",
    "QJM_BASE_RATE_ATT",
    "QJM_BASE_RATE_DEF",
    "CasualtyPredictor",
    "DupuyQJM",
    "LanchesterLinear",
    "LanchesterSquare",
    "LogarithmicLaw",
    "PowerLaw",
]

#: Dupuy's standard daily casualty rates for WWII divisions (fraction of strength/day).
QJM_BASE_RATE_ATT = 0.028
QJM_BASE_RATE_DEF = 0.015
#: Dupuy, Numbers, Predictions and War (1985 ed.), Table 5 p. 230: posture factors.
QJM_POSTURE = {
    Posture.ATTACK: 1.0,
    Posture.HASTY: 1.3,
    Posture.PREPARED: 1.5,
    Posture.FORTIFIED: 1.6,
    Posture.DELAY: 1.2,
    Posture.WITHDRAWAL: 1.15,
}
#: Terrain factor by class. Rolling-mixed 1.3, rugged-mixed 1.5, urban 1.4 are from
#: Dupuy, NPW Table 1 p. 228; the rest are *estimated* by relief (flat 1.0, rolling
#: 1.3, rugged 1.5; marsh and desert as flat).
QJM_TERRAIN = {
    t: (1.0, 1.3, 1.5)[t // 3] if t <= Terrain.RUGGED_WOODED else 1.0 for t in Terrain
} | {Terrain.URBAN: 1.4}
#: Wet weather lowers both sides' rates (Dupuy's attrition verity 11, "markedly");
#: the size of the effect is *estimated* (-20 %).
QJM_WET = 0.8
#: Surprise lowers the surprising side's rate and raises the other's (verity 9); the
#: step per surprise level is *estimated* (10 % per level, levels -3..+3).
QJM_SURPRISE_STEP = 0.1


class CasualtyPredictor(Protocol):
    """A model that predicts both sides' casualties over whole engagements."""

    name: str

    def fit(self, eng: Engagement, cas_a: FloatArray, cas_d: FloatArray) -> None:
        """Fit the model's constants on observed casualties (rows all valid)."""

    def predict(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return predicted casualties ``(cas_a, cas_d)``, shapes ``[B]`` (men)."""


def _cap(cas: FloatArray, strength: FloatArray) -> FloatArray:
    return np.minimum(np.maximum(cas, 0.0), strength)


@dataclass
class _ScaledLaw:
    """``cas_side = k_side * exposure_side`` with k set by the median log residual."""

    name: str = ""
    log_k: tuple[float, float] = (0.0, 0.0)

    def exposure(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        raise NotImplementedError

    def fit(self, eng: Engagement, cas_a: FloatArray, cas_d: FloatArray) -> None:
        ea, ed = self.exposure(eng)
        self.log_k = (
            float(np.median(np.log(cas_a) - np.log(ea))),
            float(np.median(np.log(cas_d) - np.log(ed))),
        )

    def predict(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        ea, ed = self.exposure(eng)
        return (
            _cap(np.exp(self.log_k[0]) * ea, eng.att_strength),
            _cap(np.exp(self.log_k[1]) * ed, eng.def_strength),
        )


@dataclass
class LanchesterSquare(_ScaledLaw):
    """Aimed fire: each side's losses grow with the enemy's strength."""

    name: str = "lanchester_square"

    def exposure(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return ``(D*T, A*T)``."""
        t = eng.duration_days
        return eng.def_strength * t, eng.att_strength * t


@dataclass
class LanchesterLinear(_ScaledLaw):
    """Area fire: losses grow with the product of both strengths."""

    name: str = "lanchester_linear"

    def exposure(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return ``(A*D*T, A*D*T)`` in units of 10^4 men squared."""
        p = eng.att_strength * eng.def_strength * eng.duration_days / 1e4
        return p, p


@dataclass
class LogarithmicLaw(_ScaledLaw):
    """Losses proportional to one's own strength (Peterson's logarithmic law)."""

    name: str = "logarithmic"

    def exposure(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return ``(A*T, D*T)``."""
        t = eng.duration_days
        return eng.att_strength * t, eng.def_strength * t


@dataclass
class PowerLaw:
    """Generalised power law ``cas = k A^p D^q T^r`` per side, fitted in log space."""

    name: str = "power_law"
    coef: tuple[tuple[float, ...], tuple[float, ...]] = ((0.0,) * 4, (0.0,) * 4)

    @staticmethod
    def _x(eng: Engagement) -> FloatArray:
        return np.column_stack(
            [
                np.ones(len(eng)),
                np.log(eng.att_strength),
                np.log(eng.def_strength),
                np.log(eng.duration_days),
            ]
        )

    def fit(self, eng: Engagement, cas_a: FloatArray, cas_d: FloatArray) -> None:
        """Fit the exponents per side by least squares on log casualties."""
        x = self._x(eng)
        ba = np.linalg.lstsq(x, np.log(cas_a), rcond=None)[0]
        bd = np.linalg.lstsq(x, np.log(cas_d), rcond=None)[0]
        self.coef = (tuple(float(v) for v in ba), tuple(float(v) for v in bd))

    def predict(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return ``(cas_a, cas_d)`` capped at strength."""
        x = self._x(eng)
        return (
            _cap(np.exp(x @ np.asarray(self.coef[0])), eng.att_strength),
            _cap(np.exp(x @ np.asarray(self.coef[1])), eng.def_strength),
        )


@dataclass
class DupuyQJM:
    """Dupuy's QJM base rates with multipliers; nothing is fitted."""

    name: str = "dupuy_qjm"
    posture: dict[Posture, float] = field(default_factory=lambda: dict(QJM_POSTURE))

    def multipliers(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return the attacker's and defender's rate multipliers ``[B]``."""
        post = np.array([self.posture[p] for p in Posture])[eng.posture]
        terr = np.array([QJM_TERRAIN[t] for t in Terrain])[eng.terrain]
        hasty = self.posture[Posture.HASTY]
        wx = np.where(eng.weather == Weather.WET, QJM_WET, 1.0)
        s = QJM_SURPRISE_STEP * eng.surprise
        m_att = (post / hasty) * (1.0 / terr) * wx * np.maximum(1.0 - s, 0.1)
        m_def = (hasty / post) * (1.0 / terr) * wx * (1.0 + s)
        return m_att, m_def

    def fit(self, eng: Engagement, cas_a: FloatArray, cas_d: FloatArray) -> None:
        """Do nothing: the QJM rates are published, not fitted."""

    def predict(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return ``(cas_a, cas_d)`` capped at strength."""
        m_att, m_def = self.multipliers(eng)
        t = eng.duration_days
        return (
            _cap(QJM_BASE_RATE_ATT * m_att * eng.att_strength * t, eng.att_strength),
            _cap(QJM_BASE_RATE_DEF * m_def * eng.def_strength * t, eng.def_strength),
        )


#: Baseline factories in scoreboard order.
BASELINES: tuple[type, ...] = (
    LanchesterSquare,
    LanchesterLinear,
    LogarithmicLaw,
    PowerLaw,
    DupuyQJM,
)

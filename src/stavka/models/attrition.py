"""The fitted attrition model: robust ridge regression on log daily casualty rates.

For each side the model is ``log(cas / (strength * T)) = X @ b`` where ``X`` is the
design matrix of :mod:`stavka.models.features` (log strengths, log duration, defender
posture steps, terrain, weather, surprise, air, tanks and artillery per 1000 men, era
intercepts). Coefficients carry sign constraints that encode well-established
directions (Dupuy's attrition verities; see ``docs/models.md``), so the engine gets
monotone responses: more defender strength never lowers the attacker's losses, a
stronger defensive posture never lowers the attacker's rate nor raises the
defender's, surprise and air superiority help the side that has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from stavka.models.features import (
    FEATURES,
    WWII_ERA,
    Engagement,
    FloatArray,
    coefficients,
    design_matrix,
)
from stavka.models.linear import fit_robust_ridge

__all__ = ["AttritionModel", "attrition_bounds", "attrition_penalty"]

_POSTURE_STEPS = (
    "posture_ge_delay",
    "posture_ge_hasty",
    "posture_ge_prepared",
    "posture_ge_fortified",
)


def attrition_bounds(side: str) -> tuple[FloatArray, FloatArray]:
    """Return the coefficient bounds ``(lower, upper)`` for side ``"att"``/``"def"``."""
    k = len(FEATURES)
    lo, hi = np.full(k, -np.inf), np.full(k, np.inf)
    idx = FEATURES.index
    sign = 1.0 if side == "att" else -1.0
    for f in _POSTURE_STEPS:  # stronger defence: attacker up, defender down
        (lo if sign > 0 else hi)[idx(f)] = 0.0
    for f in ("surprise", "air"):  # attacker advantage: attacker down, defender up
        (hi if sign > 0 else lo)[idx(f)] = 0.0
    if side == "att":
        lo[idx("log_def_strength")] = 0.0  # more enemies never fewer losses
        lo[idx("def_arty_per_1000")] = 0.0  # enemy guns never fewer losses
        lo[idx("def_tanks_per_1000")] = 0.0
    else:
        lo[idx("log_att_strength")] = 0.0
        lo[idx("att_arty_per_1000")] = 0.0
        lo[idx("att_tanks_per_1000")] = 0.0
    return lo, hi


def attrition_penalty(ridge: float, era_ridge: float) -> FloatArray:
    """Return the ridge penalty per coefficient (intercept free, eras pooled)."""
    p = np.full(len(FEATURES), ridge)
    p[FEATURES.index("const")] = 0.0
    for i, f in enumerate(FEATURES):
        if f.startswith("era_"):
            p[i] = era_ridge
    return p


@dataclass(frozen=True, slots=True)
class AttritionModel:
    """Fitted attrition model (both sides).

    Attributes:
        coef_att: coefficients of the attacker's log daily rate ``[K]``.
        coef_def: coefficients of the defender's log daily rate ``[K]``.
    """

    coef_att: FloatArray
    coef_def: FloatArray

    @classmethod
    def fit(
        cls,
        eng: Engagement,
        cas_a: FloatArray,
        cas_d: FloatArray,
        *,
        ridge: float = 1.0,
        era_ridge: float = 1.0,
        huber_k: float = 1.0,
    ) -> AttritionModel:
        """Fit both sides on engagements with known positive casualties."""
        x = design_matrix(eng)
        t = eng.duration_days
        pen = attrition_penalty(ridge, era_ridge)
        coefs = []
        for side, cas, s in (
            ("att", cas_a, eng.att_strength),
            ("def", cas_d, eng.def_strength),
        ):
            lo, hi = attrition_bounds(side)
            y = np.log(cas / (s * t))
            coefs.append(fit_robust_ridge(x, y, pen, lo, hi, huber_k=huber_k))
        return cls(coef_att=coefs[0], coef_def=coefs[1])

    def log_rates(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return the log mean daily loss rates ``(att, def)``, shapes ``[B]``."""
        x = design_matrix(eng)
        # einsum, not BLAS @: a row's result must not depend on the batch size.
        return np.einsum("bk,k->b", x, self.coef_att), np.einsum(
            "bk,k->b", x, self.coef_def
        )

    def predict(self, eng: Engagement) -> tuple[FloatArray, FloatArray]:
        """Return casualties over the whole engagement ``(cas_a, cas_d)`` (men, [B]).

        Each is ``strength * duration * mean daily rate``, capped at the strength.
        """
        la, ld = self.log_rates(eng)
        t = eng.duration_days
        return (
            np.minimum(np.exp(la) * eng.att_strength * t, eng.att_strength),
            np.minimum(np.exp(ld) * eng.def_strength * t, eng.def_strength),
        )

    def daily_loss_rates(
        self, att_strength: npt.ArrayLike, def_strength: npt.ArrayLike, **factors: Any
    ) -> tuple[FloatArray, FloatArray]:
        """Return mean daily personnel loss rates of attacker and defender.

        Args:
            att_strength: attacker personnel (men), shape ``[B]`` or scalar.
            def_strength: defender personnel (men), shape ``[B]`` or scalar.
            **factors: the other :meth:`Engagement.build` arguments (``posture``,
                ``terrain``, ``weather``, ``surprise``, ``air``,
                ``att_tanks_per_1000``, ``att_arty_per_1000``, ``def_tanks_per_1000``,
                ``def_arty_per_1000``, ``duration_days`` (default 1), ``era``
                (default WWII)), each scalar or ``[B]``.

        Returns:
            ``(rate_att, rate_def)``: fractions of each side's strength lost per day,
            averaged over an engagement of ``duration_days``; shape ``[B]``, in [0, 1].

        ``duration_days`` is the length of the engagement, not the engine's time step:
        rates fall with it (``r ~ T^c``, ``c`` about -0.75), so a 1-hour value applied
        hour after hour would greatly overstate losses. For an engagement that goes on,
        a step from elapsed ``T1`` to ``T2`` costs ``T2 r(T2) - T1 r(T1)`` of the force
        (exact for any step; ``stavka.engine.combat.step_loss_rates``);
        :meth:`marginal_loss_rates` gives the instantaneous rate, which misses most of
        a fight's first step when used at the step's end.
        """
        factors.setdefault("era", WWII_ERA)
        eng = Engagement.build(att_strength, def_strength, **factors)
        la, ld = self.log_rates(eng)
        return np.minimum(np.exp(la), 1.0), np.minimum(np.exp(ld), 1.0)

    def loss_rates_by_side(
        self,
        att_strength: npt.ArrayLike,
        def_strength: npt.ArrayLike,
        att_days: npt.ArrayLike,
        def_days: npt.ArrayLike,
        **factors: Any,
    ) -> tuple[FloatArray, FloatArray]:
        """:meth:`daily_loss_rates` with each side's own fight length.

        The attacker's rate is that of a fight of ``att_days``, the defender's of one
        of ``def_days`` (each broadcasting against ``[B]``, e.g. ``[n, B]`` for n
        lengths at once; ``factors`` without ``duration_days``). The duration term is
        log-linear (``r ~ T^c``), so the rates follow from the one-day rates: one
        evaluation for any number of lengths.
        """
        factors.setdefault("era", WWII_ERA)
        eng = Engagement.build(att_strength, def_strength, duration_days=1.0, **factors)
        return self.rates_by_side_of(design_matrix(eng), att_days, def_days)

    def rates_by_side_of(
        self, x: FloatArray, att_days: npt.ArrayLike, def_days: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray]:
        """:meth:`loss_rates_by_side` from the one-day engagements' design matrix."""
        la, ld = self._log_rates_of(x, att_days, def_days)
        return np.minimum(np.exp(la), 1.0), np.minimum(np.exp(ld), 1.0)

    def _log_rates_of(
        self, x: FloatArray, att_days: npt.ArrayLike, def_days: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray]:
        """Log daily rates ``log r(T)`` of fights of each side's length (uncapped)."""
        la, ld = (
            np.einsum("bk,k->b", x, self.coef_att),
            np.einsum("bk,k->b", x, self.coef_def),
        )
        i = FEATURES.index("log_duration")
        la = la + self.coef_att[i] * np.log(np.asarray(att_days, dtype=np.float64))
        ld = ld + self.coef_def[i] * np.log(np.asarray(def_days, dtype=np.float64))
        return la, ld

    def cumulative_shares_of(
        self, x: FloatArray, att_days: npt.ArrayLike, def_days: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray]:
        """Shares of each side's strength lost over fights of the given lengths.

        ``min(T r(T), 1)`` for ``T`` = ``att_days`` and ``def_days``, as
        :meth:`predict` caps casualties at the strength. ``x`` is the one-day
        engagements' design matrix. Unlike the daily rates, the rate inside is not
        capped at 1 a day: a fight of an hour may cost more than 1/24 of a force (the
        fitted ``r(T)`` grows as ``T`` shrinks).
        """
        la, ld = self._log_rates_of(x, att_days, def_days)
        return (
            np.minimum(np.asarray(att_days, dtype=np.float64) * np.exp(la), 1.0),
            np.minimum(np.asarray(def_days, dtype=np.float64) * np.exp(ld), 1.0),
        )

    def marginal_loss_rates(
        self, att_strength: npt.ArrayLike, def_strength: npt.ArrayLike, **factors: Any
    ) -> tuple[FloatArray, FloatArray]:
        """Return instantaneous daily loss rates on day ``duration_days`` of a fight.

        With cumulative losses ``C(T) = S * T * r(T)`` and ``r(T) ~ T^c`` (``c`` the
        ``log_duration`` coefficient), the rate at elapsed time ``T`` is
        ``(1 + c) * r(T)``; an engine that steps through an engagement with these
        rates reproduces the fitted battle totals. Same arguments and shapes as
        :meth:`daily_loss_rates`.
        """
        ra, rd = self.daily_loss_rates(att_strength, def_strength, **factors)
        i = FEATURES.index("log_duration")
        return (
            np.minimum(ra * max(1.0 + self.coef_att[i], 0.0), 1.0),
            np.minimum(rd * max(1.0 + self.coef_def[i], 0.0), 1.0),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the coefficients keyed by feature name (JSON-ready)."""
        return {
            "coef_att": dict(zip(FEATURES, map(float, self.coef_att), strict=True)),
            "coef_def": dict(zip(FEATURES, map(float, self.coef_def), strict=True)),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AttritionModel:
        """Rebuild from :meth:`to_dict` output.

        Raises:
            ModelError: a coefficient missing or not a finite number.
        """
        return cls(
            coef_att=coefficients(d["coef_att"], "attrition.coef_att"),
            coef_def=coefficients(d["coef_def"], "attrition.coef_def"),
        )

"""Outcome and advance-rate models: penalised, sign-constrained regressions.

- :class:`OutcomeModel`: ``P(attacker wins) = sigmoid(X @ b)`` (logistic regression on
  the features of :mod:`stavka.models.features`, without the duration term: the
  engine asks before the fight's length is known).
- :class:`AdvanceModel`: ``log(1 + km/day) = X @ b`` for a successful attacker, robust
  ridge regression.

Both constrain signs: more attackers and surprise or air superiority never lower the
attacker's chances or speed; a stronger defensive posture or more defenders never raise
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from stavka.models.attrition import attrition_penalty
from stavka.models.features import (
    FEATURES,
    WWII_ERA,
    Engagement,
    FloatArray,
    coefficients,
    design_matrix,
)
from stavka.models.linear import fit_logistic, fit_robust_ridge, sigmoid

__all__ = ["AdvanceModel", "OutcomeModel", "attacker_favour_bounds"]


def attacker_favour_bounds(*, duration: bool) -> tuple[FloatArray, FloatArray]:
    """Return bounds for a model of the attacker's success (chance or speed).

    Args:
        duration: keep the ``log_duration`` term (else it is fixed at 0).
    """
    k = len(FEATURES)
    lo, hi = np.full(k, -np.inf), np.full(k, np.inf)
    idx = FEATURES.index
    lo[idx("log_att_strength")] = 0.0
    hi[idx("log_def_strength")] = 0.0
    for f in (
        "posture_ge_delay",
        "posture_ge_hasty",
        "posture_ge_prepared",
        "posture_ge_fortified",
    ):
        hi[idx(f)] = 0.0
    for f in ("surprise", "air", "att_tanks_per_1000", "att_arty_per_1000"):
        lo[idx(f)] = 0.0
    for f in ("def_tanks_per_1000", "def_arty_per_1000"):
        hi[idx(f)] = 0.0
    if not duration:
        lo[idx("log_duration")] = hi[idx("log_duration")] = 0.0
    return lo, hi


@dataclass(frozen=True, slots=True)
class _LinearModel:
    """A linear predictor over the feature vector; ``coef`` has shape ``[K]``."""

    coef: FloatArray

    def _linear(self, eng: Engagement) -> FloatArray:
        """Return ``X @ coef``, shape ``[B]``."""
        # einsum, not BLAS @: a row's result must not depend on the batch size.
        return np.einsum("bk,k->b", design_matrix(eng), self.coef)

    def to_dict(self) -> dict[str, Any]:
        """Return the coefficients keyed by feature name."""
        return {"coef": dict(zip(FEATURES, map(float, self.coef), strict=True))}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict` output.

        Raises:
            ModelError: a coefficient missing or not a finite number.
        """
        section = cls.__name__.removesuffix("Model").lower()
        return cls(coef=coefficients(d["coef"], f"{section}.coef"))


def _engagement(
    att_strength: npt.ArrayLike, def_strength: npt.ArrayLike, factors: dict[str, Any]
) -> Engagement:
    """Build the engagement of the convenience methods (era defaults to WWII)."""
    factors.setdefault("era", WWII_ERA)
    return Engagement.build(att_strength, def_strength, **factors)


@dataclass(frozen=True, slots=True)
class OutcomeModel(_LinearModel):
    """Fitted logistic model of the attacker's success. ``coef`` has shape ``[K]``."""

    @classmethod
    def fit(
        cls,
        eng: Engagement,
        win: FloatArray,
        *,
        ridge: float = 1.0,
        era_ridge: float = 1.0,
    ) -> OutcomeModel:
        """Fit on engagements with a known result (``win`` 1 = attacker won, else 0)."""
        lo, hi = attacker_favour_bounds(duration=False)
        pen = attrition_penalty(ridge, era_ridge)
        return cls(coef=fit_logistic(design_matrix(eng), win, pen, lo, hi))

    def predict(self, eng: Engagement) -> FloatArray:
        """Return the probability that the attacker wins, shape ``[B]``."""
        return self.predict_design(design_matrix(eng))

    def predict_design(self, x: FloatArray) -> FloatArray:
        """:meth:`predict` from the engagements' design matrix ``x``."""
        return sigmoid(np.einsum("bk,k->b", x, self.coef))

    def p_attacker_wins(
        self, att_strength: npt.ArrayLike, def_strength: npt.ArrayLike, **factors: Any
    ) -> FloatArray:
        """Return P(attacker succeeds), ``[B]``; arguments as ``daily_loss_rates``."""
        return self.predict(_engagement(att_strength, def_strength, factors))


@dataclass(frozen=True, slots=True)
class AdvanceModel(_LinearModel):
    """Fitted model of a successful attacker's advance. ``coef`` has shape ``[K]``."""

    @classmethod
    def fit(
        cls,
        eng: Engagement,
        km_per_day: FloatArray,
        *,
        ridge: float = 1.0,
        era_ridge: float = 1.0,
        huber_k: float = 1.0,
    ) -> AdvanceModel:
        """Fit on won engagements with a known, non-negative advance (km/day)."""
        lo, hi = attacker_favour_bounds(duration=True)
        pen = attrition_penalty(ridge, era_ridge)
        y = np.log1p(km_per_day)
        return cls(
            coef=fit_robust_ridge(design_matrix(eng), y, pen, lo, hi, huber_k=huber_k)
        )

    def predict(self, eng: Engagement) -> FloatArray:
        """Return the advance of a successful attacker (km/day, >= 0), shape ``[B]``."""
        return self.predict_design(design_matrix(eng))

    def predict_design(self, x: FloatArray) -> FloatArray:
        """:meth:`predict` from the engagements' design matrix ``x``."""
        return np.maximum(np.expm1(np.einsum("bk,k->b", x, self.coef)), 0.0)

    def km_per_day(
        self, att_strength: npt.ArrayLike, def_strength: npt.ArrayLike, **factors: Any
    ) -> FloatArray:
        """Return km/day of a winning attacker, ``[B]``; args as in attrition."""
        return self.predict(_engagement(att_strength, def_strength, factors))

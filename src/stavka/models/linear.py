"""Deterministic penalised fits with sign constraints: robust ridge and logistic.

Both fits are convex with box constraints on the coefficients, solved by SciPy from a
fixed start, so the same data give the same bytes. A per-coefficient ridge penalty
implements partial pooling (e.g. the era intercepts shrink toward the common one).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import lsq_linear, minimize

from stavka.models.features import FloatArray

__all__ = ["fit_logistic", "fit_robust_ridge", "sigmoid"]


def sigmoid(z: FloatArray) -> FloatArray:
    """Return the logistic function of ``z`` (numerically safe)."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_robust_ridge(
    x: FloatArray,
    y: FloatArray,
    penalty: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    *,
    huber_k: float = 1.0,
    iterations: int = 12,
) -> FloatArray:
    """Fit ``y ~ x @ b`` by Huber-weighted least squares with ridge and bounds.

    Args:
        x: design matrix ``[N, K]``.
        y: targets ``[N]``.
        penalty: ridge penalty per coefficient ``[K]`` (0 = free).
        lower: lower bound per coefficient ``[K]`` (``-inf`` = none).
        upper: upper bound per coefficient ``[K]``.
        huber_k: Huber threshold in units of the residuals' robust scale.
        iterations: iteratively reweighted least-squares steps.

    Returns:
        Coefficients ``[K]``.
    """
    k = x.shape[1]
    w = np.ones(len(y))
    pen = np.diag(np.sqrt(penalty))
    b = np.zeros(k)
    for _ in range(iterations):
        sw = np.sqrt(w)[:, None]
        a = np.vstack([x * sw, pen])
        rhs = np.concatenate([y * sw[:, 0], np.zeros(k)])
        b = lsq_linear(a, rhs, bounds=(lower, upper), method="bvls").x
        r = y - x @ b
        scale = max(1.4826 * float(np.median(np.abs(r - np.median(r)))), 1e-6)
        u = np.abs(r) / (huber_k * scale)
        w = np.where(u <= 1.0, 1.0, 1.0 / np.maximum(u, 1e-12))
    return np.asarray(b, dtype=np.float64)


def fit_logistic(
    x: FloatArray,
    y: FloatArray,
    penalty: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
) -> FloatArray:
    """Fit a penalised logistic regression ``P(y=1) = sigmoid(x @ b)`` with bounds.

    Args:
        x: design matrix ``[N, K]``.
        y: 0/1 targets ``[N]``.
        penalty: ridge penalty per coefficient ``[K]``.
        lower: lower bound per coefficient ``[K]``.
        upper: upper bound per coefficient ``[K]``.

    Returns:
        Coefficients ``[K]``.
    """

    def loss(b: FloatArray) -> tuple[float, FloatArray]:
        z = x @ b
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * b * b))
        grad = x.T @ (sigmoid(z) - y) + penalty * b
        return nll, grad

    bounds = list(zip(np.where(np.isinf(lower), None, lower), np.where(np.isinf(upper), None, upper), strict=True))
    res = minimize(
        loss,
        np.zeros(x.shape[1]),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-9},
    )
    return np.asarray(res.x, dtype=np.float64)

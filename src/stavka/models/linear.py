"""Deterministic penalised fits with sign constraints: robust ridge and logistic.

Both fits are convex with box constraints on the coefficients. Each step reduces the
problem to a ``K x K`` bounded least-squares problem (Cholesky factor of the penalised
Gram matrix) solved by SciPy's BVLS from the same start, so the same data give the same
bytes, and the fits stay fast (the data matrix is touched only by small products). A
per-coefficient ridge penalty implements partial pooling (e.g. the era intercepts
shrink toward the common one).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import lsq_linear

from stavka.models.features import FloatArray

__all__ = ["fit_logistic", "fit_robust_ridge", "sigmoid"]


def sigmoid(z: FloatArray) -> FloatArray:
    """Return the logistic function of ``z`` (numerically safe)."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


def _bounded_quadratic(
    gram: FloatArray, rhs: FloatArray, lower: FloatArray, upper: FloatArray
) -> FloatArray:
    """Minimise ``0.5 b'Gb - rhs'b`` within bounds (G positive definite).

    Coefficients whose lower and upper bounds are equal are fixed at that value.
    """
    free = lower < upper
    b = np.where(free, 0.0, lower)
    g = gram[np.ix_(free, free)]
    h = rhs[free] - gram[np.ix_(free, ~free)] @ b[~free]
    r = np.linalg.cholesky(g).T  # G = R'R
    z = np.linalg.solve(r.T, h)  # R'z = rhs
    b[free] = lsq_linear(r, z, bounds=(lower[free], upper[free]), method="bvls").x
    return b


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
        huber_k: Huber threshold in units of the residuals' robust scale (MAD).
        iterations: iteratively reweighted least-squares steps.

    Returns:
        Coefficients ``[K]``.
    """
    w = np.ones(len(y))
    ridge = np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
    b = np.zeros(x.shape[1])
    for _ in range(iterations):
        xw = x * w[:, None]
        b = _bounded_quadratic(x.T @ xw + ridge, xw.T @ y, lower, upper)
        r = y - x @ b
        scale = max(1.4826 * float(np.median(np.abs(r - np.median(r)))), 1e-6)
        u = np.abs(r) / (huber_k * scale)
        w = np.where(u <= 1.0, 1.0, 1.0 / np.maximum(u, 1e-12))
    return b


def fit_logistic(
    x: FloatArray,
    y: FloatArray,
    penalty: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    *,
    iterations: int = 50,
) -> FloatArray:
    """Fit a penalised logistic regression ``P(y=1) = sigmoid(x @ b)`` with bounds.

    Projected Newton: each step minimises the local quadratic model within the
    bounds, with step halving when the penalised log-loss would rise.

    Args:
        x: design matrix ``[N, K]``.
        y: 0/1 targets ``[N]``.
        penalty: ridge penalty per coefficient ``[K]``.
        lower: lower bound per coefficient ``[K]``.
        upper: upper bound per coefficient ``[K]``.
        iterations: maximum Newton steps.

    Returns:
        Coefficients ``[K]``.
    """

    def objective(b: FloatArray) -> float:
        z = x @ b
        return float(
            np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * b * b)
        )

    k = x.shape[1]
    b = np.clip(np.zeros(k), lower, upper)
    f = objective(b)
    for _ in range(iterations):
        p = sigmoid(x @ b)
        grad = x.T @ (p - y) + penalty * b
        hess = (
            x.T @ (x * (p * (1.0 - p))[:, None]) + np.diag(penalty) + 1e-9 * np.eye(k)
        )
        target = _bounded_quadratic(hess, hess @ b - grad, lower, upper)
        step = 1.0
        while True:
            cand = b + step * (target - b)
            fc = objective(cand)
            if fc <= f + 1e-12 or step < 1e-6:
                break
            step *= 0.5
        done = abs(f - fc) < 1e-10 * max(1.0, abs(f))
        b, f = cand, min(f, fc)
        if done:
            break
    return b

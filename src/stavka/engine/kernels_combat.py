"""Compiled per-unit loops of combat (as :mod:`stavka.engine.kernels`: bit for bit).

The losses of the units in contact, computed row by row in parallel instead of as
numpy temporaries over all contact rows.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import F64, pkernel

__all__ = ["contact_losses"]


@pkernel
def contact_losses(
    contact: npt.NDArray[np.int64],
    rate_a: F64,
    rate_d: F64,
    noise: npt.NDArray[np.float32],
    present: F64,
    dt_days: float,
    split: tuple[float, float, float],
    kinds: tuple[int, int, int],
    n_kinds: int,
) -> F64:  # pragma: no cover - compiled
    """Losses [C, L, K] of the units in contact (``engagements``' contact rows).

    A unit's share lost this step is ``min(rate x noise, 1) x dt_days``, with its
    attacked engagement's attacker rate or its defended engagement's defender rate
    (as ``combat.resolve_combat`` has it in numpy: the float64 rate times the
    float32 noise, the minimum keeping a nan); its holdings times that share go to
    the loss kinds ``kinds`` (killed, wounded, missing) by ``split``; the other
    ``n_kinds`` are zero.
    """
    n_c = contact.shape[0]
    n_k = present.shape[2]
    share_k, share_w, share_c = split
    kind_k, kind_w, kind_c = kinds
    hit = np.empty((n_c, n_kinds, n_k))
    for i in prange(n_c):
        r, u, ea, ed = contact[i, 0], contact[i, 1], contact[i, 2], contact[i, 3]
        nz = np.float64(noise[r, u])
        x = rate_a[ea] * nz if ea >= 0 else rate_d[ed] * nz
        if x > 1.0:  # np.minimum(x, 1.0)
            x = 1.0
        frac = x * dt_days
        for j in range(n_k):
            for q in range(n_kinds):
                hit[i, q, j] = 0.0
            lost = present[r, u, j] * frac
            hit[i, kind_k, j] = lost * share_k
            hit[i, kind_w, j] = lost * share_w
            hit[i, kind_c, j] = lost * share_c
    return hit

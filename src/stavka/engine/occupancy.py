"""Sparse per-cell sums over replicas: who holds which cell, without [R, N] arrays.

Keys are ``replica * N + cell``; sums are kept only for occupied keys, so memory scales
with the number of units, not the size of the map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CellSums", "cell_keys"]


def cell_keys(cell: npt.NDArray[np.integer], n_cells: int) -> npt.NDArray[np.int64]:
    """Return ``replica * n_cells + cell`` for a cell array of shape [R, ...]."""
    r = np.arange(cell.shape[0], dtype=np.int64).reshape((-1,) + (1,) * (cell.ndim - 1))
    return r * n_cells + cell.astype(np.int64)


@dataclass(frozen=True, slots=True)
class CellSums:
    """Sums of per-unit values by (replica, cell) key. ``values`` is [Q, C]."""

    keys: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]

    @classmethod
    def of(
        cls,
        keys: npt.NDArray[np.int64],
        mask: npt.NDArray[np.bool_],
        weights: npt.NDArray[np.floating],
    ) -> CellSums:
        """Sum ``weights`` over units where ``mask`` holds.

        ``weights`` is [R, U, C] (or [R, U]); ``mask`` is [R, U].
        """
        w = weights if weights.ndim == 3 else weights[..., None]
        k = keys[mask]
        if k.size == 0:
            return cls(np.zeros(0, np.int64), np.zeros((0, w.shape[-1])))
        uniq, inv = np.unique(k, return_inverse=True)
        sums = np.zeros((uniq.size, w.shape[-1]))
        np.add.at(sums, inv, w[mask].astype(np.float64))
        return cls(uniq, sums)

    def lookup(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Return the sums at ``keys`` (any shape), zeros where nothing is there."""
        if self.keys.size == 0:
            return np.zeros((*keys.shape, self.values.shape[1]))
        pos = np.searchsorted(self.keys, keys)
        pos = np.minimum(pos, self.keys.size - 1)
        hit = self.keys[pos] == keys
        return np.where(hit[..., None], self.values[pos], 0.0)

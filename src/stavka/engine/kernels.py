"""Fast paths of the step: sparse losses and compiled loops numpy cannot vectorise.

Every function here gives bit for bit what the plain numpy code it replaces gave
(``benchmarks/engine_identity.py`` checks whole campaigns); the loops add floats in
the same order as the numpy reductions they stand for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["LossRows"]

F64 = npt.NDArray[np.float64]
IP = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class LossRows:
    """Losses of a few units: replica ``rr``, unit ``uu`` and their [M, L, K] figures.

    The sparse form of a dense [R, U, L, K] loss array: units not listed lose nothing.
    Listed units are distinct; a listed unit may lose nothing (a no-op).
    """

    rr: IP
    uu: IP
    hit: F64

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> LossRows:
        """No losses; ``shape`` is the dense shape's trailing (L, K)."""
        none = np.zeros(0, np.intp)
        return cls(none, none, np.zeros((0, *shape)))

    @classmethod
    def zeros(cls, rr: IP, uu: IP, shape: tuple[int, ...]) -> LossRows:
        """Zero losses (to be filled in) for the listed units."""
        return cls(rr, uu, np.zeros((rr.size, *shape)))

    def dense(self, shape: tuple[int, ...]) -> F64:
        """The dense [R, U, L, K] array."""
        out = np.zeros(shape)
        out[self.rr, self.uu] = self.hit
        return out

    def where(self, keep: npt.NDArray[np.bool_]) -> LossRows:
        """Only the listed units where ``keep`` [M] holds."""
        return LossRows(self.rr[keep], self.uu[keep], self.hit[keep])

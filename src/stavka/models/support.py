"""The range of the fitted models' data: callers evaluate the models inside it.

The models are log-linear in their inputs, fitted on CDB90's battles. Where a caller
feeds inputs far outside those battles (the engine's tank brigades attacking alone
have 50-70 tanks per 1,000 men; 99 % of the battles have at most 23), the fitted
terms are extrapolated, not estimated. :class:`Support` holds, for each continuous
design column, the range between the ``SUPPORT_PERCENTILES`` of the battles with known
inputs, and :meth:`Support.clip` moves a design matrix's rows to the nearest point of
that range (the model is then read at the edge of its data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stavka.errors import ModelError
from stavka.models.features import FEATURES, Engagement, FloatArray, design_matrix

__all__ = ["SUPPORT_COLUMNS", "SUPPORT_PERCENTILES", "Support"]

#: The continuous design columns held to the data's range (the log duration is not:
#: the battles run from 10 minutes to months; surprise and air are codes in range).
SUPPORT_COLUMNS: tuple[str, ...] = (
    "log_att_strength",
    "log_def_strength",
    "att_tanks_per_1000",
    "att_arty_per_1000",
    "def_tanks_per_1000",
    "def_arty_per_1000",
)
#: Percentiles of the battles bounding each column (1 % of the battles beyond each).
SUPPORT_PERCENTILES: tuple[float, float] = (1.0, 99.0)


@dataclass(frozen=True, slots=True)
class Support:
    """Per-column bounds ``[lo, hi]`` of the fitted models' data (design space)."""

    columns: tuple[str, ...]
    lo: FloatArray
    hi: FloatArray

    @classmethod
    def of(cls, eng: Engagement) -> Support:
        """The bounds of a batch of battles (``SUPPORT_PERCENTILES`` of each column)."""
        x = design_matrix(eng)[:, [FEATURES.index(c) for c in SUPPORT_COLUMNS]]
        lo, hi = np.percentile(x, SUPPORT_PERCENTILES, axis=0)
        return cls(SUPPORT_COLUMNS, lo, hi)

    def clip(self, x: FloatArray) -> FloatArray:
        """``x`` with each held column moved into its bounds, in place; returned."""
        for j, name in enumerate(self.columns):
            col = FEATURES.index(name)
            np.clip(x[:, col], self.lo[j], self.hi[j], out=x[:, col])
        return x

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the percentiles and ``{column: [lo, hi]}``."""
        return {
            "percentiles": list(SUPPORT_PERCENTILES),
            "columns": {
                c: [float(a), float(b)]
                for c, a, b in zip(self.columns, self.lo, self.hi, strict=True)
            },
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Support:
        """Read :meth:`to_dict`'s form.

        Raises:
            ModelError: an unknown column or a bound pair that is not ``lo <= hi``.
        """
        cols = doc["columns"]
        names = tuple(cols)
        for c in names:
            if c not in FEATURES:
                raise ModelError(f"support: unknown design column {c!r}")
        bounds = np.array([cols[c] for c in names], dtype=np.float64).reshape(-1, 2)
        if not np.all(bounds[:, 0] <= bounds[:, 1]):
            raise ModelError("support: every column needs [lo, hi] with lo <= hi")
        return cls(names, bounds[:, 0].copy(), bounds[:, 1].copy())

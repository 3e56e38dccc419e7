"""Terrain classes of the combat models for every map cell."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.routing import TheatreLike

__all__ = ["FLAT_BELOW_M", "RUGGED_FROM_M", "URBAN", "model_terrain"]

URBAN = 9
"""Model terrain code of a city cell (``stavka.models.enums.Terrain.URBAN``)."""

FLAT_BELOW_M = 50.0
RUGGED_FROM_M = 200.0
"""Ruggedness (std of elevation within ~25 km, m) splitting CDB90's flat / rolling /
rugged terrain classes (assumption: CDB90 gives no metres; see docs/parameters.md)."""


def model_terrain(theatre: TheatreLike) -> npt.NDArray[np.int64]:
    """Model terrain class (:class:`stavka.models.enums.Terrain`) of every cell.

    Relief from ruggedness (flat < 50 m, rugged >= 200 m or mountain cover); cover:
    forest = wooded, steppe = bare, open/cultivated and mountain = mixed; desert and
    marsh are their own classes (city cells are made urban by the engine setup). A map
    without cover or ruggedness layers (the synthetic test map) is rolling/mixed.
    """
    n = theatre.lat.shape[0]
    rug = getattr(theatre, "ruggedness", None)
    cover = getattr(theatre, "cover", None)
    names = getattr(theatre, "cover_names", None)
    if rug is None or cover is None or names is None:
        return np.full(n, 4, np.int64)  # ROLLING_MIXED
    name = np.asarray(names, dtype=object)[np.asarray(cover, np.int64)]
    relief = np.where(
        np.asarray(rug) < FLAT_BELOW_M,
        0,
        np.where(np.asarray(rug) < RUGGED_FROM_M, 1, 2),
    )
    relief = np.where(name == "mountain", 2, relief)
    veg = np.where(name == "forest", 2, np.where(name == "steppe", 0, 1))
    out = relief * 3 + veg  # FLAT_BARE=0 ... RUGGED_WOODED=8
    out = np.where(name == "desert", 11, np.where(name == "marsh", 10, out))
    return out.astype(np.int64)

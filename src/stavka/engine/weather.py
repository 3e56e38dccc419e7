"""Weather now: which cells are wet and how much slower movement out of them is."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from stavka.engine.setup import Context

__all__ = ["CONDITION_SLOWDOWN", "weather_now"]

CONDITION_SLOWDOWN = {
    "dry": 1.0,
    "rain": 1.25,
    "heavy_rain": 1.6,
    "mud": 2.0,
    "flood": 3.0,
}
"""Edge-time multiplier by condition (see docs/parameters.md: Movement, weather)."""

_CACHE: dict[
    tuple[int, dt.date], tuple[npt.NDArray[np.bool_], npt.NDArray[np.float32]]
] = {}


def weather_now(
    ctx: Context, hour: float
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float32]]:
    """Return ``(wet [N], slowdown [N])`` for the local date at ``hour``.

    ``hour`` counts from the scenario start.
    """
    date = (ctx.scenario.meta.start + dt.timedelta(hours=hour)).date()
    key = (id(ctx), date)
    if key in _CACHE:
        return _CACHE[key]
    lat, lon = ctx.theatre.lat, ctx.theatre.lon
    factor = np.ones(lat.shape[0], np.float32)
    for w in ctx.scenario.weather:
        if not w.start <= date <= w.end:
            continue
        box = (
            (lat >= w.lat_min)
            & (lat <= w.lat_max)
            & (lon >= w.lon_min)
            & (lon <= w.lon_max)
        )
        factor = np.where(
            box, np.maximum(factor, CONDITION_SLOWDOWN[w.condition]), factor
        ).astype(np.float32)
    out = (factor > 1.0, factor)
    if len(_CACHE) > 512:
        _CACHE.clear()
    _CACHE[key] = out
    return out

"""Weather now: each cell's condition on the current local date.

Also the map's edge times under it for every movement class (the map's own weather
factors, ``docs/parameters.md`` ## Movement).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stavka.engine.setup import Context
from stavka.engine.state import MOBILITY_NAMES
from stavka.theatre.movement import weather_codes

__all__ = ["Weather", "weather_now"]


@dataclass(frozen=True, slots=True)
class Weather:
    """Conditions of one local date.

    Attributes:
        key: the date (cache key for things derived from it).
        codes: int8 [N] weather code per cell (dry, rain, heavy_rain, mud, flood).
        hours: float32 [Mob, N, 6] edge hours under these conditions per movement class.
        cross: float32 [Mob, N, 6] the same across country (beside a full road).
    """

    key: str
    codes: npt.NDArray[np.int8]
    hours: npt.NDArray[np.float32]
    cross: npt.NDArray[np.float32]

    @property
    def wet(self) -> npt.NDArray[np.bool_]:
        """[N] cells with rain, mud or flood."""
        return self.codes > 0


_CACHE: dict[tuple[int, dt.date], Weather] = {}


def weather_now(ctx: Context, hour: float) -> Weather:
    """Return the weather of the local date at ``hour`` after the start (cached)."""
    date = (ctx.scenario.meta.start + dt.timedelta(hours=hour)).date()
    key = (ctx.token, date)
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        codes = weather_codes(ctx.theatre, list(ctx.scenario.weather), date)  # type: ignore[arg-type]
        if not codes.any():
            hours, cross = ctx.hours, ctx.cross_hours
        else:
            hours, cross = (
                np.stack(
                    [
                        ctx.theatre.edge_hours(
                            m if m != "static" else "foot", codes, roads
                        )
                        for m in MOBILITY_NAMES
                    ]
                ).astype(np.float32)
                for roads in (True, False)
            )
        _CACHE[key] = Weather(date.isoformat(), codes, hours, cross)
    return _CACHE[key]

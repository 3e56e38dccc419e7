"""stavka.theatre: the map of the theatre on an H3 hex grid.

The shipped product (``data/theatre_r5.npz`` + ``data/base.npz``) is built once from
geodata packages by ``stavka map build`` and loads with numpy alone. Scenario layers
(places, railways, roads, fortified regions) are overlaid at load time with
:meth:`Theatre.for_scenario`. Movement costs live in :mod:`stavka.theatre.movement`.
See ``docs/map.md`` for the arrays, their shapes and units.
"""

from stavka.theatre.model import Theatre, cell_of, is_land, load_theatre
from stavka.theatre.movement import (
    MOBILITIES,
    WEATHER_CODES,
    edge_hours,
    least_time_path,
    weather_codes,
)

__all__ = [
    "MOBILITIES",
    "WEATHER_CODES",
    "Theatre",
    "cell_of",
    "edge_hours",
    "is_land",
    "least_time_path",
    "load_theatre",
    "weather_codes",
]

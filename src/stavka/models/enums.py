"""Small integer enums shared by the combat models and the campaign engine.

The engine stores these as ``int8`` arrays; the models index parameter tables with them.
:func:`posture_from_cdb90`, :func:`terrain_from_cdb90` and :func:`weather_from_cdb90`
translate the CDB90 codes (``post1``, ``terra1``, ``wx1``) into them.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "DEFENSIVE_ORDER",
    "Posture",
    "Situation",
    "Terrain",
    "Weather",
    "posture_from_cdb90",
    "terrain_from_cdb90",
    "weather_from_cdb90",
]


class Posture(IntEnum):
    """Posture of the defending side of an engagement (the attacker always attacks).

    ``ATTACK`` means the "defender" is itself attacking (a meeting engagement); CDB90
    has no such case, so the models treat it like ``HASTY`` (documented in
    ``docs/models.md``).
    """

    ATTACK = 0
    HASTY = 1
    PREPARED = 2
    FORTIFIED = 3
    DELAY = 4
    WITHDRAWAL = 5


#: Postures ordered from the weakest to the strongest defence; the fitted models are
#: constrained to be monotone along this order.
DEFENSIVE_ORDER: tuple[Posture, ...] = (
    Posture.WITHDRAWAL,
    Posture.DELAY,
    Posture.HASTY,
    Posture.PREPARED,
    Posture.FORTIFIED,
)


class Terrain(IntEnum):
    """Terrain classes the map can supply: relief x cover, plus special classes."""

    FLAT_BARE = 0
    FLAT_MIXED = 1
    FLAT_WOODED = 2
    ROLLING_BARE = 3
    ROLLING_MIXED = 4
    ROLLING_WOODED = 5
    RUGGED_BARE = 6
    RUGGED_MIXED = 7
    RUGGED_WOODED = 8
    URBAN = 9
    MARSH = 10
    DESERT = 11


class Weather(IntEnum):
    """Weather at the engagement: dry or wet (rain, snow, mud)."""

    DRY = 0
    WET = 1


class Situation(IntEnum):
    """Situation of a side, used by the loss split and the collapse term."""

    ENGAGED = 0  # ordinary fire fight, attack or defence
    WITHDRAWING = 1  # beaten, falling back under pressure
    ENCIRCLED = 2  # cut off, bypassed or routed: collapse and capture


_POSTURE_CODES = {
    "HD": Posture.HASTY,
    "PD": Posture.PREPARED,
    "FD": Posture.FORTIFIED,
    "DL": Posture.DELAY,
    "WD": Posture.WITHDRAWAL,
}
_RELIEF = {"F": 0, "R": 1, "G": 2}
_COVER = {"B": 0, "M": 1, "W": 2}


def posture_from_cdb90(code: str) -> Posture | None:
    """Return the posture for a CDB90 ``post1`` code (``HD``...), None if unknown."""
    return _POSTURE_CODES.get(code.strip().upper())


def terrain_from_cdb90(code: str) -> Terrain | None:
    """Return the terrain class for a CDB90 ``terra1`` code, None if unknown.

    The code has three characters: relief (F flat, R rolling, G rugged), cover (B bare,
    M mixed, W wooded, D desert) and a special feature (U urban, M marsh, D dunes, 0
    none). A special feature wins over relief and cover; desert cover or dunes give
    ``DESERT``; an unknown relief with a known cover counts as rolling.
    """
    c = code.strip().upper().ljust(3, "0")
    relief, cover, special = c[0], c[1], c[2]
    if special == "U":
        return Terrain.URBAN
    if special == "M":
        return Terrain.MARSH
    if special == "D" or cover == "D":
        return Terrain.DESERT
    if relief not in _RELIEF and cover not in _COVER:
        return None
    r = _RELIEF.get(relief, 1)
    k = _COVER.get(cover, 1)
    return Terrain(3 * r + k)


def weather_from_cdb90(code: str) -> Weather | None:
    """Return the weather for a CDB90 ``wx1`` code (first character W wet / D dry)."""
    first = code.strip().upper()[:1]
    if first == "W":
        return Weather.WET
    if first == "D":
        return Weather.DRY
    return None

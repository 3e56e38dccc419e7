from stavka.models.enums import (
    Posture,
    Terrain,
    Weather,
    posture_from_cdb90,
    terrain_from_cdb90,
    weather_from_cdb90,
)


def test_posture_codes() -> None:
    """CDB90 posture codes map to the shared Posture enum."""
    assert posture_from_cdb90("FD") is Posture.FORTIFIED
    assert posture_from_cdb90(" hd ") is Posture.HASTY
    assert posture_from_cdb90("XX") is None


def test_terrain_codes() -> None:
    """Relief x cover codes map to the 3x3 grid; specials win; unknown stays None."""
    assert terrain_from_cdb90("RM0") is Terrain.ROLLING_MIXED
    assert terrain_from_cdb90("GW0") is Terrain.RUGGED_WOODED
    assert terrain_from_cdb90("FB0") is Terrain.FLAT_BARE
    assert terrain_from_cdb90("00U") is Terrain.URBAN
    assert terrain_from_cdb90("RBD") is Terrain.DESERT
    assert terrain_from_cdb90("FD0") is Terrain.DESERT
    assert terrain_from_cdb90("000") is None


def test_weather_codes() -> None:
    """The first wx1 character decides wet or dry."""
    assert weather_from_cdb90("WLTFT") is Weather.WET
    assert weather_from_cdb90("DSTST") is Weather.DRY
    assert weather_from_cdb90("") is None

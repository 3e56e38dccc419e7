"""Movement costs and least-time paths (issue 3 'path' checks)."""

from __future__ import annotations

import numpy as np
import pytest

from stavka.errors import MapError
from stavka.theatre import MOBILITIES, Theatre
from stavka.theatre.movement import (
    CROSS_KMH,
    EMBANKMENT_ROAD,
    ROAD_KMH,
    edge_hours,
    route_class,
)


def test_edge_hours_shape_and_water(storm_map: Theatre) -> None:
    """edge_hours is float32 [N, 6], positive, and inf into water and off the map."""
    for m in MOBILITIES:
        h = edge_hours(storm_map, m)
        assert h.shape == storm_map.neighbors.shape
        assert h.dtype == np.float32
        assert (h > 0).all()
        assert np.isinf(h[storm_map.neighbors < 0]).all()
        assert np.isinf(h[storm_map.water]).all()


def test_rail_only_on_rail(storm_map: Theatre) -> None:
    """Rail movement is finite exactly on rail edges between land cells."""
    h = edge_hours(storm_map, "rail")
    assert (np.isfinite(h) <= (storm_map.rail_gauge_mm > 0)).all()
    assert np.isfinite(h).sum() > 1000


def test_road_faster_than_cross_country(storm_map: Theatre) -> None:
    """On flat open ground a road edge is quicker than the same distance off-road."""
    for m in ("foot", "horse", "motor", "tracked"):
        assert ROAD_KMH[m][2] > CROSS_KMH[m]
    h = edge_hours(storm_map, "motor")
    road = (storm_map.road > 0) & np.isfinite(h)
    off = (storm_map.road == 0) & (storm_map.river_class < 0) & np.isfinite(h)
    per_km_road = np.median(h[road] / storm_map.edge_km[road])
    per_km_off = np.median(h[off] / storm_map.edge_km[off])
    assert per_km_road < per_km_off


def test_a_railway_without_a_road_is_marched_as_a_track(storm_map: Theatre) -> None:
    """Rail edges with no road of their own take a track's speed; others keep theirs."""
    t = storm_map
    cls = route_class(t)
    lone = (t.rail_gauge_mm > 0) & (t.road == 0)
    assert lone.any()
    assert (cls[lone] == EMBANKMENT_ROAD).all()
    assert (cls[~lone] == t.road[~lone]).all()
    # Flat-ground check: along such an edge foot troops make the track speed.
    h = edge_hours(t, "foot")
    j = t.neighbors.clip(0)
    flat = lone & (t.ruggedness[:, None] < 1) & (t.ruggedness[j] < 1)
    flat &= (t.river_class < 0) & np.isfinite(h)
    flat &= t.elevation_m[j] <= t.elevation_m[:, None]
    assert flat.any()
    speed = t.edge_km[flat] / h[flat]
    assert np.allclose(speed, ROAD_KMH["foot"][EMBANKMENT_ROAD], rtol=0.01)


def test_mud_slows_everything(storm_map: Theatre) -> None:
    """Mud everywhere makes every finite edge at least as slow as dry weather."""
    mud = np.full(storm_map.n_cells, 3, np.int8)
    for m in MOBILITIES:
        dry, wet = edge_hours(storm_map, m), edge_hours(storm_map, m, mud)
        ok = np.isfinite(dry)
        assert (wet[ok] >= dry[ok]).all()
        assert (wet[ok] > dry[ok]).any() or m == "rail"


def test_bad_weather_shape_rejected(storm_map: Theatre) -> None:
    """A weather array of the wrong length is refused with a clear error."""
    with pytest.raises(MapError, match="weather must be"):
        edge_hours(storm_map, "foot", np.zeros(3, np.int8))


def test_unknown_mobility(storm_map: Theatre) -> None:
    """An unknown mobility class names the valid ones."""
    with pytest.raises(MapError, match="foot, horse, motor, tracked, rail"):
        storm_map.least_time_path(0, 1, "hovercraft")


def test_tamsag_changchun_tracked_through_pass(storm_map: Theatre) -> None:
    """6th Guards Tank Army's route crosses the Greater Khingan through a pass cell."""
    t = storm_map
    cells, km, hours = t.least_time_path(
        t.place_cell["tamsag_bulag"], t.place_cell["changchun"], "tracked"
    )
    crest = [c for c in cells if 119.0 < t.lon[c] < 122.5 and t.elevation_m[c] > 700]
    assert crest, "the path should climb onto the Khingan"
    assert any(t.pass_cell[c] for c in cells)
    speed = km / hours
    assert CROSS_KMH["tracked"] * 0.5 < speed < ROAD_KMH["tracked"][2]
    assert 600 < km < 1100


def test_path_triangle_inequality(storm_map: Theatre) -> None:
    """Going via an intermediate place never beats the direct least-time path."""
    t = storm_map
    a, b, c = (t.place_cell[p] for p in ("harbin", "qiqihar", "changchun"))
    direct = t.least_time_path(a, c, "foot")[2]
    via = t.least_time_path(a, b, "foot")[2] + t.least_time_path(b, c, "foot")[2]
    assert direct <= via + 1e-6


def test_no_path_over_sea(storm_map: Theatre) -> None:
    """No land route reaches Shumshu from the mainland; the error says so."""
    t = storm_map
    with pytest.raises(MapError, match="no foot path"):
        t.least_time_path(t.place_cell["harbin"], t.place_cell["shumshu"], "foot")


def test_weather_codes_from_periods(storm_map: Theatre) -> None:
    """A weather period marks the cells in its box on its days, later rows winning."""
    import datetime as dt

    from stavka.scenario.schema import WeatherPeriod
    from stavka.theatre import weather_codes

    rows = [
        WeatherPeriod(
            start=dt.date(1945, 8, 9),
            end=dt.date(1945, 8, 12),
            region="plain",
            lat_min=43,
            lat_max=47,
            lon_min=122,
            lon_max=128,
            condition="rain",
            source="test",
        ),
        WeatherPeriod(
            start=dt.date(1945, 8, 10),
            end=dt.date(1945, 8, 11),
            region="core",
            lat_min=44,
            lat_max=46,
            lon_min=124,
            lon_max=127,
            condition="mud",
            source="test",
        ),
    ]
    t = storm_map
    day9 = weather_codes(t, rows, dt.date(1945, 8, 9))
    day10 = weather_codes(t, rows, dt.date(1945, 8, 10))
    harbin, qiqihar = t.place_cell["harbin"], t.place_cell["qiqihar"]
    assert day9[harbin] == 1
    assert day10[harbin] == 3
    assert day10[qiqihar] == 0
    assert not weather_codes(t, rows, dt.date(1945, 8, 20)).any()

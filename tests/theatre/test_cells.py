"""Cell layers against known geography (issue 3 'Cell checks')."""

from __future__ import annotations

import time

import numpy as np
import pytest

from stavka.errors import MapError
from stavka.scenario.container import Scenario
from stavka.theatre import Theatre, is_land, load_theatre
from stavka.theatre.model import DATA_DIR


def _cell(t: Theatre, lat: float, lon: float) -> int:
    return t.cell_of(lat, lon)


def test_hailar_elevation(theatre: Theatre) -> None:
    """Hailar (49.2N 119.7E) lies at 500-750 m."""
    assert 500 <= theatre.elevation_m[_cell(theatre, 49.2, 119.7)] <= 750


def test_greater_khingan_crest(theatre: Theatre) -> None:
    """The Greater Khingan near Arshan and along 46-49N, 119.5-121E tops 900 m."""
    assert theatre.elevation_m[_cell(theatre, 47.2, 119.9)] > 900
    box = (theatre.lon > 119.5) & (theatre.lon < 121.0)
    for south in np.arange(46.0, 49.0, 0.5):
        band = box & (theatre.lat >= south) & (theatre.lat < south + 0.5)
        assert theatre.elevation_m[band].max() > 900, south


def test_harbin_low(theatre: Theatre) -> None:
    """Harbin on the Sungari plain lies below 250 m."""
    assert theatre.elevation_m[_cell(theatre, 45.75, 126.65)] < 250


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Lake Khanka", 45.0, 132.4),
        ("Lake Hulun", 48.95, 117.4),
        ("Sea of Japan", 40.5, 134.0),
    ],
)
def test_water_cells(theatre: Theatre, name: str, lat: float, lon: float) -> None:
    """Lakes Khanka and Hulun and the Sea of Japan are water cells."""
    assert theatre.water[_cell(theatre, lat, lon)], name
    assert is_land(lat, lon) is False


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Sakhalin (Toyohara)", 46.96, 142.74),
        ("Sakhalin (north)", 50.5, 142.6),
        ("Shumshu", 50.733, 156.317),
        ("Paramushir", 50.4, 155.9),
    ],
)
def test_island_land(theatre: Theatre, name: str, lat: float, lon: float) -> None:
    """Sakhalin and the northern Kurils are land cells."""
    assert not theatre.water[_cell(theatre, lat, lon)], name
    assert is_land(lat, lon) is True


def test_is_land_outside_is_none() -> None:
    """is_land answers None outside the theatre."""
    assert is_land(10.0, 10.0) is None
    assert is_land(45.0, 170.0) is None


def test_cell_of_outside_raises(theatre: Theatre) -> None:
    """cell_of names the point and the theatre box when the point is outside."""
    with pytest.raises(MapError, match=r"outside the theatre"):
        theatre.cell_of(30.0, 100.0)


def test_neighbors_symmetric(theatre: Theatre) -> None:
    """Slot k of i and slot back[i, k] of its neighbour are the same edge."""
    i, k = np.nonzero(theatre.neighbors >= 0)
    j = theatre.neighbors[i, k]
    kb = theatre.back[i, k]
    assert np.array_equal(theatre.neighbors[j, kb], i)
    assert np.array_equal(theatre.river_class[j, kb], theatre.river_class[i, k])
    assert np.allclose(theatre.edge_km[j, kb], theatre.edge_km[i, k])


def test_1945_sovereignty_matches_gazetteer(
    theatre: Theatre, storm_map: Theatre, storm: Scenario
) -> None:
    """At least 90 % of gazetteer places on land cells lie in their 1945 country."""
    names = theatre.country_names
    checked = agree = 0
    for p in storm.places.values():
        c = theatre.cell_of(p.lat, p.lon)
        if p.country_1945 not in names or theatre.water[c]:
            continue
        checked += 1
        agree += names[theatre.country_1945[c]] == p.country_1945
    assert checked > 150
    assert agree / checked >= 0.90
    # The overlay's bank rule then puts every such place in a cell of its country.
    for pid, p in storm.places.items():
        if p.country_1945 in names:
            assert (
                names[storm_map.country_1945[storm_map.place_cell[pid]]]
                == p.country_1945
            )


def test_product_small_and_fast() -> None:
    """The shipped product is at most 20 MB and loads in at most 1 s."""
    size = sum(p.stat().st_size for p in DATA_DIR.glob("*.np*"))
    assert size <= 20 * 2**20
    load_theatre.cache_clear()
    t0 = time.perf_counter()
    load_theatre(5)
    assert time.perf_counter() - t0 <= 1.0


def test_missing_resolution_is_clear() -> None:
    """Asking for a resolution that was not built names the build command."""
    with pytest.raises(MapError, match="stavka map build --resolution 3"):
        load_theatre(3)

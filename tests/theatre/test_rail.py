"""Rail network from the scenario's railways (issue 3 'Rail checks')."""

from __future__ import annotations

import itertools

import pytest

from stavka.theatre import Theatre

# Real lengths of the 1945 lines (km), geographic_knowledge: CER western line
# Manzhouli-Harbin 935, CER eastern line Harbin-Suifenhe (Pogranichnaya) 546, CER
# southern branch Harbin-Changchun (Kuanchengzi) 241, SMR Changchun-Dalian 701,
# Borzya-Otpor (Zabaikalsk) 117.
REAL_KM = [
    ("manzhouli", "harbin", 935.0, 0.10),
    ("harbin", "suifenhe", 546.0, 0.10),
    # A straight line on the hex grid's worst diagonal: the cell chain is up to 15 %
    # longer than the line (2/sqrt(3)); documented in docs/map.md.
    ("harbin", "changchun", 241.0, 0.16),
    ("changchun", "dalian", 701.0, 0.10),
    ("borzya", "otpor", 117.0, 0.10),
]


@pytest.mark.parametrize(
    "stops",
    [
        ["manzhouli", "hailar", "qiqihar", "harbin", "mudanjiang", "suifenhe"],
        ["harbin", "changchun", "shenyang", "dalian"],
        ["borzya", "otpor"],
    ],
)
def test_rail_path_exists(storm_map: Theatre, stops: list[str]) -> None:
    """A rail-only path links each chain of stations, stop by stop."""
    for a, b in itertools.pairwise(stops):
        cells, km, hours = storm_map.least_time_path(
            storm_map.place_cell[a], storm_map.place_cell[b], "rail"
        )
        assert cells[0] == storm_map.place_cell[a]
        assert cells[-1] == storm_map.place_cell[b]
        assert km > 0
        assert hours > 0


@pytest.mark.parametrize(("a", "b", "real", "tol"), REAL_KM)
def test_rail_length(
    storm_map: Theatre, a: str, b: str, real: float, tol: float
) -> None:
    """The rail path is within tolerance of the railway's real length."""
    _cells, km, _h = storm_map.least_time_path(
        storm_map.place_cell[a], storm_map.place_cell[b], "rail"
    )
    assert abs(km / real - 1.0) <= tol, km


def test_rail_gauges(storm_map: Theatre) -> None:
    """Soviet lines carry 1524 mm, Manchurian 1435 mm and Karafuto 1067 mm gauge."""
    g = storm_map.rail_gauge_mm
    for pid, gauge in (("chita", 1524), ("harbin", 1435), ("toyohara", 1067)):
        assert gauge in g[storm_map.place_cell[pid]], pid


def test_bridges_only_where_rail_meets_river(storm_map: Theatre) -> None:
    """Every bridge is a rail edge that crosses a river, and there are some."""
    b = storm_map.bridge
    assert b.any()
    assert (storm_map.rail_gauge_mm[b] > 0).all()
    assert (storm_map.river_class[b] >= 0).all()

"""The issue's rail check on whole paths: each within 10 % of the real line."""

from __future__ import annotations

import itertools

import pytest

from stavka.theatre import Theatre

# Real lengths (km) as in test_rail.py (geographic_knowledge): Manzhouli-Harbin 935,
# Harbin-Suifenhe 546, Harbin-Changchun 241, Changchun-Dalian 701, Borzya-Otpor 117.
PATHS = [
    (["manzhouli", "harbin", "suifenhe"], 935.0 + 546.0),
    (["harbin", "changchun", "dalian"], 241.0 + 701.0),
    (["borzya", "otpor"], 117.0),
]


@pytest.mark.parametrize(("stops", "real"), PATHS)
def test_whole_rail_path_within_ten_percent(
    storm_map: Theatre, stops: list[str], real: float
) -> None:
    """The rail-only path along the listed stations is within 10 % of the real line."""
    km = 0.0
    for a, b in itertools.pairwise(stops):
        _cells, leg, _h = storm_map.least_time_path(
            storm_map.place_cell[a], storm_map.place_cell[b], "rail"
        )
        km += leg
    assert abs(km / real - 1.0) <= 0.10, km

"""Carriage by water: flotilla ferries and sea transport edge times."""

from __future__ import annotations

import numpy as np

from stavka.engine.params import EngineParams
from stavka.engine.rivers import river_hours, sea_hours
from stavka.testing.theatre import make_synthetic_theatre


def test_ferry_only_across_major_rivers() -> None:
    """Only class 0-2 river edges get ferry time: km / boat speed + ferry hours."""
    t = make_synthetic_theatre(45.0, 46.0, 125.0, 126.5, 5)
    p = EngineParams()
    (i, k), (j, m) = np.argwhere(t.neighbors >= 0)[:2]
    t.river_class[i, k] = 1  # a major river on one edge
    t.river_class[j, m] = 4  # a minor stream on another
    hours = river_hours(t, p)
    assert np.isfinite(hours).sum() == 1
    expected = t.edge_km[i, k] / np.float32(p.flotilla_kmh) + np.float32(p.ferry_hours)
    assert hours[i, k] == np.float32(expected)


def test_ships_move_only_where_water_is() -> None:
    """Sea edges touch water; going aboard or ashore adds the embarkation time."""
    t = make_synthetic_theatre(45.0, 46.0, 125.0, 126.5, 5)
    p = EngineParams()
    sea = np.zeros(t.n_cells, bool)
    sea[: t.n_cells // 2] = True
    t.water[:] = sea
    hours = sea_hours(t, p)
    nb = t.neighbors
    safe = np.where(nb < 0, 0, nb)
    land_land = (nb >= 0) & ~sea[:, None] & ~sea[safe]
    assert np.isinf(hours[land_land]).all()
    coast = (nb >= 0) & (sea[:, None] != sea[safe])
    open_sea = (nb >= 0) & sea[:, None] & sea[safe]
    assert coast.any() and open_sea.any()
    assert np.allclose(hours[open_sea], t.edge_km[open_sea] / p.ship_kmh)
    assert np.allclose(hours[coast], t.edge_km[coast] / p.ship_kmh + p.sea_embark_hours)

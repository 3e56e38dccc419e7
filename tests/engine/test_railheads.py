"""Supply points: joined captured stations, and held ports after the sailing time.

A captured station serves only when joined by rail to the attacker's own; a captured
port serves after the sailing time from the attacker's own port.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from stavka.engine.kernels_combat import serving_railheads
from stavka.engine.logistics import ROAD_FACTOR, rail_km
from stavka.geo import haversine_km

# Stations along 45N, one degree of longitude apart; "own" is the attacker's.
STATIONS = ["own", "border", "deep", "island", "other_end"]
LON = np.array([130.0, 131.0, 132.0, 140.0, 133.0])
LAT = np.full(5, 45.0)
OWN = np.array([True, False, False, False, False])


def _ctx(*lines: tuple[list[str], list[str]]) -> Any:
    rail = {
        f"l{i}": SimpleNamespace(stations=stations, connects=connects)
        for i, (stations, connects) in enumerate(lines)
    }
    return SimpleNamespace(scenario=SimpleNamespace(railways=rail))


def test_rail_km_follows_lines_and_their_links() -> None:
    """Distances run along the lines; an unlinked line is unreachable."""
    ctx = _ctx((["own"], ["border"]), (["border", "deep"], []), (["island"], []))
    km, pred = rail_km(ctx, STATIONS, LAT, LON, OWN)
    step = ROAD_FACTOR * float(haversine_km(45.0, 130.0, 45.0, 131.0))
    assert km[0] == 0.0 and pred[0] == -1
    assert np.isclose(km[1], step) and pred[1] == 0
    assert np.isclose(km[2], 2 * step) and pred[2] == 1
    assert np.isinf(km[3]) and pred[3] == -1  # no line reaches it
    assert np.isinf(km[4]) and pred[4] == -1


def _serving(
    control: list[int],
    captured: list[float],
    hour: float,
    by_sea: np.ndarray | None = None,
) -> list[bool]:
    ctx = _ctx((["own", "border", "deep"], []))
    km, pred = rail_km(ctx, STATIONS, LAT, LON, OWN)
    sea = np.zeros(5, bool) if by_sea is None else by_sea
    repair = np.where(sea, 30.0, km / 20.0 * 24.0).astype(np.float32)
    out = serving_railheads(
        np.array([control], np.int8),
        np.array([captured], np.float32),
        np.arange(5, dtype=np.int64),
        OWN,
        repair,
        (pred, np.argsort(km, kind="stable").astype(np.int64), sea),
        np.float32(hour),
    )
    return [bool(x) for x in out[0]]


def test_a_captured_station_serves_after_its_repair_time() -> None:
    """Repair: rail km / 20 km a day after capture (here 'border', ~99 km)."""
    nan = float("nan")
    assert _serving([0, 0, 1, 1, 1], [nan, 0.0, nan, nan, nan], 100.0) == [
        True, False, False, False, False,
    ]  # fmt: skip
    assert _serving([0, 0, 1, 1, 1], [nan, 0.0, nan, nan, nan], 150.0) == [
        True, True, False, False, False,
    ]  # fmt: skip


def test_a_station_cut_off_from_the_own_network_does_not_serve() -> None:
    """'deep' is held and repaired, but 'border' between it and 'own' is not held."""
    nan = float("nan")
    got = _serving([0, 1, 0, 1, 1], [nan, nan, 0.0, nan, nan], 1000.0)
    assert got == [True, False, False, False, False]
    got = _serving([0, 0, 0, 1, 1], [nan, 0.0, 0.0, nan, nan], 1000.0)
    assert got == [True, True, True, False, False]


def test_an_unreachable_station_never_serves() -> None:
    """A held station on no line joined to the attacker's never becomes a railhead."""
    got = _serving([0, 1, 1, 0, 0], [float("nan"), np.nan, np.nan, 0.0, 0.0], 1e6)
    assert got == [True, False, False, False, False]


def test_a_held_port_serves_after_the_sailing_time() -> None:
    """'island' (by sea, 30 h here) serves 30 h after capture, with no rail to it."""
    sea = np.array([False, False, False, True, False])
    nan = float("nan")
    got = _serving([0, 1, 1, 0, 1], [nan, nan, nan, 10.0, nan], 39.0, sea)
    assert got == [True, False, False, False, False]
    got = _serving([0, 1, 1, 0, 1], [nan, nan, nan, 10.0, nan], 40.0, sea)
    assert got == [True, False, False, True, False]
    got = _serving([0, 1, 1, 1, 1], [nan, nan, nan, 10.0, nan], 40.0, sea)
    assert got == [True, False, False, False, False]  # retaken: no longer held


def test_ports_are_supplied_by_sea_from_the_own_ports() -> None:
    """On the August Storm map, Najin is within 36 h of sailing of Vladivostok."""
    from stavka.engine import prepare
    from stavka.engine.control import initial_control
    from stavka.engine.logistics import build_supply_net

    ctx = prepare("august-storm")
    net = build_supply_net(ctx, initial_control(ctx))
    names = [ctx.place_ids[i] for i in net.place_index]
    najin = [k for k, x in enumerate(names) if x == "najin" and net.by_sea[k]]
    vlad = [k for k, x in enumerate(names) if x == "vladivostok" and net.by_sea[k]]
    assert najin and vlad and net.own[vlad[0]] and not net.own[najin[0]]
    assert 6.0 < float(net.repair_hours[najin[0]]) < 36.0


def test_a_limited_truck_search_stops_at_its_limit() -> None:
    """Within the limit the hours are the full search's; beyond it, inf."""
    from stavka.engine import prepare
    from stavka.engine.logistics import truck_hours
    from stavka.engine.weather import weather_now

    ctx = prepare("august-storm")
    weather = weather_now(ctx, 0.0)
    port = np.array([list(ctx.place_ids).index("najin")])
    source = ctx.place_cells[port].astype(np.int64)
    full = truck_hours(ctx, source, weather)
    near = truck_hours(ctx, source, weather, 24.0)
    inside = full <= 24.0
    assert inside.sum() > 10 and np.isfinite(full).sum() > inside.sum()
    np.testing.assert_array_equal(near[inside], full[inside])
    assert np.isinf(near[~inside]).all()

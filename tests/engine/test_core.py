import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np
import pytest

from stavka.engine import Context, build_context, init_state, simulate, step
from stavka.engine.core import SERIAL_REPLICAS, ReplicaRng
from stavka.engine.logistics import build_supply_net
from stavka.engine.state import PERSONNEL, Status
from stavka.scenario import Scenario, load_scenario
from stavka.testing.theatre import SyntheticTheatre


def test_accounting_identity_holds_every_step(
    ctx: Context, identity_error: Callable[[Context, np.ndarray, np.ndarray], float]
) -> None:
    """Every man, tank and gun is present or in exactly one loss kind at every step."""
    st = init_state(ctx, 2)
    net = build_supply_net(ctx, st.control[0])
    rngs = ReplicaRng.spawn(3, 2)
    for _ in range(24 * 12):
        st = step(ctx, net, st, rngs)
        assert identity_error(ctx, st.present, st.lost) < 1e-6
        assert (st.present >= 0).all()
        assert (st.lost >= 0).all()


def test_same_seed_gives_identical_state(ctx: Context) -> None:
    """Two runs from the same seed are bit-identical."""
    a = simulate(ctx, 7).final
    b = simulate(ctx, 7).final
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert np.array_equal(x, y, equal_nan=True), f.name


def test_batch_replica_matches_single_run(ctx: Context) -> None:
    """Replica 0 of a batch of 8 equals the single run from the same seed."""
    one = simulate(ctx, 11, replicas=1).final
    eight = simulate(ctx, 11, replicas=8).final
    for name in ("cell", "present", "lost", "status", "capture_hour", "fuel"):
        assert np.array_equal(
            getattr(one, name)[0], getattr(eight, name)[0], equal_nan=True
        ), name


def test_serial_and_threaded_runs_agree(ctx: Context) -> None:
    """A one-thread run equals the threaded one; the thread count is restored."""
    threads = numba.get_num_threads()
    big = simulate(ctx, 5, replicas=SERIAL_REPLICAS + 1, days=2).final
    assert numba.get_num_threads() == threads
    small = simulate(ctx, 5, replicas=1, days=2).final
    assert numba.get_num_threads() == threads
    for name in ("cell", "present", "lost", "status", "capture_hour", "fuel"):
        assert np.array_equal(
            getattr(small, name)[0], getattr(big, name)[0], equal_nan=True
        ), name


def test_attack_takes_places_in_order(ctx: Context) -> None:
    """The attacker takes the near town before the far one, and fights on the way."""
    res = simulate(ctx, 1)
    hours = dict(zip(ctx.place_ids, res.final.capture_hour[0], strict=True))
    assert not np.isnan(hours["town_a"])
    assert np.isnan(hours["town_b"]) or hours["town_a"] < hours["town_b"]
    assert res.final.lost[0, :, :, PERSONNEL].sum() > 0


def test_half_hour_step_converges(make_ctx: Callable[..., Context]) -> None:
    """Halving the step changes capture times by < 1 day and losses by < 25 %.

    Expected values: the daily luck is switched off.
    """
    r1 = simulate(make_ctx(combat_noise=False), 1).final
    r2 = simulate(make_ctx(step_hours=0.5, combat_noise=False), 1).final
    c1, c2 = r1.capture_hour[0], r2.capture_hour[0]
    both = ~np.isnan(c1) & ~np.isnan(c2)
    assert both.any()
    assert np.nanmax(np.abs(c1[both] - c2[both])) < 24.0
    l1, l2 = r1.lost[0, :, :, PERSONNEL].sum(), r2.lost[0, :, :, PERSONNEL].sum()
    assert abs(l1 - l2) / max(l1, l2) < 0.25


def test_tank_brigade_stalls_without_fuel_far_from_railhead(
    make_ctx: Callable[..., Context],
) -> None:
    """Without trucks or air lift, a tank unit moves until out of fuel, then stops."""
    ctx = make_ctx(
        truck_hours_per_day=0.0,
        air_lift_tonnes_per_day=0.0,
        initial_fuel_refills=0.5,
    )
    tb = ctx.units.ids.index("red_tb")
    res = simulate(ctx, 1)
    assert res.final.fuel[0, tb] == pytest.approx(0.0, abs=1e-6)
    depth = np.array([d[0, tb] for _, d in sorted(res.daily_depth.items())])
    assert depth[-1] > 0
    assert depth[-1] == depth[-3]  # no movement over the last two days


def test_fuel_supply_lets_tanks_go_further(make_ctx: Callable[..., Context]) -> None:
    """Resupply by truck lets the tank unit reach deeper than with none."""
    dry = simulate(
        make_ctx(
            truck_hours_per_day=0.0,
            air_lift_tonnes_per_day=0.0,
            initial_fuel_refills=0.5,
        ),
        1,
    )
    fed = simulate(make_ctx(initial_fuel_refills=0.5), 1)
    tb = dry.ctx.units.ids.index("red_tb")
    assert fed.final.max_depth_km[0, tb] > dry.final.max_depth_km[0, tb]


def test_fuel_arrives_in_loads_after_round_trips(
    make_ctx: Callable[..., Context],
) -> None:
    """Trucks deliver whole loads when a round trip is done, not a steady trickle."""
    ctx = make_ctx(air_lift_tonnes_per_day=0.0, initial_fuel_refills=0.5)
    tb = ctx.units.ids.index("red_tb")
    res = simulate(ctx, 1, trace_every=1)
    fuel = np.array([s.fuel[0, tb] for s in res.trace])
    gains = np.flatnonzero(np.diff(fuel) > 1e-6)
    assert gains.size > 0
    # At most one load a day arrives (a trickle would refuel in most steps).
    days = len(res.trace) * ctx.params.step_hours / 24.0
    assert gains.size <= days + 1
    assert (np.diff(gains) * ctx.params.step_hours >= 24.0 - 1e-6).all()


def test_surrender_order_reaches_units_and_they_comply(
    make_ctx: Callable[..., Context],
) -> None:
    """After the ceasefire order defenders surrender; those reached become prisoners."""
    ctx = make_ctx(comply_hours=2.0, comply_hours_fortified=4.0)
    res = simulate(ctx, 1)
    blue = ctx.units.side == 1
    status = res.final.status[0][blue]
    assert ((status == Status.SURRENDERED) | (status == Status.DESTROYED)).all()
    assert res.final.lost[0][blue][:, 2, PERSONNEL].sum() > 0  # captured


def test_no_surrender_without_order(make_ctx: Callable[..., Context]) -> None:
    """Before the order hour nobody surrenders."""
    ctx = make_ctx()
    res = simulate(ctx, 1, days=6)
    assert not (res.final.status[0] == Status.SURRENDERED).any()


def test_puppet_troops_desert(ctx: Context) -> None:
    """Manchukuo troops lose men to desertion; Japanese troops do not."""
    res = simulate(ctx, 1, days=4)
    deserted = res.final.lost[0, :, 4, PERSONNEL]
    pup = ctx.units.ids.index("blue_puppets")
    div = ctx.units.ids.index("blue_div")
    assert deserted[pup] > 0
    assert deserted[div] == 0


def test_air_landing_without_a_unit_gets_a_detachment(
    duel: Scenario, flat: SyntheticTheatre, tmp_path: Path
) -> None:
    """An air landing naming no unit lands a detachment of its size, on time."""
    del duel
    copy = tmp_path / "duel"
    shutil.copytree(Path(__file__).parent / "data" / "duel", copy)
    with (copy / "events.csv").open("a", encoding="utf-8") as f:
        f.write(
            "1945-08-12,10:00,USSR,Red airborne (300 men),airborne_landing,fort_c,"
            "Air landing (300 men),test fixture,\n"
        )
    ctx = build_context(load_scenario(copy), flat)
    ids = [x for x in ctx.units.ids if x.startswith("airborne_")]
    assert len(ids) == 1
    i = ctx.units.ids.index(ids[0])
    assert ctx.units.initial[i, PERSONNEL] == 300
    assert ctx.units.start_cell[i] == flat.place_cell["fort_c"]
    res = simulate(ctx, 1, days=4)
    assert res.final.status[0, i] != Status.WAITING


def test_units_at_a_place_start_in_its_map_cell(ctx: Context) -> None:
    """A formation located at a place starts in the cell place control is judged in."""
    s, u = ctx.scenario, ctx.units
    checked = 0
    for i, fid in enumerate(u.ids):
        f = s.formations.get(fid)
        if f is None or f.location.place is None or f.location.lat is not None:
            continue
        assert u.start_cell[i] == ctx.theatre.place_cell[str(f.location.place)], fid
        checked += 1
    assert checked > 0


def test_stall_is_measured_on_the_lead_and_on_the_main_body(
    make_ctx: Callable[..., Context],
) -> None:
    """A tank unit out of fuel stalls; with supply it does not stall as long."""
    from stavka.engine.checks import stall_hours

    dry = simulate(
        make_ctx(
            truck_hours_per_day=0.0,
            air_lift_tonnes_per_day=0.0,
            initial_fuel_refills=0.5,
        ),
        1,
        trace_every=1,
    )
    lead = stall_hours(dry, "red_tb", 1, 25)
    body = stall_hours(dry, "red_tb", 1, 25, main_body=True)
    assert lead["hours"] >= 24 * 5 and body["hours"] >= 24 * 5
    assert lead["from"] is not None
    fed = simulate(make_ctx(), 1, trace_every=1)
    assert stall_hours(fed, "red_tb", 1, 25)["hours"] < lead["hours"]

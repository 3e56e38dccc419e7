"""Integration checks of the built-in campaign: invariants, not the record."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from stavka.engine import Context, RunResult, prepare, simulate
from stavka.engine.params import EngineParams
from stavka.engine.state import PERSONNEL, Mob, Status


@pytest.fixture(scope="module")
def campaign() -> RunResult:
    """The whole August Storm campaign, seed 1."""
    ctx: Context = prepare("august-storm")
    return simulate(ctx, 1)


def test_campaign_keeps_every_man_accounted(campaign: RunResult) -> None:
    """Initial = present + killed + wounded + captured + missing + deserted."""
    u, st = campaign.ctx.units, campaign.final
    for side in (0, 1):
        mask = u.side == side
        initial = u.initial[mask, PERSONNEL].astype(np.float64).sum()
        now = (
            st.present[0][mask, PERSONNEL].sum()
            + st.lost[0][mask][:, :, PERSONNEL].sum()
        )
        assert abs(initial - now) < 1e-3


def test_campaign_runs_to_the_end(campaign: RunResult) -> None:
    """The run covers 9 Aug - 2 Sep (25 days) and the attacker takes places."""
    assert max(campaign.daily_depth) == 25
    taken = ~np.isnan(campaign.final.capture_hour[0])
    assert taken.sum() >= 20


def test_island_garrisons_end_surrendered(campaign: RunResult) -> None:
    """Japanese units that start on Sakhalin or the Kurils have all laid down arms."""
    ctx, st = campaign.ctx, campaign.final
    u = ctx.units
    lat, lon = ctx.theatre.lat[u.start_cell], ctx.theatre.lon[u.start_cell]
    islands = (u.side == 1) & (
        ((lon > 141.5) & (lat > 45.8) & (lat < 50.5)) | (lon > 145.3)
    )
    assert islands.any()
    status = st.status[0][islands]
    assert ((status == Status.SURRENDERED) | (status == Status.DESTROYED)).all()


def test_air_lift_serves_the_6th_guards_tank_army_only(campaign: RunResult) -> None:
    """The lift's units are 6GTA's own, from 10 Aug 00:00 to the end of 22 Aug."""
    from stavka.engine.logistics import build_supply_net

    ctx = campaign.ctx
    net = build_supply_net(ctx, campaign.final.control[0])
    lifted = {ctx.units.ids[i] for i in np.flatnonzero(net.air_units)}
    assert lifted == {ctx.units.ids[i] for i in ctx.formation_units["6gta"]}
    assert "6gta_20gtb" in lifted and "61td" not in lifted
    assert net.air_hours == (24.0, 14 * 24.0)


def test_no_defender_starts_cut_off(campaign: RunResult) -> None:
    """At the start every Japanese unit, islands included, has a supply path."""
    from stavka.engine import init_state
    from stavka.engine.encircle import cut_off_units

    ctx = campaign.ctx
    cut = cut_off_units(ctx, init_state(ctx, 1))
    assert not cut.any(), [ctx.units.ids[i] for i in np.flatnonzero(cut[0])]


def test_replica_of_a_batch_equals_the_single_run(campaign: RunResult) -> None:
    """Same seed: replica 0 of R = 8 ends in the single run's state, field by field."""
    from stavka.engine.state import State

    eight = simulate(campaign.ctx, 1, replicas=8).final
    one = campaign.final
    for name in State.__dataclass_fields__:
        a, b = getattr(one, name), getattr(eight, name)
        if name == "hour":
            assert a == b
            continue
        assert np.array_equal(a[0], b[0], equal_nan=True), name


def test_main_force_depth_counts_corps_of_brigades(campaign: RunResult) -> None:
    """A corps of brigades counts at its brigades' median; separate brigades not."""
    from stavka.engine.output import formation_depth

    ctx = campaign.ctx
    ids = ctx.units.ids
    front = "first_far_eastern_front"
    brigades = [ids.index(b) for b in ("10mc_42mb", "10mc_72mb", "204tb")]
    depth = np.zeros((1, len(ids)))
    depth[0, ids.index("72tb")] = 300.0  # a separate tank brigade: not main forces
    depth[0, ids.index("first_far_eastern_front")] = 250.0  # a headquarters node
    assert formation_depth(ctx, depth, front) == 0.0
    depth[0, brigades] = [100.0, 100.0, 400.0]  # the corps' main body at 100 km
    assert formation_depth(ctx, depth, front) == 100.0
    depth[0, ids.index("264rd")] = 120.0  # a rifle division counts on its own
    assert formation_depth(ctx, depth, front) == 120.0


def test_motor_lift_moves_the_lifted_fronts_foot_units_by_motor(
    campaign: RunResult,
) -> None:
    """``motor_lift_fronts`` turns those fronts' foot units to motor, no other."""
    base = campaign.ctx.units
    assert campaign.ctx.params.motor_lift_fronts  # the shipped fit lifts some
    ctx = prepare("august-storm", params=EngineParams(motor_lift_fronts=()))
    u = ctx.units
    assert u.ids == base.ids
    lifted: set[str] = set()
    for front in campaign.ctx.params.motor_lift_fronts:
        lifted |= set(ctx.scenario.subtree(front))
    chosen = np.array([f in lifted for f in u.ids]) & (u.mobility == Mob.FOOT)
    assert chosen.sum() > 40
    assert (base.mobility[chosen] == Mob.MOTOR).all()
    assert (base.mobility[~chosen] == u.mobility[~chosen]).all()
    # Lifted or not, they are rifle troops (they besiege as infantry).
    assert base.foot_troops[chosen].all()
    assert np.array_equal(base.foot_troops, u.mobility == Mob.FOOT)
    # Foot units of the other fronts stay on foot.
    assert ((base.mobility == Mob.FOOT) & (base.side == 0)).sum() > 10
    # 100 hours in: a rifle division of the 17th Army is deeper by truck than on foot.
    i = u.ids.index("209rd")
    slow = simulate(ctx, 1, days=100 / 24)
    fast = simulate(campaign.ctx, 1, days=100 / 24)
    assert fast.final.max_depth_km[0, i] > 2 * slow.final.max_depth_km[0, i] > 0


def test_no_capitulation_variant_leaves_no_ceasefire_order(campaign: RunResult) -> None:
    """Without the 14-17 Aug rows the defender gets no ceasefire or fight-on order."""
    assert campaign.ctx.surrender_hours
    ctx = prepare("august-storm", variant="no-capitulation")
    assert not ctx.surrender_hours
    assert len(ctx.scenario.events) == len(campaign.ctx.scenario.events) - 4
    # To 25 Aug: no unit lays down its arms (in the base run most have by then), and
    # the orders' bookkeeping copes with no order at all (no inf - inf warning).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = simulate(ctx, 1, days=17)
    assert not (run.final.status[0] == Status.SURRENDERED).any()
    base = simulate(campaign.ctx, 1, days=17)
    assert (base.final.status[0] == Status.SURRENDERED).sum() > 20


def test_flotilla_ferries_the_supply_columns_of_the_units_it_carries(
    campaign: RunResult,
) -> None:
    """Trucks of flotilla-supported units cross the Ussuri by ferry, as the units do.

    From Bikin's station, Raohe lies across the Ussuri: the ferried field reaches it
    sooner than the map's assault-crossing delay allows, and is nowhere slower; the
    5th Separate Rifle Corps' tank brigade is among the ferried units (carrier 1).
    """
    from stavka.engine.logistics import truck_hours
    from stavka.engine.weather import weather_now

    ctx = campaign.ctx
    cell = ctx.theatre.place_cell
    w = weather_now(ctx, 0.0)
    src = np.array([cell["bikin"]], np.int64)
    plain = truck_hours(ctx, src, w)
    ferry = truck_hours(ctx, src, w, ferried=True)
    assert ferry[cell["raohe"]] < plain[cell["raohe"]] - 6.0
    assert (ferry <= plain + 1e-6).all()
    assert ctx.carrier[ctx.units.ids.index("172tb")] & 1


def test_the_flotilla_supplies_the_river_towns_it_reaches(campaign: RunResult) -> None:
    """River towns within the flotilla's reach serve like ports once held.

    Fujin and Jiamusi, up the Sungari, are water supply points whose delay after
    capture is the boat trip from the nearest flotilla base plus unloading; Harbin,
    beyond the flotilla's reach, is not one; no boat leaves the rivers.
    """
    from stavka.engine.control import initial_control
    from stavka.engine.logistics import build_supply_net
    from stavka.engine.rivers import flotilla_waters, river_route_hours

    ctx = campaign.ctx
    waters, bases = flotilla_waters(ctx.scenario, ctx.theatre, ctx.params)
    hours = river_route_hours(ctx.theatre, ctx.params, waters, bases)
    assert bases.size >= 2 and np.isinf(hours[~waters]).all()
    net = build_supply_net(ctx, initial_control(ctx))
    names = [ctx.place_ids[i] for i in net.place_index]
    for town in ("fujin", "jiamusi"):
        k = names.index(town, len(names) - int(net.by_sea.sum()))
        assert net.by_sea[k]
        boat = hours[ctx.theatre.place_cell[town]]
        assert 0 < boat < 100
        assert net.repair_hours[k] == np.float32(boat + ctx.params.ferry_hours)
    water = {n for n, w in zip(names, net.by_sea, strict=True) if w}
    assert "harbin" not in water

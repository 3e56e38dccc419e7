"""The air lift: a shared daily tonnage for named formations, shared by shortfall."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest

from stavka.engine import Context, simulate
from stavka.engine.kernels_units import resupply_units
from stavka.engine.logistics import build_supply_net
from stavka.engine.state import K

INITIAL = 2.5
PER_VEHICLE = 0.53
PER_MEN = 7.0
TRUCK_H = 20.0


def _case(seed: int, n_r: int = 4, n_u: int = 9) -> dict[str, np.ndarray]:
    """Random unit states: fuel, holdings, truck distance, lifted-formation mask."""
    rng = np.random.default_rng(seed)
    present = np.zeros((n_r, n_u, K))
    present[:, :, 0] = rng.uniform(500, 12000, (n_r, n_u))
    tanks = rng.uniform(0, 90, (n_r, n_u))
    tanks[:, ::3] = 0.0  # every third unit has no tanks or SP guns
    present[:, :, 1] = tanks
    one_way = rng.uniform(2.0, 60.0, (n_r, n_u))  # < 10 h: the trucks serve it daily
    return {
        "fuel": rng.uniform(0.0, INITIAL, (n_r, n_u)).astype(np.float32),
        "present": present,
        "one_way": one_way,
        "air_units": rng.random(n_u) < 0.7,
        "side": np.zeros(n_u, np.int8),  # the defender is resupplied otherwise
        "motorised": rng.random(n_u) < 0.85,
    }


def _lift(case: dict[str, np.ndarray], tonnes: float) -> tuple[np.ndarray, np.ndarray]:
    """Fuel after one midday step with ``tonnes`` flown, and the tonnes per replica."""
    fuel, present = case["fuel"], case["present"]
    n_r, n_u = fuel.shape
    status = np.ones((n_r, n_u), np.int8)
    false = np.zeros((n_r, n_u), np.bool_)
    out, _, _, flown = resupply_units(
        status,
        false,
        false,
        np.ones((n_r, n_u), np.float32),
        fuel,
        np.zeros((n_r, n_u), np.float32),  # no column completes a trip this step
        case["one_way"],
        case["side"],
        case["motorised"],
        np.float32(0.0),
        (TRUCK_H, 1.0, 1.0 / 24.0),
        np.full(n_u, INITIAL),
        present,
        case["air_units"],
        (
            case.get("group", np.full(n_u, -1, np.int64)),
            case.get("depth", np.zeros((n_r, n_u), np.float32)),
        ),
        tonnes,
        (PER_VEHICLE, PER_MEN),
    )
    return out, flown


def _refill_tonnes(present: np.ndarray) -> np.ndarray:
    """Tonnes of one refill per unit [R, U], as the rule in docs/parameters.md."""
    vehicles = present[:, :, 1] + present[:, :, 2]
    return np.where(
        vehicles > 0, vehicles * PER_VEHICLE, present[:, :, 0] / 1000 * PER_MEN
    )


def _eligible(case: dict[str, np.ndarray]) -> np.ndarray:
    """Units the lift may serve [R, U] (trucks not daily, attacker, motorised)."""
    far = TRUCK_H / (2.0 * case["one_way"]) < 1.0
    unit = case["air_units"] & case["motorised"] & (case["side"] == 0)
    return far & unit[None, :]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("tonnes", [5.0, 72.3, 400.0, 1e6])
def test_day_tonnage_never_exceeds_capacity(seed: int, tonnes: float) -> None:
    """The tonnes flown in a day, counted unit by unit, are at most the capacity."""
    case = _case(seed)
    out, flown = _lift(case, tonnes)
    gained = (out.astype(np.float64) - case["fuel"]) * _refill_tonnes(case["present"])
    assert (gained >= -1e-6).all()
    assert (gained.sum(axis=1) <= tonnes * (1 + 1e-5) + 1e-6).all()
    assert np.allclose(gained.sum(axis=1), flown, rtol=1e-4, atol=1e-3)
    assert (flown <= tonnes * (1 + 1e-12)).all()


@pytest.mark.parametrize("seed", range(6))
def test_only_named_formations_far_from_trucks_get_fuel(seed: int) -> None:
    """Units outside the lifted formations, or served daily by trucks, get nothing."""
    case = _case(seed)
    out, _ = _lift(case, 1e6)
    changed = out != case["fuel"]
    assert not (changed & ~_eligible(case)).any()
    assert (changed | (case["fuel"] >= INITIAL) | ~_eligible(case)).all()


@pytest.mark.parametrize("seed", range(6))
def test_no_unit_is_filled_above_its_initial_fuel(seed: int) -> None:
    """A lift larger than all needs fills units to their initial fuel and no further."""
    case = _case(seed)
    out, flown = _lift(case, 1e6)
    assert (out <= np.float32(INITIAL)).all()
    short = (INITIAL - case["fuel"].astype(np.float64)) * _refill_tonnes(
        case["present"]
    )
    need = np.where(_eligible(case), short, 0.0).sum(axis=1)
    assert np.allclose(flown, need)  # what is not needed is not flown
    assert np.allclose(out[_eligible(case)], INITIAL)


@pytest.mark.parametrize("seed", range(6))
def test_delivery_is_proportional_to_shortfall(seed: int) -> None:
    """When the lift is short, each unit gets the same share of its own shortfall."""
    case = _case(seed)
    out, flown = _lift(case, 30.0)
    short = INITIAL - case["fuel"].astype(np.float64)
    got = out.astype(np.float64) - case["fuel"]
    for r in range(out.shape[0]):
        ok = _eligible(case)[r] & (short[r] > 0)
        need = (short[r] * _refill_tonnes(case["present"])[r])[ok].sum()
        if need <= 30.0:
            continue
        assert flown[r] == pytest.approx(30.0)
        assert np.allclose(got[r][ok] / short[r][ok], 30.0 / need, rtol=1e-4)


def test_lift_lands_at_midday_for_the_named_formation_only(
    make_ctx: Callable[..., Context],
) -> None:
    """Without trucks, the named tank brigade gains fuel only at midday of lift days."""
    ctx = make_ctx(
        truck_hours_per_day=0.0,
        initial_fuel_refills=0.5,
        air_lift_formations=("red_tb",),
        air_lift_first_day="1945-08-10",
        air_lift_last_day="1945-08-14",
    )
    net = build_supply_net(ctx, np.zeros(len(ctx.place_ids), np.int8))
    assert net.air_units.tolist() == [i == "red_tb" for i in ctx.units.ids]
    res = simulate(ctx, 1, days=8, trace_every=1)
    fuel = np.array([s.fuel[0] for s in res.trace])
    hours = np.array([s.hour for s in res.trace])
    gains = np.diff(fuel, axis=0) > 1e-6
    tb = ctx.units.ids.index("red_tb")
    others = (ctx.units.side == 0) & (np.arange(ctx.units.n) != tb)
    assert not gains[:, others].any()
    when = hours[1:][gains[:, tb]]  # the hour at the end of the step that gained
    assert when.size > 0
    assert np.allclose(when % 24.0, 13.0)  # the step from 12:00 to 13:00
    assert (when > 24.0).all() and (when < 6 * 24.0).all()


def test_batch_replica_matches_single_run_with_air_lift(
    make_ctx: Callable[..., Context],
) -> None:
    """With the lift on, replica 0 of a batch of 8 equals the single run."""
    ctx = make_ctx(initial_fuel_refills=0.5, air_lift_formations=("red_front",))
    one = simulate(ctx, 5, replicas=1, days=6).final
    eight = simulate(ctx, 5, replicas=8, days=6).final
    for name in ("fuel", "cell", "present", "ammo"):
        assert np.array_equal(getattr(one, name)[0], getattr(eight, name)[0]), name


def test_starting_fuel_is_sourced_per_formation(
    make_ctx: Callable[..., Context],
) -> None:
    """Units of the formations with a sourced fuel figure start with it, no others."""
    from stavka.engine import init_state
    from stavka.engine.state import Mob

    ctx = make_ctx(sourced_fuel_formations=("red_tb",), sourced_fuel_refills=6.0)
    p, u = ctx.params, ctx.units
    group = np.zeros(u.n, bool)
    group[ctx.formation_units["red_tb"]] = True
    motor = np.isin(u.mobility, (Mob.MOTOR, Mob.TRACKED))
    assert (group & motor).any() and (~group & motor).any()
    fuel = init_state(ctx, 2).fuel
    assert np.allclose(fuel[:, group & motor], 6.0)
    assert np.allclose(fuel[:, ~group & motor], p.initial_fuel_refills)
    assert np.allclose(fuel[:, ~motor], 1.0)


def _corps_case(seed: int) -> dict[str, np.ndarray]:
    """A case whose eligible units form two corps, the rest in none."""
    case = _case(seed, n_r=3, n_u=9)
    case["one_way"][:] = 40.0  # no unit is served daily by its trucks
    case["motorised"][:] = True
    case["air_units"][:] = True
    case["group"] = np.array([0, 0, 0, 1, 1, 1, -1, -1, -1], np.int64)
    rng = np.random.default_rng(seed + 100)
    case["depth"] = rng.uniform(0.0, 400.0, (3, 9)).astype(np.float32)
    case["fuel"][:] = np.float32(0.1)
    return case


def _replicas(
    case: dict[str, np.ndarray],
) -> Iterator[tuple[dict[str, np.ndarray], list[int], np.ndarray, np.ndarray]]:
    """Each replica of a corps case alone.

    Yields its case, the two detachments, the other units and the tonnes each unit
    needs to be filled up.
    """
    need = (INITIAL - 0.1) * _refill_tonnes(case["present"])
    for r in range(case["fuel"].shape[0]):
        lead = [int(np.argmax(np.where(case["group"] == g, case["depth"][r], -1)))
                for g in (0, 1)]  # fmt: skip
        one = {k: (v[r : r + 1] if np.ndim(v) >= 2 else v) for k, v in case.items()}
        yield one, lead, np.setdiff1d(np.arange(need.shape[1]), lead), need[r]


@pytest.mark.parametrize("seed", range(4))
def test_forward_detachments_are_filled_first(seed: int) -> None:
    """Each corps' deepest unit is filled up before the others get any fuel."""
    for one, lead, rest, need in _replicas(_corps_case(seed)):
        tonnes = float(need[lead].sum()) * 0.999  # not quite enough for both
        out, flown = _lift(one, tonnes)
        got = out[0].astype(np.float64) - 0.1
        assert np.allclose(got[rest], 0.0)  # nothing left for the main forces
        # The two detachments share the lift by shortfall.
        assert np.allclose(got[lead] / (INITIAL - 0.1), 0.999, rtol=1e-4)
        assert flown[0] == pytest.approx(tonnes)


@pytest.mark.parametrize("seed", range(4))
def test_what_the_detachments_leave_goes_to_the_others_by_shortfall(seed: int) -> None:
    """A lift larger than the detachments' need fills them; the rest is shared."""
    for one, lead, rest, need in _replicas(_corps_case(seed)):
        extra = 0.5 * float(need[rest].sum())
        out, _ = _lift(one, float(need[lead].sum()) + extra)
        got = out[0].astype(np.float64) - 0.1
        assert np.allclose(got[lead], INITIAL - 0.1, rtol=1e-5)
        assert np.allclose(got[rest] / (INITIAL - 0.1), 0.5, rtol=1e-4)


def test_forward_groups_are_the_corps_of_the_lifted_formations(
    make_ctx: Callable[..., Context],
) -> None:
    """Only units of the lifted formations under a corps have a group; no HQ nodes."""
    from stavka.engine.logistics import forward_groups
    from stavka.scenario.schema import Echelon

    ctx = make_ctx(air_lift_formations=("red_front",))
    net = build_supply_net(ctx, np.zeros(len(ctx.place_ids), np.int8))
    group = forward_groups(ctx, net.air_units)
    assert np.array_equal(group, net.forward_group)
    s, u = ctx.scenario, ctx.units
    for i in range(u.n):
        chain, node = [], u.ids[i]
        while node in s.formations:
            chain.append(s.formations[node].echelon)
            node = s.formations[node].parent
        in_corps = Echelon.CORPS in chain
        want = net.air_units[i] and in_corps and not u.headquarters[i]
        assert (group[i] >= 0) == want, u.ids[i]

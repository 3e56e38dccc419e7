"""Per-formation setup rules: plan, start cell, posture, go hour, objectives."""

from __future__ import annotations

import pytest

from stavka.engine.formations import (
    command_depth,
    exec_posture,
    go_hour_of,
    land_cell,
    motor_lifted,
    objective_cells,
    plan_for,
    start_cell_of,
)
from stavka.engine.state import Pos
from stavka.errors import EngineError
from stavka.scenario import Scenario
from stavka.testing.theatre import SyntheticTheatre


def test_plan_for_takes_the_nearest_planned_ancestor(duel: Scenario) -> None:
    """A formation follows its own plan, else its nearest planned ancestor's."""
    f = duel.formations
    own = plan_for(duel, f["blue_div"])
    inherited = plan_for(duel, f["red_rd"])
    assert own is not None and own.formation == "blue_div"
    assert inherited is not None and inherited.formation == "red_front"
    assert plan_for(duel, f["blue_puppets"]) is None


def test_garrison_holds_whatever_the_plan(duel: Scenario) -> None:
    """A fortified-region garrison holds; others take their plan's posture."""
    f = duel.formations
    for fid, default in (("blue_garrison", Pos.DELAY), ("red_rd", Pos.HOLD)):
        plan = plan_for(duel, f[fid])
        got = exec_posture(f[fid], plan, default)
        assert got == (Pos.HOLD if fid == "blue_garrison" else Pos.ATTACK)


def test_front_troops_follow_an_attack_in_reserve(duel: Scenario) -> None:
    """A front's own troops do not assault; its divisions under the plan do."""
    f = duel.formations
    plan = plan_for(duel, f["red_front"])
    assert plan is not None and plan.formation == "red_front"
    assert exec_posture(f["red_front"], plan, Pos.ATTACK) == Pos.RESERVE
    assert exec_posture(f["red_rd"], plan_for(duel, f["red_rd"]), Pos.ATTACK) == (
        Pos.ATTACK
    )


def test_go_hour_follows_the_fronts_crossing(duel: Scenario) -> None:
    """Without a plan start, a unit goes at its front's crossing hour."""
    f = duel.formations
    plan = plan_for(duel, f["red_rd"])
    assert go_hour_of(duel, f["red_rd"], plan, {"red_front": 7.5}) == 7.5
    assert go_hour_of(duel, f["red_rd"], plan, {}) == 0.0


def test_objectives_are_their_places_cells(
    duel: Scenario, flat: SyntheticTheatre
) -> None:
    """Objectives naming mapped places become those places' cells, in order."""
    f = duel.formations["red_rd"]
    plan = plan_for(duel, f)
    assert plan is not None
    want = [flat.place_cell[o.place] for o in plan.objectives if o.place]
    assert objective_cells(duel, flat, f, plan) == want
    assert start_cell_of(duel, flat, f) == flat.place_cell["base"]


def test_land_cell_off_the_map_raises(flat: SyntheticTheatre) -> None:
    """A point off the map is an EngineError naming it."""
    with pytest.raises(EngineError, match="probe"):
        land_cell(flat, 10.0, 10.0, "probe")
    cell = land_cell(flat, 46.0, 122.0, "probe")
    assert not flat.water[cell]


def test_command_depth_counts_levels(duel: Scenario) -> None:
    """Depth is the number of command levels above a formation."""
    assert command_depth(duel, "red_front") == 0
    assert command_depth(duel, "red_rd") == 1
    assert command_depth(duel, "no_such_formation") == 1


def test_motor_lift_carries_foot_formations_under_a_named_front(duel: Scenario) -> None:
    """Foot formations at or under a named front ride; others, and other fronts, not."""
    f = duel.formations
    assert motor_lifted(duel, f["red_rd"], ("red_front",))
    assert not motor_lifted(duel, f["red_tb"], ("red_front",))  # tracked already
    assert not motor_lifted(duel, f["red_rd"], ())
    assert not motor_lifted(duel, f["blue_div"], ("red_front",))
    assert motor_lifted(duel, f["blue_div"], ("blue_div",))  # the formation itself
    assert not motor_lifted(duel, f["blue_garrison"], ("blue_army",))  # static
    # A landing detachment made by the engine (not in the scenario) follows its parent.
    detachment = f["red_rd"].model_copy(update={"id": "red_rd_detachment"})
    assert motor_lifted(duel, detachment, ("red_front",))

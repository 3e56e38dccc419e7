"""Consistency rules: one test per ``check_*`` (named ``test_<check>``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import stavka.theatre
from stavka.scenario import load_scenario
from stavka.scenario.consistency import CHECKS, check_all
from stavka.scenario.consistency_refs import km_between

Edit = Callable[[Path, str, str], None]


def _warnings(root: Path) -> list[str]:
    return [str(p) for p in load_scenario(root, strict=False).warnings]


def _has(problems: list[str], *parts: str) -> bool:
    return any(all(part in p for part in parts) for p in problems)


def test_every_check_has_a_test() -> None:
    """Each rule in CHECKS has a test called test_<rule name> in this module."""
    module = sys.modules[__name__]
    missing = [c.__name__ for c in CHECKS if not hasattr(module, f"test_{c.__name__}")]
    assert missing == []


def test_mini_is_consistent(mini_dir: Path) -> None:
    """The mini scenario passes every rule."""
    s = load_scenario(mini_dir)
    assert check_all(s, lambda obj: None) == []


def test_check_sides(mini: Path, edit: Edit) -> None:
    """Formations of unknown sides and an attacker that is not a side are caught."""
    edit(mini / "forces" / "red.yaml", "side: ussr", "side: ussa")
    edit(mini / "scenario.toml", 'attacker = "ussr"', 'attacker = "reds"')
    problems = _warnings(mini)
    assert _has(problems, "forces/red.yaml:5: formations[0].side", "'ussa'")
    assert _has(problems, "scenario.toml:9: attacker", "'reds'")


def test_check_sides_duplicate_and_empty(mini: Path, edit: Edit) -> None:
    """A side declared twice, and a side without formations, are reported."""
    path = mini / "scenario.toml"
    path.write_text(path.read_text() + '\n[[sides]]\nid = "ussr"\nname = "again"\n')
    edit(path, 'id = "japan"', 'id = "china"')
    problems = _warnings(mini)
    assert _has(problems, "sides[2].id", "declared twice")
    assert _has(problems, "side 'china' has no formations")


def test_check_formation_references(mini: Path, edit: Edit) -> None:
    """A dangling parent, a parent on the other side and an unknown place are caught."""
    path = mini / "forces" / "blue.yaml"
    edit(
        path,
        "parent: blue_army\n    echelon: division\n    type: infantry\n    "
        "mobility: foot\n    strength:\n      personnel: {value: 12000",
        "parent: red_army\n    echelon: division\n    type: infantry\n    "
        "mobility: foot\n    strength:\n      personnel: {value: 12000",
    )
    edit(path, "parent: blue_army", "parent: blue_hq")
    edit(path, "{place: qiqihar}", "{place: qiqihr}")
    problems = _warnings(mini)
    assert _has(problems, "formations[1].parent", "'red_army' is on side 'ussr'")
    assert _has(problems, "formations[3].parent", "'blue_hq' is not a formation")
    assert _has(problems, "formations[3].location.place", "'qiqihr'")


def test_check_command_tree_acyclic(mini: Path, edit: Edit) -> None:
    """A loop in the command tree is reported once, naming its members."""
    edit(
        mini / "forces" / "red.yaml",
        "    echelon: front\n",
        "    parent: red_army\n    echelon: front\n",
    )
    problems = [p for p in _warnings(mini) if "cycle" in p]
    assert len(problems) == 1
    assert "red_front" in problems[0] and "red_army" in problems[0]


def test_check_echelon_order(mini: Path, edit: Edit) -> None:
    """A formation at or above the level of its parent is caught."""
    edit(mini / "forces" / "red.yaml", "    echelon: army\n", "    echelon: division\n")
    edit(mini / "forces" / "red.yaml", "    echelon: brigade\n", "    echelon: front\n")
    problems = _warnings(mini)
    assert _has(
        problems, "formations[2].echelon", "division cannot be under 'red_army'"
    )
    assert _has(problems, "formations[3].echelon", "a front cannot be under")
    assert not _has(problems, "formations[1].echelon")


def test_check_joins(mini: Path, edit: Edit) -> None:
    """A 'joins' date outside the scenario, or without a parent, is caught."""
    path = mini / "forces" / "blue.yaml"
    edit(path, "joins: 1945-08-10", "joins: 1945-09-10")
    edit(
        path,
        "    echelon: area_army\n",
        "    echelon: area_army\n    joins: 1945-08-10\n",
    )
    problems = _warnings(mini)
    assert _has(problems, "formations[3].joins", "outside the scenario")
    assert _has(problems, "formations[0].joins", "no parent")


def test_check_mobility_matches_type(mini: Path, edit: Edit) -> None:
    """An air army that walks is caught."""
    edit(mini / "forces" / "red.yaml", "mobility: air", "mobility: foot")
    assert _has(_warnings(mini), "formations[5].mobility", "type air")


def test_check_naval_start(mini: Path, edit: Edit) -> None:
    """A flotilla that starts at an inland city is caught."""
    edit(mini / "forces" / "red.yaml", "{place: vladivostok}", "{place: harbin}")
    assert _has(_warnings(mini), "formations[4].location.place", "a city")


def test_check_start_on_land(
    mini: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a map, land units in water and ships on land are caught."""

    def is_land(lat: float, lon: float) -> bool | None:
        return not (lat < 49.8 and lon < 117.2)  # a lake south-west of Otpor

    monkeypatch.setattr(stavka.theatre, "is_land", is_land, raising=False)
    edit(
        mini / "forces" / "red.yaml", "{place: vladivostok}", "{lat: 52.0, lon: 113.0}"
    )
    problems = _warnings(mini)
    assert _has(problems, "formations[2].location", "is in water")
    assert _has(problems, "formations[4].location", "naval formation starts on land")
    monkeypatch.delattr(stavka.theatre, "is_land")
    assert not _has(_warnings(mini), "is in water")


def test_check_dates_inside_scenario(mini: Path, edit: Edit) -> None:
    """Weather, plan starts, intended days and late events must fit the span."""
    edit(mini / "weather.csv", "1945-08-12,1945-08-15", "1946-08-12,1946-08-15")
    edit(mini / "plans" / "red.yaml", "intended_day: 10", "intended_day: 40")
    edit(
        mini / "plans" / "red.yaml",
        "start: 1945-08-09T00:00:00+09:00",
        "start: 1945-07-01T00:00:00+09:00",
    )
    edit(mini / "plans" / "blue.yaml", "until_day: 10", "until_day: 13")
    edit(mini / "events.csv", "1945-08-10,,Japan", "1945-12-10,,Japan")
    problems = _warnings(mini)
    assert _has(problems, "weather.csv:3: start", "outside the scenario")
    assert _has(problems, "plans[0].objectives[1].intended_day", "day 40")
    assert _has(problems, "plans[0].start", "outside the scenario")
    assert _has(problems, "plans[1].conditions[0].until_day", "day 13")
    assert _has(problems, "events.csv:4: date", "after the scenario end")


def test_check_plans(mini: Path, edit: Edit) -> None:
    """Plans for missing formations, unknown places and one-place phase lines fail."""
    path = mini / "plans" / "red.yaml"
    edit(path, "formation: red_tb1", "formation: red_tb9")
    edit(path, "axis: [otpor, manzhouli,", "axis: [otpor, manzhuli,")
    edit(path, "phase_line: [qiqihar, harbin]", "phase_line: [qiqihar, qiqihar]")
    edit(path, "{place: manzhouli, intended_day: 1", "{place: mars, intended_day: 1")
    problems = _warnings(mini)
    assert _has(problems, "plans[1].formation", "'red_tb9'")
    assert _has(problems, "plans[0].axis[1]", "'manzhuli'")
    assert _has(problems, "plans[0].objectives[1].phase_line", "two different")
    assert _has(problems, "plans[1].objectives[0].place", "'mars'")


def test_check_plan_conditions(mini: Path, edit: Edit) -> None:
    """Condition targets exist and suit the condition's kind."""
    red, blue = mini / "plans" / "red.yaml", mini / "plans" / "blue.yaml"
    edit(red, "{kind: bypass, target: hailar_fr", "{kind: bypass, target: blue_div1")
    edit(red, "{kind: follow, target: red_rd1", "{kind: follow, target: blue_div1")
    edit(blue, "target: qiqihar, ratio", "target: atlantis, ratio")
    problems = _warnings(mini)
    assert _has(problems, "plans[0].conditions[0].target", "is a formation")
    assert _has(problems, "plans[1].conditions[0].target", "other side")
    assert _has(problems, "plans/blue.yaml", "'atlantis' does not exist")


def test_check_events(mini: Path, edit: Edit) -> None:
    """Events name existing formations and places."""
    edit(mini / "events.csv", "order,otpor,", "order,otpr,")
    edit(mini / "events.csv", "red_army;red_rd1", "red_army;red_rd9")
    problems = _warnings(mini)
    assert _has(problems, "events.csv:3: place_id", "'otpr'")
    assert _has(problems, "events.csv:3: formation_id[1]", "'red_rd9'")


def test_check_railways(mini: Path, edit: Edit) -> None:
    """Unknown stations and stations repeated in a row are caught."""
    path = mini / "railways.yaml"
    edit(path, "[otpor, manzhouli, hailar,", "[otpor, otpor, hailar,")
    edit(path, "places: [chita, otpor]", "places: [chita, otpr]")
    problems = _warnings(mini)
    assert _has(problems, "railways.yaml:6: lines[0].stations[1]", "follows itself")
    assert _has(problems, "roads[0].places[1]", "'otpr'")


def test_check_fortified_regions(mini: Path, edit: Edit) -> None:
    """Centre place, radius and garrisons of a fortified region are checked."""
    path = mini / "fortified_regions.yaml"
    text = path.read_text()
    second = text.split("fortified_regions:\n", 1)[1].replace("hailar_fr", "second_fr")
    path.write_text(text + second)
    edit(path, "place: second_fr", "place: nowhere")
    edit(path, "{value: 12,", "{value: 0,")
    problems = _warnings(mini)
    assert _has(problems, "fortified_regions[1].place", "'nowhere'")
    assert _has(problems, "fortified_regions[0].radius_km.value", "not positive")
    assert _has(problems, "garrison[0]", "'blue_garrison' garrisons 2")


def test_check_fortified_regions_garrison_far_away(mini: Path, edit: Edit) -> None:
    """A garrison that starts far outside its zone is caught."""
    edit(mini / "forces" / "blue.yaml", "{place: hailar_fr}", "{place: harbin}")
    problems = _warnings(mini)
    assert _has(problems, "fortified_regions[0].garrison[0]", "km from the centre")


def test_km_between() -> None:
    """One degree of latitude is about 111 km; a point is 0 km from itself."""
    assert km_between(45.0, 126.0, 45.0, 126.0) == 0.0
    assert 110.5 < km_between(45.0, 126.0, 46.0, 126.0) < 111.7

"""Loading scenarios: the happy path, file-level problems and variants."""

from __future__ import annotations

import importlib.resources
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from stavka.errors import ConsistencyError, ScenarioError
from stavka.scenario import (
    BUILTIN_SCENARIOS,
    STRENGTH_ITEMS,
    Scenario,
    check_scenario,
    load_scenario,
    resolve_scenario_dir,
)

Edit = Callable[[Path, str, str], None]


def _problems(ref: Path, variant: str | None = None) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(ref, variant)
    return [str(p) for p in info.value.problems]


def _line_of(path: Path, text: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return n
    raise AssertionError(text)


def test_mini_loads(mini_dir: Path) -> None:
    """The mini scenario loads with every file's objects indexed."""
    s = load_scenario(mini_dir)
    assert isinstance(s, Scenario)
    assert s.versioned_id == "mini-v1"
    assert {side.id for side in s.meta.sides} == {"ussr", "japan"}
    assert len(s.formations) == 10
    assert set(s.places) >= {"hailar", "harbin", "vladivostok"}
    assert set(s.plans) == {"red_army", "red_tb1", "blue_div1", "blue_garrison"}
    assert len(s.events) == 3
    assert len(s.weather) == 2
    assert set(s.railways) == {"test_line"}
    assert set(s.roads) == {"test_road"}
    assert set(s.fortified_regions) == {"hailar_fr"}
    assert s.warnings == []


def test_mini_derived_views(mini_dir: Path) -> None:
    """Subtrees, locations, campaign days and totals follow from the files."""
    s = load_scenario(mini_dir)
    assert s.subtree("red_army") == ["red_army", "red_rd1", "red_tb1"]
    assert s.location_of("red_rd1") == (49.7, 117.1)
    assert s.location_of("blue_div1") == (s.places["hailar"].lat, 119.74)
    assert s.day_of(s.meta.start.date()) == 1
    totals = s.totals("ussr")
    assert set(totals) == set(STRENGTH_ITEMS)
    by_hand = sum(
        f.strength.values()["personnel"] or 0.0
        for f in s.formations.values()
        if f.side == "ussr"
    )
    assert totals["personnel"] == by_hand > 0
    assert s.events[2].detail == "Test order, with a comma"
    assert s.events[1].formation_id == ["red_army", "red_rd1"]


def test_builtin_scenario_resolves() -> None:
    """Built-in ids resolve with and without their version; a wrong version fails."""
    root = resolve_scenario_dir("august-storm")
    assert (root / "scenario.toml").is_file()
    assert resolve_scenario_dir("august-storm-v1") == root
    with pytest.raises(ScenarioError, match="version"):
        resolve_scenario_dir("august-storm-v99")
    with pytest.raises(ScenarioError, match="not a built-in scenario"):
        resolve_scenario_dir("no-such-scenario")


def test_builtin_august_storm_loads() -> None:
    """The built-in August Storm scenario loads (consistency problems as warnings)."""
    root = Path(str(importlib.resources.files(BUILTIN_SCENARIOS["august-storm"])))
    if not any((root / "forces").glob("*.yaml")):
        pytest.xfail("the August Storm force files are still being written")
    s = load_scenario("august-storm", strict=False)
    assert s.versioned_id == "august-storm-v1"
    for side in s.meta.sides:
        assert s.totals(side.id)["personnel"] > 0


def test_yaml_syntax_error_names_line(mini: Path) -> None:
    """A YAML syntax error names the file and line."""
    path = mini / "forces" / "red.yaml"
    text = path.read_text().splitlines()
    text[5] = "    name: [unclosed"
    path.write_text("\n".join(text) + "\n")
    problems = _problems(mini)
    assert any(p.startswith("forces/red.yaml:") and "YAML" in p for p in problems)


def test_toml_syntax_error_names_line(mini: Path, edit: Edit) -> None:
    """A TOML syntax error names the file and its line."""
    edit(mini / "scenario.toml", "version = 1", "version = = 1")
    problems = _problems(mini)
    assert any(p.startswith("scenario.toml:3: TOML syntax error") for p in problems)


def test_toml_impossible_date(mini: Path, edit: Edit) -> None:
    """An impossible TOML date is a syntax problem, not a traceback."""
    edit(mini / "scenario.toml", "end = 1945-08-20", "end = 1945-02-30")
    assert any("scenario.toml:" in p and "date" in p for p in _problems(mini))


def test_csv_row_with_extra_cell(mini: Path, edit: Edit) -> None:
    """A CSV row with too many cells names its line."""
    edit(mini / "places.csv", "qiqihar,Qiqihar,", "qiqihar,Qiqihar,extra,")
    line = _line_of(mini / "places.csv", "qiqihar,")
    assert f"places.csv:{line}: 10 cells but the header has 9 (quote commas)" in (
        _problems(mini)
    )


def test_csv_unknown_and_missing_columns(mini: Path, edit: Edit) -> None:
    """Unknown and missing CSV columns are both reported on line 1."""
    edit(mini / "weather.csv", "condition,source", "conditoin,source")
    problems = _problems(mini)
    assert any(
        p.startswith("weather.csv:1: unknown columns ['conditoin']") for p in problems
    )
    assert any(
        p.startswith("weather.csv:1: missing columns ['condition']") for p in problems
    )


def test_missing_files_are_reported(mini: Path) -> None:
    """Each missing required file or folder is its own problem."""
    (mini / "places.csv").unlink()
    shutil.rmtree(mini / "plans")
    problems = _problems(mini)
    assert any(p.startswith("places.csv: the file is missing") for p in problems)
    assert any(p.startswith("plans/: the folder is missing") for p in problems)


def test_unknown_field_names_line_and_path(mini: Path, edit: Edit) -> None:
    """A misspelt field is reported with file, line and field path."""
    edit(
        mini / "forces" / "blue.yaml", "    posture: reserve\n", "    postur: reserve\n"
    )
    line = _line_of(mini / "forces" / "blue.yaml", "postur:")
    problems = _problems(mini)
    assert any(
        p.startswith(f"forces/blue.yaml:{line}: formations[0].postur: Extra inputs")
        for p in problems
    )


def test_wrong_type_is_reported(mini: Path, edit: Edit) -> None:
    """A text where a number belongs is reported with its value."""
    edit(mini / "places.csv", "49.21,119.74", "north,119.74")
    assert any(
        "places.csv:5: lat:" in p and "'north'" in p and "write a number" in p
        for p in _problems(mini)
    )


def test_impossible_yaml_date(mini: Path, edit: Edit) -> None:
    """An impossible date in YAML (30 February) is reported, not raised."""
    edit(mini / "forces" / "blue.yaml", "joins: 1945-08-10", "joins: 1945-02-30")
    assert any(
        "formations[3].joins" in p and "YYYY-MM-DD" in p for p in _problems(mini)
    )


def test_negative_strength_and_quality_above_one(mini: Path, edit: Edit) -> None:
    """Negative counts and quality above 1 are both reported."""
    path = mini / "forces" / "red.yaml"
    edit(path, "{value: 65, source", "{value: -65, source")
    edit(path, "quality: {value: 0.7,", "quality: {value: 1.7,")
    problems = _problems(mini)
    assert any("strength.tanks" in p and "negative" in p for p in problems)
    assert any("formations[2].quality" in p and "above 1" in p for p in problems)


def test_nan_is_rejected(mini: Path, edit: Edit) -> None:
    """A NaN strength is not a number the scenario accepts."""
    edit(mini / "forces" / "red.yaml", "{value: 65, source", "{value: .nan, source")
    assert any("strength.tanks.value" in p and "finite" in p for p in _problems(mini))


def test_duplicate_ids(mini: Path, edit: Edit) -> None:
    """A duplicate id names both places."""
    edit(mini / "forces" / "blue.yaml", "id: blue_div2", "id: blue_div1")
    problems = _problems(mini)
    assert any(
        "duplicate formation 'blue_div1' (first at forces/blue.yaml:" in p
        for p in problems
    )


def test_duplicate_yaml_key(mini: Path, edit: Edit) -> None:
    """A key given twice in one YAML mapping is reported."""
    edit(
        mini / "forces" / "red.yaml",
        "    posture: reserve\n",
        "    posture: reserve\n    posture: attack\n",
    )
    assert any("duplicate key 'posture'" in p for p in _problems(mini))


def test_recursive_alias(mini: Path, edit: Edit) -> None:
    """A YAML alias that contains itself is a problem, not a hang."""
    edit(mini / "plans" / "red.yaml", "axis: [otpor,", "axis: &a [*a, otpor,")
    assert any("alias" in p for p in _problems(mini))


def test_every_problem_in_one_pass(mini: Path, edit: Edit) -> None:
    """Problems in several files and a dangling id are reported together."""
    edit(mini / "forces" / "blue.yaml", "posture: reserve", "posture: sleeping")
    edit(mini / "events.csv", "red_army;red_rd1", "red_army;red_rd9")
    edit(mini / "weather.csv", ",dry,", ",dusty,")
    problems = _problems(mini)
    assert any(p.startswith("forces/blue.yaml:") for p in problems)
    assert any(p.startswith("events.csv:3: formation_id[1]") for p in problems)
    assert any(p.startswith("weather.csv:2: condition") for p in problems)


def test_strict_false_keeps_consistency_warnings(mini: Path, edit: Edit) -> None:
    """With strict=False consistency problems become warnings."""
    edit(mini / "plans" / "red.yaml", "place: hailar,", "place: hailr,")
    with pytest.raises(ConsistencyError):
        load_scenario(mini)
    s = load_scenario(mini, strict=False)
    assert any("'hailr'" in str(w) for w in s.warnings)


def test_variant_set_add_remove(mini_dir: Path) -> None:
    """The example variant moves one division, adds another and removes a plan."""
    base = load_scenario(mini_dir)
    s = load_scenario(mini_dir, "blue-forward")
    assert s.variant == "blue-forward"
    assert base.formations["blue_div2"].location.place == "qiqihar"
    assert s.formations["blue_div2"].location.place == "manzhouli"
    assert "blue_div3" in s.formations and "blue_div3" not in base.formations
    assert "red_tb1" in base.plans and "red_tb1" not in s.plans
    assert s.totals("japan")["personnel"] > base.totals("japan")["personnel"]


def test_variant_patching_missing_id(mini: Path, edit: Edit) -> None:
    """A variant that patches a missing id is reported by check_scenario."""
    edit(mini / "variants" / "blue-forward.yaml", "id: blue_div2", "id: blue_div9")
    s, problems = check_scenario(mini)
    assert s is None
    assert any(
        str(p).startswith("variants/blue-forward.yaml:6: patches[0]")
        and "'blue_div9'" in str(p)
        for p in problems
    )


def test_variant_set_with_bad_value_names_patch(mini: Path, edit: Edit) -> None:
    """A patched value that fails validation names the variant patch."""
    edit(mini / "variants" / "blue-forward.yaml", "value: manzhouli", "value: nowhere")
    problems = _problems(mini, "blue-forward")
    assert any(
        "'nowhere'" in p and "variants/blue-forward.yaml:6" in p for p in problems
    )


def test_unknown_variant(mini_dir: Path) -> None:
    """Asking for a variant that does not exist lists the known ones."""
    assert any("known: blue-forward" in p for p in _problems(mini_dir, "nope"))


def test_variant_bad_path_and_missing_id(mini: Path, edit: Edit) -> None:
    """'set' without an id and a path into a scalar are reported."""
    path = mini / "variants" / "blue-forward.yaml"
    edit(path, "path: location.place", "path: name.first")
    edit(
        path,
        "{op: remove, collection: plans, id: red_tb1}",
        "{op: remove, collection: plans}",
    )
    problems = _problems(mini, "blue-forward")
    assert any("'name.first' does not lead to a field" in p for p in problems)
    assert any("'remove' needs 'id'" in p for p in problems)


def test_unreadable_file_and_bad_id(mini: Path, edit: Edit) -> None:
    """A file that is not UTF-8 and an id with capitals are both reported."""
    (mini / "plans" / "blue.yaml").write_bytes(b"plans:\n  - formation: \xff\xfe\n")
    edit(mini / "places.csv", "harbin,Harbin", "Harbin,Harbin")
    problems = _problems(mini)
    assert any(p.startswith("plans/blue.yaml: cannot read the file") for p in problems)
    assert any("places.csv:7: id" in p and "lower-case" in p for p in problems)


def test_stray_yml_file_is_reported(mini: Path) -> None:
    """A forces file with the .yml extension is reported instead of being ignored."""
    (mini / "forces" / "extra.yml").write_text("formations: []\n")
    assert any(p.startswith("forces/extra.yml: is not read") for p in _problems(mini))


def test_public_api_is_importable() -> None:
    """Every name in the __all__ of stavka.scenario and its schema exists."""
    import stavka.scenario as pkg
    import stavka.scenario.schema as schema

    assert len(set(pkg.__all__)) == len(pkg.__all__)
    for module in (pkg, schema):
        for name in module.__all__:
            assert getattr(module, name) is not None


def _write_variant(mini: Path, patches: str) -> None:
    text = "id: chosen\ntitle: t\nsource: test fixture\npatches:\n" + patches
    (mini / "variants" / "chosen.yaml").write_text(text, encoding="utf-8")


def test_variant_where_and_under_choose_many(mini: Path) -> None:
    """'where' sets every matching object; 'under' keeps to one command subtree."""
    _write_variant(
        mini,
        "  - {op: set, collection: formations, where: {mobility: [foot, tracked]},"
        " under: red_front, path: mobility, value: motor}\n"
        "  - {op: set, collection: formations, where: {side: japan, echelon: division},"
        " path: posture, value: hold}\n",
    )
    base = load_scenario(mini)
    s = load_scenario(mini, "chosen")
    moved = {f for f in s.formations if s.formations[f] != base.formations[f]}
    red = {f for f in moved if s.formations[f].side == "ussr"}
    assert red == {"red_rd1", "red_tb1"}
    assert s.formations["red_rd1"].mobility.value == "motor"
    assert s.formations["blue_div1"].mobility.value == "foot"  # not under red_front
    divisions = {f for f, x in base.formations.items() if x.echelon.value == "division"}
    blue = {f for f in divisions if base.formations[f].side == "japan"}
    assert blue and {f for f in moved if s.formations[f].side == "japan"} == blue
    assert all(s.formations[f].posture.value == "hold" for f in blue)


def test_variant_where_remove(mini: Path) -> None:
    """'remove' with 'where' deletes every matching object."""
    _write_variant(
        mini, "  - {op: remove, collection: plans, where: {formation: red_tb1}}\n"
    )
    assert "red_tb1" not in load_scenario(mini, "chosen").plans


def test_variant_choice_problems(mini: Path) -> None:
    """No match, 'id' with 'where', 'under' for places, 'add' with an id: problems."""
    _write_variant(
        mini,
        "  - {op: set, collection: formations, where: {mobility: hover},"
        " path: name, value: x}\n"
        "  - {op: set, collection: formations, id: red_rd1, where: {side: ussr},"
        " path: name, value: x}\n"
        "  - {op: set, collection: places, under: red_front, path: name, value: x}\n"
        "  - {op: add, collection: plans, id: red_rd1, value: {formation: red_rd1}}\n",
    )
    problems = _problems(mini, "chosen")
    assert any(
        p.startswith("variants/chosen.yaml:5: patches[0]")
        and "no object of formations matches where {'mobility': 'hover'}" in p
        for p in problems
    )
    wanted = ("not both", "'under' selects formations only", "'add' takes the whole")
    for i, text in enumerate(wanted, start=1):
        assert any(f"patches[{i}]" in p and text in p for p in problems), text


def test_variant_chooses_event_rows_by_their_fields(mini: Path) -> None:
    """events.csv rows have no id: 'where' removes or sets them, 'add' appends one."""
    _write_variant(
        mini,
        "  - {op: remove, collection: events, where: {side: Japan, date: 1945-08-10}}\n"
        "  - {op: set, collection: events, where: {event_kind: order, side: USSR},"
        " path: time, value: '01:00'}\n"
        "  - op: add\n"
        "    collection: events\n"
        "    value: {date: 1945-08-12, side: USSR, unit: Red Army, event_kind: order,"
        " detail: added, source: test fixture}\n"
        "  - {op: set, collection: events, id: anything, path: time, value: x}\n",
    )
    problems = _problems(mini, "chosen")
    assert any("patches[3]" in p and "events have no id" in p for p in problems)
    text = (mini / "variants" / "chosen.yaml").read_text(encoding="utf-8")
    _write_variant(mini, text.split("patches:\n", 1)[1].rsplit("  - {op: set", 1)[0])
    base = load_scenario(mini)
    s = load_scenario(mini, "chosen")
    assert not any(e.side == "Japan" for e in s.events)
    assert any(e.side == "Japan" for e in base.events)
    orders = [e for e in s.events if e.event_kind == "order" and e.side == "USSR"]
    assert {e.time for e in orders if e.detail != "added"} == {"01:00"}
    assert any(e.detail == "added" for e in s.events)
    assert len(s.events) == len(base.events)  # one removed, one added


def test_variant_collections_are_the_raw_ones() -> None:
    """A variant names exactly the keyed collections and events.csv."""
    import typing

    from stavka.scenario.files import COLLECTIONS
    from stavka.scenario.schema_plans import VariantPatch

    named = typing.get_args(VariantPatch.model_fields["collection"].annotation)
    assert set(named) == {*COLLECTIONS, "events"}

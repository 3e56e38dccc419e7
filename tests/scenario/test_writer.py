"""Writing a scenario back to files, and the shipped round-trip checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from stavka.errors import ScenarioError
from stavka.scenario import load_scenario, resolve_scenario_dir
from stavka.scenario.writer import write_scenario
from stavka.testing.scenario import check_scenario_roundtrip, check_scenario_totals


def test_roundtrip_mini(mini_dir: Path, tmp_path: Path) -> None:
    """The mini scenario survives write and reload unchanged."""
    again = check_scenario_roundtrip(mini_dir, tmp_path)
    assert again.root == tmp_path / "mini-roundtrip"
    assert (again.root / "forces" / "ussr.yaml").is_file()
    check_scenario_totals(again)


def test_roundtrip_builtin(tmp_path: Path) -> None:
    """The built-in scenario survives write and reload unchanged."""
    if not any((resolve_scenario_dir("august-storm") / "forces").glob("*.yaml")):
        pytest.skip("the built-in force files are not written yet")
    again = check_scenario_roundtrip("august-storm", tmp_path)
    check_scenario_totals(again)
    assert again.record_dir is not None


def test_written_variant_is_the_patched_scenario(
    mini_dir: Path, tmp_path: Path
) -> None:
    """Writing a scenario loaded with a variant makes the variant permanent."""
    patched = load_scenario(mini_dir, "blue-forward")
    write_scenario(patched, tmp_path / "out")
    again = load_scenario(tmp_path / "out")
    assert again.formations == patched.formations
    assert again.plans == patched.plans


def test_changed_copy_compares_unequal(mini: Path, tmp_path: Path) -> None:
    """An edited copy compares unequal, so the round-trip comparison has teeth."""
    base = load_scenario(mini)
    write_scenario(base, tmp_path / "copy")
    path = tmp_path / "copy" / "places.csv"
    path.write_text(path.read_text().replace("Harbin,Harbin", "Harbin,Kharbin"))
    again = load_scenario(tmp_path / "copy")
    assert again.places != base.places


def test_write_refuses_a_non_empty_directory(mini_dir: Path, tmp_path: Path) -> None:
    """Writing into a directory with files in it is refused."""
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(ScenarioError, match="not empty"):
        write_scenario(load_scenario(mini_dir), tmp_path)

"""Tests of the Soviet order of battle and plans of the August Storm scenario."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from stavka.scenario import Scenario, load_scenario
from stavka.scenario.container import STRENGTH_ITEMS
from stavka.scenario.loader import resolve_scenario_dir
from stavka.scenario.schema import (
    Formation,
    FormationType,
    Mobility,
    Posture,
    Quantity,
)

SIDE = "ussr"
FRONTS = ("trans_baikal_front", "first_far_eastern_front", "second_far_eastern_front")
RANGES = {  # issue 2 / history README 'Known conflicts': Soviet totals by counting rule
    "personnel": (1_580_000, 1_750_000),
    "tanks_and_sp_guns": (5_250, 5_556),
    "guns_and_mortars": (26_000, 30_000),
    "aircraft": (3_700, 5_400),
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The built-in scenario (consistency problems of other sides kept as warnings)."""
    return load_scenario("august-storm", strict=False)


@pytest.fixture(scope="module")
def soviet(scenario: Scenario) -> dict[str, Formation]:
    """The Soviet side's formations by id."""
    return {k: f for k, f in scenario.formations.items() if f.side == SIDE}


@pytest.fixture
def oob(shared_dir: Path) -> dict[str, Any]:
    """The history pack's Soviet order of battle."""
    data: dict[str, Any] = yaml.safe_load(
        (shared_dir / "history" / "oob_soviet.yaml").read_text(encoding="utf-8")
    )
    return data


def _pack_ids(oob: dict[str, Any]) -> set[str]:
    ids = {"far_east_command"} | {n["id"] for n in oob["naval_forces"]}
    for front in oob["fronts"]:
        ids.add(front["id"])
        ids |= {a["id"] for a in front["armies"]}
    return ids


def _event_ids(scenario_dir: Path) -> set[str]:
    files = [
        scenario_dir / "events.csv",
        *sorted((scenario_dir / "record").glob("*.csv")),
    ]
    ids: set[str] = set()
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                ids |= {x for x in (row.get("formation_id") or "").split(";") if x}
    return ids


def _numbers(f: Formation) -> list[tuple[str, Quantity]]:
    out = [(item, getattr(f.strength, item)) for item in STRENGTH_ITEMS]
    out += [("quality", f.quality), ("readiness", f.readiness)]
    return [(k, q) for k, q in out if q is not None]


def _subtree_sum(s: Scenario, root: str, item: str, nation: str = SIDE) -> float:
    return sum(
        s.formations[f].strength.values()[item] or 0.0
        for f in s.subtree(root)
        if s.formations[f].nation == nation
    )


def test_soviet_totals_inside_source_ranges(scenario: Scenario) -> None:
    """Soviet men, tanks+SP, guns+mortars and aircraft lie in the sources' ranges."""
    t = scenario.totals(SIDE)
    got = {
        "personnel": t["personnel"],
        "tanks_and_sp_guns": t["tanks"] + t["sp_guns"],
        "guns_and_mortars": t["guns"] + t["mortars"],
        "aircraft": t["aircraft"],
    }
    for key, (lo, hi) in RANGES.items():
        assert lo <= got[key] <= hi, f"{key} {got[key]:,.0f} outside {lo:,}-{hi:,}"


def test_every_soviet_id_of_events_and_record_exists(
    scenario: Scenario, soviet: dict[str, Formation], oob: dict[str, Any]
) -> None:
    """Each Soviet id used in events.csv and record/*.csv is a Soviet formation."""
    used = _event_ids(resolve_scenario_dir("august-storm"))
    soviet_used = used & _pack_ids(oob)
    assert soviet_used, "no Soviet ids found in the events files"
    missing = sorted(soviet_used - set(soviet))
    assert not missing, f"Soviet ids in events/record without a formation: {missing}"


def test_every_pack_formation_id_exists(
    soviet: dict[str, Formation], oob: dict[str, Any]
) -> None:
    """Every front, army and naval id of oob_soviet.yaml is a Soviet formation."""
    assert not sorted(_pack_ids(oob) - set(soviet))


def test_front_totals_reproduce_the_sourced_figures(
    scenario: Scenario, oob: dict[str, Any]
) -> None:
    """Rule R1 spends each front's sourced total exactly over the front's formations."""
    for front in oob["fronts"]:
        variant = next(v for v in front["totals"]["variants"] if "tanks_sp" in v)
        fid = front["id"]
        assert _subtree_sum(scenario, fid, "personnel") == variant["personnel"]
        tanks = _subtree_sum(scenario, fid, "tanks") + _subtree_sum(
            scenario, fid, "sp_guns"
        )
        assert tanks == variant["tanks_sp"]
        guns = _subtree_sum(scenario, fid, "guns") + _subtree_sum(
            scenario, fid, "mortars"
        )
        assert guns == variant["guns_mortars"]
        assert _subtree_sum(scenario, fid, "aircraft") == variant["aircraft"]


def test_sourced_army_figures_are_kept(scenario: Scenario, oob: dict[str, Any]) -> None:
    """Army figures of the pack (2RBA strength, 6GTA tanks) are the subtree sums."""
    armies = {a["id"]: a for front in oob["fronts"] for a in front["armies"]}
    rba = armies["2rba"]
    assert _subtree_sum(scenario, "2rba", "personnel") == rba["personnel"]
    gm = _subtree_sum(scenario, "2rba", "guns") + _subtree_sum(
        scenario, "2rba", "mortars"
    )
    assert gm == rba["guns_mortars"]
    for army in ("2rba", "6gta"):
        t = _subtree_sum(scenario, army, "tanks") + _subtree_sum(
            scenario, army, "sp_guns"
        )
        assert t == armies[army]["tanks_sp"]
    mpr = _subtree_sum(scenario, "soviet_mongolian_cmg", "personnel", nation="mpr")
    assert mpr == armies["soviet_mongolian_cmg"]["mongolian_personnel"]


def test_every_number_is_sourced_or_estimated_by_a_named_rule(
    soviet: dict[str, Formation],
) -> None:
    """Estimated numbers name their rule; unknown numbers say they were not found."""
    for f in soviet.values():
        for item, q in _numbers(f):
            where = f"{f.id}.{item}"
            if q.value is None:
                assert q.source and "not found" in q.source, where
            elif not q.source:
                assert q.estimated and re.search(r"rule [RQ]\d", q.estimated), where


def test_command_tree_shape(soviet: dict[str, Formation]) -> None:
    """One top node; the fronts and naval forces sit under the Far East Command."""
    tops = [f.id for f in soviet.values() if f.parent is None]
    assert tops == ["far_east_command"]
    for fid in (*FRONTS, "pacific_fleet", "amur_flotilla"):
        assert soviet[fid].parent == "far_east_command"
    assert all(soviet[f.parent].side == SIDE for f in soviet.values() if f.parent)
    assert len(soviet) >= 100


def test_mobility_follows_the_type_rule(soviet: dict[str, Formation]) -> None:
    """Tanks track, cavalry rides, defending fortified regions stay, fleets sail."""
    want = {
        FormationType.CAVALRY: Mobility.HORSE,
        FormationType.FORTIFIED_REGION_GARRISON: Mobility.STATIC,
        FormationType.AIR: Mobility.AIR,
        FormationType.NAVAL: Mobility.NAVAL,
        FormationType.RIVER_FLOTILLA: Mobility.NAVAL,
        FormationType.MECHANIZED: Mobility.TRACKED,
    }
    for f in soviet.values():
        attacking_garrison = (
            f.type is FormationType.FORTIFIED_REGION_GARRISON
            and f.posture is Posture.ATTACK
        )
        if f.type in want and f.nation == SIDE and not attacking_garrison:
            assert f.mobility is want[f.type], f.id
        if f.type is FormationType.TANK and f.echelon.value in {"brigade", "corps"}:
            assert f.mobility is Mobility.TRACKED, f.id
        if f.type is FormationType.RIFLE and f.echelon.value == "division":
            assert f.mobility is Mobility.FOOT, f.id


def test_veteran_armies_rate_above_far_east_armies(
    soviet: dict[str, Formation],
) -> None:
    """Rule Q1: armies moved from Europe rate above the Far East garrison armies."""
    veteran = [soviet[a].quality.value for a in ("6gta", "39a", "53a", "5a")]
    local = [soviet[a].quality.value for a in ("17a", "36a", "1rba", "15a", "2rba")]
    assert min(v or 0 for v in veteran) > max(v or 0 for v in local)


def test_soviet_plans_are_intentions_in_order(
    scenario: Scenario, soviet: dict[str, Formation]
) -> None:
    """Soviet plans cite plans/oob, never the record; planned days never fall."""
    plans = [p for p in scenario.plans.values() if p.formation in soviet]
    assert {*FRONTS, "6gta", "39a", "36a", "1rba", "5a", "16a"} <= {
        p.formation for p in plans
    }
    for p in plans:
        texts = [p.source, *(o.source for o in p.objectives)]
        texts += [c.source for c in p.conditions]
        assert not any("record/" in t for t in texts), p.formation
        days = [o.intended_day for o in p.objectives if o.intended_day is not None]
        assert days == sorted(days), p.formation


def test_no_consistency_problem_in_soviet_files(scenario: Scenario) -> None:
    """The consistency checks report nothing in the Soviet forces or plans files."""
    mine = [w for w in scenario.warnings if "soviet" in str(w)]
    assert not mine, mine

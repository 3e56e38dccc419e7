"""Tests of the Japanese side of the August Storm scenario.

Totals, ids, fortified regions, plan, weather and the ``kwantung-forward-west`` variant
(see docs/oob-japanese.md).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from stavka.scenario import Scenario, load_scenario
from stavka.scenario.schema import Mobility, Posture, Quantity

SCENARIO = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "stavka"
    / "scenarios"
    / "august_storm_1945"
)
DOC = Path(__file__).resolve().parents[2] / "docs" / "oob-japanese.md"
VARIANT = "kwantung-forward-west"
MANCHURIA = ("Manchukuo", "Japan (Kwantung Leased Territory)")
# The pack's command keys (history README, 'formation_id'): Japanese ids besides ija_*.
JAPANESE_COMMANDS = {
    "kwantung_army",
    "first_area_army",
    "third_army",
    "fifth_army",
    "third_area_army",
    "thirtieth_army",
    "fortyfourth_army",
    "fourth_army",
    "thirtyfourth_army",
    "seventeenth_area_army",
    "second_air_army",
    "fifth_air_army",
    "fifth_area_army",
    "sungari_river_flotilla",
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The built-in scenario, loaded once for this module."""
    return load_scenario("august-storm")


@pytest.fixture(scope="module")
def variant() -> Scenario:
    """The built-in scenario with the kwantung-forward-west variant applied."""
    return load_scenario("august-storm", variant=VARIANT)


def _men_by(s: Scenario, nation: str, countries: tuple[str, ...]) -> float:
    total = 0.0
    for f in s.formations.values():
        place = s.places.get(f.location.place or "")
        if f.side != "japan" or f.nation != nation or place is None:
            continue
        if place.country_1945.startswith(countries):
            total += f.strength.values()["personnel"] or 0.0
    return total


def _nation_men(s: Scenario, nation: str) -> float:
    return sum(
        f.strength.values()["personnel"] or 0.0
        for f in s.formations.values()
        if f.side == "japan" and f.nation == nation
    )


def test_japanese_personnel_inside_the_source_ranges(scenario: Scenario) -> None:
    """Men in Manchuria, Korea, Manchukuo and Mengjiang hit the issue's ranges."""
    assert 665_000 <= _men_by(scenario, "japan", MANCHURIA) <= 713_000
    assert 320_000 <= _men_by(scenario, "japan", ("Korea",)) <= 350_000
    assert 170_000 <= _nation_men(scenario, "manchukuo") <= 200_000
    assert 40_000 <= _nation_men(scenario, "mengjiang") <= 48_000


def test_japanese_equipment_uses_the_sourced_totals(scenario: Scenario) -> None:
    """Tanks and aircraft add up to the WP infobox totals the docs name."""
    manchuria = [
        f
        for f in scenario.formations.values()
        if f.side == "japan"
        and (p := scenario.places.get(f.location.place or "")) is not None
        and p.country_1945.startswith(MANCHURIA)
    ]
    assert sum(f.strength.values()["tanks"] or 0 for f in manchuria) == 290
    air = scenario.formations["second_air_army"].strength.values()["aircraft"]
    assert air == 1042


def test_every_japanese_id_of_events_and_record_exists(scenario: Scenario) -> None:
    """Every Japanese id in events.csv and record/*.csv is a Japanese formation."""
    files = [
        SCENARIO / "events.csv",
        *sorted((SCENARIO / "record").glob("*.csv")),
    ]
    used: set[str] = set()
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for fid in (row.get("formation_id") or "").split(";"):
                    fid = fid.strip()
                    if fid.startswith("ija_") or fid in JAPANESE_COMMANDS:
                        used.add(fid)
    assert used, "no Japanese ids found: the files changed shape"
    missing = sorted(u for u in used if u not in scenario.formations)
    assert not missing
    assert all(scenario.formations[u].side == "japan" for u in used)


def test_every_pack_unit_and_command_is_in_the_tree(
    scenario: Scenario, shared_dir: Path
) -> None:
    """Each division/brigade and headquarters of oob_japanese.yaml is a formation."""
    pack = yaml.safe_load(
        (shared_dir / "history" / "oob_japanese.yaml").read_text(encoding="utf-8")
    )
    ids = {u["id"] for u in pack["divisions_and_brigades"]} | set(pack["command"])
    missing = sorted(i for i in ids if i not in scenario.formations)
    assert not missing
    # A fortified region's garrison stands in its FR; a unit whose HQ entry says its
    # main body had moved stands where the main body was.
    fr_place = {
        g: fr.place for fr in scenario.fortified_regions.values() for g in fr.garrison
    }
    main_body = {"ija_119d": "bukhedu"}  # "main body moved 5 Jul 1945 ... (Bukhedu)"
    for uid in ids:
        hq = next(
            (u["hq_9aug"] for u in pack["divisions_and_brigades"] if u["id"] == uid),
            None,
        )
        if hq is not None:
            want = fr_place.get(uid, main_body.get(uid, hq["place_id"]))
            assert scenario.formations[uid].location.place == want, uid
    assert "Bukhedu" in next(
        u["hq_9aug"]["name"]
        for u in pack["divisions_and_brigades"]
        if u["id"] == "ija_119d"
    )


def test_fortified_regions_reference_places_and_garrisons(
    scenario: Scenario, shared_dir: Path
) -> None:
    """The pack's 13 fortified regions sit on real places, with static garrisons."""
    pack = yaml.safe_load(
        (shared_dir / "history" / "oob_japanese.yaml").read_text(encoding="utf-8")
    )
    frs = scenario.fortified_regions
    assert {fr.place for fr in frs.values()} == {
        fr["place_id"] for fr in pack["fortified_regions"]
    }
    for fr in frs.values():
        assert fr.place in scenario.places
        assert fr.garrison
        for gid in fr.garrison:
            g = scenario.formations[gid]
            assert g.side == "japan"
            assert g.mobility is Mobility.STATIC
            assert g.posture is Posture.FORTIFIED_DEFENCE
        assert fr.radius_km.value is not None and fr.radius_km.value > 0


def test_garrisons_are_carved_out_without_double_count(scenario: Scenario) -> None:
    """A detachment garrison and its parent division keep the sourced total."""
    div = scenario.formations["ija_135d"].strength.values()["personnel"]
    gar = scenario.formations["ija_135d_mishan"].strength.values()["personnel"]
    assert div is not None and gar is not None
    assert div + gar == 14_288


def _quantities(s: Scenario) -> list[tuple[str, Quantity]]:
    out: list[tuple[str, Quantity]] = []
    for f in s.formations.values():
        if f.side != "japan":
            continue
        out += [(f.id, f.quality), (f.id, f.readiness)]
        for item in type(f.strength).model_fields:
            q = getattr(f.strength, item)
            if q is not None:
                out.append((f.id, q))
    for fr in s.fortified_regions.values():
        out.append((fr.id, fr.radius_km))
    return out


def test_every_estimation_rule_cited_is_documented(scenario: Scenario) -> None:
    """Each rule tag an estimated number cites (R1, F2, ...) has a docs section."""
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#+ .*?\b([RFP]\d)\b", text, flags=re.M))
    cited: set[str] = set()
    for fid, q in _quantities(scenario):
        if q.estimated and not q.source:
            tags = set(re.findall(r"oob-japanese\.md ([RFP]\d)", q.estimated))
            assert tags, fid
            cited |= tags
    assert cited
    assert cited <= documented, sorted(cited - documented)


def test_japanese_plan_is_intentions_only(scenario: Scenario) -> None:
    """The Japanese plan has no timings or ratios the sources lack, and FRs hold."""
    japanese = {
        p.formation: p
        for p in scenario.plans.values()
        if scenario.formations[p.formation].side == "japan"
    }
    assert "kwantung_army" in japanese
    for p in japanese.values():
        assert all(o.intended_day is None for o in p.objectives), p.formation
        assert all(c.ratio is None for c in p.conditions), p.formation
        assert "record/" not in p.source
    redoubt = {o.place for o in japanese["first_area_army"].objectives}
    assert {"tonghua", "linjiang"} <= redoubt
    for fr in scenario.fortified_regions.values():
        for gid in fr.garrison:
            kinds = {(c.kind.value, c.target) for c in japanese[gid].conditions}
            assert ("hold", fr.id) in kinds, gid


def test_weather_comes_from_input_sources(scenario: Scenario) -> None:
    """Weather rows cite the source text or plans, never the calibration record."""
    assert scenario.weather
    for w in scenario.weather:
        assert "record/" not in w.source
        assert "source_text.txt" in w.source or "plans.md" in w.source


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return getattr(value, "value", value)


def test_variant_changes_what_it_says(scenario: Scenario, variant: Scenario) -> None:
    """Every patch of the variant shows in the patched scenario and not in the base."""
    spec = yaml.safe_load(
        (SCENARIO / "variants" / f"{VARIANT}.yaml").read_text(encoding="utf-8")
    )
    assert variant.variant == VARIANT
    for patch in spec["patches"]:
        coll = patch["collection"]
        new = _get(getattr(variant, coll)[patch["id"]], patch["path"])
        old = _get(getattr(scenario, coll)[patch["id"]], patch["path"])
        assert _plain(new) == patch["value"], patch
        assert _plain(old) != patch["value"], patch
    assert _men_by(variant, "japan", MANCHURIA) == _men_by(scenario, "japan", MANCHURIA)


def test_japanese_inputs_carry_no_outcomes(scenario: Scenario) -> None:
    """No Japanese formation note or plan text reports a surrender or capture."""
    outcome = re.compile(r"surrender|captured|\bfell\b", re.I)
    for f in scenario.formations.values():
        if f.side == "japan":
            assert not outcome.search(f.notes or ""), f.id
    for p in scenario.plans.values():
        if scenario.formations[p.formation].side == "japan":
            assert not outcome.search(f"{p.notes or ''} {p.source}"), p.formation

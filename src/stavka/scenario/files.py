"""Read every file of a scenario directory into raw records (no validation yet).

The layout (see ``docs/scenario-format.md``)::

    scenario.toml               ScenarioMeta
    forces/*.yaml               formations: [Formation, ...]
    plans/*.yaml                plans: [Plan, ...]
    places.csv                  Place rows
    railways.yaml               lines: [Railway, ...]; roads: [Road, ...] (optional)
    fortified_regions.yaml      fortified_regions: [FortifiedRegion, ...]
    events.csv                  Event rows (optional)
    weather.csv                 WeatherPeriod rows (optional)
    variants/*.yaml             Variant (optional)
    record/                     calibration record (read by stavka.record, not here)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from stavka.errors import Problem
from stavka.scenario.rawfiles import (
    RawRecord,
    read_csv,
    read_toml,
    read_yaml_list,
    read_yaml_mapping,
)
from stavka.scenario.schema_plans import VariantCollection

__all__ = [
    "COLLECTIONS",
    "EVENT_COLUMNS",
    "PLACE_COLUMNS",
    "WEATHER_COLUMNS",
    "RawScenario",
    "read_scenario_dir",
]

PLACE_COLUMNS = [
    "id",
    "name_modern",
    "names_historical",
    "kind",
    "lat",
    "lon",
    "country_1945",
    "note",
    "source",
]
EVENT_COLUMNS = [
    "date",
    "time",
    "side",
    "unit",
    "event_kind",
    "place_id",
    "detail",
    "source",
    "formation_id",
]
WEATHER_COLUMNS = [
    "start",
    "end",
    "region",
    "lat_min",
    "lat_max",
    "lon_min",
    "lon_max",
    "condition",
    "source",
]
COLLECTIONS = tuple(c for c in get_args(VariantCollection) if c != "events")
"""Collections of keyed objects (by ``id``; plans by ``formation``); a variant can patch
these and the rows of events.csv (``VariantPatch.collection`` lists them all)."""


@dataclass
class RawScenario:
    """Every record of a scenario directory before validation."""

    meta: RawRecord | None = None
    collections: dict[str, list[RawRecord]] = field(
        default_factory=lambda: {name: [] for name in COLLECTIONS}
    )
    events: list[RawRecord] = field(default_factory=list)
    weather: list[RawRecord] = field(default_factory=list)
    variants: dict[str, RawRecord] = field(default_factory=dict)


def _missing(name: str, fix: str) -> Problem:
    return Problem(name, "", "the file is missing", fix)


def _read_folder(
    root: Path, sub: str, key: str, problems: list[Problem], *, required: bool = True
) -> list[RawRecord]:
    """Read ``key:`` lists from every ``sub/*.yaml``; report stray ``*.yml`` files."""
    folder = root / sub
    if not folder.is_dir():
        if required:
            fix = f"create {sub}/ with *.yaml files"
            problems.append(Problem(f"{sub}/", "", "the folder is missing", fix))
        return []
    records: list[RawRecord] = []
    for path in sorted(folder.glob("*.yml")):
        what = "is not read: the extension must be .yaml"
        problems.append(Problem(f"{sub}/{path.name}", "", what, "rename it"))
    for path in sorted(folder.glob("*.yaml")):
        got, errs = read_yaml_list(path, f"{sub}/{path.name}", key)
        records += got[key]
        problems += errs
    if required and not records and not problems:
        what = f"no {key} in {sub}/*.yaml"
        problems.append(Problem(f"{sub}/", "", what, f"add a '{key}:' list"))
    return records


def read_scenario_dir(root: Path, problems: list[Problem]) -> RawScenario:
    """Read all files of the scenario in ``root``; append every problem to ``problems``.

    Args:
        root: the scenario directory.
        problems: receives syntax and layout problems (file and line).

    Returns:
        The raw records, each with its origin.
    """
    raw = RawScenario()
    if (root / "scenario.toml").is_file():
        raw.meta, errs = read_toml(root / "scenario.toml", "scenario.toml")
        problems += errs
    else:
        problems.append(_missing("scenario.toml", "every scenario needs scenario.toml"))
    raw.collections["formations"] = _read_folder(root, "forces", "formations", problems)
    raw.collections["plans"] = _read_folder(root, "plans", "plans", problems)
    if (root / "places.csv").is_file():
        required = {"id", "name_modern", "kind", "lat", "lon", "source"}
        got, errs = read_csv(root / "places.csv", "places.csv", PLACE_COLUMNS, required)
        raw.collections["places"] = got
        problems += errs
    else:
        problems.append(_missing("places.csv", "add the gazetteer"))
    if (root / "railways.yaml").is_file():
        lists, errs = read_yaml_list(
            root / "railways.yaml", "railways.yaml", "lines", ("roads",)
        )
        raw.collections["railways"] = lists["lines"]
        raw.collections["roads"] = lists["roads"]
        problems += errs
    else:
        problems.append(_missing("railways.yaml", "add it ('lines: []' if none)"))
    fr_path = root / "fortified_regions.yaml"
    if fr_path.is_file():
        lists, errs = read_yaml_list(fr_path, fr_path.name, "fortified_regions")
        raw.collections["fortified_regions"] = lists["fortified_regions"]
        problems += errs
    else:
        problems.append(_missing(fr_path.name, "add it ('fortified_regions: []')"))
    if (root / "events.csv").is_file():
        required = {"date", "side", "event_kind", "detail", "source"}
        raw.events, errs = read_csv(
            root / "events.csv",
            "events.csv",
            EVENT_COLUMNS,
            required,
            frozenset({"formation_id"}),
        )
        problems += errs
    if (root / "weather.csv").is_file():
        raw.weather, errs = read_csv(
            root / "weather.csv", "weather.csv", WEATHER_COLUMNS, set(WEATHER_COLUMNS)
        )
        problems += errs
    folder = root / "variants"
    if folder.is_dir():
        for path in sorted(folder.glob("*.yml")):
            what = "is not read: the extension must be .yaml"
            problems.append(Problem(f"variants/{path.name}", "", what, "rename it"))
        for path in sorted(folder.glob("*.yaml")):
            rec, errs = read_yaml_mapping(path, f"variants/{path.name}")
            problems += errs
            if rec is not None:
                raw.variants[path.stem] = rec
    return raw

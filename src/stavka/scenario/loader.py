"""Load a scenario directory into validated models, reporting every problem at once."""

from __future__ import annotations

import copy
import importlib.resources
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stavka.errors import Problem, ScenarioError
from stavka.scenario.container import Scenario
from stavka.scenario.rawfiles import (
    Origin,
    RawRecord,
    load_yaml_with_lines,
    read_csv,
    read_toml,
    read_yaml_list,
    read_yaml_mapping,
)
from stavka.scenario.schema import (
    Event,
    Formation,
    FortifiedRegion,
    Place,
    Plan,
    Railway,
    Road,
    ScenarioMeta,
    Variant,
    VariantPatch,
    WeatherPeriod,
)

__all__ = ["BUILTIN_SCENARIOS", "load_scenario", "resolve_scenario_dir"]

M = TypeVar("M", bound=BaseModel)

BUILTIN_SCENARIOS: dict[str, str] = {
    "august-storm": "stavka.scenarios.august_storm_1945",
}
"""Built-in scenario ids and the package holding their data (versioned ids: ``<id>-v<N>``)."""

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


def resolve_scenario_dir(ref: str | Path) -> Path:
    """Return the directory of a scenario given a built-in id (``august-storm[-vN]``) or a path.

    Raises:
        ScenarioError: if ``ref`` is neither a built-in id nor an existing directory.
    """
    text = str(ref)
    base, _, version = text.rpartition("-v")
    key = base if version.isdigit() and base in BUILTIN_SCENARIOS else text
    if key in BUILTIN_SCENARIOS:
        path = Path(str(importlib.resources.files(BUILTIN_SCENARIOS[key])))
        if version.isdigit() and key != text:
            meta = read_toml(path / "scenario.toml", "scenario.toml")[0]
            have = meta.data.get("version") if meta else None
            if str(have) != version:
                raise ScenarioError(
                    Problem(
                        text,
                        "",
                        f"built-in scenario {key} is version {have}, not {version}",
                        f"use {key}-v{have}",
                    )
                )
        return path
    path = Path(text)
    if path.is_dir():
        return path
    known = ", ".join(sorted(BUILTIN_SCENARIOS))
    raise ScenarioError(
        Problem(
            text,
            "",
            "not a built-in scenario id nor a directory",
            f"use one of: {known}, or a path",
        )
    )


def _validate(model: type[M], record: RawRecord, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(record.data)
    except ValidationError as err:
        for e in err.errors():
            loc = tuple(p for p in e["loc"] if isinstance(p, str | int))
            value = e.get("input")
            shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
            problems.append(
                Problem(
                    record.origin.file,
                    record.origin.locate(loc),
                    f"{e['msg']}{shown}",
                    _fix_for(e),
                )
            )
        return None


def _fix_for(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "remove the field or correct its spelling; see docs/scenario-format.md"
    if kind == "missing":
        return "add the field"
    if kind == "enum" or kind == "literal_error":
        return "use one of the allowed values"
    return "see docs/scenario-format.md"


def _read_dir_lists(
    root: Path, sub: str, key: str, problems: list[Problem]
) -> list[RawRecord]:
    records: list[RawRecord] = []
    folder = root / sub
    if not folder.is_dir():
        problems.append(
            Problem(
                f"{sub}/",
                "",
                "the folder is missing",
                f"create {sub}/ with *.yaml files",
            )
        )
        return records
    for path in sorted(folder.glob("*.yaml")):
        got, errs = read_yaml_list(path, f"{sub}/{path.name}", key)
        records += got
        problems += errs
    return records


def _apply_patch(
    patch: VariantPatch,
    raw: dict[str, list[RawRecord]],
    origin: RawRecord,
    problems: list[Problem],
) -> None:
    key = "formation" if patch.collection == "plans" else "id"
    items = raw[patch.collection]
    where = origin.origin.locate()
    if patch.op == "add":
        if not isinstance(patch.value, dict):
            problems.append(
                Problem(
                    origin.origin.file,
                    where,
                    "'add' needs 'value' to be the whole new object",
                )
            )
            return
        items.append(RawRecord(copy.deepcopy(patch.value), origin.origin))
        return
    matches = [r for r in items if r.data.get(key) == patch.id]
    if not matches:
        problems.append(
            Problem(
                origin.origin.file,
                where,
                f"{patch.collection} has no object with {key} {patch.id!r}",
                "check the id",
            )
        )
        return
    if patch.op == "remove":
        raw[patch.collection] = [r for r in items if r.data.get(key) != patch.id]
        return
    if not patch.path:
        problems.append(
            Problem(
                origin.origin.file,
                where,
                "'set' needs a dotted 'path'",
                "e.g. path: location.place",
            )
        )
        return
    for rec in matches:
        target: Any = rec.data
        parts = patch.path.split(".")
        for part in parts[:-1]:
            if not isinstance(target, dict):
                break
            target = target.setdefault(part, {})
        if not isinstance(target, dict):
            problems.append(
                Problem(
                    origin.origin.file,
                    where,
                    f"path {patch.path!r} does not lead to a mapping",
                )
            )
            return
        target[parts[-1]] = copy.deepcopy(patch.value)


def _keyed(
    items: Iterable[M],
    key: Callable[[M], str],
    kind: str,
    origins: dict[int, RawRecord],
    problems: list[Problem],
) -> dict[str, M]:
    out: dict[str, M] = {}
    for item in items:
        k = key(item)
        if k in out:
            rec = origins[id(item)]
            problems.append(
                Problem(
                    rec.origin.file,
                    rec.origin.locate(),
                    f"duplicate {kind} id {k!r}",
                    "ids must be unique",
                )
            )
            continue
        out[k] = item
    return out


def load_scenario(
    ref: str | Path, variant: str | None = None, *, strict: bool = True
) -> Scenario:
    """Load, validate and check a scenario.

    Args:
        ref: a built-in id (``"august-storm"``, ``"august-storm-v1"``) or a scenario directory.
        variant: id of a variant in ``variants/`` to apply before validation.
        strict: raise on consistency problems (False: keep them in ``scenario.warnings``).

    Returns:
        The validated :class:`Scenario`.

    Raises:
        ScenarioError: listing every problem found, as ``file:line-or-field: what (fix)``.
    """
    from stavka.scenario.consistency import check_all

    root = resolve_scenario_dir(ref)
    problems: list[Problem] = []

    meta_raw, errs = (
        read_toml(root / "scenario.toml", "scenario.toml")
        if (root / "scenario.toml").is_file()
        else (
            None,
            [
                Problem(
                    "scenario.toml",
                    "",
                    "the file is missing",
                    "every scenario needs scenario.toml",
                )
            ],
        )
    )
    problems += errs
    raw: dict[str, list[RawRecord]] = {
        "formations": _read_dir_lists(root, "forces", "formations", problems),
        "plans": _read_dir_lists(root, "plans", "plans", problems),
        "places": [],
        "railways": [],
        "roads": [],
        "fortified_regions": [],
    }
    places_path = root / "places.csv"
    if places_path.is_file():
        got, errs = read_csv(
            places_path,
            "places.csv",
            PLACE_COLUMNS,
            {"id", "name_modern", "kind", "lat", "lon", "source"},
        )
        raw["places"], problems = got, problems + errs
    else:
        problems.append(
            Problem("places.csv", "", "the file is missing", "add the gazetteer")
        )
    for name, key in (
        ("railways.yaml", "lines"),
        ("railways.yaml", "roads"),
        ("fortified_regions.yaml", "fortified_regions"),
    ):
        path = root / name
        if not path.is_file():
            if key != "roads":
                problems.append(Problem(name, "", "the file is missing", f"add {name}"))
            continue
        got, errs = (
            read_yaml_list(path, name, key)
            if key == "fortified_regions"
            else _read_two_lists(path, name, key)
        )
        raw["railways" if key == "lines" else key] += got
        problems += errs
    event_raw, weather_raw = [], []
    if (root / "events.csv").is_file():
        event_raw, errs = read_csv(
            root / "events.csv",
            "events.csv",
            EVENT_COLUMNS,
            {"date", "side", "event_kind", "detail", "source"},
            frozenset({"formation_id"}),
        )
        problems += errs
    if (root / "weather.csv").is_file():
        weather_raw, errs = read_csv(
            root / "weather.csv", "weather.csv", WEATHER_COLUMNS, set(WEATHER_COLUMNS)
        )
        problems += errs

    variants: dict[str, Variant] = {}
    for path in (
        sorted((root / "variants").glob("*.yaml"))
        if (root / "variants").is_dir()
        else []
    ):
        rec, errs = read_yaml_mapping(path, f"variants/{path.name}")
        problems += errs
        if rec is not None and (v := _validate(Variant, rec, problems)) is not None:
            if v.id != path.stem:
                problems.append(
                    Problem(
                        rec.origin.file,
                        rec.origin.locate(("id",)),
                        f"id {v.id!r} differs from the file name",
                        f"rename the file to {v.id}.yaml or the id to {path.stem}",
                    )
                )
            variants[v.id] = v
            if v.id == variant:
                for i, patch in enumerate(v.patches):
                    origin = RawRecord(
                        {}, Origin(rec.origin.file, ("patches", i), rec.origin.lines)
                    )
                    _apply_patch(patch, raw, origin, problems)
    if variant is not None and variant not in variants:
        problems.append(
            Problem(
                "variants/",
                "",
                f"no variant {variant!r}",
                f"known: {', '.join(sorted(variants)) or 'none'}",
            )
        )

    origins: dict[int, RawRecord] = {}

    def validate_all(model: type[M], records: list[RawRecord]) -> list[M]:
        out: list[M] = []
        for rec in records:
            obj = _validate(model, rec, problems)
            if obj is not None:
                origins[id(obj)] = rec
                out.append(obj)
        return out

    meta = _validate(ScenarioMeta, meta_raw, problems) if meta_raw is not None else None
    formations = _keyed(
        validate_all(Formation, raw["formations"]),
        lambda f: f.id,
        "formation",
        origins,
        problems,
    )
    places = _keyed(
        validate_all(Place, raw["places"]), lambda p: p.id, "place", origins, problems
    )
    railways = _keyed(
        validate_all(Railway, raw["railways"]),
        lambda r: r.id,
        "railway",
        origins,
        problems,
    )
    roads = _keyed(
        validate_all(Road, raw["roads"]), lambda r: r.id, "road", origins, problems
    )
    fortified = _keyed(
        validate_all(FortifiedRegion, raw["fortified_regions"]),
        lambda f: f.id,
        "fortified region",
        origins,
        problems,
    )
    plans = _keyed(
        validate_all(Plan, raw["plans"]),
        lambda p: p.formation,
        "plan (formation)",
        origins,
        problems,
    )
    events = validate_all(Event, event_raw)
    weather = validate_all(WeatherPeriod, weather_raw)
    if problems or meta is None:
        raise ScenarioError(
            problems or [Problem("scenario.toml", "", "could not be read")]
        )

    scenario = Scenario(
        root=root,
        meta=meta,
        formations=formations,
        places=places,
        railways=railways,
        roads=roads,
        fortified_regions=fortified,
        plans=plans,
        events=events,
        weather=weather,
        variants=variants,
        variant=variant,
        origins={k: origins[id(v)].origin.file for k, v in formations.items()},
    )
    consistency = check_all(
        scenario, lambda obj: origins[id(obj)].origin if id(obj) in origins else None
    )
    if consistency and strict:
        from stavka.errors import ConsistencyError

        raise ConsistencyError(consistency)
    scenario.warnings.extend(consistency)
    return scenario


def _read_two_lists(
    path: Path, rel: str, key: str
) -> tuple[list[RawRecord], list[Problem]]:
    """Read ``lines:`` or ``roads:`` from railways.yaml, which holds both lists."""
    data, lines, problems = load_yaml_with_lines(path, rel)
    if problems:
        return [], problems if key == "lines" else []
    if not isinstance(data, dict):
        return [], [
            Problem(
                rel, "1", "the top level must be a mapping with 'lines' and 'roads'"
            )
        ]
    if key == "lines":
        extra = sorted(str(k) for k in data if k not in {"lines", "roads", "meta"})
        if extra:
            problems.append(
                Problem(
                    rel,
                    "1",
                    f"unknown top-level keys {extra}",
                    "only 'lines', 'roads', 'meta'",
                )
            )
    items = data.get(key) or []
    if not isinstance(items, list):
        return [], [Problem(rel, str(lines.get((key,), 1)), f"'{key}' must be a list")]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            out.append(RawRecord(item, Origin(rel, (key, i), lines)))
        else:
            problems.append(
                Problem(
                    rel,
                    f"{lines.get((key, i), '?')}: {key}[{i}]",
                    "an item must be a mapping",
                )
            )
    return out, problems

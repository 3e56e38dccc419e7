"""Load a scenario directory into validated models, reporting every problem at once."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stavka.errors import ConsistencyError, Problem, ScenarioError
from stavka.scenario.container import Scenario
from stavka.scenario.files import RawScenario, read_scenario_dir
from stavka.scenario.rawfiles import Origin, RawRecord, read_toml
from stavka.scenario.schema import Formation
from stavka.scenario.schema_plans import Plan, Variant
from stavka.scenario.schema_world import (
    Event,
    FortifiedRegion,
    Place,
    Railway,
    Road,
    ScenarioMeta,
    WeatherPeriod,
)
from stavka.scenario.variants import apply_variant

__all__ = [
    "BUILTIN_SCENARIOS",
    "check_scenario",
    "load_scenario",
    "resolve_scenario_dir",
]

M = TypeVar("M", bound=BaseModel)

BUILTIN_SCENARIOS: dict[str, str] = {
    "august-storm": "stavka.scenarios.august_storm_1945",
}
"""Built-in scenario ids and the package of their data (versioned: ``<id>-v<N>``)."""

_FIXES = {
    "extra_forbidden": "remove the field or correct its spelling; see "
    "docs/scenario-format.md",
    "missing": "add the field",
    "enum": "use one of the allowed values",
    "literal_error": "use one of the allowed values",
    "date_from_datetime_parsing": "write a real calendar date as YYYY-MM-DD",
    "date_parsing": "write a real calendar date as YYYY-MM-DD",
    "date_type": "write a real calendar date as YYYY-MM-DD",
    "datetime_from_date_parsing": "write YYYY-MM-DDTHH:MM:SS+HH:MM",
    "datetime_parsing": "write YYYY-MM-DDTHH:MM:SS+HH:MM",
    "datetime_type": "write YYYY-MM-DDTHH:MM:SS+HH:MM",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "finite_number": "write a finite number",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "int_from_float": "write a whole number",
    "string_type": "write text",
    "list_type": "write a list",
    "model_type": "write 'key: value' fields",
    "dict_type": "write 'key: value' fields",
    "string_pattern_mismatch": "ids use lower-case letters, digits, '_' and '-'",
    "greater_than_equal": "use a larger value",
    "greater_than": "use a larger value",
    "less_than_equal": "use a smaller value",
    "less_than": "use a smaller value",
    "too_short": "add items",
    "string_too_short": "write a non-empty text",
}


def resolve_scenario_dir(ref: str | Path) -> Path:
    """Return the directory of a scenario given a built-in id or a path.

    Args:
        ref: ``august-storm``, ``august-storm-v1`` or a scenario directory.

    Raises:
        ScenarioError: if ``ref`` is neither a built-in id nor an existing directory,
            or names a version the built-in scenario does not have.
    """
    text = str(ref)
    base, _, version = text.rpartition("-v")
    key = base if version.isdigit() and base in BUILTIN_SCENARIOS else text
    if key in BUILTIN_SCENARIOS:
        path = Path(str(importlib.resources.files(BUILTIN_SCENARIOS[key])))
        if key != text:
            meta = read_toml(path / "scenario.toml", "scenario.toml")[0]
            have = meta.data.get("version") if meta else None
            if str(have) != version:
                what = f"built-in scenario {key} is version {have}, not {version}"
                raise ScenarioError(Problem(text, "", what, f"use {key}-v{have}"))
        return path
    path = Path(text)
    if path.is_dir():
        return path
    known = ", ".join(sorted(BUILTIN_SCENARIOS))
    what = "not a built-in scenario id nor a directory"
    raise ScenarioError(Problem(text, "", what, f"use one of: {known}, or a path"))


def _problem_text(error: Any) -> str:
    value = error.get("input")
    shown = ""
    if not isinstance(value, dict | list):
        shown = repr(value)
        shown = f" (got {shown[:60]}{'...' if len(shown) > 60 else ''})"
    msg = str(error["msg"]).removeprefix("Value error, ")
    return f"{msg}{shown}"


def _validate(model: type[M], record: RawRecord, problems: list[Problem]) -> M | None:
    """Validate one raw record; on failure append one problem per error.

    When every error sits in a top-level field, the record is validated again without
    those fields (missing free-text fields filled with ``"?"``); if that succeeds the
    object is returned (the problems stay recorded), so the consistency checks can
    still look at it.
    """
    origin = record.origin
    try:
        return model.model_validate(record.data)
    except ValidationError as err:
        bad: set[str] = set()
        for e in err.errors():
            loc = tuple(p for p in e["loc"] if isinstance(p, str | int))
            fix = _FIXES.get(e["type"], "see docs/scenario-format.md")
            what = origin.explain(_problem_text(e))
            problems.append(Problem(origin.file, origin.locate(loc), what, fix))
            bad.add(str(loc[0]) if loc else "")
    except (TypeError, ValueError, RecursionError) as err:
        what = origin.explain(f"cannot be read: {err}")
        problems.append(Problem(origin.file, origin.locate(), what, "see the docs"))
        return None
    if "" in bad:
        return None
    salvage = {k: v for k, v in record.data.items() if str(k) not in bad}
    for name in bad:  # a missing free-text field does not matter to the checks
        info = model.model_fields.get(name)
        if info is not None and info.annotation is str and not info.metadata:
            salvage[name] = "?"
    try:
        return model.model_validate(salvage)
    except (TypeError, ValueError, RecursionError):
        return None


def _keyed(
    items: Iterable[tuple[M, RawRecord]],
    key: Callable[[M], str],
    kind: str,
    problems: list[Problem],
) -> dict[str, M]:
    """Index objects by key; report each duplicate with the first one's place."""
    out: dict[str, M] = {}
    first: dict[str, RawRecord] = {}
    for item, rec in items:
        k = key(item)
        if k in out:
            was = first[k].origin
            what = f"duplicate {kind} {k!r} (first at {was.file}:{was.locate()})"
            fix = "ids must be unique: rename or remove one"
            problems.append(Problem(rec.origin.file, rec.origin.locate(), what, fix))
            continue
        out[k] = item
        first[k] = rec
    return out


def _read_variants(
    raw: RawScenario, problems: list[Problem]
) -> dict[str, tuple[Variant, RawRecord]]:
    out: dict[str, tuple[Variant, RawRecord]] = {}
    for stem, rec in raw.variants.items():
        v = _validate(Variant, rec, problems)
        if v is None:
            continue
        if v.id != stem:
            what = f"id {v.id!r} differs from the file name"
            fix = f"rename the file to {v.id}.yaml or the id to {stem}"
            problems.append(
                Problem(rec.origin.file, rec.origin.locate(("id",)), what, fix)
            )
        out[v.id] = (v, rec)
    return out


def _build(
    root: Path, raw: RawScenario, variant: str | None, problems: list[Problem]
) -> tuple[Scenario | None, list[Problem]]:
    """Validate raw records (after a variant) and run the consistency checks.

    Consistency checks run on the objects that are valid even when others are not, so
    one pass reports every problem.

    Returns:
        The scenario (None if scenario.toml is unusable) and its consistency problems;
        file problems are appended to ``problems``.
    """
    from stavka.scenario.consistency import check_all

    variants = _read_variants(raw, problems)
    collections = {**raw.collections, "events": raw.events}
    if variant is not None:
        if variant in variants:
            collections = apply_variant(*variants[variant], collections, problems)
        else:
            known = ", ".join(sorted(variants)) or "none"
            what = f"no variant {variant!r}"
            problems.append(Problem("variants/", "", what, f"known: {known}"))
    origins: dict[int, Origin] = {}
    invalid: set[str] = set()

    def validate_all(
        model: type[M], records: list[RawRecord], key: str = "id"
    ) -> list[tuple[M, RawRecord]]:
        out: list[tuple[M, RawRecord]] = []
        for rec in records:
            obj = _validate(model, rec, problems)
            if obj is not None:
                origins[id(obj)] = rec.origin
                out.append((obj, rec))
            elif isinstance(rec.data.get(key), str):
                invalid.add(rec.data[key])
        return out

    meta = _validate(ScenarioMeta, raw.meta, problems) if raw.meta else None
    if meta is not None and raw.meta is not None:
        origins[id(meta)] = raw.meta.origin
    c = collections
    formations = _keyed(
        validate_all(Formation, c["formations"]), lambda f: f.id, "formation", problems
    )
    places = _keyed(validate_all(Place, c["places"]), lambda p: p.id, "place", problems)
    railways = _keyed(
        validate_all(Railway, c["railways"]), lambda r: r.id, "railway", problems
    )
    roads = _keyed(validate_all(Road, c["roads"]), lambda r: r.id, "road", problems)
    fortified = _keyed(
        validate_all(FortifiedRegion, c["fortified_regions"]),
        lambda f: f.id,
        "fortified region",
        problems,
    )
    plans = _keyed(
        validate_all(Plan, c["plans"], "formation"),
        lambda p: p.formation,
        "plan for formation",
        problems,
    )
    events = [e for e, _ in validate_all(Event, c["events"])]
    weather = [w for w, _ in validate_all(WeatherPeriod, raw.weather)]
    if meta is None:
        return None, []
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
        variants={k: v for k, (v, _) in variants.items()},
        variant=variant,
        origins={k: origins[id(v)].file for k, v in formations.items()},
    )
    consistency = check_all(scenario, lambda obj: origins.get(id(obj)))
    # Objects that failed validation are missing from the scenario; references to
    # them are not dangling, so drop those follow-on problems.
    marks = tuple(repr(i) for i in invalid)
    consistency = [p for p in consistency if not any(m in p.what for m in marks)]
    return scenario, consistency


def load_scenario(
    ref: str | Path, variant: str | None = None, *, strict: bool = True
) -> Scenario:
    """Load, validate and check a scenario.

    Args:
        ref: a built-in id (``"august-storm"``, ``"august-storm-v1"``) or a directory.
        variant: id of a variant in ``variants/`` to apply before validation.
        strict: raise on consistency problems (False: keep them in
            ``scenario.warnings``). Problems in the files themselves always raise.

    Returns:
        The validated :class:`Scenario`.

    Raises:
        ScenarioError: listing every problem found, as ``file:line: field: what (fix)``;
            a :class:`~stavka.errors.ConsistencyError` when only cross-object checks
            failed.
    """
    root = resolve_scenario_dir(ref)
    problems: list[Problem] = []
    raw = read_scenario_dir(root, problems)
    scenario, consistency = _build(root, raw, variant, problems)
    if problems or scenario is None:
        fallback = [Problem("scenario.toml", "", "could not be read", "see the docs")]
        raise ScenarioError([*problems, *consistency] or fallback)
    if consistency and strict:
        raise ConsistencyError(consistency)
    scenario.warnings.extend(consistency)
    return scenario


def _same(p: Problem) -> tuple[str, str, str]:
    """Key of a problem that ignores which variant patch touched the object."""
    return p.file, p.where, p.what.split(" (after the variant patch at ")[0]


def check_scenario(
    ref: str | Path, variant: str | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Check a scenario and, unless ``variant`` is given, every one of its variants.

    Problems a variant shares with the base scenario are reported once.

    Args:
        ref: a built-in id or a directory.
        variant: check only the scenario with this variant applied.

    Returns:
        The scenario (None if it has problems) and every problem found.

    Raises:
        ScenarioError: only when ``ref`` itself cannot be resolved.
    """
    root = resolve_scenario_dir(ref)
    problems: list[Problem] = []
    raw = read_scenario_dir(root, problems)
    scenario, consistency = _build(root, raw, variant, problems)
    problems += consistency
    if variant is None:
        seen = {_same(p) for p in problems}
        for name in _read_variants(raw, []):
            extra: list[Problem] = []
            _, more = _build(root, raw, name, extra)
            for p in [*extra, *more]:
                if _same(p) not in seen:
                    seen.add(_same(p))
                    problems.append(p)
    return (None if problems else scenario), problems

"""Write a loaded scenario back to a directory of plain files.

The output follows ``docs/scenario-format.md``: loading it gives a scenario equal to the
one written (:func:`stavka.testing.scenario.check_scenario_roundtrip` checks this). Use
it to save a scenario built or edited in code, e.g. a variant made permanent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from stavka.errors import ScenarioError
from stavka.scenario.container import Scenario
from stavka.scenario.files import EVENT_COLUMNS, PLACE_COLUMNS, WEATHER_COLUMNS
from stavka.scenario.schema_world import ScenarioMeta

__all__ = ["toml_text", "write_scenario"]


def _dump(obj: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = obj.model_dump(mode="json", exclude_defaults=True)
    return data


def _yaml(key: str, items: Iterable[BaseModel]) -> str:
    data = {key: [_dump(i) for i in items]}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def toml_text(meta: ScenarioMeta) -> str:
    """Render scenario.toml for ``meta`` (plain keys, then one ``[[sides]]`` each)."""
    lines = []
    for name in type(meta).model_fields:
        value = getattr(meta, name)
        if name == "sides" or value is None:
            continue
        lines.append(f"{name} = {_toml_value(value)}")
    for side in meta.sides:
        lines += ["", "[[sides]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in _dump(side).items()]
    return "\n".join(lines) + "\n"


def _csv(rows: Iterable[BaseModel], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        data = row.model_dump(mode="json")
        cells = []
        for col in columns:
            value = data.get(col)
            if isinstance(value, list):
                value = ";".join(value)
            cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return out.getvalue()


def write_scenario(s: Scenario, dest: Path) -> None:
    """Write ``s`` as a scenario directory at ``dest`` (created; must be empty).

    Formations go to ``forces/<side>.yaml`` and plans to ``plans/<side>.yaml`` in
    the scenario's order; variants are written as defined (not applied); the
    calibration record, if any, is copied.

    Raises:
        ScenarioError: if ``dest`` exists and is not an empty directory.
    """
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScenarioError(f"{dest} exists and is not empty; choose a new directory")
    for sub in ("forces", "plans", "variants"):
        (dest / sub).mkdir(parents=True, exist_ok=True)
    (dest / "scenario.toml").write_text(toml_text(s.meta), encoding="utf-8")
    for side in s.meta.sides:
        forms = [f for f in s.formations.values() if f.side == side.id]
        text = _yaml("formations", forms)
        (dest / "forces" / f"{side.id}.yaml").write_text(text, encoding="utf-8")
        plans = [p for p in s.plans.values() if p.formation in {f.id for f in forms}]
        text = _yaml("plans", plans)
        (dest / "plans" / f"{side.id}.yaml").write_text(text, encoding="utf-8")
    orphans = [p for p in s.plans.values() if p.formation not in s.formations]
    if orphans:
        text = _yaml("plans", orphans)
        (dest / "plans" / "unassigned.yaml").write_text(text, encoding="utf-8")
    railways = {
        "lines": [_dump(r) for r in s.railways.values()],
        "roads": [_dump(r) for r in s.roads.values()],
    }
    (dest / "railways.yaml").write_text(
        yaml.safe_dump(railways, sort_keys=False, allow_unicode=True, width=88),
        encoding="utf-8",
    )
    (dest / "fortified_regions.yaml").write_text(
        _yaml("fortified_regions", s.fortified_regions.values()), encoding="utf-8"
    )
    (dest / "places.csv").write_text(
        _csv(s.places.values(), PLACE_COLUMNS), encoding="utf-8"
    )
    (dest / "events.csv").write_text(_csv(s.events, EVENT_COLUMNS), encoding="utf-8")
    (dest / "weather.csv").write_text(
        _csv(s.weather, WEATHER_COLUMNS), encoding="utf-8"
    )
    for vid, variant in s.variants.items():
        text = yaml.safe_dump(
            _dump(variant), sort_keys=False, allow_unicode=True, width=88
        )
        (dest / "variants" / f"{vid}.yaml").write_text(text, encoding="utf-8")
    if s.record_dir is not None:
        shutil.copytree(s.record_dir, dest / "record")

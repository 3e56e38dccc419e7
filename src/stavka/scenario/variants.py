"""Apply a variant's patches (set / add / remove) to the raw records of a scenario.

Patches act on raw records before validation, so the patched objects go through the same
models and consistency checks as the base scenario. Objects a patch changed or added
remember the patch (``Origin.note``), and their problems say so.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from stavka.errors import Problem
from stavka.scenario.rawfiles import Origin, RawRecord
from stavka.scenario.schema_plans import Variant, VariantPatch

__all__ = ["apply_variant", "key_field"]


def key_field(collection: str) -> str:
    """Return the field that identifies an object of ``collection``."""
    return "formation" if collection == "plans" else "id"


def _set_path(data: dict[str, Any], path: str, value: Any) -> str | None:
    """Set ``data[a][b]...[z] = value`` for ``path = 'a.b...z'``; return any error."""
    parts = path.split(".")
    target: Any = data
    for depth, part in enumerate(parts[:-1]):
        if isinstance(target, dict):
            nxt = target.get(part)
            if nxt is None:
                nxt = target[part] = {}
            target = nxt
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return f"{'.'.join(parts[: depth + 1])!r} is not a mapping or list index"
    last = parts[-1]
    if isinstance(target, dict):
        target[last] = copy.deepcopy(value)
        return None
    if isinstance(target, list) and last.isdigit() and int(last) < len(target):
        target[int(last)] = copy.deepcopy(value)
        return None
    return f"{path!r} does not lead to a field"


def _apply(
    patch: VariantPatch,
    origin: Origin,
    collections: dict[str, list[RawRecord]],
    problems: list[Problem],
) -> None:
    key = key_field(patch.collection)
    items = collections[patch.collection]
    where = origin.locate()
    label = f"{origin.file}:{origin.locate().split(':')[0]}"
    if patch.op == "add":
        if not isinstance(patch.value, dict):
            what = "'add' needs 'value' to be the whole new object (a mapping)"
            problems.append(Problem(origin.file, where, what, "see the docs"))
            return
        new_origin = Origin(origin.file, (*origin.prefix, "value"), origin.lines)
        items.append(RawRecord(copy.deepcopy(patch.value), new_origin))
        return
    if patch.id is None:
        what = f"'{patch.op}' needs 'id' (the {key} of the object)"
        problems.append(Problem(origin.file, where, what, "add 'id'"))
        return
    hits = [i for i, r in enumerate(items) if r.data.get(key) == patch.id]
    if not hits:
        what = f"{patch.collection} has no object with {key} {patch.id!r}"
        problems.append(Problem(origin.file, where, what, "check the id"))
        return
    if patch.op == "remove":
        collections[patch.collection] = [
            r for r in items if r.data.get(key) != patch.id
        ]
        return
    if not patch.path:
        fix = "e.g. path: location.place"
        problems.append(Problem(origin.file, where, "'set' needs 'path'", fix))
        return
    for i in hits:
        rec = items[i]
        data = copy.deepcopy(rec.data)
        error = _set_path(data, patch.path, patch.value)
        if error is not None:
            problems.append(Problem(origin.file, where, error, "check 'path'"))
            return
        items[i] = RawRecord(data, dataclasses.replace(rec.origin, note=label))


def apply_variant(
    variant: Variant,
    record: RawRecord,
    collections: dict[str, list[RawRecord]],
    problems: list[Problem],
) -> dict[str, list[RawRecord]]:
    """Return patched copies of ``collections``; the input is left unchanged.

    Args:
        variant: the validated variant.
        record: its raw record (for file and line of each patch).
        collections: raw records by collection name.
        problems: receives a problem for each patch that cannot be applied.

    Returns:
        The collections after every patch, in order.
    """
    out = {name: list(items) for name, items in collections.items()}
    for i, patch in enumerate(variant.patches):
        origin = Origin(record.origin.file, ("patches", i), record.origin.lines)
        _apply(patch, origin, out, problems)
    return out

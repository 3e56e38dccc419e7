"""Apply a variant's patches (set / add / remove) to the raw records of a scenario.

A patch acts on one object by its id, or on every object chosen by its fields
(``where``) and, for formations, by a command subtree (``under``); events.csv rows have
no id and are chosen by their fields.

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
    return {"plans": "formation", "events": ""}.get(collection, "id")


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


def _field(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a raw object (None where it has none)."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _same(have: Any, want: object) -> bool:
    """Equal, or equal as text (CSV cells are text; YAML reads 1945-08-15 as a date)."""
    return bool(have == want) or (
        have is not None and want is not None and str(have) == str(want)
    )


def _matches(data: dict[str, Any], where: dict[str, object]) -> bool:
    """Whether every field in ``where`` equals its value (a list: any of them)."""
    for path, want in where.items():
        have = _field(data, path)
        wants = want if isinstance(want, list) else [want]
        if not any(_same(have, w) for w in wants):
            return False
    return True


def _subtree(items: list[RawRecord], root: str) -> set[str]:
    """Ids of the formation ``root`` and every formation below it (raw records)."""
    parent: dict[str, str | None] = {
        str(r.data.get("id")): r.data.get("parent") for r in items
    }
    out: set[str] = set()
    for fid in parent:
        node: str | None = fid
        seen: set[str] = set()
        while node is not None and node not in seen:
            if node == root:
                out.add(fid)
                break
            seen.add(node)
            node = parent.get(node)
    return out


def _selected(
    patch: VariantPatch, items: list[RawRecord], key: str
) -> tuple[list[int], str | None, str]:
    """Indices of the objects a 'set' or 'remove' patch acts on.

    Returns the indices, the problem (or None) and its fix.
    """
    chooses = patch.where is not None or patch.under is not None
    if patch.id is not None:
        if chooses:
            return [], "give 'id' or 'where'/'under', not both", "keep one"
        if not key:
            return [], f"{patch.collection} have no id", "choose them with 'where'"
        hits = [i for i, r in enumerate(items) if r.data.get(key) == patch.id]
        what = f"{patch.collection} has no object with {key} {patch.id!r}"
        return hits, None if hits else what, "check the id"
    if not chooses:
        if not key:
            what = f"'{patch.op}' needs 'where' ({patch.collection} have no id)"
            return [], what, "add 'where'"
        what = f"'{patch.op}' needs 'id' (the {key} of the object) or 'where'/'under'"
        return [], what, "add 'id'"
    if patch.under is not None and patch.collection != "formations":
        return [], "'under' selects formations only", "use 'where'"
    below = _subtree(items, patch.under) if patch.under is not None else None
    hits = [
        i
        for i, r in enumerate(items)
        if (below is None or r.data.get(key) in below)
        and _matches(r.data, patch.where or {})
    ]
    what = f"no object of {patch.collection} matches" + "".join(
        (
            f" where {patch.where!r}" if patch.where else "",
            f" under {patch.under!r}" if patch.under else "",
        )
    )
    return hits, None if hits else what, "check 'where' and 'under'"


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
        if patch.id is not None or patch.where is not None or patch.under is not None:
            what = "'add' takes the whole object in 'value': no 'id', 'where', 'under'"
            problems.append(Problem(origin.file, where, what, "put the id in 'value'"))
            return
        if not isinstance(patch.value, dict):
            what = "'add' needs 'value' to be the whole new object (a mapping)"
            problems.append(Problem(origin.file, where, what, "see the docs"))
            return
        new_origin = Origin(origin.file, (*origin.prefix, "value"), origin.lines)
        items.append(RawRecord(copy.deepcopy(patch.value), new_origin))
        return
    hits, trouble, fix = _selected(patch, items, key)
    if trouble is not None:
        problems.append(Problem(origin.file, where, trouble, fix))
        return
    if patch.op == "remove":
        gone = set(hits)
        collections[patch.collection] = [
            r for i, r in enumerate(items) if i not in gone
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

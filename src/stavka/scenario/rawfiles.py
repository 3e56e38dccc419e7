"""Read a scenario's plain files into raw records that remember where they came from.

Every reader returns ``(records, problems)`` and never raises for bad input: syntax
errors become :class:`~stavka.errors.Problem` entries naming file and line, so the
loader can report *every* problem in one go.

YAML is read without implicit timestamps (``1945-02-30`` stays a string and the models
report it as an impossible date), with duplicate keys and recursive aliases reported.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stavka.errors import Problem

__all__ = [
    "Origin",
    "PathKey",
    "RawRecord",
    "load_yaml_with_lines",
    "read_csv",
    "read_toml",
    "read_yaml_list",
    "read_yaml_mapping",
]

PathKey = tuple[str | int, ...]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAX_NODES = 200_000
"""Stop mapping lines after this many YAML nodes (guards against alias bombs)."""


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as strings (the models parse them)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a raw record came from: file, field path prefix and a path-to-line map.

    ``note`` names the variant patch that changed the record (``variants/x.yaml:12``);
    problems found in the record mention it.
    """

    file: str
    prefix: PathKey = ()
    lines: dict[PathKey, int] = field(default_factory=dict, hash=False, compare=False)
    line: int | None = None
    note: str | None = None

    def explain(self, what: str) -> str:
        """Append the patch note, if any, to a problem text."""
        return f"{what} (after the variant patch at {self.note})" if self.note else what

    def locate(self, loc: PathKey = ()) -> str:
        """Describe a field inside this record as ``N: a.b[2].c`` (N = line)."""
        full = self.prefix + tuple(loc)
        dotted = dotted_path(full)
        line = None
        for cut in range(len(full), -1, -1):
            line = self.lines.get(full[:cut])
            if line is not None:
                break
        if line is None:
            line = self.line
        if line is None:
            return dotted
        return f"{line}: {dotted}" if dotted else str(line)


@dataclass(slots=True)
class RawRecord:
    """A mapping read from a file, before validation, with its origin."""

    data: dict[str, Any]
    origin: Origin


def dotted_path(path: PathKey) -> str:
    """Render a field path as ``a.b[2].c``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    try:
        return path.read_text(encoding="utf-8-sig"), []
    except (OSError, UnicodeDecodeError) as err:
        return None, [
            Problem(rel, "", f"cannot read the file: {err}", "save it as UTF-8 text")
        ]


def _scan_nodes(
    node: yaml.Node, rel: str, lines: dict[PathKey, int], problems: list[Problem]
) -> None:
    """Map field paths to lines; report duplicate keys and recursive aliases."""
    count = 0
    stack: list[tuple[yaml.Node, PathKey, frozenset[int]]] = [(node, (), frozenset())]
    while stack and count < _MAX_NODES:
        current, path, ancestors = stack.pop()
        count += 1
        lines.setdefault(path, current.start_mark.line + 1)
        if id(current) in ancestors:
            problems.append(
                Problem(
                    rel,
                    str(current.start_mark.line + 1),
                    "a YAML alias refers to a node that contains it",
                    "remove the recursive '*alias'",
                )
            )
            continue
        inner = ancestors | {id(current)}
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                key = (
                    str(key_node.value)
                    if isinstance(key_node, yaml.ScalarNode)
                    else "?"
                )
                line = key_node.start_mark.line + 1
                if key in seen and key != "<<":
                    problems.append(
                        Problem(
                            rel,
                            f"{line}: {dotted_path((*path, key))}",
                            f"duplicate key {key!r} (first on line {seen[key]})",
                            "keep one of them",
                        )
                    )
                seen.setdefault(key, line)
                lines[(*path, key)] = line
                stack.append((value_node, (*path, key), inner))
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                stack.append((item, (*path, i), inner))


def load_yaml_with_lines(
    path: Path, rel: str
) -> tuple[Any, dict[PathKey, int], list[Problem]]:
    """Parse a YAML file; return its data, a field-path-to-line map and its problems."""
    text, problems = _read_text(path, rel)
    if text is None:
        return None, {}, problems
    lines: dict[PathKey, int] = {}
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, lines, []
        _scan_nodes(node, rel, lines, problems)
        if problems:
            return None, lines, problems
        data = loader.construct_document(node)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{mark.line + 1}" if mark is not None else ""
        what = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, {}, [Problem(rel, where, f"YAML syntax error: {what}", "fix it")]
    except (ValueError, TypeError, OverflowError, RecursionError) as err:
        what = f"YAML value cannot be read: {err}"
        return None, {}, [Problem(rel, "", what, "check tags like !!float")]
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines, []


def read_yaml_mapping(path: Path, rel: str) -> tuple[RawRecord | None, list[Problem]]:
    """Read a YAML file whose top level is a mapping (e.g. a variant)."""
    data, lines, problems = load_yaml_with_lines(path, rel)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        fix = "write 'key: value' lines"
        return None, [Problem(rel, "1", "the top level must be a mapping", fix)]
    return RawRecord(data, Origin(rel, (), lines)), []


def yaml_items(
    data: Any, lines: dict[PathKey, int], rel: str, key: str
) -> tuple[list[RawRecord], list[Problem]]:
    """Turn the list under ``data[key]`` into raw records (absent or null = empty)."""
    items = data.get(key)
    if items is None:
        return [], []
    if not isinstance(items, list):
        where = f"{lines.get((key,), 1)}: {key}"
        return [], [Problem(rel, where, f"'{key}' must be a list", "use '- ' items")]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            where = f"{lines.get((key, i), '?')}: {key}[{i}]"
            fix = "write the item as 'key: value' lines"
            problems.append(Problem(rel, where, "an item must be a mapping", fix))
            continue
        records.append(RawRecord(item, Origin(rel, (key, i), lines)))
    return records, problems


def read_yaml_list(
    path: Path, rel: str, key: str, others: tuple[str, ...] = ()
) -> tuple[dict[str, list[RawRecord]], list[Problem]]:
    """Read the lists under ``key`` (required) and ``others`` (optional) of a YAML file.

    Returns:
        ``{list name: records}`` and the problems found.
    """
    data, lines, problems = load_yaml_with_lines(path, rel)
    out: dict[str, list[RawRecord]] = {k: [] for k in (key, *others)}
    if problems:
        return out, problems
    if not isinstance(data, dict) or key not in data:
        fix = f"start the file with '{key}:'"
        return out, [
            Problem(rel, "1", f"the file needs a top-level '{key}:' list", fix)
        ]
    allowed = {key, *others, "meta"}
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        fix = f"only {', '.join(repr(a) for a in sorted(allowed))} are allowed"
        problems.append(Problem(rel, "1", f"unknown top-level keys {extra}", fix))
    for name in out:
        out[name], errs = yaml_items(data, lines, rel, name)
        problems += errs
    return out, problems


_TOML_TABLE = re.compile(r"^\[(\[)?\s*([A-Za-z0-9_.\-]+)\s*\]")
_TOML_KEY = re.compile(r"^([A-Za-z0-9_\-]+)\s*=")
_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def _toml_lines(text: str) -> dict[PathKey, int]:
    """Map TOML keys (``sides[1].id``) to lines; a best-effort scan of simple files."""
    lines: dict[PathKey, int] = {}
    table: PathKey = ()
    arrays: dict[PathKey, int] = {}
    in_string = False
    for n, raw in enumerate(text.splitlines(), start=1):
        s = raw.strip()
        quotes = s.count('"""') + s.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if m := _TOML_TABLE.match(s):
            name: PathKey = tuple(m[2].split("."))
            if m[1]:
                arrays[name] = arrays.get(name, -1) + 1
                table = (*name, arrays[name])
            else:
                table = name
            lines[table] = n
        elif m := _TOML_KEY.match(s):
            lines[(*table, m[1])] = n
        in_string = quotes % 2 == 1
    return lines


def read_toml(path: Path, rel: str) -> tuple[RawRecord | None, list[Problem]]:
    """Read a TOML file into one raw record."""
    text, problems = _read_text(path, rel)
    if text is None:
        return None, problems
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        at = _TOML_AT.search(str(err))
        where = at[1] if at else ""
        what = _TOML_AT.sub("", str(err)).strip()
        return None, [Problem(rel, where, f"TOML syntax error: {what}", "fix it")]
    return RawRecord(data, Origin(rel, (), _toml_lines(text))), []


def read_csv(
    path: Path,
    rel: str,
    columns: list[str],
    required: set[str],
    list_columns: frozenset[str] = frozenset(),
) -> tuple[list[RawRecord], list[Problem]]:
    """Read a CSV file with a header; empty cells become absent fields.

    Args:
        path: the file.
        rel: its name in messages.
        columns: every allowed column, in order.
        required: columns that must be in the header.
        list_columns: columns whose cells are ';'-separated lists.

    Returns:
        One raw record per data row (its origin names the row's first line) and the
        problems found.
    """
    text, problems = _read_text(path, rel)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        fix = f"write a header: {','.join(columns)}"
        return [], [Problem(rel, "1", "the file is empty", fix)]
    except csv.Error as err:
        return [], [Problem(rel, "1", f"CSV syntax error: {err}", "fix the quoting")]
    unknown = [c for c in header if c not in columns]
    missing = sorted(required - set(header))
    twice = sorted({c for c in header if header.count(c) > 1})
    if unknown:
        fix = f"allowed: {', '.join(columns)}"
        problems.append(Problem(rel, "1", f"unknown columns {unknown}", fix))
    if twice:
        problems.append(Problem(rel, "1", f"repeated columns {twice}", "keep one"))
    if missing:
        fix = "add them to the header"
        problems.append(Problem(rel, "1", f"missing columns {missing}", fix))
        return [], problems
    records: list[RawRecord] = []
    last = reader.line_num
    try:
        for row in reader:
            first, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                what = f"{len(row)} cells but the header has {len(header)}"
                problems.append(Problem(rel, f"{first}", what, "quote commas"))
                continue
            data: dict[str, Any] = {}
            for col, cell in zip(header, row, strict=True):
                value = cell.strip()
                if col not in columns or value == "":
                    continue
                if col in list_columns:
                    data[col] = [v.strip() for v in value.split(";") if v.strip()]
                else:
                    data[col] = value
            records.append(RawRecord(data, Origin(rel, (), {}, first)))
    except csv.Error as err:
        where = f"{reader.line_num}"
        problems.append(Problem(rel, where, f"CSV syntax error: {err}", "fix quoting"))
    return records, problems

"""Read a scenario's plain files into raw records that remember where they came from.

Every reader returns ``(records, problems)`` and never raises for bad input: syntax errors
become :class:`~stavka.errors.Problem` entries naming file and line, so the loader can
report *every* problem in one go.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stavka.errors import Problem

__all__ = [
    "Origin",
    "RawRecord",
    "load_yaml_with_lines",
    "read_csv",
    "read_toml",
    "read_yaml_list",
    "read_yaml_mapping",
]

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a raw record came from: file, its field path prefix, and a path-to-line map."""

    file: str
    prefix: PathKey = ()
    lines: dict[PathKey, int] = field(default_factory=dict, hash=False, compare=False)
    line: int | None = None

    def locate(self, loc: PathKey = ()) -> str:
        """Describe a field inside this record as ``line N: a.b[2].c``."""
        full = self.prefix + tuple(loc)
        dotted = _dotted(full)
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


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += (
            f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        )
    return out


def _line_map(node: yaml.Node, path: PathKey, out: dict[PathKey, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (
                key_node.value
                if isinstance(key_node, yaml.ScalarNode)
                else str(key_node.value)
            )
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), out)


def load_yaml_with_lines(
    path: Path, rel: str
) -> tuple[Any, dict[PathKey, int], list[Problem]]:
    """Parse a YAML file; return its data, a field-path-to-line map and syntax problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return (
            None,
            {},
            [Problem(rel, "", f"cannot read the file: {err}", "save it as UTF-8 text")],
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        return (
            None,
            {},
            [
                Problem(
                    rel, where, f"YAML syntax error: {problem}", "fix the YAML syntax"
                )
            ],
        )
    lines: dict[PathKey, int] = {}
    if node is not None:
        _line_map(node, (), lines)
    return data, lines, []


def read_yaml_mapping(path: Path, rel: str) -> tuple[RawRecord | None, list[Problem]]:
    """Read a YAML file whose top level is a mapping (e.g. a variant)."""
    data, lines, problems = load_yaml_with_lines(path, rel)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [
            Problem(
                rel, "1", "the top level must be a mapping", "write 'key: value' lines"
            )
        ]
    return RawRecord(data, Origin(rel, (), lines)), []


def read_yaml_list(
    path: Path, rel: str, key: str
) -> tuple[list[RawRecord], list[Problem]]:
    """Read the list under ``key`` in a YAML file; each item becomes a raw record."""
    data, lines, problems = load_yaml_with_lines(path, rel)
    if problems:
        return [], problems
    if not isinstance(data, dict) or key not in data:
        return [], [
            Problem(
                rel,
                "1",
                f"the file needs a top-level '{key}:' list",
                f"start the file with '{key}:'",
            )
        ]
    extra = sorted(str(k) for k in data if k != key and k != "meta")
    if extra:
        problems.append(
            Problem(
                rel,
                "1",
                f"unknown top-level keys {extra}",
                f"only '{key}' and 'meta' are allowed",
            )
        )
    items = data[key]
    if not isinstance(items, list):
        return [], [
            *problems,
            Problem(
                rel,
                str(lines.get((key,), 1)),
                f"'{key}' must be a list",
                "use '- ' items",
            ),
        ]
    records: list[RawRecord] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    rel,
                    f"{lines.get((key, i), '?')}: {key}[{i}]",
                    "an item must be a mapping",
                )
            )
            continue
        records.append(RawRecord(item, Origin(rel, (key, i), lines)))
    return records, problems


def read_toml(path: Path, rel: str) -> tuple[RawRecord | None, list[Problem]]:
    """Read a TOML file into one raw record."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        return None, [
            Problem(rel, "", f"TOML syntax error: {err}", "fix the TOML syntax")
        ]
    except (OSError, UnicodeDecodeError) as err:
        return None, [
            Problem(rel, "", f"cannot read the file: {err}", "save it as UTF-8 text")
        ]
    return RawRecord(data, Origin(rel)), []


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
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return [], [
            Problem(rel, "", f"cannot read the file: {err}", "save it as UTF-8 text")
        ]
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        return [], [
            Problem(
                rel, "1", "the file is empty", f"write a header: {','.join(columns)}"
            )
        ]
    except csv.Error as err:
        return [], [Problem(rel, "1", f"CSV syntax error: {err}", "fix the quoting")]
    problems: list[Problem] = []
    unknown = [c for c in header if c not in columns]
    missing = sorted(required - set(header))
    if unknown:
        problems.append(
            Problem(
                rel, "1", f"unknown columns {unknown}", f"allowed: {', '.join(columns)}"
            )
        )
    if missing:
        problems.append(
            Problem(rel, "1", f"missing columns {missing}", "add them to the header")
        )
    if missing:
        return [], problems
    records: list[RawRecord] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    Problem(
                        rel,
                        f"{line}",
                        f"{len(row)} cells but the header has {len(header)}",
                        "quote cells with commas",
                    )
                )
                continue
            data: dict[str, Any] = {}
            for col, cell in zip(header, row, strict=True):
                value = cell.strip()
                if col not in columns or value == "":
                    continue
                data[col] = (
                    [v.strip() for v in value.split(";") if v.strip()]
                    if col in list_columns
                    else value
                )
            records.append(RawRecord(data, Origin(rel, (), {}, line)))
    except csv.Error as err:
        problems.append(
            Problem(
                rel, f"{reader.line_num}", f"CSV syntax error: {err}", "fix the quoting"
            )
        )
    return records, problems

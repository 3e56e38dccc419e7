"""Property tests: mutated scenario files raise ScenarioError or load, nothing else."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stavka.scenario import check_scenario, load_scenario

MINI = Path(__file__).resolve().parent / "data" / "mini"
FILES = sorted(str(p.relative_to(MINI)) for p in MINI.rglob("*") if p.is_file())
WRONG_VALUES = [
    "[1, 2]",
    "{a: 1}",
    "-5",
    "1.5e400",
    ".nan",
    "null",
    '"text"',
    "1945-02-30",
    "true",
    "&x [*x]",
    "!!binary x",
    "'",
    "",
]
NOISE = [*":[]{}\"',-#&*!|>%@` \t\n;=0x", "\x00", "é", "\ufeff"]
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini scenario shared by the examples of this module."""
    root = tmp_path_factory.mktemp("props") / "mini"
    shutil.copytree(MINI, root)
    return root


@contextmanager
def _copy(root: Path) -> Iterator[Path]:
    """Yield the scratch copy; files an example rewrote are restored afterwards."""
    try:
        yield root
    finally:
        for name in FILES:
            original = (MINI / name).read_bytes()
            if (root / name).read_bytes() != original:
                (root / name).write_bytes(original)


def _only_scenario_errors(root: Path, variant: str | None = None) -> None:
    """Check (and load, if clean); anything but ScenarioError fails the test."""
    scenario, problems = check_scenario(root, variant)
    for p in problems:
        assert p.file and p.what
        assert "Traceback" not in str(p)
    if scenario is not None:
        assert problems == []
        assert load_scenario(root, variant).id == "mini"
    else:
        assert problems, "a failed check lists at least one problem"


@st.composite
def _line_edit(draw: st.DrawFn) -> tuple[str, list[str]]:
    name = draw(st.sampled_from(FILES))
    lines = (MINI / name).read_text(encoding="utf-8").splitlines(keepends=True)
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "blank"]))
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif op == "truncate":
        lines = lines[:i]
    elif op == "blank":
        lines[i] = "\n"
    return name, lines


@given(edit=_line_edit())
@SETTINGS
def test_line_edits(scratch: Path, edit: tuple[str, list[str]]) -> None:
    """Deleting, duplicating, swapping or cutting lines never escapes as a traceback."""
    name, lines = edit
    with _copy(scratch) as root:
        (root / name).write_text("".join(lines), encoding="utf-8")
        _only_scenario_errors(root)


@given(
    name=st.sampled_from(FILES),
    where=st.floats(0, 1),
    chars=st.text(alphabet=st.sampled_from(NOISE), min_size=1, max_size=3),
)
@SETTINGS
def test_character_flips(scratch: Path, name: str, where: float, chars: str) -> None:
    """Replacing a few characters anywhere never escapes as a traceback."""
    with _copy(scratch) as root:
        path = root / name
        text = path.read_text(encoding="utf-8")
        i = int(where * max(len(text) - 1, 0))
        path.write_text(text[:i] + chars + text[i + len(chars) :], encoding="utf-8")
        _only_scenario_errors(root, "blue-forward")


_YAML_VALUE = re.compile(r"^(\s*-?\s*[a-z_]+:)\s*(\S.*)$")
_YAML_FILES = [f for f in FILES if f.endswith(".yaml")]


@given(
    name=st.sampled_from(_YAML_FILES),
    pick=st.integers(0, 10_000),
    value=st.sampled_from(WRONG_VALUES),
    drop=st.booleans(),
)
@SETTINGS
def test_wrong_types_and_dropped_keys(
    scratch: Path, name: str, pick: int, value: str, drop: bool
) -> None:
    """A YAML value of a wrong type, or a dropped key, gives ScenarioError at worst."""
    with _copy(scratch) as root:
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        spots = [i for i, line in enumerate(lines) if _YAML_VALUE.match(line)]
        i = spots[pick % len(spots)]
        if drop:
            del lines[i]
        else:
            m = _YAML_VALUE.match(lines[i])
            assert m is not None
            lines[i] = f"{m[1]} {value}\n"
        path.write_text("".join(lines), encoding="utf-8")
        _only_scenario_errors(root, "blue-forward")


_CSV_FILES = [f for f in FILES if f.endswith(".csv")]


@given(
    name=st.sampled_from(_CSV_FILES),
    row=st.integers(0, 50),
    col=st.integers(0, 20),
    value=st.sampled_from(["", "x", "-1", "1e999", "2045-13-01", '"', "a;b", ",,"]),
)
@SETTINGS
def test_csv_cells(scratch: Path, name: str, row: int, col: int, value: str) -> None:
    """Any cell of a CSV file set to a bad value gives ScenarioError at worst."""
    with _copy(scratch) as root:
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines()
        r = row % len(lines)
        cells = lines[r].split(",")
        cells[col % len(cells)] = value
        lines[r] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _only_scenario_errors(root)

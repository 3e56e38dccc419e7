"""Fixtures of the scenario tests: the mini scenario and a writable copy of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture
def mini_dir() -> Path:
    """The committed mini scenario (read-only use)."""
    return MINI


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh copy of the mini scenario that a test may edit."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace the first ``old`` (which must occur) by ``new`` in a text file."""
    return _edit

"""The top-level API matches docs/api.md and imports lightly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import stavka

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_all_is_sorted_and_documented() -> None:
    """__all__ is sorted and every name in it (and only those) is in docs/api.md."""
    assert list(stavka.__all__) == sorted(stavka.__all__)
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Za-z_]+)(?:\(|`)", text))
    assert set(stavka.__all__) <= documented


def test_lazy_names_resolve() -> None:
    """Each lazily imported name resolves to a callable or class."""
    for name in stavka.__all__:
        assert getattr(stavka, name) is not None


def test_import_does_not_load_the_engine() -> None:
    """`import stavka` loads neither the engine nor the map (no import side effects)."""
    code = (
        "import sys, stavka; print('stavka.engine' in sys.modules, 'h3' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]

"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The project's shared/ folder (history pack, battle data), beside the checkout."""
    if not SHARED.is_dir():
        pytest.skip("shared/ is not beside the checkout")
    return SHARED

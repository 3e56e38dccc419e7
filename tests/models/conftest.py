"""Fixtures for the stavka.models tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stavka.models.api import CombatModels, load_models

SHARED = Path(__file__).resolve().parents[3] / "shared"
CALIB = SHARED / "data" / "cdb90" / "battles_calibration.csv"


@pytest.fixture(scope="session")
def calib_path() -> Path:
    """The CDB90 calibration table beside the checkout."""
    if not CALIB.is_file():
        pytest.skip("shared/data/cdb90 is not beside the checkout")
    return CALIB


@pytest.fixture(scope="session")
def fitted_doc(calib_path: Path) -> dict[str, Any]:
    """A full fit with leave-one-campaign-out CV (about 10 s, run once)."""
    from stavka.models.fit import run_fit

    return run_fit(calib_path)


@pytest.fixture(scope="session")
def models() -> CombatModels:
    """The shipped fitted models."""
    return load_models()


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def write_csv() -> Callable[[Path, list[str], list[list[str]]], Path]:
    """A helper that writes a small CSV (header, rows) and returns its path."""
    return _write_csv

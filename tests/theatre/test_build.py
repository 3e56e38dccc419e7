"""Rebuilding the map from the geodata packages (slow; needs scripts/build_map.sh)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stavka.theatre.model import DATA_DIR
from stavka.theatre.store import read_npz, write_npz


def test_write_npz_reproducible(tmp_path: Path) -> None:
    """The same arrays give the same bytes, and read back equal."""
    arrays = {"b": np.arange(5, dtype=np.int16), "a": np.array(3), "c": np.eye(2)}
    write_npz(tmp_path / "x.npz", arrays)
    write_npz(tmp_path / "y.npz", dict(reversed(list(arrays.items()))))
    assert (tmp_path / "x.npz").read_bytes() == (tmp_path / "y.npz").read_bytes()
    back = read_npz(tmp_path / "x.npz")
    assert all(np.array_equal(back[k], v) for k, v in arrays.items())
    assert back["a"].shape == ()


@pytest.mark.slow_build
def test_build_reproduces_shipped_bytes(tmp_path: Path) -> None:
    """`map build` twice gives the shipped bytes both times."""
    pytest.importorskip("h5py")
    from stavka.theatre.build import build

    for sub in ("one", "two"):
        build(5, tmp_path / sub)
    for name in ("theatre_r5.npz", "theatre_r5.json", "base.npz"):
        one = (tmp_path / "one" / name).read_bytes()
        assert one == (tmp_path / "two" / name).read_bytes()
        assert one == (DATA_DIR / name).read_bytes(), name

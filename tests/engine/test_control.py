"""Place control sums: the sparse unit-to-place pairs equal the dense comparison."""

from __future__ import annotations

import numpy as np

from stavka.engine.core import _at_places


def test_unit_place_pairs_and_sums_match_the_dense_einsum() -> None:
    """Every (replica, unit, place) pair is found, and the sums are bit-identical."""
    rng = np.random.default_rng(5)
    for _ in range(10):
        place_cells = rng.integers(0, 60, 40).astype(np.int32)  # some cells shared
        cell = rng.integers(0, 80, (7, 90)).astype(np.int32)
        men = rng.random((7, 90)) * 1e4 * (rng.random((7, 90)) < 0.8)
        at = cell[:, :, None] == place_cells[None, None, :]
        rr, uu, pp = _at_places(place_cells, cell)
        dense = list(zip(*np.nonzero(at), strict=True))
        assert sorted(zip(rr, uu, pp, strict=True)) == dense
        assert np.all(np.diff(rr * 90 + uu) >= 0)  # replica, then unit order
        sums = np.bincount(rr * 40 + pp, weights=men[rr, uu], minlength=7 * 40)
        assert np.array_equal(sums.reshape(7, 40), np.einsum("ru,rup->rp", men, at))

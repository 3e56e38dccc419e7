"""Place control sums: the compiled per-place sums equal the dense comparison."""

from __future__ import annotations

import numpy as np

from stavka.engine.kernels_sums import men_at_places


def test_men_at_places_match_the_dense_einsum() -> None:
    """Active men per side and place equal the dense [R, U, P] sums (to rounding)."""
    rng = np.random.default_rng(5)
    for _ in range(10):
        n_cells, n_p = 80, 40
        place_cells = rng.integers(0, 60, n_p).astype(np.int64)  # some cells shared
        cell = rng.integers(0, n_cells, (7, 90)).astype(np.int32)
        men = rng.random((7, 90)) * 1e4 * (rng.random((7, 90)) < 0.8)
        status = rng.integers(0, 3, (7, 90)).astype(np.int8)
        side = rng.integers(0, 2, 90).astype(np.int8)
        order = np.argsort(place_cells, kind="stable").astype(np.int64)
        count = np.bincount(place_cells, minlength=n_cells).astype(np.int64)
        first = (np.cumsum(count) - count).astype(np.int64)
        s0, s1 = men_at_places(status, side, cell, men, first, count, order, n_p)
        at = cell[:, :, None] == place_cells[None, None, :]
        for s_, got in ((0, s0), (1, s1)):
            w = np.where((status == 1) & (side[None, :] == s_), men, 0.0)
            np.testing.assert_allclose(
                got, np.einsum("ru,rup->rp", w, at), rtol=1e-12, atol=1e-9
            )

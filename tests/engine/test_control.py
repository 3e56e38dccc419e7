"""Place control sums: the compiled per-place sums equal the dense comparison."""

from __future__ import annotations

import numpy as np

from stavka.engine.kernels_combat import new_control
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


def test_new_control_matches_the_sums_at_places() -> None:
    """Fused control equals the rule applied to the per-place sums, any chunks."""
    rng = np.random.default_rng(7)
    n_cells, n_p, n_r, n_u = 80, 40, 7, 90
    place_cells = rng.integers(0, 60, n_p).astype(np.int64)
    cell = rng.integers(0, n_cells, (n_r, n_u)).astype(np.int32)
    men = rng.random((n_r, n_u)) * 1e4 * (rng.random((n_r, n_u)) < 0.8)
    status = rng.integers(0, 3, (n_r, n_u)).astype(np.int8)
    side = rng.integers(0, 2, n_u).astype(np.int8)
    control = rng.integers(0, 2, (n_r, n_p)).astype(np.int8)
    capture = np.where(rng.random((n_r, n_p)) < 0.5, np.nan, 3.0).astype(np.float32)
    order = np.argsort(place_cells, kind="stable").astype(np.int64)
    count = np.bincount(place_cells, minlength=n_cells).astype(np.int64)
    first = (np.cumsum(count) - count).astype(np.int64)
    s0, s1 = men_at_places(status, side, cell, men, first, count, order, n_p)
    to0 = (s0 > 0) & (s1 <= 500.0)
    to1 = (s1 > 0) & (s0 <= 0)
    want = np.where(to0, 0, np.where(to1, 1, control))
    want_cap = np.where(to0 & np.isnan(capture) & (control == 1), 9.0, capture)
    assert (want != control).any()
    for threads in (1, 2, 5):
        got, got_cap = new_control(
            status, side, cell, men, (first, count, order), control, capture,
            500.0, np.float32(9.0), threads,
        )  # fmt: skip
        assert np.array_equal(got, want)
        assert np.array_equal(got_cap, want_cap.astype(np.float32), equal_nan=True)

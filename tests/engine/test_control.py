"""Place control: the compiled kernel equals the dense per-place sums and rule."""

from __future__ import annotations

import numpy as np

from stavka.engine.kernels_combat import control_at_places


def _dense(
    status: np.ndarray,
    side: np.ndarray,
    cell: np.ndarray,
    men: np.ndarray,
    place_cells: np.ndarray,
    control: np.ndarray,
    capture: np.ndarray,
    threshold: float,
    hour: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The control rule on dense [R, U, P] sums (the reference)."""
    at = cell[:, :, None] == place_cells[None, None, :]
    s0, s1 = (
        np.einsum("ru,rup->rp", np.where((status == 1) & (side == s), men, 0.0), at)
        for s in (0, 1)
    )
    to0 = (s0 > 0) & (s1 <= threshold)
    to1 = (s1 > 0) & (s0 <= 0)
    out = np.where(to0, 0, np.where(to1, 1, control)).astype(np.int8)
    first = to0 & np.isnan(capture) & (control == 1)
    return out, np.where(first, np.float32(hour), capture).astype(np.float32)


def test_control_at_places_matches_the_dense_rule() -> None:
    """Control and first-capture hours equal the dense computation, any threads."""
    rng = np.random.default_rng(5)
    for _ in range(10):
        n_cells, n_p, n_r, n_u = 80, 40, 7, 90
        place_cells = rng.integers(0, 60, n_p).astype(np.int64)  # some cells shared
        cell = rng.integers(0, n_cells, (n_r, n_u)).astype(np.int32)
        men = rng.random((n_r, n_u)) * 1e3 * (rng.random((n_r, n_u)) < 0.8)
        status = rng.integers(0, 3, (n_r, n_u)).astype(np.int8)
        side = rng.integers(0, 2, n_u).astype(np.int8)
        control = rng.integers(0, 2, (n_r, n_p)).astype(np.int8)
        capture = np.where(
            rng.random((n_r, n_p)) < 0.5, np.float32(3.0), np.float32(np.nan)
        ).astype(np.float32)
        order = np.argsort(place_cells, kind="stable").astype(np.int64)
        count = np.bincount(place_cells, minlength=n_cells).astype(np.int64)
        first = (np.cumsum(count) - count).astype(np.int64)
        want = _dense(
            status, side, cell, men, place_cells, control, capture, 200.0, 9.0
        )
        for threads in (1, 3):
            got = control_at_places(
                status,
                side,
                cell,
                men,
                (first, count, order),
                control,
                capture,
                200.0,
                np.float32(9.0),
                threads,
            )
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])
        assert (want[0] != control).any()  # the draw exercises the rule

"""Parallel kernels agree bit for bit with scipy, numpy and themselves in chunks."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from stavka.engine.kernels_combat import ContactLosses
from stavka.engine.kernels_routing import nearest_columns, search_table
from stavka.engine.kernels_sums import engagements, prisoners
from stavka.engine.kernels_units import apply_losses


def test_search_table_matches_scipy_dijkstra() -> None:
    """The compiled searches give scipy's distances (float32), unreachable as inf."""
    rng = np.random.default_rng(3)
    tail, head = rng.integers(0, 300, 1800), rng.integers(0, 300, 1800)
    keep = (head != 298) & (tail != head)  # nothing leads to cell 298
    weight = rng.random(1800)[keep] * 10 + 1e-6
    graph = csr_matrix((weight, (tail[keep], head[keep])), shape=(300, 300))
    sources = np.array([0, 7, 299, 150, 7], np.int64)
    want = dijkstra(graph, directed=True, indices=sources).T.astype(np.float32)
    got = search_table(
        graph.indptr.astype(np.int32),
        graph.indices.astype(np.int32),
        graph.data.astype(np.float64),
        sources,
    )
    assert np.isinf(want).any()
    assert got.tobytes() == np.ascontiguousarray(want).tobytes()


def test_nearest_columns_match_stable_argsort() -> None:
    """The nearest columns are the stable argsort's first ones, ties included."""
    rng = np.random.default_rng(4)
    table = rng.integers(0, 6, (200, 30)).astype(np.float32)
    table[rng.random(table.shape) < 0.2] = np.inf
    for k in (1, 8, 40):
        order = np.argsort(table, axis=1, kind="stable")[:, :k]
        got_order, got_near = nearest_columns(table, k)
        assert np.array_equal(got_order, order)
        assert np.array_equal(got_near, np.take_along_axis(table, order, axis=1))


def test_chunked_kernels_do_not_depend_on_the_chunks() -> None:
    """Engagements and prisoners come out alike for 1, 2 and 7 replica chunks."""
    rng = np.random.default_rng(5)
    n_r, n_u, n_cells = 9, 40, 30
    status = rng.integers(1, 3, (n_r, n_u)).astype(np.int8)
    side = (np.arange(n_u) % 2).astype(np.int8)
    cell = rng.integers(0, n_cells, (n_r, n_u)).astype(np.int32)
    attack = np.where(
        rng.random((n_r, n_u)) < 0.5, rng.integers(0, n_cells, (n_r, n_u)), -1
    ).astype(np.int32)
    present = rng.random((n_r, n_u, 9)) * 1000
    ammo = rng.random((n_r, n_u)).astype(np.float32)
    posture = rng.integers(0, 3, (n_r, n_u)).astype(np.int8)
    hours = rng.random((n_r, n_u)).astype(np.float32)
    neighbors = rng.integers(-1, n_cells, (n_cells, 6)).astype(np.int32)
    args = (status, side, attack, cell, present, ammo, posture, hours)
    consts = (np.float32(0.05), 0.5, n_cells, (0, 1, 2, 3, 4))
    outs = [engagements(*args, *consts, t) for t in (1, 2, 7)]
    assert outs[0][0].size > 0
    for out in outs[1:]:
        assert all(np.array_equal(a, b) for a, b in zip(outs[0], out, strict=True))
    men = present[..., 0]
    taken = [prisoners(status, side, cell, men, neighbors, t) for t in (1, 2, 7)]
    assert taken[0][0].size > 0
    for rr, uu in taken[1:]:
        assert np.array_equal(rr, taken[0][0]) and np.array_equal(uu, taken[0][1])


def test_contact_losses_applied_in_place_match_loss_rows() -> None:
    """Applying contact losses in place moves what their loss rows would move."""
    rng = np.random.default_rng(6)
    n_r, n_u, n_l, n_k = 4, 30, 5, 9
    rr, uu = np.nonzero(rng.random((n_r, n_u)) < 0.6)
    n_e = 5
    ea = np.where(rng.random(rr.size) < 0.5, rng.integers(0, n_e, rr.size), -1)
    ed = np.where(ea < 0, rng.integers(0, n_e, rr.size), -1)
    contact = np.stack([rr, uu, ea, ed], axis=1).astype(np.int64)
    rates = rng.random(n_e) * 40, rng.random(n_e) * 40  # some shares exceed 1
    noise = rng.lognormal(0, 0.5, (n_r, n_u)).astype(np.float32)
    # Over 1: a full share is capped at what is present; rows may differ.
    split = np.tile([0.6, 0.5, 0.4], (rr.size, 1))
    split[::3] = [0.2, 0.7, 0.1]
    losses = ContactLosses(contact, *rates, noise, 1.0, split, (0, 1, 3))
    present = rng.random((n_r, n_u, n_k)) * 100
    lost = rng.random((n_r, n_u, n_l, n_k))
    want_p, want_l = present.copy(), lost.copy()
    rows = losses.rows(present, n_l)
    apply_losses(want_p, want_l, rows.rr, rows.uu, rows.hit)
    losses.apply(present, lost)
    assert np.array_equal(present, want_p) and np.array_equal(lost, want_l)
    assert (want_p < 1e-6).any()


def test_contact_losses_cap_the_share_not_the_daily_rate() -> None:
    """A rate of 2 a day for an hour takes 2/24 of a unit; a share over 1, all of it."""
    contact = np.array([[0, 0, 0, -1], [0, 1, -1, 0]], np.int64)
    present = np.full((1, 2, 1), 1000.0)
    split = np.tile([1.0, 0.0, 0.0], (2, 1))
    noise = np.ones((1, 2), np.float32)
    hour = ContactLosses(
        contact, np.array([2.0]), np.array([48.0]), noise, 1 / 24, split, (0, 1, 3)
    )
    rows = hour.rows(present, 5)
    np.testing.assert_allclose(rows.hit[:, 0, 0], [1000.0 * 2 / 24, 1000.0])

"""Routing fields: the fast nearest-target paths agree bit for bit with the plain."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

from stavka.engine.routing import FieldBank, _descend


def _grid_bank(side: int, seed: int) -> FieldBank:
    """A side x side grid (4 neighbours, 2 slots unused) with random edge hours."""
    rng = np.random.default_rng(seed)
    n = side * side
    rows, cols = np.divmod(np.arange(n), side)
    nb = np.full((n, 6), -1, np.int32)
    for slot, (dr, dc) in enumerate(((0, 1), (1, 0), (0, -1), (-1, 0))):
        r2, c2 = rows + dr, cols + dc
        ok = (r2 >= 0) & (r2 < side) & (c2 >= 0) & (c2 < side)
        nb[ok, slot] = (r2 * side + c2)[ok]
    hours = rng.uniform(0.5, 12.0, (n, 6)).astype(np.float32)
    hours[rng.random((n, 6)) < 0.05] = np.inf  # some impassable edges
    return FieldBank(neighbors=nb, hours={"foot": hours})


def _plain_step(
    bank: FieldBank,
    targets: npt.NDArray[np.int64],
    cell: npt.NDArray[np.int32],
    edge_h: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
    """The reference: one unlimited multi-source search, then the steepest descent."""
    values = dijkstra(
        bank.reverse_graph("foot"), directed=True, indices=targets, min_only=True
    ).astype(np.float32)
    nb = bank.neighbors[cell]
    nb_safe = np.where(nb < 0, 0, nb)
    return _descend(nb, nb_safe, cell, values[cell], values[nb_safe], edge_h)


def test_limited_and_table_steps_match_the_unlimited_search() -> None:
    """Radius-limited searches and the per-target table give the plain next hops."""
    bank = _grid_bank(30, seed=3)
    rng = np.random.default_rng(4)
    candidates = np.unique(rng.choice(900, 40, replace=False)).astype(np.int64)
    for _ in range(30):
        held = rng.random(candidates.size) < rng.uniform(0.02, 0.5)
        if not held.any():
            continue
        cell = rng.integers(0, 900, 50).astype(np.int32)
        edge_h = bank.hours["foot"][cell]
        want = _plain_step(bank, candidates[held], cell, edge_h)
        limited = bank.nearest_step("foot", candidates[held], cell, edge_h)
        tabled = bank.step_down_table(
            "foot",
            candidates,
            np.broadcast_to(held, (cell.size, held.size)),
            cell,
            edge_h,
        )
        for got in (limited, tabled):
            assert np.array_equal(got[0], want[0])
            assert np.array_equal(got[1], want[1])

"""Least-time routing on the map: time-to-target fields and next hops, batched.

A *field* is the least travel time (hours) from every cell to one target cell for
one movement class, computed once with Dijkstra on the reversed graph. Units then step
to the neighbour that minimises ``edge_hours + field``; this is the least-time path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from stavka.engine.kernels_routing import nearest_columns, search_table, step_down

__all__ = ["FieldBank", "TheatreLike", "graph_of"]

F32 = npt.NDArray[np.float32]
NEAREST_CACHE = 384
"""Nearest-target fields kept (each N float32, ~150 kB at resolution 5)."""
NEAREST_LIMITS = {24.0: 0.1, 96.0: 0.3, 384.0: 0.8, np.inf: 1.0}
"""Successive search radii (h) of :meth:`FieldBank.nearest_step`, each with its cost
relative to an unlimited search (measured on the August Storm map)."""
TABLE_AFTER_SEARCHES = 100.0
"""Unlimited-search equivalents spent by a routing class before it switches to a
per-target table (a table costs about one search per candidate target)."""
TABLE_MIN_REPLICAS = 4
"""Replicas needing a routing class at once from which it uses a per-target table."""
TABLE_CHUNK = 2048
"""Units per gather from a per-target table (bounds the M x 7 x T temporary)."""
NEARBY = 8
"""Closest candidate targets kept per cell, in ascending order, for a quick minimum."""


class TheatreLike(Protocol):
    """What the engine needs of a theatre map (``stavka.theatre.Theatre`` has it)."""

    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    neighbors: npt.NDArray[np.int32]
    edge_km: npt.NDArray[np.float32]
    water: npt.NDArray[np.bool_]
    fortified_level: npt.NDArray[np.int8]
    rail_gauge_mm: npt.NDArray[np.int32]
    river_class: npt.NDArray[np.int8]
    bridge: npt.NDArray[np.bool_]
    road: npt.NDArray[np.int8]
    place_cell: dict[str, int]
    resolution: int
    h3: Any  # H3 cell indices [N] (uint64 on the built map, strings on test maps)

    def cell_of(self, lat: float, lon: float) -> int:
        """Cell index at a point."""

    def edge_hours(
        self,
        mobility: str,
        weather: npt.NDArray[Any] | None = None,
        roads: bool = True,
    ) -> F32:
        """Hours to cross each edge [N, 6] (``roads=False``: across country)."""


def graph_of(neighbors: npt.NDArray[np.int32], hours: F32) -> csr_matrix:
    """Build a sparse directed graph (i -> neighbour) weighted by finite edge hours."""
    n = neighbors.shape[0]
    rows = np.repeat(np.arange(n), neighbors.shape[1])
    cols = neighbors.ravel()
    w = hours.ravel().astype(np.float64)
    ok = (cols >= 0) & np.isfinite(w)
    # Dijkstra treats explicit zeros as missing edges: keep a tiny positive weight.
    return csr_matrix((np.maximum(w[ok], 1e-6), (rows[ok], cols[ok])), shape=(n, n))


@dataclass
class FieldBank:
    """Time-to-target fields per (routing class, target cell), computed on demand.

    Attributes:
        neighbors: [N, 6] neighbour cells.
        hours: {routing class: [N, 6] edge hours}.
        fields: [F, N] float32 hours to each registered target (inf = unreachable).
    """

    neighbors: npt.NDArray[np.int32]
    hours: dict[str, F32]
    keys: dict[tuple[str, int], int] = field(default_factory=dict)
    _rows: list[F32] = field(default_factory=list)
    fields: F32 = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    _nearest: dict[tuple[str, bytes], tuple[F32, float]] = field(default_factory=dict)
    _reverse: dict[str, csr_matrix] = field(default_factory=dict)
    _misses: dict[str, float] = field(default_factory=dict)
    _tables: dict[tuple[str, bytes], F32] = field(default_factory=dict)
    _nearby: dict[tuple[str, bytes], tuple[npt.NDArray[np.int32], F32]] = field(
        default_factory=dict
    )
    _tabled: set[str] = field(default_factory=set)

    def reverse_graph(self, routing: str) -> csr_matrix:
        """The reversed routing graph of a class (cached).

        Dijkstra on it from targets gives the time from every cell to them.
        """
        if routing not in self._reverse:
            self._reverse[routing] = graph_of(
                self.neighbors, self.hours[routing]
            ).T.tocsr()
        return self._reverse[routing]

    def register(self, routing: str, target: int) -> int:
        """Return the field index for (routing class, target), adding it if new."""
        key = (routing, int(target))
        if key not in self.keys:
            self.keys[key] = len(self.keys)
            self._rows.append(np.empty(0, np.float32))  # placeholder until build()
        return self.keys[key]

    def build(self) -> None:
        """Compute every registered field.

        One Dijkstra per routing class, from many sources.
        """
        n = self.neighbors.shape[0]
        out = np.full((len(self.keys), n), np.inf, np.float32)
        by_class: dict[str, list[tuple[int, int]]] = {}
        for (routing, target), idx in self.keys.items():
            by_class.setdefault(routing, []).append((target, idx))
        for routing, items in by_class.items():
            reverse = self.reverse_graph(routing)
            targets = np.array([t for t, _ in items])
            dist = dijkstra(reverse, directed=True, indices=targets)
            for row, (_, idx) in enumerate(items):
                out[idx] = dist[row]
        self.fields = out

    def next_hop(
        self, cell: npt.NDArray[np.int32], field_idx: npt.NDArray[np.int32], edge_h: F32
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
        """Return the next cell and the edge slot (0-5) toward each unit's target.

        Args:
            cell: current cells, any shape S.
            field_idx: field index per unit, shape S (-1 = no target: stay).
            edge_h: edge hours out of the current cell for each unit's class, S x 6.

        Returns:
            (next cell, edge slot); next = cell and slot = -1 where there is no better
            neighbour (at the target or unreachable).
        """
        nb = self.neighbors[cell]  # S x 6
        fi = np.maximum(field_idx, 0)
        here = self.fields[fi, cell]
        nb_safe = np.where(nb < 0, 0, nb)
        via = np.where(nb < 0, np.inf, edge_h + self.fields[fi[..., None], nb_safe])
        k = np.argmin(via, axis=-1)[..., None]
        best = np.take_along_axis(via, k, axis=-1)[..., 0]
        nxt = np.take_along_axis(nb_safe, k, axis=-1)[..., 0].astype(np.int32)
        closer = self.fields[fi, nxt] < here - 1e-4
        move = (field_idx >= 0) & np.isfinite(best) & closer
        return np.where(move, nxt, cell).astype(np.int32), np.where(move, k[..., 0], -1)

    def nearest(
        self, routing: str, targets: npt.NDArray[np.int64], limit: float = np.inf
    ) -> tuple[F32, float]:
        """Hours from every cell to the nearest of ``targets`` [N], up to ``limit``.

        Cells farther than the limit read inf; those within it read exactly what the
        unlimited search gives (Dijkstra settles them the same way). Cached by target
        set, keeping the widest search so far.

        Returns:
            (field, the limit it was computed with).
        """
        cells = np.unique(targets.astype(np.int64))
        key = (routing, cells.tobytes())
        if key not in self._nearest or self._nearest[key][1] < limit:
            cost = NEAREST_LIMITS.get(limit, 1.0)
            self._misses[routing] = self._misses.get(routing, 0.0) + cost
            if len(self._nearest) > NEAREST_CACHE:
                self._nearest.clear()
            if cells.size == 0:
                values = np.full(self.neighbors.shape[0], np.inf, np.float32)
                limit = np.inf
            else:
                values = dijkstra(
                    self.reverse_graph(routing),
                    directed=True,
                    indices=cells,
                    min_only=True,
                    limit=limit,
                ).astype(np.float32)
            self._nearest[key] = (values, float(limit))
        return self._nearest[key]

    def nearest_step(
        self,
        routing: str,
        targets: npt.NDArray[np.int64],
        cell: npt.NDArray[np.int32],
        edge_h: F32,
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
        """Step each unit toward the nearest of ``targets`` (as :meth:`next_hop`).

        The search is widened (``NEAREST_LIMITS``) until every unit's decision is
        provably the unlimited one: its own cell lies within the limit, and its best
        neighbour's edge + field is below the limit, so no cut-off neighbour (whose
        field, hence edge + field, is at least the limit: rounding is monotone) could
        have been chosen.
        """
        nb = self.neighbors[cell]
        nb_safe = np.where(nb < 0, 0, nb)
        for limit in NEAREST_LIMITS:
            values, used = self.nearest(routing, targets, limit)
            here, there = values[cell], values[nb_safe]
            if used == np.inf:
                break
            via = np.where(nb < 0, np.inf, edge_h + there)
            if (np.isfinite(here) & (via.min(axis=-1) < np.float32(used))).all():
                break
        return _descend(nb, nb_safe, cell, here, there, edge_h)

    def prefers_table(self, routing: str, replicas: int = 1) -> bool:
        """Whether a per-target table pays for a class (either way, same results).

        It does when ``replicas`` (those needing the class now) reach
        ``TABLE_MIN_REPLICAS``, or after ``TABLE_AFTER_SEARCHES`` multi-source
        searches: one search per candidate target (:meth:`place_table`) then costs
        less than further cache misses; or once the class has a table (built ahead
        by the context's warm-up).
        """
        return (
            replicas >= TABLE_MIN_REPLICAS
            or self._misses.get(routing, 0.0) >= TABLE_AFTER_SEARCHES
            or routing in self._tabled
        )

    def place_table(self, routing: str, cells: npt.NDArray[np.int64]) -> F32:
        """Hours from every cell to each of the sorted unique ``cells`` [N, T] (cached).

        The minimum over a subset of its columns is bit-identical to
        :meth:`nearest` of that subset: Dijkstra's distances are minima of rounded
        path sums, and rounding (float64 sums, the float32 cast) is monotone, so the
        minimum over sources commutes with both.
        """
        key = (routing, cells.tobytes())
        if key not in self._tables:
            # As dijkstra(graph, indices=cells).T in float32, and the stable argsort's
            # first NEARBY columns (kernels_routing, the targets in parallel).
            graph = self.reverse_graph(routing)
            table = search_table(
                np.asarray(graph.indptr, np.int32),
                np.asarray(graph.indices, np.int32),
                np.asarray(graph.data, np.float64),
                np.asarray(cells, np.int64),
            )
            self._tables[key] = table
            self._tabled.add(routing)
            self._nearby[key] = nearest_columns(table, NEARBY)
        return self._tables[key]

    def step_down_table(
        self,
        routing: str,
        cells: npt.NDArray[np.int64],
        held: npt.NDArray[np.bool_],
        cell: npt.NDArray[np.int32],
        edge_h: F32,
        rows: npt.NDArray[np.intp] | None = None,
        by_cell: bool = False,
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
        """Like :meth:`nearest_step`, each unit with its own target subset.

        The minimum over a unit's targets is the first of them in each cell's
        ``NEARBY`` closest candidates (ascending, so ties give the same value); only
        where none of those is a target are all candidates scanned.

        Args:
            routing: routing class.
            cells: [T] candidate target cells (:meth:`place_table`).
            held: [M, T] which candidates are targets of each unit (with ``rows``:
                unit i's are ``held[rows[i]]``).
            cell: [M] current cells.
            edge_h: [M, 6] edge hours out of the current cells.
            rows: [M] row of ``held`` of each unit (default: its own).
            by_cell: ``edge_h`` is [N, 6], the edge hours out of every cell.
        """
        table = self.place_table(routing, cells)
        order, near = self._nearby[(routing, cells.tobytes())]
        if rows is None:
            rows = np.arange(cell.shape[0], dtype=np.intp)
        if table.shape[1] > 0 and cell.size > 0:
            return step_down(
                np.ascontiguousarray(held),
                rows.astype(np.intp),
                cell.astype(np.int32),
                np.asarray(edge_h, np.float32),
                by_cell,
                self.neighbors,
                order,
                near,
                table,
            )
        if by_cell:
            edge_h = edge_h[cell]
        nb = self.neighbors[cell]
        nb_safe = np.where(nb < 0, 0, nb)
        at = np.concatenate([cell[:, None], nb_safe], axis=1)  # M x 7
        values = np.full(at.shape, np.inf, np.float32)
        if table.shape[1] == 0:
            return _descend(nb, nb_safe, cell, values[:, 0], values[:, 1:], edge_h)
        held = held[rows]
        idx = np.arange(cell.shape[0])[:, None, None]
        is_target = held[idx, np.take(order, at, axis=0)]  # M x 7 x NEARBY
        first = np.argmax(is_target, axis=-1)[..., None]
        found = np.take_along_axis(is_target, first, axis=-1)[..., 0]
        values = np.take_along_axis(np.take(near, at, axis=0), first, axis=-1)[..., 0]
        rest = np.flatnonzero(~found.all(axis=1))  # units with a cell left to scan
        # Candidates a unit does not target add +inf (and x + 0 = x).
        penalty = np.where(held[rest], np.float32(0), np.float32(np.inf))
        for lo in range(0, rest.size, TABLE_CHUNK):
            part = rest[lo : lo + TABLE_CHUNK]
            vals = np.take(table, at[part], axis=0)  # m x 7 x T
            vals += penalty[lo : lo + TABLE_CHUNK, None, :]
            values[part] = np.where(found[part], values[part], vals.min(axis=-1))
        return _descend(nb, nb_safe, cell, values[:, 0], values[:, 1:], edge_h)


def _descend(
    nb: npt.NDArray[np.int32],
    nb_safe: npt.NDArray[np.int32],
    cell: npt.NDArray[np.int32],
    here: F32,
    there: F32,
    edge_h: F32,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
    """Step to the neighbour minimising edge hours + field, if it is closer."""
    via = np.where(nb < 0, np.inf, edge_h + there)
    k = np.argmin(via, axis=-1)[..., None]
    best = np.take_along_axis(via, k, axis=-1)[..., 0]
    nxt = np.take_along_axis(nb_safe, k, axis=-1)[..., 0].astype(np.int32)
    at_nxt = np.take_along_axis(there, k, axis=-1)[..., 0]
    move = np.isfinite(best) & (at_nxt < here - 1e-4)
    return np.where(move, nxt, cell).astype(np.int32), np.where(move, k[..., 0], -1)

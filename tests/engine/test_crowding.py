"""Road crowding in the compiled march: full cells are gone round or waited for."""

from __future__ import annotations

from typing import Any

import numpy as np

from stavka.engine.kernels import next_hops, second_hop
from stavka.engine.kernels_march import march

# Five cells: 0 is the start; 1 and 2 both lead on (slots 0 and 1 of cell 0); 3 holds
# the enemy (slot 2 of cell 0); 4 is a neighbour of nothing. One routing field:
# hours to go from cells 0-4 (cell 1 best, cell 2 second best from cell 0).
N_CELLS = 5
TRAVEL = 4.0
NEIGHBORS = np.full((N_CELLS, 6), -1, np.int32)
NEIGHBORS[0, :3] = [1, 2, 3]
NEIGHBORS[1, :2] = [3, 0]
FIELDS = np.array([[10.0, 5.0, 6.0, 12.0, 20.0]], np.float32)
ROADWAY = np.ones((N_CELLS, 6), np.bool_)  # a road on every edge


def _run(
    cells: list[int],
    nxt: list[int],
    slot: list[int],
    way_round: bool = False,
    men: list[float] | None = None,
    side: list[int] | None = None,
    capacity: float = 10_000.0,
    replicas: int = 1,
    threads: int = 1,
    progress: list[float] | None = None,
    waited: list[float] | None = None,
    roadway: np.ndarray | None = None,
    across: float = np.inf,
) -> dict[str, Any]:
    """One march step of foot units with enough progress to enter their next cell."""
    n_u = len(cells)
    shape = (replicas, n_u)

    def rows(values: list[Any], dtype: Any) -> np.ndarray:
        return np.tile(np.asarray(values, dtype), (replicas, 1))

    work = np.zeros((max(min(threads, replicas), 1), 8, N_CELLS, 2))
    hours = np.full((5, N_CELLS, 6), np.float32(TRAVEL))
    carry = np.full((4, N_CELLS, 6), np.float32(np.inf))
    sides = np.asarray(side or [0] * n_u, np.int8)
    out = march(
        np.ones(shape, np.int8),
        np.zeros(shape, np.int8),
        rows(cells, np.int32),
        rows(progress or [TRAVEL] * n_u, np.float32),
        np.ones(shape, np.float32),
        np.zeros(shape, np.float32),
        rows(waited or [0.0] * n_u, np.float32),
        rows(men or [6_000.0] * n_u, np.float64),
        (
            rows(nxt, np.int32),
            rows(slot, np.intp),
            rows([0 if way_round else -1] * n_u, np.int32),
            rows([-1] * n_u, np.int32),
        ),
        (
            np.zeros(n_u, np.int64),
            np.full((1, N_CELLS, 6), np.float32(2.0)),
            NEIGHBORS,
            FIELDS,
        ),
        sides,
        np.zeros(n_u, np.int8),
        np.zeros(n_u, np.int64),
        np.ones(n_u, np.bool_),
        ROADWAY if roadway is None else roadway,
        hours,
        np.full((5, N_CELLS, 6), np.float32(across)),
        carry,
        np.full(5, np.float32(1.0)),
        (12.5, 13.3),
        200.0,
        capacity,
        work,
    )
    assert not work.any()  # left zero for the next step
    names = ("cell", "progress", "fuel", "attack", "assault", "waited")
    return dict(zip(names, out, strict=True))


def test_second_unit_waits_when_the_next_cell_is_full() -> None:
    """Two 6,000-man columns, one cell holding 10,000: the first enters, one waits."""
    got = _run([0, 0], [1, 1], [0, 0])
    assert got["cell"][0].tolist() == [1, 0]
    # The waiting unit keeps its march progress for the edge.
    assert got["progress"][0, 1] == np.float32(TRAVEL)


def test_a_column_finding_the_road_full_marches_on_beside_it() -> None:
    """Across country beside a full road: it enters once it has covered the edge."""
    # Across country takes 6 h against the road's 4 h; one hour of march a step.
    got = _run([0, 0], [1, 1], [0, 0], across=6.0)
    assert got["cell"][0].tolist() == [1, 0]
    assert got["progress"][0, 1] == np.float32(TRAVEL + 1.0)  # marching on
    got = _run([0, 0], [1, 1], [0, 0], across=6.0, progress=[TRAVEL, 5.0])
    assert got["cell"][0].tolist() == [1, 1]
    assert got["progress"][0, 1] == np.float32(0.0)
    # It took no road space: a third column still finds the road full.
    got = _run([0, 0, 0], [1, 1, 1], [0, 0, 0], across=6.0,
               progress=[TRAVEL, 5.0, TRAVEL])  # fmt: skip
    assert got["cell"][0].tolist() == [1, 1, 0]


def test_a_column_beside_the_road_takes_it_when_there_is_room() -> None:
    """With room on the road again it enters by it, carrying on one step's march."""
    got = _run([0], [1], [0], across=6.0, progress=[5.5])
    assert got["cell"][0].tolist() == [1]
    assert got["progress"][0, 0] == np.float32(1.0)


def test_second_unit_goes_round_by_a_free_second_best_hop() -> None:
    """A unit finding its next cell full takes its second-best hop when that is free."""
    got = _run([0, 0], [1, 1], [0, 0], way_round=True)
    assert got["cell"][0].tolist() == [1, 2]


def test_the_unit_that_gets_there_first_enters_first() -> None:
    """Within a step, columns enter in the order they reach the cell, not unit order."""
    # One march hour this step: unit 0 reaches the cell after 0.5 h, unit 1 after 0.1 h.
    got = _run([0, 0], [1, 1], [0, 0], progress=[TRAVEL - 0.5, TRAVEL - 0.1])
    assert got["cell"][0].tolist() == [0, 1]
    got = _run([0, 0], [1, 1], [0, 0], progress=[TRAVEL - 0.1, TRAVEL - 0.5])
    assert got["cell"][0].tolist() == [1, 0]


def test_the_unit_that_has_waited_longest_enters_first() -> None:
    """Across steps too: a column that stood ready longer enters before later ones."""
    got = _run([0, 0], [1, 1], [0, 0], waited=[0.0, 3.0])
    assert got["cell"][0].tolist() == [0, 1]
    # The one left waiting counts another step; the one that entered starts afresh.
    assert got["waited"][0].tolist() == [1.0, 0.0]
    got = _run([0, 0], [1, 1], [0, 0], waited=[2.0, 1.0])
    assert got["cell"][0].tolist() == [1, 0]
    assert got["waited"][0].tolist() == [0.0, 2.0]


def test_a_unit_alone_may_always_enter() -> None:
    """An oversized column strings out behind its head: alone, it enters."""
    got = _run([0], [1], [0], men=[40_000.0])
    assert got["cell"][0].tolist() == [1]


def test_no_crowding_when_capacity_is_zero() -> None:
    """Capacity 0 switches crowding off: both columns enter the same cell."""
    got = _run([0, 0], [1, 1], [0, 0], capacity=0.0)
    assert got["cell"][0].tolist() == [1, 1]


def test_columns_across_country_take_no_road_space() -> None:
    """Without a road or railway on the edge, columns spread out: both enter."""
    no_road = np.zeros((N_CELLS, 6), np.bool_)
    got = _run([0, 0], [1, 1], [0, 0], roadway=no_road)
    assert got["cell"][0].tolist() == [1, 1]
    # A road on the edge into cell 1 only: the second column waits again.
    one_road = no_road.copy()
    one_road[0, 0] = True
    got = _run([0, 0], [1, 1], [0, 0], roadway=one_road)
    assert got["cell"][0].tolist() == [1, 0]


def test_a_marching_column_fills_its_cell_only_on_a_road() -> None:
    """A column marching on in a cell takes its road space only on a road."""
    # Unit 0 (9,000) marches on from cell 1 to 3 but has not got there yet; unit 1
    # (6,000) enters cell 1 from cell 0: 15,000 > 10,000 only with the road.
    road = np.ones((N_CELLS, 6), np.bool_)
    got = _run([1, 0], [3, 1], [0, 0], men=[9_000.0, 6_000.0],
               progress=[0.0, TRAVEL], roadway=road)  # fmt: skip
    assert got["cell"][0].tolist() == [1, 0]
    road[1, 0] = False
    got = _run([1, 0], [3, 1], [0, 0], men=[9_000.0, 6_000.0],
               progress=[0.0, TRAVEL], roadway=road)  # fmt: skip
    assert got["cell"][0].tolist() == [1, 1]


def test_columns_meeting_head_on_pass_each_other() -> None:
    """Columns swapping cells on a road pass: oncoming ones take no room."""
    got = _run([0, 1], [1, 0], [0, 1], progress=[TRAVEL, TRAVEL])
    assert got["cell"][0].tolist() == [1, 0]


def test_units_facing_the_enemy_have_left_the_road() -> None:
    """A column deployed against an enemy-held cell does not crowd its own cell."""
    # Unit 0 stands in cell 1 facing the enemy in cell 3; unit 1 enters cell 1.
    got = _run(
        [1, 0, 3],
        [3, 1, 3],
        [2, 0, -1],
        men=[9_000.0, 6_000.0, 5_000.0],
        side=[0, 0, 1],
    )
    assert got["cell"][0].tolist() == [1, 1, 3]
    assert got["attack"][0, 0] == 3


def test_crowding_is_the_same_in_every_replica_and_thread_split() -> None:
    """Replicas are independent and the thread chunking changes nothing."""
    one = _run([0, 0, 0], [1, 1, 1], [0, 0, 0], way_round=True)
    for threads in (1, 2, 3):
        many = _run(
            [0, 0, 0],
            [1, 1, 1],
            [0, 0, 0],
            way_round=True,
            replicas=4,
            threads=threads,
        )
        for name, value in one.items():
            assert np.array_equal(many[name], np.tile(value, (4, 1)))
    # Third column: both ways full, it waits.
    assert one["cell"][0].tolist() == [1, 2, 0]


def test_second_hop_is_the_next_cheapest_neighbour_nearer_the_objective() -> None:
    """The way round is the next cheapest neighbour nearer the objective, if any."""
    route_hours = np.full((1, N_CELLS, 6), np.float32(2.0))
    nxt, slot = next_hops(
        np.ones((1, 1), np.bool_),
        np.zeros((1, 1), np.int32),
        np.zeros((1, 1), np.int32),
        np.zeros(1, np.int64),
        route_hours,
        NEIGHBORS,
        FIELDS,
    )
    assert (int(nxt[0, 0]), int(slot[0, 0])) == (1, 0)
    assert second_hop(0, 0, 0, 0, route_hours, NEIGHBORS, FIELDS) == (2, 1)
    # Cell 3 is farther from the objective than cell 0: never a way round.
    fields = FIELDS.copy()
    fields[0, 2] = 11.0
    assert second_hop(0, 0, 0, 0, route_hours, NEIGHBORS, fields) == (0, -1)


def test_contact_is_made_at_the_boundary_of_the_enemy_held_cell() -> None:
    """An attacker assaults an enemy-held cell from the cells' boundary.

    It has then marched half the edge; it does not enter the cell.
    """
    # One march hour this step; the edge takes TRAVEL = 4 h; cell 3 holds the enemy.
    before = _run([0, 3], [3, 3], [2, -1], side=[0, 1], progress=[0.5, 0.0])
    assert before["attack"][0, 0] == -1  # 1.5 h of 4: not yet at the boundary
    assert before["progress"][0, 0] == np.float32(1.5)
    at = _run([0, 3], [3, 3], [2, -1], side=[0, 1], progress=[1.0, 0.0])
    assert at["attack"][0, 0] == 3  # 2 h of 4: at the boundary, assaulting
    full = _run([0, 3], [3, 3], [2, -1], side=[0, 1], progress=[TRAVEL, 0.0])
    assert full["attack"][0, 0] == 3 and full["cell"][0, 0] == 0

"""Place control and depth: who holds each place, how far each unit has come.

A place is taken when attacker troops stand in its cell and no defender above the
contact threshold does, or when the surrender of the troops holding it is taken (the
attacker within one cell: ``surrender.take_prisoners``); the first such hour is its
capture time. Depth is the great-circle distance from a unit's start cell.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stavka.engine.kernels import replica_chunks
from stavka.engine.kernels_combat import control_at_places
from stavka.engine.setup import Context
from stavka.engine.state import PERSONNEL, State, Status
from stavka.geo import haversine_km

__all__ = [
    "ATTACKER_COUNTRIES",
    "depth_km",
    "initial_control",
    "surrendered_places",
    "update_control",
]

ATTACKER_COUNTRIES = ("USSR", "Mongolian PR")


def initial_control(ctx: Context) -> npt.NDArray[np.int8]:
    """Side holding each place at the start (0 attacker: its own countries)."""
    s = ctx.scenario
    return np.array(
        [
            0 if s.places[p].country_1945.strip() in ATTACKER_COUNTRIES else 1
            for p in ctx.place_ids
        ],
        np.int8,
    )


I64 = npt.NDArray[np.int64]
_PLACES_BY_CELL: dict[int, tuple[I64, I64, I64]] = {}


def _places_by_cell(ctx: Context) -> tuple[I64, I64, I64]:
    """Places per cell: (first [N], count [N], places [P] ordered by cell), cached."""
    if ctx.token not in _PLACES_BY_CELL:
        if len(_PLACES_BY_CELL) > 64:
            _PLACES_BY_CELL.clear()
        n_cells = ctx.theatre.lat.shape[0]
        order = np.argsort(ctx.place_cells, kind="stable").astype(np.int64)
        count = np.bincount(ctx.place_cells, minlength=n_cells).astype(np.int64)
        first = (np.cumsum(count) - count).astype(np.int64)
        _PLACES_BY_CELL[ctx.token] = (first, count, order)
    return _PLACES_BY_CELL[ctx.token]


_DEPTHS: dict[int, tuple[I64, npt.NDArray[np.float32]]] = {}


def depth_km(
    ctx: Context, uu: npt.NDArray[np.intp], here: npt.NDArray[np.int32]
) -> npt.NDArray[np.float32]:
    """Great-circle km from units ``uu``'s start cells to cells ``here`` (float32).

    Looked up in a table per context [start cells, N], filled as pairs first occur
    (nan = not yet). The float32 of the float64 distance: taking the maximum with a
    float32 depth and rounding after, or rounding first, gives the same float32.
    """
    if ctx.token not in _DEPTHS:
        if len(_DEPTHS) > 4:
            _DEPTHS.clear()
        starts, index = np.unique(ctx.units.start_cell, return_inverse=True)
        table = np.full((starts.size, ctx.theatre.lat.shape[0]), np.nan, np.float32)
        _DEPTHS[ctx.token] = (index.astype(np.int64).ravel(), table)
    index, table = _DEPTHS[ctx.token]
    row = index[uu]
    depth = table[row, here]
    miss = np.flatnonzero(np.isnan(depth))
    if miss.size:
        lat, lon = ctx.theatre.lat, ctx.theatre.lon
        start, cell = ctx.units.start_cell[uu[miss]], here[miss]
        km = haversine_km(lat[start], lon[start], lat[cell], lon[cell])
        depth[miss] = km
        table[row[miss], cell] = km
    return depth


def update_control(
    ctx: Context, st: State, hour: float, men: npt.NDArray[np.float64] | None = None
) -> State:
    """Update place control and first-capture hours.

    ``men``: [R, U] the men, if at hand (default: ``st.present``'s column).
    """
    p = ctx.params
    # Sums in unit order, as a sequential sum over units would give; the attacker
    # takes a place it holds men in against at most the contact threshold; the
    # other side retakes one without attacker men (kernels_combat.control_at_places).
    control, capture = control_at_places(
        st.status,
        ctx.units.side,
        st.cell,
        st.present[..., PERSONNEL] if men is None else men,
        _places_by_cell(ctx),
        st.control,
        st.capture_hour,
        p.contact_threshold_men,
        np.float32(hour),
        replica_chunks(),
    )
    return st.replace(control=control, capture_hour=capture)


def surrendered_places(
    ctx: Context,
    st: State,
    rr: npt.NDArray[np.intp],
    uu: npt.NDArray[np.intp],
    hour: float,
) -> State:
    """Give the attacker the places of units whose surrender it took this step.

    ``rr``, ``uu``: the replicas and units taken prisoner (before the losses are
    applied: a unit with no men left hands nothing over). Not where other defender
    troops above the contact threshold still hold the cell. A place first taken this
    way gets ``hour`` as its capture hour.
    """
    if rr.size == 0:
        return st
    first, count, order = _places_by_cell(ctx)
    cells = st.cell[rr, uu].astype(np.int64)
    keep = (st.present[rr, uu, PERSONNEL] > 0) & (count[cells] > 0)
    rr, cells = rr[keep], cells[keep]
    if rr.size == 0:
        return st
    # Other troops of the defender still holding the cell keep it.
    holding = (
        (ctx.units.side[None, :] == 1)
        & (st.status[rr] == Status.ACTIVE)
        & (st.cell[rr] == cells[:, None])
    )
    held = (st.present[rr, :, PERSONNEL] * holding).sum(axis=1)
    free = held <= ctx.params.contact_threshold_men
    rr, cells = rr[free], cells[free]
    # Every place in those cells (a cell may hold several).
    n = count[cells]
    rows = np.repeat(rr, n)
    starts = np.repeat(first[cells], n)
    offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    places = order[starts + offsets]
    taken = st.control[rows, places] == 1
    if not taken.any():
        return st
    rows, places = rows[taken], places[taken]
    control, capture = st.control.copy(), st.capture_hour.copy()
    control[rows, places] = 0
    fresh = np.isnan(capture[rows, places])
    capture[rows[fresh], places[fresh]] = np.float32(hour)
    return st.replace(control=control, capture_hour=capture)

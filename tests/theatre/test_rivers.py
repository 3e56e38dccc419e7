"""Rivers on cell edges (issue 3 'River checks')."""

from __future__ import annotations

import itertools
import json

import h3
import numpy as np
import pytest

from stavka.theatre import Theatre
from stavka.theatre.grid import haversine_km
from stavka.theatre.model import DATA_DIR

RIVERS = json.loads((DATA_DIR / "corrections" / "rivers.json").read_text())["rivers"]


def _crossings(t: Theatre, cells: list[int]) -> list[tuple[int, str | None]]:
    out = []
    for a, b in itertools.pairwise(cells):
        k = int(np.flatnonzero(t.neighbors[a] == b)[0])
        if t.river_class[a, k] >= 0:
            code = int(t.river_name[a, k])
            out.append(
                (int(t.river_class[a, k]), t.river_names[code] if code >= 0 else None)
            )
    return out


def test_blagoveshchensk_heihe_crosses_amur(storm_map: Theatre) -> None:
    """Going from Blagoveshchensk to Heihe crosses the Amur, a class 0-1 river."""
    t = storm_map
    cells, _km, _h = t.least_time_path(
        t.place_cell["blagoveshchensk"], t.place_cell["heihe"], "foot"
    )
    crossed = _crossings(t, cells)
    assert any(name == "Amur" and cls <= 1 for cls, name in crossed), crossed


def test_iman_hutou_crosses_ussuri(storm_map: Theatre) -> None:
    """Going from Iman (Dalnerechensk) to Hutou crosses the Ussuri."""
    t = storm_map
    cells, _km, _h = t.least_time_path(
        t.place_cell["iman"], t.place_cell["hutou"], "foot"
    )
    assert any(name == "Ussuri" for _cls, name in _crossings(t, cells))


def test_harbin_on_sungari(storm_map: Theatre) -> None:
    """Harbin's cell has the Sungari on one of its edges."""
    c = storm_map.place_cell["harbin"]
    code = storm_map.river_names.index("Sungari")
    assert (storm_map.river_name[c] == code).any()


def _vertices(t: Theatre, i: int, k: int) -> tuple[tuple[float, float], ...]:
    e = h3.cells_to_directed_edge(
        h3.int_to_str(int(t.h3[i])), h3.int_to_str(int(t.h3[t.neighbors[i, k]]))
    )
    return tuple((round(a, 5), round(o, 5)) for a, o in h3.directed_edge_to_boundary(e))


@pytest.mark.parametrize("river", RIVERS, ids=[r["name"] for r in RIVERS])
def test_named_river_continuous(theatre: Theatre, river: dict) -> None:  # type: ignore[type-arg]
    """Each named river is one unbroken chain of edges from its source to its mouth."""
    code = theatre.river_names.index(river["name"])
    ii, kk = np.nonzero((theatre.river_name == code) & (theatre.neighbors >= 0))
    assert ii.size > 0
    parent: dict[tuple[float, float], tuple[float, float]] = {}

    def find(v: tuple[float, float]) -> tuple[float, float]:
        while parent.setdefault(v, v) != v:
            v = parent[v]
        return v

    pts = []
    for i, k in zip(ii.tolist(), kk.tolist(), strict=True):
        vs = _vertices(theatre, i, k)
        pts.extend(vs)
        for v in vs[1:]:
            parent[find(v)] = find(vs[0])
    assert len({find(v) for v in parent}) == 1
    arr = np.array(pts)
    (lat0, lon0), (lat1, lon1) = river["points"][0], river["points"][-1]
    assert haversine_km(lat0, lon0, arr[:, 0], arr[:, 1]).min() < 25.0
    # At a confluence the last edges keep the main river's name (list order).
    assert haversine_km(lat1, lon1, arr[:, 0], arr[:, 1]).min() < 40.0

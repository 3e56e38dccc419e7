"""The loaded theatre: struct-of-arrays cell and edge layers (numpy only).

Shapes: ``N`` cells, 6 neighbour slots per cell. Cell arrays are ``[N]``; edge
arrays are ``[N, 6]`` aligned with :attr:`Theatre.neighbors` (slot ``k`` of cell
``i`` is the edge to ``neighbors[i, k]``; -1 = no neighbour in the theatre).
Units: degrees (lat, lon), metres (elevation, ruggedness), km (edge_km).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import h3
import numpy as np

from stavka.errors import MapError
from stavka.theatre.store import read_npz

if TYPE_CHECKING:
    from stavka.scenario.container import Scenario

__all__ = ["DATA_DIR", "Theatre", "base_layers", "cell_of", "is_land", "load_theatre"]

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CRS = "EPSG:4326"
"""Coordinates are WGS84 latitude/longitude in degrees."""
ROAD_NAMES = ["none", "track", "dirt", "improved", "paved"]
"""Road class codes (index = code) of :attr:`Theatre.road`."""


@dataclass(eq=False)
class Theatre:
    """The theatre map as struct-of-arrays (see the module docstring for shapes).

    Attributes:
        resolution: H3 resolution of the cells.
        h3: uint64 [N] H3 index of each cell (sorted ascending).
        lat, lon: float64 [N] cell centre, degrees.
        elevation_m: float32 [N] mean elevation of the land in the cell.
        ruggedness: float32 [N] local relief: std of elevation within ~25 km, m.
        land_fraction: float32 [N] share of the cell that is land (GSHHG).
        cover: int8 [N] cover code; names in :attr:`cover_names`.
        water: bool [N] True where the cell is sea or lake.
        pass_cell: bool [N] a mountain pass lies in the cell.
        country_1945: int8 [N] sovereignty code; names in :attr:`country_names`.
        neighbors: int32 [N, 6] neighbour index per slot, -1 = none.
        back: int8 [N, 6] slot of the same edge seen from the neighbour.
        edge_km: float32 [N, 6] centre-to-centre distance, km.
        river_class: int8 [N, 6] WDBII class of a river on the edge, -1 none.
        river_name: int16 [N, 6] river name code, -1 none; :attr:`river_names`.
        bridge: bool [N, 6] a 1945 railway bridge crosses the river on the edge.
        rail_gauge_mm: int16 [N, 6] gauge of a railway along the edge, 0 none.
        road: int8 [N, 6] road class code (:data:`ROAD_NAMES`), 0 none.
        fortified_level: int8 [N] fortification level 0-3.
        fortified_zone: int16 [N] index into :attr:`fortified_ids`, -1 none.
        port, airfield: bool [N] a port / airfield place lies in the cell.
        place_cell: place id -> cell index (empty before :meth:`for_scenario`).
    """

    resolution: int
    h3: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    elevation_m: np.ndarray
    ruggedness: np.ndarray
    land_fraction: np.ndarray
    cover: np.ndarray
    water: np.ndarray
    pass_cell: np.ndarray
    country_1945: np.ndarray
    neighbors: np.ndarray
    back: np.ndarray
    edge_km: np.ndarray
    river_class: np.ndarray
    river_name: np.ndarray
    bridge: np.ndarray
    rail_gauge_mm: np.ndarray
    road: np.ndarray
    fortified_level: np.ndarray
    fortified_zone: np.ndarray
    port: np.ndarray
    airfield: np.ndarray
    cover_names: list[str]
    country_names: list[str]
    river_names: list[str]
    fortified_ids: list[str] = field(default_factory=list)
    place_cell: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def n_cells(self) -> int:
        """Number of cells N."""
        return int(self.h3.shape[0])

    def cell_of(self, lat: float, lon: float) -> int:
        """Return the index of the cell containing (lat, lon) in degrees.

        Raises:
            MapError: if the point is outside the theatre.
        """
        idx = self.cells_of(np.array([lat]), np.array([lon]))[0]
        if idx < 0:
            w, s, e, n = self.meta.get("bbox_west_south_east_north", [0, 0, 0, 0])
            raise MapError(
                f"point ({lat}, {lon}) is outside the theatre "
                f"({s}-{n}°N, {w}-{e}°E); give a latitude and longitude inside it"
            )
        return int(idx)

    def cells_of(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Return int64 cell indices for arrays of points, -1 outside the theatre."""
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        out = np.full(lat.shape, -1, np.int64)
        ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90)
        ok &= np.abs(lon) <= 180
        ints = np.zeros(lat.shape, np.uint64)
        for i in np.flatnonzero(ok):
            ints[i] = h3.str_to_int(h3.latlng_to_cell(lat[i], lon[i], self.resolution))
        pos = np.searchsorted(self.h3, ints).clip(0, self.n_cells - 1)
        hit = ok & (self.h3[pos] == ints)
        out[hit] = pos[hit]
        return out

    def for_scenario(self, scenario: Scenario) -> Theatre:
        """Return a copy with the scenario's rail, roads, forts and places overlaid."""
        from stavka.theatre.overlay import overlay

        return overlay(self, scenario)

    def replace(self, **changes: Any) -> Theatre:
        """Return a shallow copy with some fields replaced (and an empty cache)."""
        changes.setdefault("_cache", {})
        return dataclasses.replace(self, **changes)

    def edge_hours(
        self, mobility: str, weather: np.ndarray | None = None, roads: bool = True
    ) -> np.ndarray:
        """Hours to cross each edge (float32 [N, 6]); see :mod:`.movement`."""
        from stavka.theatre.movement import edge_hours

        return edge_hours(self, mobility, weather, roads)

    def least_time_path(
        self,
        from_cell: int,
        to_cell: int,
        mobility: str,
        weather: np.ndarray | None = None,
    ) -> tuple[list[int], float, float]:
        """Least-time path: (cells, km, hours); see :mod:`.movement`."""
        from stavka.theatre.movement import least_time_path

        return least_time_path(self, from_cell, to_cell, mobility, weather)


@functools.lru_cache(maxsize=4)
def load_theatre(resolution: int = 5) -> Theatre:
    """Load the shipped theatre product (cached; numpy only).

    Raises:
        MapError: if no product exists for ``resolution`` (run ``stavka map build``).
    """
    path = DATA_DIR / f"theatre_r{resolution}.npz"
    if not path.is_file():
        raise MapError(
            f"no theatre map at resolution {resolution} ({path.name}); "
            f"run `stavka map build --resolution {resolution}` first"
        )
    a = read_npz(path)
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    n = a["h3"].shape[0]
    t = Theatre(
        resolution=resolution,
        h3=a["h3"],
        lat=a["lat"],
        lon=a["lon"],
        elevation_m=a["elevation_m"],
        ruggedness=a["ruggedness_m"],
        land_fraction=a["land_fraction"],
        cover=a["cover"],
        water=a["water"],
        pass_cell=a["pass_cell"],
        country_1945=a["country_1945"],
        neighbors=a["neighbors"],
        back=a["back"],
        edge_km=a["edge_km"],
        river_class=a["river_class"],
        river_name=a["river_name"],
        bridge=np.zeros((n, 6), bool),
        rail_gauge_mm=np.zeros((n, 6), np.int16),
        road=np.zeros((n, 6), np.int8),
        fortified_level=np.zeros(n, np.int8),
        fortified_zone=np.full(n, -1, np.int16),
        port=np.zeros(n, bool),
        airfield=np.zeros(n, bool),
        cover_names=list(meta["cover_names"]),
        country_names=list(meta["country_names"]),
        river_names=list(meta["river_names"]),
        meta=meta,
    )
    for value in vars(t).values():  # the cached map is shared: copy before changing
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return t


@functools.lru_cache(maxsize=1)
def base_layers() -> dict[str, np.ndarray]:
    """Load ``base.npz``: 1′ land mask, 5′ DEM, coast and river lines (cached)."""
    path = DATA_DIR / "base.npz"
    if not path.is_file():
        raise MapError(f"{path.name} is missing; run `stavka map build` first")
    a = read_npz(path)
    a["landmask"] = np.unpackbits(a["landmask_bits"], axis=1)[
        :, : int(a["landmask_cols"].reshape(-1)[0])
    ].astype(bool)
    return a


def is_land(lat: float, lon: float) -> bool | None:
    """Say whether a point is on land (GSHHG ``i`` at 1′); None outside the theatre."""
    from stavka.theatre.grid import BBOX

    west, south, east, north = BBOX
    if not (south <= lat < north and west <= lon < east):
        return None
    mask = base_layers()["landmask"]
    r = min(int((north - lat) * 60), mask.shape[0] - 1)
    c = min(int((lon - west) * 60), mask.shape[1] - 1)
    return bool(mask[r, c])


def cell_of(lat: float, lon: float, resolution: int = 5) -> int:
    """Return the cell index of (lat, lon) in the shipped map (MapError outside)."""
    return load_theatre(resolution).cell_of(lat, lon)

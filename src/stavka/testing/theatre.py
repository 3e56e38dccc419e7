"""A small synthetic theatre with the real map's array interface, for engine tests.

Flat, dry land (optionally with water cells) on an H3 grid; speeds are simple
constants so tests can compute expected times by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import h3
import numpy as np
import numpy.typing as npt

from stavka.errors import MapError

__all__ = ["FLAT_SPEED_KMH", "SyntheticTheatre", "make_synthetic_theatre"]

FLAT_SPEED_KMH = {
    "foot": 3.0,
    "horse": 5.0,
    "motor": 20.0,
    "tracked": 15.0,
    "rail": 30.0,
}
"""Test speeds, km/h (not calibrated; tests only)."""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(h3.great_circle_distance((lat1, lon1), (lat2, lon2), unit="km"))


@dataclass
class SyntheticTheatre:
    """Theatre-like arrays of a synthetic map.

    ``lat``, ``lon`` [N]; ``neighbors`` int32 [N, 6] (-1 none); ``edge_km`` [N, 6];
    ``water``, ``fortified_level`` [N]; ``rail_gauge_mm``, ``river_class``, ``bridge``,
    ``road`` [N, 6] (every edge a track, road class 1); ``place_cell`` {place id: cell}.
    """

    resolution: int
    h3: list[str]
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
    place_cell: dict[str, int] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)

    @property
    def n_cells(self) -> int:
        """Number of cells N."""
        return len(self.h3)

    def cell_of(self, lat: float, lon: float) -> int:
        """Return the cell index holding (lat, lon) in degrees; MapError outside."""
        key = h3.latlng_to_cell(lat, lon, self.resolution)
        if key not in self.index:
            raise MapError(f"({lat}, {lon}) is outside the synthetic theatre")
        return self.index[key]

    def edge_hours(
        self, mobility: str, weather: object = None, roads: bool = True
    ) -> npt.NDArray[np.float32]:
        """Hours to cross each edge [N, 6] at the class's flat speed; inf into water.

        The synthetic map has no roads: ``roads`` changes nothing.
        """
        speed = FLAT_SPEED_KMH[mobility]
        hours = self.edge_km / np.float32(speed)
        if mobility == "rail":
            hours = np.where(self.rail_gauge_mm > 0, hours, np.inf)
        nb = self.neighbors
        blocked = (nb < 0) | self.water[np.where(nb < 0, 0, nb)]
        return np.where(blocked, np.inf, hours).astype(np.float32)


def make_synthetic_theatre(
    lat_min: float,
    lat_max: float,
    lon_min: float,
    lon_max: float,
    resolution: int = 5,
    places: dict[str, tuple[float, float]] | None = None,
) -> SyntheticTheatre:
    """Build a flat synthetic theatre over a lat/lon box (degrees)."""
    poly = h3.LatLngPoly(
        [(lat_min, lon_min), (lat_min, lon_max), (lat_max, lon_max), (lat_max, lon_min)]
    )
    cells = sorted(h3.polygon_to_cells(poly, resolution))
    index = {c: i for i, c in enumerate(cells)}
    n = len(cells)
    lat = np.empty(n)
    lon = np.empty(n)
    for i, c in enumerate(cells):
        lat[i], lon[i] = h3.cell_to_latlng(c)
    nb = np.full((n, 6), -1, np.int32)
    km = np.full((n, 6), math.inf, np.float32)
    for i, c in enumerate(cells):
        ring = sorted(h3.grid_ring(c, 1))
        for k, other in enumerate(ring[:6]):
            j = index.get(other, -1)
            nb[i, k] = j
            if j >= 0:
                km[i, k] = _km(lat[i], lon[i], lat[j], lon[j])
    theatre = SyntheticTheatre(
        resolution=resolution,
        h3=cells,
        lat=lat,
        lon=lon,
        neighbors=nb,
        edge_km=km,
        water=np.zeros(n, bool),
        fortified_level=np.zeros(n, np.int8),
        rail_gauge_mm=np.zeros((n, 6), np.int32),
        river_class=np.full((n, 6), -1, np.int8),
        bridge=np.zeros((n, 6), bool),
        road=np.ones((n, 6), np.int8),
        index=index,
    )
    for pid, (plat, plon) in (places or {}).items():
        theatre.place_cell[pid] = theatre.cell_of(plat, plon)
    return theatre

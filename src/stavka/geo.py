"""Geodesy shared by all packages: one CRS, one Earth radius, one distance.

Coordinates are WGS84 latitude/longitude in degrees (axis order: latitude, longitude);
distances are km on a sphere of :data:`EARTH_RADIUS_KM`.

>>> round(float(haversine_km(41.8, 123.43, 43.88, 125.32)))
278
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["DEFAULT_CRS", "EARTH_RADIUS_KM", "haversine_km"]

DEFAULT_CRS = "EPSG:4326"
"""WGS84 latitude/longitude, degrees."""

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Return great-circle distances in km between points in degrees (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(
        np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64)
    )
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))))

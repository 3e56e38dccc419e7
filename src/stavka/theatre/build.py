"""``stavka map build``: make the shipped theatre product from the geodata packages.

Pipeline (all build-time; the product needs only numpy to load):

1. H3 grid over :data:`~stavka.theatre.grid.BBOX` (:mod:`stavka.theatre.grid`).
2. A 1′ land mask rasterised from GSHHG ``i`` polygons (land − lakes + islands in
   lakes); each cell samples it at its 49 grandchild centres (H3 ``res + 2``).
3. Elevation mean and local relief from the pvlib 5′ DEM at the same samples.
4. Cover: Blue Marble colour classes, majority of the samples; hand-drawn 1945
   marshes; ``mountain`` where the local relief is high.
5. 1945 sovereignty: Natural Earth modern countries + ``borders_1945.json`` rules.
6. Rivers (WDBII classes 0–3) snapped to hex edges and named (:mod:`.rivers`).

Writes ``theatre_r{res}.npz`` + ``theatre_r{res}.json`` and ``base.npz`` (land
mask, DEM, coast and river lines for :mod:`stavka.theatre.render`). Same inputs,
same bytes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import h3
import numpy as np

from stavka.theatre import sources
from stavka.theatre.grid import BBOX, build_grid
from stavka.theatre.rivers import cell_indices, name_rivers, snap_rivers
from stavka.theatre.store import write_npz

__all__ = ["COVER_NAMES", "DATA_DIR", "MASK_STEP", "build"]

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
CORRECTIONS = DATA_DIR / "corrections"
MASK_STEP = 1.0 / 60.0
"""Land-mask pixel size, degrees (1 arc-minute)."""
COVER_NAMES = ["water", "forest", "steppe", "open", "desert", "marsh", "mountain"]
MOUNTAIN_RELIEF_M = 150.0
"""Local relief (std of elevation within ~25 km) above which land is ``mountain``."""
ISLAND_MIN_KM2 = 30.0
"""Islands at least this large keep one land cell even when smaller than a cell."""
RIVER_MAX_CLASS = 3


def _load(name: str) -> Any:
    return json.loads((CORRECTIONS / name).read_text(encoding="utf-8"))


def _poly_area_km2(xy: np.ndarray) -> float:
    lat0 = float(np.radians(xy[:, 1].mean()))
    x = xy[:, 0] * np.cos(lat0) * 111.32
    y = xy[:, 1] * 110.57
    return float(0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def land_mask() -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    """Rasterise GSHHG ``i`` at 1′: (land bool [R, C], island label int32, areas)."""
    import shapely

    west, south, east, north = BBOX
    rows, cols = round((north - south) * 60), round((east - west) * 60)
    lat = north - (np.arange(rows) + 0.5) * MASK_STEP
    lon = west + (np.arange(cols) + 0.5) * MASK_STEP
    land = np.zeros((rows, cols), bool)
    label = np.full((rows, cols), -1, np.int32)
    areas: dict[int, float] = {}
    clip = shapely.box(*BBOX)
    polys = sorted(sources.gshhg_polygons("i", BBOX), key=lambda p: p[0])
    for pid, (level, xy) in enumerate(polys):
        if len(xy) < 4:
            continue
        geom = shapely.make_valid(shapely.Polygon(xy)).intersection(clip)
        if geom.is_empty:
            continue
        x0, y0, x1, y1 = geom.bounds
        r0 = max(0, int((north - y1) * 60))
        r1 = min(rows, int(np.ceil((north - y0) * 60)) + 1)
        c0 = max(0, int((x0 - west) * 60))
        c1 = min(cols, int(np.ceil((x1 - west) * 60)) + 1)
        if r1 <= r0 or c1 <= c0:
            continue
        shapely.prepare(geom)
        xx, yy = np.meshgrid(lon[c0:c1], lat[r0:r1])
        inside = shapely.contains_xy(geom, xx, yy)
        land[r0:r1, c0:c1][inside] = level in (1, 3)
        if level == 1:
            label[r0:r1, c0:c1][inside] = pid
            areas[pid] = _poly_area_km2(xy)
    return land, label, areas


def _mask_at(mask: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    west, _s, _e, north = BBOX
    r = np.clip(((north - lat) * 60).astype(np.int64), 0, mask.shape[0] - 1)
    c = np.clip(((lon - west) * 60).astype(np.int64), 0, mask.shape[1] - 1)
    return mask[r, c]


def _samples(cells: np.ndarray, res: int) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the 49 grandchildren of each cell: (lat [N, 49], lon [N, 49])."""
    n_child = 7**2
    pts = np.empty((len(cells), n_child, 2))
    for i, c in enumerate(cells):
        kids = sorted(h3.cell_to_children(h3.int_to_str(int(c)), res + 2))
        ll = np.array([h3.cell_to_latlng(ch) for ch in kids])
        pts[i] = ll[np.arange(n_child) % len(ll)]  # a pentagon has fewer: repeat
    return pts[..., 0].copy(), pts[..., 1].copy()


def _cover_classes(rgb: np.ndarray) -> np.ndarray:
    """Blue Marble colour → cover (0 water, 1 forest, 2 steppe, 3 open, 4 desert)."""
    r, g, b = (rgb[..., i].astype(np.int32) for i in range(3))
    s = r + g + b
    cover = np.full(s.shape, 3, np.int8)
    cover[(b > g) & (b > r)] = 0
    cover[(s < 150) & (g >= r) & (cover != 0)] = 1
    cover[(s >= 250) & (r > g) & (cover != 0)] = 2
    cover[(s >= 360) & (r > g) & (cover != 0)] = 4
    return cover


def _majority(
    values: np.ndarray, valid: np.ndarray, n_codes: int, default: int
) -> np.ndarray:
    """Most frequent code per row among valid samples (ties → lowest code)."""
    counts = np.zeros((values.shape[0], n_codes), np.int32)
    rows = np.repeat(np.arange(values.shape[0]), values.shape[1]).reshape(values.shape)
    np.add.at(counts, (rows[valid], values[valid]), 1)
    out = counts.argmax(axis=1).astype(np.int8)
    out[counts.sum(axis=1) == 0] = default
    return out


def _countries_1945(
    lat: np.ndarray,
    lon: np.ndarray,
    slat: np.ndarray,
    slon: np.ndarray,
    sland: np.ndarray,
    water: np.ndarray,
    neighbors: np.ndarray,
) -> tuple[np.ndarray, list[str]]:
    import shapely

    spec = _load("borders_1945.json")
    names: list[str] = spec["names"]
    modern_codes = sorted(spec["modern"])
    polys = dict(sources.countries(BBOX))
    len(lat)
    modern = np.full(slat.shape, -1, np.int16)
    for m, a3 in enumerate(modern_codes):
        if a3 not in polys:
            continue
        geom = shapely.from_wkb(polys[a3])
        shapely.prepare(geom)
        modern[shapely.contains_xy(geom, slon, slat)] = m
    valid = sland & (modern >= 0)
    cell_modern = _majority(np.where(valid, modern, 0), valid, len(modern_codes), -1)
    for _ in range(
        50
    ):  # land cells that no country polygon reached: take a neighbour's
        miss = np.flatnonzero((cell_modern < 0) & ~water)
        if miss.size == 0:
            break
        nb = neighbors[miss]
        vals = np.where(nb >= 0, cell_modern[nb.clip(0)], -1)
        cell_modern[miss] = vals.max(axis=1)
    a3 = np.array([modern_codes[c] if c >= 0 else "" for c in cell_modern])
    code = np.array([names.index(spec["modern"][x]) if x else 0 for x in a3], np.int8)
    pts = np.column_stack([lon, lat])
    for rule in spec["rules"]:
        geom = shapely.Polygon(rule["polygon"])
        inside = shapely.contains_xy(geom, pts[:, 0], pts[:, 1])
        sel = inside & np.isin(a3, rule["from"])
        if "only_from_1945" in rule:
            sel &= code == names.index(rule["only_from_1945"])
        code[sel] = names.index(rule["name"])
    code[water] = 0
    return code, names


def _lines(items: list[tuple[int, np.ndarray]]) -> dict[str, np.ndarray]:
    xy = np.concatenate([p for _, p in items]).astype(np.float32)
    off = np.cumsum([0] + [len(p) for _, p in items]).astype(np.int32)
    return {"xy": xy, "offsets": off, "kind": np.array([k for k, _ in items], np.int8)}


def build(resolution: int = 5, out_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Build the theatre product for ``resolution`` into ``out_dir``; return a summary.

    Raises:
        MapError: if a geodata package is missing (names the install step).
    """
    import shapely

    logger.info("grid at resolution %d", resolution)
    g = build_grid(resolution)
    n = len(g.h3)
    mask, label, areas = land_mask()
    slat, slon = _samples(g.h3, resolution)
    sland = _mask_at(mask, slat, slon)
    land_frac = sland.mean(axis=1)
    water = land_frac < 0.5
    # Islands smaller than a cell keep their best cell as land.
    slab = _mask_at(label, slat, slon)
    big = {pid for pid, a in areas.items() if a >= ISLAND_MIN_KM2}
    rows = np.repeat(np.arange(n), slab.shape[1]).reshape(slab.shape)
    keep = np.isin(slab, list(big))
    pairs, cnt = np.unique(
        np.column_stack([slab[keep], rows[keep]]), axis=0, return_counts=True
    )
    order = np.lexsort((pairs[:, 1], -cnt, pairs[:, 0]))
    first = np.unique(pairs[order, 0], return_index=True)[1]
    best_cells = pairs[order[first], 1]
    forced = best_cells[water[best_cells]]
    water[best_cells] = False

    dem = sources.dem_5min(BBOX)
    west, _s, _e, north = BBOX
    r = np.clip(((north - slat) * 12).astype(np.int64), 0, dem.shape[0] - 1)
    c = np.clip(((slon - west) * 12).astype(np.int64), 0, dem.shape[1] - 1)
    z = dem[r, c].astype(np.float64)
    zok = z > -32768
    zs = np.where(zok, z, 0.0)
    cnt_z = zok.sum(axis=1)
    s1, s2 = zs.sum(axis=1), (zs**2).sum(axis=1)
    # Elevation: mean over the land samples (the DEM carries near-shore depths);
    # a cell without land samples falls back to all samples; land is at least 0 m.
    zl = zok & sland
    cnt_l = zl.sum(axis=1)
    mean_land = np.where(zl, z, 0.0).sum(axis=1) / np.maximum(cnt_l, 1)
    mean_all = s1 / np.maximum(cnt_z, 1)
    elevation = np.where(cnt_l > 0, mean_land, np.where(cnt_z > 0, mean_all, 0.0))
    nb = g.neighbors
    disk_n = cnt_z + np.where(nb >= 0, cnt_z[nb.clip(0)], 0).sum(axis=1)
    disk_s1 = s1 + np.where(nb >= 0, s1[nb.clip(0)], 0).sum(axis=1)
    disk_s2 = s2 + np.where(nb >= 0, s2[nb.clip(0)], 0).sum(axis=1)
    mean = disk_s1 / np.maximum(disk_n, 1)
    relief = np.sqrt(np.maximum(disk_s2 / np.maximum(disk_n, 1) - mean**2, 0.0))
    elevation[water & (cnt_z == 0)] = 0.0
    elevation[~water] = np.maximum(elevation[~water], 0.0)

    bm = _cover_classes(sources.blue_marble(BBOX))
    rb = np.clip(((north - slat) * 15).astype(np.int64), 0, bm.shape[0] - 1)
    cb = np.clip(((slon - west) * 15).astype(np.int64), 0, bm.shape[1] - 1)
    sc = bm[rb, cb]
    cover = _majority(sc, sland & (sc > 0), 5, 3)
    cover[relief >= MOUNTAIN_RELIEF_M] = COVER_NAMES.index("mountain")
    marsh = _load("marshes.json")
    for zone in marsh["zones"]:
        geom = shapely.Polygon(zone["polygon"])
        inside = shapely.contains_xy(geom, g.lon, g.lat)
        cover[inside & (elevation <= zone["max_elevation_m"])] = COVER_NAMES.index(
            "marsh"
        )
    cover[water] = 0

    passes = _load("passes.json")["passes"]
    pass_cells = cell_indices(
        g, np.array([p["lat"] for p in passes]), np.array([p["lon"] for p in passes])
    )
    is_pass = np.zeros(n, bool)
    is_pass[pass_cells[pass_cells >= 0]] = True

    country, country_names = _countries_1945(
        g.lat, g.lon, slat, slon, sland, water, g.neighbors
    )

    lines = [
        (cls, xy)
        for cls, xy in sources.river_lines(BBOX)
        if cls <= RIVER_MAX_CLASS and len(xy) >= 2
    ]
    river = snap_rivers(g, lines)
    river, river_name, river_names, river_km, river_gaps = name_rivers(
        g, river, _load("rivers.json")["rivers"]
    )

    edge_km = np.where(
        nb >= 0,
        _edge_km(g.lat, g.lon, nb),
        0.0,
    ).astype(np.float32)
    cells = {
        "h3": g.h3,
        "lat": g.lat,
        "lon": g.lon,
        "elevation_m": np.round(elevation).astype(np.float32),
        "ruggedness_m": np.round(relief, 1).astype(np.float32),
        "land_fraction": np.round(land_frac, 3).astype(np.float32),
        "cover": cover.astype(np.int8),
        "water": water,
        "pass_cell": is_pass,
        "country_1945": country,
        "neighbors": g.neighbors,
        "back": g.back,
        "edge_km": edge_km,
        "river_class": river,
        "river_name": river_name,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    write_npz(out_dir / f"theatre_r{resolution}.npz", cells)
    meta = {
        "resolution": resolution,
        "bbox_west_south_east_north": list(BBOX),
        "cells": n,
        "cover_names": COVER_NAMES,
        "country_names": country_names,
        "river_names": river_names,
        "river_name_km": river_km,
        "river_gap_km": river_gaps,
        "river_max_class": RIVER_MAX_CLASS,
        "mountain_relief_m": MOUNTAIN_RELIEF_M,
        "island_min_km2": ISLAND_MIN_KM2,
        "islands_forced_land": len(forced),
        "neighbor_order": "clockwise by bearing from north",
    }
    (out_dir / f"theatre_r{resolution}.json").write_text(
        json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    _write_base(out_dir, mask, dem)
    return meta


def _edge_km(lat: np.ndarray, lon: np.ndarray, nb: np.ndarray) -> np.ndarray:
    from stavka.theatre.grid import haversine_km

    j = nb.clip(0)
    return haversine_km(lat[:, None], lon[:, None], lat[j], lon[j])


def _write_base(out_dir: Path, mask: np.ndarray, dem: np.ndarray) -> None:
    """Write ``base.npz``: land mask (bit-packed), DEM, coast and river lines."""
    import shapely

    clip = shapely.box(*BBOX)
    coast: list[tuple[int, np.ndarray]] = []
    for level, xy in sorted(sources.gshhg_polygons("i", BBOX), key=lambda p: p[0]):
        if len(xy) < 4:
            continue
        geom = shapely.make_valid(shapely.Polygon(xy)).intersection(clip)
        geom = shapely.simplify(geom, 0.01)
        for part in shapely.get_parts(geom):
            if isinstance(part, shapely.Polygon) and not part.is_empty:
                ring = np.asarray(part.exterior.coords)
                if _poly_area_km2(ring) >= 5.0:
                    coast.append((level, ring))
    rivers = []
    for cls, xy in sources.river_lines(BBOX):
        if cls > RIVER_MAX_CLASS + 1 or len(xy) < 2:
            continue
        line = shapely.simplify(shapely.LineString(xy), 0.005)
        rivers.append((cls, np.asarray(line.coords)))
    c, rv = _lines(coast), _lines(rivers)
    write_npz(
        out_dir / "base.npz",
        {
            "landmask_bits": np.packbits(mask, axis=1),
            "landmask_cols": np.array(mask.shape[1], np.int32),
            "dem_m": dem,
            "coast_xy": c["xy"],
            "coast_offsets": c["offsets"],
            "coast_level": c["kind"],
            "river_xy": rv["xy"],
            "river_offsets": rv["offsets"],
            "river_class": rv["kind"],
        },
    )

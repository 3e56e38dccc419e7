"""``stavka map render``: a printed-style map of the theatre (matplotlib, Agg).

Layers, bottom to top: hill-shaded relief tinted by height (5′ DEM), sea and lakes
(GSHHG ``i``), 1945 marsh zones, rivers by WDBII class, 1945 borders (between cells
of different sovereignty), fortified regions, railways (edge chains), labelled
places, and optionally the H3 grid. Plate carrée with a cos(latitude) aspect.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from stavka.theatre.grid import BBOX
from stavka.theatre.model import Theatre, base_layers

if TYPE_CHECKING:
    from stavka.scenario.container import Scenario
    from stavka.scenario.schema_world import Place

__all__ = ["render"]

_LABEL_KINDS = {"city", "port", "fortified_region", "pass"}
_RIVER_STYLE = {
    0: (1.6, "#2f6fb0"),
    1: (1.2, "#3a7cc0"),
    2: (0.8, "#4a8ad0"),
    3: (0.45, "#6aa0d8"),
    4: (0.25, "#8db8e0"),
}


def _relief_rgb(dem: np.ndarray) -> np.ndarray:
    import matplotlib.colors as mcolors

    z = np.where(dem > -32768, dem, 0).astype(float)
    cmap = mcolors.LinearSegmentedColormap.from_list(
        "hyps",
        [
            (0.0, "#a9c98f"),
            (0.08, "#cddca0"),
            (0.2, "#e8e3b0"),
            (0.4, "#d9bf8c"),
            (0.65, "#b88f62"),
            (1.0, "#8a6a4a"),
        ],
    )
    rgb = cmap(np.clip(z / 2200.0, 0, 1))[..., :3]
    ls = mcolors.LightSource(azdeg=315, altdeg=40)
    shade = ls.hillshade(z, vert_exag=0.02, dx=1.0, dy=1.0)
    rgb = rgb * (0.65 + 0.35 * shade[..., None])
    rgb[dem == -32768] = (0.78, 0.87, 0.94)
    return rgb


def _segments_between(t: Theatre, mask: np.ndarray) -> list[np.ndarray]:
    """Hex-edge segments (lon, lat) of the edges where ``mask[i, k]`` is True."""
    import h3

    segs = []
    ii, kk = np.nonzero(mask)
    for i, k in zip(ii.tolist(), kk.tolist(), strict=True):
        j = int(t.neighbors[i, k])
        if j < i:
            continue
        try:
            e = h3.cells_to_directed_edge(
                h3.int_to_str(int(t.h3[i])), h3.int_to_str(int(t.h3[j]))
            )
        except h3.H3BaseException:
            continue
        b = np.array(h3.directed_edge_to_boundary(e))
        segs.append(b[:, ::-1])
    return segs


def _centre_lines(t: Theatre, mask: np.ndarray) -> list[np.ndarray]:
    """Centre-to-centre segments (lon, lat) of the edges where ``mask`` is True."""
    ii, kk = np.nonzero(mask)
    out = []
    for i, k in zip(ii.tolist(), kk.tolist(), strict=True):
        j = int(t.neighbors[i, k])
        if j > i:
            out.append(np.array([[t.lon[i], t.lat[i]], [t.lon[j], t.lat[j]]]))
    return out


_INSET_BOX = (141.0, 42.5, 160.0, 54.0)


def _draw_background(
    ax: Any,
    background: tuple[np.ndarray, np.ndarray],
    full: tuple[float, float, float, float],
) -> None:
    """Draw the shaded relief and the water mask (``imshow`` extent ``full``)."""
    relief, water = background
    ax.imshow(relief, extent=full, origin="upper", zorder=0)
    ax.imshow(water, extent=full, origin="upper", zorder=1, interpolation="nearest")


def _label_places(
    ax: Any,
    places: Iterable[Place],
    kinds: set[str],
    box: tuple[float, float, float, float],
    *,
    ms: float,
    mew: float,
    zorder: int,
    **text: Any,
) -> None:
    """Mark and name ``places`` of ``kinds`` strictly inside ``box`` (W, S, E, N).

    The marker has size ``ms``, edge width ``mew`` and z-order ``zorder`` (its label
    one above); ``text`` goes to the label's ``annotate`` (``xytext``, ``fontsize``).
    """
    w, s, e, n = box
    for p in places:
        kind = getattr(p.kind, "value", p.kind)
        if kind not in kinds or not (w < p.lon < e and s < p.lat < n):
            continue
        ax.plot(
            p.lon, p.lat, "o", ms=ms, mfc="white", mec="black", mew=mew, zorder=zorder
        )
        ax.annotate(
            p.name_modern,
            (p.lon, p.lat),
            textcoords="offset points",
            zorder=zorder + 1,
            **text,
        )


def _inset(
    ax: object,
    t: Theatre,
    scenario: Scenario | None,
    background: tuple[np.ndarray, np.ndarray],
    coast: list[np.ndarray],
    border_segs: list[np.ndarray],
    full: tuple[float, float, float, float],
) -> None:
    """Draw Sakhalin, the Kurils and Kamchatka in an inset over the Sea of Japan."""
    from matplotlib.collections import LineCollection

    w, s, e, n = _INSET_BOX
    iax = ax.inset_axes([0.615, 0.03, 0.215, 0.30])  # type: ignore[attr-defined]
    _draw_background(iax, background, full)
    iax.add_collection(
        LineCollection(coast, colors="#3d6a96", linewidths=0.4, zorder=2)
    )
    iax.add_collection(
        LineCollection(
            border_segs,
            colors="#7a1f5c",
            linewidths=0.8,
            linestyles=(0, (3, 1.5)),
            zorder=4,
        )
    )
    rail = _centre_lines(t, t.rail_gauge_mm > 0)
    if rail:
        iax.add_collection(
            LineCollection(rail, colors="#1a1a1a", linewidths=1.0, zorder=5)
        )
    if scenario is not None:
        _label_places(
            iax,
            scenario.places.values(),
            {"island", "port", "city"},
            _INSET_BOX,
            ms=2,
            mew=0.6,
            xytext=(2, 1),
            fontsize=5,
            zorder=6,
        )
    iax.set_xlim(w, e)
    iax.set_ylim(s, n)
    iax.set_aspect(1 / np.cos(np.radians((s + n) / 2)))
    iax.set_xticks([])
    iax.set_yticks([])
    iax.set_title("Sakhalin, Kurils, Kamchatka", fontsize=7, pad=2)
    iax.set_zorder(20)


def render(
    t: Theatre,
    out: Path,
    scenario: Scenario | None = None,
    grid: bool = False,
    dpi: int = 110,
    bbox: tuple[float, float, float, float] = (112.0, 38.0, 145.0, 54.0),
) -> Path:
    """Draw the map to ``out`` (PNG) and return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection, PolyCollection

    west, south, east, north = bbox
    base = base_layers()
    fig, ax = plt.subplots(figsize=(16, 11))
    full = (BBOX[0], BBOX[2], BBOX[1], BBOX[3])  # imshow extent: l, r, b, t
    water_rgba = np.zeros((*base["landmask"].shape, 4))
    water_rgba[~base["landmask"]] = (0.78, 0.87, 0.94, 1.0)
    background = (_relief_rgb(base["dem_m"]), water_rgba)  # drawn again in the inset
    _draw_background(ax, background, full)
    off, xy, lv = base["coast_offsets"], base["coast_xy"], base["coast_level"]
    polys = [xy[off[i] : off[i + 1]] for i in range(len(lv))]
    water_col = "#c7def0"
    # sea: fill the frame, then redraw land from the relief through a clip path
    ax.add_collection(
        PolyCollection(
            [p for p, L in zip(polys, lv, strict=True) if L == 2],
            facecolors=water_col,
            edgecolors="#5b86b0",
            linewidths=0.3,
            zorder=2,
        )
    )
    coast = [p for p, L in zip(polys, lv, strict=True) if L in (1, 3)]
    ax.add_collection(
        LineCollection(
            coast,
            colors="#3d6a96",
            linewidths=0.5,
            zorder=2,
        )
    )
    roff, rxy, rcl = base["river_offsets"], base["river_xy"], base["river_class"]
    for cls, (lw, col) in _RIVER_STYLE.items():
        lines = [rxy[roff[i] : roff[i + 1]] for i in np.flatnonzero(rcl == cls)]
        ax.add_collection(LineCollection(lines, colors=col, linewidths=lw, zorder=3))
    marsh = t.cover == t.cover_names.index("marsh")
    ax.scatter(
        t.lon[marsh],
        t.lat[marsh],
        s=6,
        marker="_",
        c="#4f7f6a",
        linewidths=0.6,
        zorder=3,
    )
    border = np.zeros(t.neighbors.shape, bool)
    ok = t.neighbors >= 0
    j = t.neighbors.clip(0)
    border[ok] = (t.country_1945[:, None] != t.country_1945[j])[ok]
    border &= ~t.water[:, None] & ~t.water[j]
    border_segs = _segments_between(t, border)
    ax.add_collection(
        LineCollection(
            border_segs,
            colors="#7a1f5c",
            linewidths=1.1,
            linestyles=(0, (4, 2)),
            zorder=4,
        )
    )
    if grid:
        import h3

        sel = np.flatnonzero(
            (t.lon > west) & (t.lon < east) & (t.lat > south) & (t.lat < north)
        )
        hexes = [
            np.array(h3.cell_to_boundary(h3.int_to_str(int(t.h3[i]))))[:, ::-1]
            for i in sel
        ]
        ax.add_collection(
            PolyCollection(
                hexes,
                facecolors="none",
                edgecolors="#00000060",
                linewidths=0.3,
                zorder=5,
            )
        )
    if t.fortified_level.any():
        f = t.fortified_level > 0
        ax.scatter(
            t.lon[f],
            t.lat[f],
            s=14 * t.fortified_level[f],
            marker="s",
            facecolors="none",
            edgecolors="#b0222b",
            linewidths=0.7,
            zorder=6,
        )
    cen = _centre_lines(t, t.rail_gauge_mm > 0)
    if cen:
        ax.add_collection(
            LineCollection(cen, colors="#1a1a1a", linewidths=1.4, zorder=7)
        )
        ax.add_collection(
            LineCollection(
                cen, colors="white", linewidths=0.6, linestyles=(0, (3, 3)), zorder=7
            )
        )
    if scenario is not None:
        _label_places(
            ax,
            [p for _pid, p in sorted(scenario.places.items())],
            _LABEL_KINDS,
            bbox,
            ms=3,
            mew=0.8,
            xytext=(3, 2),
            fontsize=6.5,
            zorder=8,
            color="#111111",
            bbox={"boxstyle": "round,pad=0.1", "fc": "#ffffffa0", "ec": "none"},
        )
    for name, (la, lo) in {
        "GREATER KHINGAN": (47.6, 120.6),
        "GOBI": (44.2, 113.5),
        "SEA OF JAPAN": (40.5, 134.5),
        "SEA OF OKHOTSK": (53.3, 144.0),
        "MANCHURIAN PLAIN": (44.9, 124.2),
        "LESSER KHINGAN": (48.9, 128.6),
    }.items():
        if not (west < lo < east and south < la < north):
            continue
        ax.text(
            lo,
            la,
            name,
            fontsize=9,
            style="italic",
            color="#5a4a3a",
            ha="center",
            rotation=60 if "GREATER" in name else 0,
            alpha=0.8,
            zorder=9,
        )
    road = _centre_lines(t, t.road > 0)
    ax.add_collection(
        LineCollection(
            road, colors="#8a3b12", linewidths=0.9, linestyles=(0, (1, 1.5)), zorder=6
        )
    )
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#1a1a1a", lw=1.6, label="railway, 1945"),
        Line2D(
            [], [], color="#8a3b12", lw=1.0, ls=(0, (1, 1.5)), label="road / march axis"
        ),
        Line2D([], [], color="#2f6fb0", lw=1.4, label="river (WDBII class 0-1)"),
        Line2D([], [], color="#6aa0d8", lw=0.6, label="river (class 2-4)"),
        Line2D(
            [], [], color="#7a1f5c", lw=1.1, ls=(0, (4, 2)), label="border, August 1945"
        ),
        Line2D([], [], color="#4f7f6a", marker="_", ls="none", label="marsh, 1945"),
        Line2D(
            [],
            [],
            color="#b0222b",
            marker="s",
            mfc="none",
            ls="none",
            label="fortified region",
        ),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.85)
    if east < 150.0:
        _inset(ax, t, scenario, background, coast, border_segs, full)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / np.cos(np.radians((south + north) / 2)))
    ax.set_title(
        "The theatre of the Soviet–Japanese War, August 1945 "
        f"(H3 resolution {t.resolution}; 1945 borders dashed)",
        fontsize=12,
    )
    ax.set_xlabel("longitude °E")
    ax.set_ylabel("latitude °N")
    ax.text(
        0.005,
        0.005,
        "Relief: Mapzen terrain via pvlib (5′); coast, lakes, rivers: "
        "GSHHG/WDBII 2.3.7; borders: Natural Earth + hand-authored 1945 lines. "
        "Railways and places: stavka scenario august-storm.",
        transform=ax.transAxes,
        fontsize=6.5,
        color="#333333",
        zorder=10,
        bbox={"fc": "#ffffffc0", "ec": "none"},
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return out

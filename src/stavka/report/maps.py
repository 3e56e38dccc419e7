"""Map snapshots of a run at chosen days: unit positions and place control.

The background is the theatre's relief and coast when :mod:`stavka.theatre` and its
shipped data are there (:func:`theatre_background`), else plain; the scenario's
railways and places are drawn over it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from stavka.report.plots import grid_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from stavka.record.evaluate import Evaluation
    from stavka.scenario import Scenario

__all__ = ["SIDE_COLOURS", "default_days", "snapshot_figure", "theatre_background"]

logger = logging.getLogger(__name__)

SIDE_COLOURS = {"ussr": "#c62828", "japan": "#1565c0"}
"""Colour of each side's units and places (others grey)."""

_MAX_LABELS = 40
_GONE = ("destroyed", "surrendered", "disbanded")


def default_days(n_days: int) -> list[int]:
    """Pick up to six snapshot days spread over a run of ``n_days`` days."""
    picks = [d for d in (1, 4, 7, 10, 14) if d < n_days]
    return [*picks, n_days]


_TINT_M = np.array([0.0, 300.0, 800.0, 1500.0, 2500.0])
_TINT_RGB = np.array(
    [
        [0.93, 0.95, 0.88],
        [0.91, 0.91, 0.80],
        [0.87, 0.83, 0.70],
        [0.80, 0.72, 0.60],
        [0.72, 0.64, 0.58],
    ]
)
_WATER_RGB = np.array([0.80, 0.89, 0.95])


def theatre_background() -> tuple[np.ndarray, tuple[float, float, float, float]] | None:
    """Return a tinted relief image of the theatre and its extent, if available.

    Uses the shipped theatre product (``stavka.theatre.model.base_layers``): the 5′
    DEM and the 1′ land mask. Returns None when the theatre package or its data are
    missing, so reports work without a map.

    Returns:
        ``(rgb [rows, cols, 3] float, (west, east, south, north) degrees)`` or None.
    """
    try:
        from stavka.theatre.grid import BBOX
        from stavka.theatre.model import base_layers

        base: Any = base_layers()
        dem = np.asarray(base["dem_m"], dtype=float)
        step = max(1, round(base["landmask"].shape[1] / dem.shape[1]))
        land = np.asarray(base["landmask"], dtype=bool)[::step, ::step]
        land = land[: dem.shape[0], : dem.shape[1]]
        west, south, east, north = (float(v) for v in BBOX[:4])
    except Exception as err:  # optional decoration: never fatal
        logger.debug("no theatre background: %s", err)
        return None
    if land.shape != dem.shape:
        return None
    rgb = np.stack(
        [np.interp(dem, _TINT_M, _TINT_RGB[:, i]) for i in range(3)], axis=-1
    )
    rgb[~land] = _WATER_RGB
    return rgb, (west, east, south, north)


def _plain_layer(ax: Axes, scenario: Scenario) -> None:
    """Draw railways and all places as a light background."""
    places = scenario.places
    for line in scenario.railways.values():
        pts = [places[s] for s in line.stations if s in places]
        ax.plot(
            [p.lon for p in pts],
            [p.lat for p in pts],
            color="#bdbdbd",
            lw=0.8,
            zorder=0,
        )
    ax.scatter(
        [p.lon for p in places.values()],
        [p.lat for p in places.values()],
        s=3,
        color="#9e9e9e",
        zorder=1,
    )


def _at(frame: pd.DataFrame, key: str, when: pd.Timestamp) -> pd.DataFrame:
    """Rows of the latest time <= ``when`` for each ``key``."""
    if frame.empty:
        return frame
    sub = frame[frame["time"] <= when].sort_values("time", kind="stable")
    return sub.groupby(key, sort=False).tail(1)


def _extent(ev: Evaluation, units: pd.DataFrame) -> tuple[float, float, float, float]:
    """Bounds (lon0, lon1, lat0, lat1) around units and scored places."""
    places = ev.scenario.places
    lons = [places[c.place].lon for c in ev.score.captures if c.place in places]
    lats = [places[c.place].lat for c in ev.score.captures if c.place in places]
    if not units.empty:
        lons += units["lon"].tolist()
        lats += units["lat"].tolist()
    if not lons:
        lons, lats = [p.lon for p in places.values()], [p.lat for p in places.values()]
    pad = 1.0
    return min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad


def snapshot_figure(ev: Evaluation, days: list[int]) -> Figure:
    """Draw unit positions and place control at the end of each given campaign day.

    Args:
        ev: the evaluation.
        days: campaign days (day 1 = the start date).

    Returns:
        A figure with one map per day.
    """
    units = ev.run.units()
    control = ev.run.control()
    tz = ev.run.start.tzinfo
    start_day = dt.datetime.combine(ev.run.start.date(), dt.time(), tzinfo=tz)
    ncols = min(2, max(1, len(days)))
    nrows = -(-len(days) // ncols)
    lon0, lon1, lat0, lat1 = _extent(ev, units)
    stretch = 1 / np.cos(np.radians((lat0 + lat1) / 2))
    panel_h = 6.5 * (lat1 - lat0) * stretch / (lon1 - lon0) + 0.5
    height = panel_h * nrows + 0.6
    fig = Figure(figsize=(6.8 * ncols, height))
    grid_layout(fig, height)
    places = ev.scenario.places
    background = theatre_background()
    for k, day in enumerate(days):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        when = pd.Timestamp(
            min(start_day + dt.timedelta(days=day), (ev.score.end or ev.run.end))
        )
        if background is not None:
            ax.imshow(
                background[0],
                extent=background[1],
                origin="upper",
                zorder=0,
                interpolation="bilinear",
            )
        _plain_layer(ax, ev.scenario)
        held = _at(control, "place", when)
        for side, grp in held.groupby("side"):
            pts = [places[p] for p in grp["place"] if p in places]
            ax.scatter(
                [p.lon for p in pts],
                [p.lat for p in pts],
                s=14,
                marker="s",
                facecolors="none",
                edgecolors=SIDE_COLOURS.get(str(side), "#616161"),
                linewidths=0.8,
                zorder=2,
            )
        now = _at(units, "unit", when)
        gone = now["status"].isin(_GONE) if "status" in now else None
        if gone is not None and gone.any():
            ax.scatter(
                now.loc[gone, "lon"],
                now.loc[gone, "lat"],
                s=12,
                marker="x",
                color="#424242",
                linewidths=0.8,
                zorder=3,
            )
            now = now[~gone]
        size = 60 if len(now) <= _MAX_LABELS else 22
        for side, grp in now.groupby("side"):
            ax.scatter(
                grp["lon"],
                grp["lat"],
                s=size,
                marker="o",
                color=SIDE_COLOURS.get(str(side), "#616161"),
                edgecolors="black",
                linewidths=0.5,
                zorder=3,
            )
            if len(grp) <= _MAX_LABELS:
                for _, u in grp.iterrows():
                    ax.annotate(
                        str(u["unit"]),
                        (float(u["lon"]), float(u["lat"])),
                        fontsize=7,
                        xytext=(4, 3),
                        textcoords="offset points",
                        zorder=4,
                    )
        ax.set_xlim(lon0, lon1)
        ax.set_ylim(lat0, lat1)
        ax.set_aspect(stretch)
        label = (start_day + dt.timedelta(days=day - 1)).strftime("%d %b")
        ax.set_title(
            f"day {day} ({label}), state at {when.strftime('%d %b %H:%M')}", fontsize=10
        )
        ax.tick_params(labelsize=7)
    handles = [
        Line2D([], [], marker="o", ls="", color=c, mec="black", label=f"{s} unit")
        for s, c in SIDE_COLOURS.items()
    ] + [
        Line2D([], [], marker="s", ls="", mfc="none", mec=c, label=f"place held by {s}")
        for s, c in SIDE_COLOURS.items()
    ]
    handles.append(
        Line2D([], [], marker="x", ls="", color="#424242", label="unit out of action")
    )
    fig.legend(handles=handles, loc="lower center", ncols=5, fontsize=9)
    return fig

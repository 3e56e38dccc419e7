"""Static plots of a scored run (matplotlib, no pyplot): advances, captures, losses.

Each function returns a :class:`matplotlib.figure.Figure`; :func:`to_data_uri` turns
one into a base64 PNG for a self-contained HTML page.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
from collections import defaultdict
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

if TYPE_CHECKING:
    from stavka.record.evaluate import Evaluation

__all__ = [
    "STATUS_COLOURS",
    "advance_figure",
    "capture_figure",
    "grid_layout",
    "losses_figure",
    "to_data_uri",
]

STATUS_COLOURS = {
    "inside": "#2e7d32",
    "early": "#1565c0",
    "late": "#c62828",
    "never_taken": "#6a1b9a",
    "beyond_run": "#9e9e9e",
}
"""Marker colour of each capture status."""

_DAY_FMT = mdates.DateFormatter("%d %b")


def to_data_uri(fig: Figure, dpi: int = 110) -> str:
    """Render a figure as a ``data:image/png;base64,...`` URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def grid_layout(fig: Figure, height: float) -> None:
    """Set fixed margins for a grid of panels with a legend below.

    Constrained layout is several times slower for many axes.
    """
    fig.subplots_adjust(
        left=0.06,
        right=0.985,
        top=1 - 0.35 / height,
        bottom=0.75 / height,
        hspace=0.45,
        wspace=0.25,
    )


def _x(when: dt.datetime | dt.date) -> float:
    """Matplotlib date number (days) of a naive local time or date."""
    return float(mdates.date2num(when))


def _end_of(day: dt.date) -> float:
    """Date number of the end of a local day (record points are end of day)."""
    return _x(dt.datetime.combine(day, dt.time()) + dt.timedelta(days=1))


def advance_figure(ev: Evaluation) -> tuple[Figure, list[str]]:
    """Plot simulated advance curves against the record points, one panel a formation.

    Record points are numbered; the numbers key the source table of the report.

    Args:
        ev: the evaluation.

    Returns:
        The figure and the formation ids in panel order.
    """
    sim: dict[str, dict[str, float]] = ev.run.summary.get("advance_km", {})
    points = defaultdict(list)
    for i, p in enumerate(ev.score.advances, start=1):
        points[p.formation].append((i, p))
    ids = sorted(
        set(points) | set(sim),
        key=lambda f: (not f.endswith("_front"), f not in points, f),
    )
    ncols = 3 if len(ids) > 4 else max(1, len(ids))
    nrows = max(1, math.ceil(len(ids) / ncols))
    height = 2.9 * nrows + 0.6
    fig = Figure(figsize=(4.2 * ncols, height))
    grid_layout(fig, height)
    start = _x(ev.run.start.replace(tzinfo=None))
    end = _x((ev.score.end or ev.run.end).replace(tzinfo=None))
    for k, fid in enumerate(ids):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        series = sim.get(fid, {})
        if series:
            xs = sorted(series)
            ax.plot(
                [_end_of(dt.date.fromisoformat(x)) for x in xs],
                [series[x] for x in xs],
                color="#37474f",
                lw=1.8,
                label="simulated",
            )
        for i, p in points.get(fid, []):
            x = _end_of(p.date)
            mid = (p.km_low + p.km_high) / 2
            hollow = p.how != "cumulative_km"
            ax.errorbar(
                [x],
                [mid],
                yerr=[[mid - p.km_low], [p.km_high - mid]],
                fmt="o",
                ms=6,
                mfc="white" if hollow else "#ef6c00",
                mec="#ef6c00",
                ecolor="#ef6c00",
                capsize=3,
            )
            ax.annotate(
                str(i),
                (x, p.km_high),
                textcoords="offset points",
                xytext=(3, 3),
                fontsize=7,
                color="#bf360c",
            )
        ax.set_title(fid, fontsize=10)
        ax.set_xlim(start, max([end, *(_end_of(p.date) for p in ev.score.advances)]))
        top = max(
            [*series.values(), *(p.km_high for _, p in points.get(fid, []))],
            default=1.0,
        )
        ax.set_ylim(0, max(1.0, float(top)) * 1.15)
        ax.xaxis.set_major_formatter(_DAY_FMT)
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=5))
        ax.tick_params(labelsize=8)
        ax.set_ylabel("km from start", fontsize=8)
        ax.grid(alpha=0.3)
    handles = [
        Line2D([], [], color="#37474f", lw=1.8, label="simulated"),
        Line2D([], [], marker="o", ls="", color="#ef6c00", label="record (sourced km)"),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            mfc="white",
            mec="#ef6c00",
            label="record (derived great-circle km)",
        ),
    ]
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=9)
    return fig, ids


def capture_figure(ev: Evaluation) -> Figure:
    """Plot each place's record window and the simulated capture time.

    Args:
        ev: the evaluation.

    Returns:
        The figure (one row per place, in order of the record date).
    """
    caps = ev.score.captures
    fig = Figure(figsize=(10, 1.2 + 0.24 * max(1, len(caps))), layout="constrained")
    ax = fig.add_subplot()
    end = _x((ev.score.end or ev.run.end).replace(tzinfo=None))
    tz = ev.run.start.tzinfo
    for y, c in enumerate(caps):
        ax.barh(
            y,
            (c.last - c.first).days + 1,
            left=_x(c.first),
            height=0.6,
            color="#b0bec5",
            edgecolor="#78909c",
        )
        colour = STATUS_COLOURS[c.status]
        if c.simulated is not None:
            t = _x(c.simulated.astimezone(tz).replace(tzinfo=None))
            ax.plot([t], [y], marker="D", ms=6, color=colour)
        elif c.status == "never_taken":
            ax.plot([end], [y], marker=">", ms=8, color=colour)
        label = "" if c.error_days is None else f"{c.error_days:+.1f} d"
        ax.annotate(
            label,
            (1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color=colour,
        )
    ax.set_yticks(range(len(caps)), [c.place for c in caps], fontsize=8)
    ax.set_ylim(len(caps) - 0.5, -0.5)
    right = max([end, *(_x(c.last) + 1 for c in caps)])
    ax.set_xlim(_x(ev.run.start.replace(tzinfo=None)), right + 0.5)
    if right > end:  # the run stopped before the record ends
        ax.axvspan(end, right + 0.5, color="#eeeeee", zorder=0)
        ax.annotate(
            "after run end",
            (end, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(4, -12),
            textcoords="offset points",
            fontsize=8,
            color="#757575",
        )
    ax.xaxis.set_major_formatter(_DAY_FMT)
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=2))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    handles = [
        Line2D([], [], lw=6, color="#b0bec5", label="record window"),
        *(
            Line2D(
                [],
                [],
                marker="D" if s != "never_taken" else ">",
                ls="",
                color=col,
                label=s.replace("_", " "),
            )
            for s, col in STATUS_COLOURS.items()
            if s != "beyond_run"
        ),
    ]
    ax.legend(
        handles=handles, loc="lower left", fontsize=8, ncols=5, bbox_to_anchor=(0, 1.0)
    )
    return fig


def losses_figure(ev: Evaluation) -> Figure | None:
    """Plot simulated losses against the sourced ranges (log scale).

    Args:
        ev: the evaluation.

    Returns:
        The figure, or None when the record has no loss ranges.
    """
    rows = ev.score.losses
    if not rows:
        return None
    fig = Figure(figsize=(10, 1.0 + 0.42 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    values = [v for r in rows for v in (r.low, r.high, r.simulated) if v]
    lo_lim, hi_lim = min(values) / 3, max(values) * 3
    for y, r in enumerate(rows):
        a = r.low if r.low is not None else lo_lim
        b = r.high if r.high is not None else hi_lim
        if a == b:
            ax.plot([a], [y], marker="|", ms=16, mew=3, color="#78909c")
        else:
            ax.barh(y, b - a, left=a, height=0.5, color="#b0bec5", edgecolor="#78909c")
        if r.simulated is not None:
            colour = "#2e7d32" if r.status == "inside" else "#c62828"
            ax.plot([max(r.simulated, lo_lim)], [y], marker="D", ms=7, color=colour)
    labels = [f"{r.side} {'+'.join(r.categories)} ({r.scope})" for r in rows]
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(lo_lim, hi_lim)
    ax.set_xlabel("men (log scale); bars = sourced range, open ends run to the edge")
    ax.grid(axis="x", alpha=0.3, which="both")
    return fig

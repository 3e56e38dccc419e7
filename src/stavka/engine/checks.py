"""Campaign checks computed from a run: the figures the engine issue asks for.

They read the simulation only (depths, fuel, positions); the record enters only through
the scorer. Used by ``benchmarks/campaign_checks.py`` and the engine docs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from stavka.engine.core import RunResult
from stavka.engine.output import formation_depth
from stavka.engine.state import PERSONNEL

__all__ = [
    "ISSUE_RANGES",
    "front_depths",
    "issue_figures",
    "khingan_crossing",
    "losses_by_kind",
    "spread",
    "stall_hours",
]

KHINGAN_PASSES = ("khorokhon_pass", "tsagan_dabo_pass")
"""Greater Khingan passes on the 6th Guards Tank Army's routes (places.csv)."""


def front_depths(result: RunResult, day: int, replica: int = 0) -> dict[str, float]:
    """Depth (km) of each front at the end of ``day``.

    Depth of the main forces: :func:`~stavka.engine.output.formation_depth`.
    """
    ctx = result.ctx
    depth = result.daily_depth.get(day)
    out: dict[str, float] = {}
    if depth is None:
        return out
    for fid, idx in ctx.formation_units.items():
        f = ctx.scenario.formations[fid]
        if idx and f.echelon.value == "front" and f.side == ctx.scenario.meta.attacker:
            out[fid] = round(formation_depth(ctx, depth, fid, replica), 1)
    return out


def khingan_crossing(
    result: RunResult, formation: str = "6gta", replica: int = 0
) -> str | None:
    """First time a unit of ``formation`` stands 25 km or more east of a Khingan pass.

    Needs a trace kept every step (``trace_every=1``). Returns ISO time or None.
    """
    ctx = result.ctx
    s = ctx.scenario
    passes = [s.places[p] for p in KHINGAN_PASSES if p in s.places]
    idx = ctx.formation_units.get(formation, [])
    if not passes or not idx:
        return None
    east_of = max(p.lon for p in passes) + 25.0 / (
        111.0 * np.cos(np.radians(passes[0].lat))
    )
    for st in result.trace:
        lon = ctx.theatre.lon[st.cell[replica, idx]]
        if (lon >= east_of).any():
            return (s.meta.start + dt.timedelta(hours=st.hour)).isoformat()
    return None


def stall_hours(
    result: RunResult,
    formation: str = "6gta",
    first_day: int = 4,
    last_day: int = 9,
    replica: int = 0,
    main_body: bool = False,
) -> dict[str, Any]:
    """Longest fuel stall (hours) in campaign days [first_day, last_day].

    A stall is a stretch during which the formation's lead unit gained no depth while
    one of its units was low on fuel (< 5 % of a refill). With ``main_body``, the
    formation's main body: its units' median depth gained nothing while half or more
    of them were low on fuel (a forward detachment on the day's air lift may go on).
    """
    ctx = result.ctx
    idx = ctx.formation_units.get(formation, [])
    best, run, start_best, start_run = 0.0, 0.0, None, None
    prev_depth = None
    for st in result.trace:
        day = int(st.hour // 24) + 1
        depth, low = 0.0, False
        if idx:
            d, f = st.max_depth_km[replica, idx], st.fuel[replica, idx]
            if main_body:
                depth, low = float(np.median(d)), bool((f < 0.05).mean() >= 0.5)
            else:
                depth, low = float(d.max()), bool((f < 0.05).any())
        if (
            first_day <= day <= last_day
            and prev_depth is not None
            and depth <= prev_depth + 1e-3
            and low
        ):
            if run == 0.0:
                start_run = st.hour
            run += ctx.params.step_hours
            if run > best:
                best, start_best = run, start_run
        else:
            run = 0.0
        prev_depth = depth
    when = None
    if start_best is not None:
        when = (
            ctx.scenario.meta.start + dt.timedelta(hours=float(start_best))
        ).isoformat()
    return {"hours": best, "from": when}


def losses_by_kind(result: RunResult, replica: int = 0) -> dict[str, dict[str, float]]:
    """Personnel losses per side, and per the sides' own nations, by kind at the end."""
    from stavka.engine.state import LOSS_KINDS

    ctx, st = result.ctx, result.final
    names = [ctx.scenario.meta.attacker] + [
        x.id for x in ctx.scenario.meta.sides if x.id != ctx.scenario.meta.attacker
    ]
    nation = np.array(ctx.units.nation)
    groups = [(side, ctx.units.side == k) for k, side in enumerate(names[:2])]
    # The record's figures are about each side's own nation (the Japanese army, the
    # Red Army), without allied troops.
    groups += [(f"{side} (nation)", nation == side) for side in names[:2]]
    out: dict[str, dict[str, float]] = {}
    for name, mask in groups:
        lost = st.lost[replica][mask][:, :, PERSONNEL].sum(axis=0)
        out[name] = {
            kind: round(float(v)) for kind, v in zip(LOSS_KINDS, lost, strict=True)
        }
    return out


ISSUE_RANGES: dict[str, tuple[float, float]] = {
    "depth day 6 trans_baikal_front": (250.0, 500.0),
    "depth day 6 first_far_eastern_front": (120.0, 200.0),
    "depth day 6 second_far_eastern_front": (50.0, 100.0),
    "median capture error d": (0.0, 1.5),
    "within 3 days": (0.8, 1.0),
    "Soviet killed+missing": (8_000.0, 15_000.0),
    "Soviet wounded": (20_000.0, 30_000.0),
    "Japanese killed": (20_000.0, 90_000.0),
    "Japanese prisoners": (550_000.0, 650_000.0),
}
"""The engine issue's ranges of the figures of :func:`issue_figures`."""


def issue_figures(result: RunResult, summary: dict[str, Any]) -> dict[str, float]:
    """The figures :data:`ISSUE_RANGES` bounds, of a run and its scored summary.

    Losses are the sides' own nations' (the Red Army, the Japanese army), as the
    record's are; ``summary`` is ``write_run_dir``'s (with ``score``) or
    ``build_summary``'s with ``score`` added.
    """
    caps = summary["score"]["captures"]
    nation = summary["losses_by_nation"]
    out = {f"depth day 6 {k}": v for k, v in front_depths(result, 6).items()}
    out["median capture error d"] = caps["median_abs_error_days"]
    out["within 3 days"] = caps["within_3_days"]
    out["Soviet killed+missing"] = nation["ussr"]["killed"] + nation["ussr"]["missing"]
    out["Soviet wounded"] = nation["ussr"]["wounded"]
    out["Japanese killed"] = nation["japan"]["killed"]
    out["Japanese prisoners"] = nation["japan"]["captured"]
    return out


def spread(
    rows: list[dict[str, float]], key: str
) -> tuple[float, float, float, float | None]:
    """Median, 5th and 95th percentiles of ``key`` over ``rows``, and a share.

    The share is that of the rows inside the key's :data:`ISSUE_RANGES` range (None
    where it has none).
    """
    v = np.array([r[key] for r in rows], dtype=np.float64)
    lo, hi = np.percentile(v, [5, 95])
    bounds = ISSUE_RANGES.get(key)
    share = (
        None if bounds is None else float(((v >= bounds[0]) & (v <= bounds[1])).mean())
    )
    return float(np.median(v)), float(lo), float(hi), share

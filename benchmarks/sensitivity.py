"""One-at-a-time sensitivity of the campaign to the engine's unsourced parameters.

Usage: python benchmarks/sensitivity.py [--seeds 2] [--factor 2] [--all]
       [--only NAME ...]   (--only: just these parameters, whatever their provenance)
       [--map]             (the map's estimated movement constants instead)
       [--joint N]         (N settings drawing every parameter at once instead)

Each parameter whose provenance is ``assumption`` (``docs/parameters.md``; ``--all``:
every numeric parameter) is run at its value divided and multiplied by ``--factor``,
the others kept; the table gives, per setting, the mean over the seeds of each front's
depth on day 6, the median capture-date error, the share of places within 3 days,
Soviet killed + wounded and Japanese-army prisoners, and the largest relative change
against the baseline. It says which assumptions the results hang on, so sourcing can
start there; nothing here changes a parameter.

With ``--map`` the settings are the map's estimated movement constants instead
(``stavka.theatre.movement``: the cross-country speeds of horse, motor and tracked
columns, every cover factor but foot on steppe and open ground, the relief scales),
each halved and doubled (a cover factor at most to 1: no faster than open ground),
with the context prepared afresh.

With ``--joint N`` the parameters vary together: N settings, each drawing every
chosen parameter log-uniformly between its value divided and multiplied by
``--factor`` (``--draw-seed``; the same seed draws the same settings). It prints each
setting's figures, then per figure the median and 5th-95th percentiles over the
settings and the share of settings inside the engine issue's range. It says how far
the unsourced parameters together can move the campaign; it fits nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from stavka.engine import Context, EngineParams, prepare, simulate
from stavka.engine.checks import ISSUE_RANGES, front_depths, issue_figures, spread
from stavka.engine.output import build_summary
from stavka.engine.params import PROVENANCE
from stavka.record.loader import Record, load_record
from stavka.record.scoring import score_run
from stavka.theatre import movement

SETUP_PARAMS = frozenset(
    {
        "flotilla_kmh",
        "ferry_hours",
        "flotilla_reach_km",
        "ship_kmh",
        "sea_embark_hours",
        "exploit_radius_km",
        "landing_men_default",
    }
)
"""Parameters the context is built from (routing classes, landings, area of operations):
changing them needs a fresh ``prepare``."""
FIXED = frozenset({"step_hours", "combat_noise"})


def figures(ctx: Context, record: Record, seeds: list[int]) -> dict[str, float]:
    """Mean campaign figures over ``seeds``."""
    rows = []
    for seed in seeds:
        res = simulate(ctx, seed)
        summary = build_summary(res, seed, None)
        caps = score_run(summary, record).capture_stats()
        row = {f"d6 {k.split('_')[0]}": v for k, v in front_depths(res, 6).items()}
        row["med err d"] = caps["median_abs_error_days"]
        row["within 3 d"] = caps["within_3_days"]
        sov = summary["losses"]["ussr"]
        row["sov k+w"] = sov["killed"] + sov["wounded"]
        row["jap POW"] = summary["losses_by_nation"]["japan"]["captured"]
        rows.append(row)
    return {k: statistics.mean(r[k] for r in rows) for k in rows[0]}


def issue_means(ctx: Context, record: Record, seeds: list[int]) -> dict[str, float]:
    """Mean ``checks.issue_figures`` over ``seeds``."""
    rows = []
    for seed in seeds:
        res = simulate(ctx, seed)
        summary = build_summary(res, seed, None)
        summary["score"] = {"captures": score_run(summary, record).capture_stats()}
        rows.append(issue_figures(res, summary))
    return {k: statistics.mean(r[k] for r in rows) for k in rows[0]}


SHORT = {
    "depth day 6 first_far_eastern_front": "d6 first",
    "depth day 6 second_far_eastern_front": "d6 second",
    "depth day 6 trans_baikal_front": "d6 trans",
    "median capture error d": "med err d",
    "within 3 days": "within 3 d",
    "Soviet killed+missing": "sov k+m",
    "Soviet wounded": "sov w",
    "Japanese killed": "jap k",
    "Japanese prisoners": "jap POW",
}
"""Column labels of ``--joint``'s table."""


def joint(
    names: list[str], n: int, factor: float, draw_seed: int, seeds: list[int]
) -> None:
    """Run ``n`` settings drawing every parameter in ``names`` at once; print them
    and the spread of each figure."""
    base_params = EngineParams()
    base_ctx = prepare("august-storm")
    record = load_record(base_ctx.scenario.record_dir, base_ctx.scenario)  # type: ignore[arg-type]
    rng = np.random.default_rng(draw_seed)
    t0 = time.perf_counter()
    base = issue_means(base_ctx, record, seeds)
    cols = list(base)
    print(f"{n} settings over {len(names)} parameters, each x {factor:g}^U(-1, 1)")
    print(f"{'setting':10s}" + "".join(f"{SHORT.get(c, c):>11s}" for c in cols))
    print(f"{'baseline':10s}" + "".join(f"{base[c]:11.2f}" for c in cols))
    rows = []
    for i in range(n):
        scale = factor ** rng.uniform(-1.0, 1.0, len(names))
        values = {
            k: getattr(base_params, k) * float(m)
            for k, m in zip(names, scale, strict=True)
        }
        params = dataclasses.replace(base_params, **values)
        ctx = (
            prepare("august-storm", params=params)
            if SETUP_PARAMS & set(names)
            else dataclasses.replace(base_ctx, params=params)
        )
        rows.append(issue_means(ctx, record, seeds))
        print(
            f"{f'draw {i}':10s}" + "".join(f"{rows[-1][c]:11.2f}" for c in cols),
            flush=True,
        )
    print(f"({time.perf_counter() - t0:.0f} s, seeds {seeds})")
    print(
        f"{'figure':12s}{'median':>11s}{'5 %':>11s}{'95 %':>11s}  range, settings in it"
    )
    for c in cols:
        med, lo, hi, share = spread(rows, c)
        inside = ""
        if share is not None:
            bounds = ISSUE_RANGES[c]
            inside = f"{bounds[0]:g}-{bounds[1]:g}, {100 * share:.0f} %"
        print(f"{SHORT.get(c, c):12s}{med:11.2f}{lo:11.2f}{hi:11.2f}  {inside}")

    def within(r: dict[str, float], keys: list[str]) -> bool:
        return all(ISSUE_RANGES[k][0] <= r[k] <= ISSUE_RANGES[k][1] for k in keys)

    loss = ["Soviet killed+missing", "Soviet wounded", "Japanese killed"]
    loss.append("Japanese prisoners")
    losses = np.mean([within(r, loss) for r in rows])
    every = np.mean([within(r, [k for k in ISSUE_RANGES if k in r]) for r in rows])
    print(
        f"settings inside every loss range: {100 * losses:.0f} %; "
        f"inside every range: {100 * every:.0f} %"
    )


COVERS = ("water", "forest", "steppe", "open", "desert", "marsh", "mountain")
"""The cover order of ``movement.COVER_FACTOR``."""
SOURCED = {("foot", "steppe"), ("foot", "open"), ("foot", "water")}
"""Cover factors that are not estimates: foot on open ground is FM 21-18's speed."""


def map_settings(factor: float) -> Iterator[tuple[str, Callable[[], None]]]:
    """(label, change) for each estimated map constant, halved then multiplied."""

    def cross(cls: str, v: float) -> Callable[[], None]:
        return lambda: movement.CROSS_KMH.__setitem__(cls, v)

    def relief(cls: str, v: float) -> Callable[[], None]:
        return lambda: movement.RELIEF_M.__setitem__(cls, v)

    def cover(cls: str, k: int, v: float) -> Callable[[], None]:
        def change() -> None:
            row = list(movement.COVER_FACTOR[cls])
            row[k] = v
            movement.COVER_FACTOR[cls] = tuple(row)

        return change

    for cls in ("horse", "motor", "tracked"):
        v = movement.CROSS_KMH[cls]
        for x in (v / factor, v * factor):
            yield f"cross-country km/h {cls} = {x:g}", cross(cls, x)
    for cls, row in movement.COVER_FACTOR.items():
        for k, v in enumerate(row):
            if (cls, COVERS[k]) in SOURCED or COVERS[k] == "water" or v <= 0:
                continue
            for x in (v / factor, min(v * factor, 1.0)):
                if x != v:
                    yield f"cover {cls} {COVERS[k]} = {x:g}", cover(cls, k, x)
    for cls, v in movement.RELIEF_M.items():
        for x in (v / factor, v * factor):
            yield f"relief m {cls} = {x:g}", relief(cls, x)


@contextmanager
def changed_map(change: Callable[[], None]) -> Iterator[None]:
    """Apply ``change`` to the map's movement constants, and restore them after."""
    cross, cover, relief = (
        dict(movement.CROSS_KMH),
        dict(movement.COVER_FACTOR),
        dict(movement.RELIEF_M),
    )
    change()
    try:
        yield
    finally:
        movement.CROSS_KMH.update(cross)
        movement.COVER_FACTOR.update(cover)
        movement.RELIEF_M.update(relief)


def main() -> None:
    """Run the baseline and every perturbation; print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--factor", type=float, default=2.0)
    ap.add_argument("--all", action="store_true", help="every numeric parameter")
    ap.add_argument("--only", nargs="*", default=None, help="just these parameters")
    ap.add_argument("--map", action="store_true", help="the map's movement constants")
    ap.add_argument("--joint", type=int, default=0, help="N settings, all at once")
    ap.add_argument("--draw-seed", type=int, default=0, help="seed of --joint's draws")
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    base_params = EngineParams()
    base_ctx = prepare("august-storm")
    record = load_record(base_ctx.scenario.record_dir, base_ctx.scenario)  # type: ignore[arg-type]
    names = [
        f.name
        for f in dataclasses.fields(EngineParams)
        if f.name not in FIXED
        and isinstance(getattr(base_params, f.name), float)
        and (
            f.name in args.only
            if args.only is not None
            else args.all or PROVENANCE[f.name][1].startswith("assumption")
        )
    ]
    if args.joint:
        joint(names, args.joint, args.factor, args.draw_seed, seeds)
        return
    t0 = time.perf_counter()
    base = figures(base_ctx, record, seeds)
    cols = list(base)
    print(f"{'setting':42s}" + "".join(f"{c:>11s}" for c in cols) + "  max change")
    print(f"{'baseline':42s}" + "".join(f"{base[c]:11.2f}" for c in cols))
    if args.map:
        for label, change in map_settings(args.factor):
            with changed_map(change):
                got = figures(prepare("august-storm"), record, seeds)
            _row(label, got, base, cols)
        print(f"({time.perf_counter() - t0:.0f} s, seeds {seeds})")
        return
    for name in names:
        value = getattr(base_params, name)
        for v in (value / args.factor, value * args.factor):
            params = dataclasses.replace(base_params, **{name: v})
            ctx = (
                prepare("august-storm", params=params)
                if name in SETUP_PARAMS
                else dataclasses.replace(base_ctx, params=params)
            )
            _row(f"{name} = {v:g}", figures(ctx, record, seeds), base, cols)
    print(f"({time.perf_counter() - t0:.0f} s, seeds {seeds})")


def _row(
    label: str, got: dict[str, float], base: dict[str, float], cols: list[str]
) -> None:
    """Print one setting's figures and its largest relative change."""
    change = max(abs(got[c] - base[c]) / abs(base[c]) if base[c] else 0.0 for c in cols)
    print(
        f"{label:42s}" + "".join(f"{got[c]:11.2f}" for c in cols) + f"  {change:+.0%}",
        flush=True,
    )


if __name__ == "__main__":
    main()

"""One-at-a-time sensitivity of the campaign to the engine's unsourced parameters.

Usage: python benchmarks/sensitivity.py [--seeds 2] [--factor 2] [--all]
       [--only NAME ...]   (--only: just these parameters, whatever their provenance)

Each parameter whose provenance is ``assumption`` (``docs/parameters.md``; ``--all``:
every numeric parameter) is run at its value divided and multiplied by ``--factor``,
the others kept; the table gives, per setting, the mean over the seeds of each front's
depth on day 6, the median capture-date error, the share of places within 3 days,
Soviet killed + wounded and Japanese-army prisoners, and the largest relative change
against the baseline. It says which assumptions the results hang on, so sourcing can
start there; nothing here changes a parameter.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

from stavka.engine import Context, EngineParams, prepare, simulate
from stavka.engine.checks import front_depths
from stavka.engine.output import build_summary
from stavka.engine.params import PROVENANCE
from stavka.record.loader import Record, load_record
from stavka.record.scoring import score_run

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


def main() -> None:
    """Run the baseline and every perturbation; print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--factor", type=float, default=2.0)
    ap.add_argument("--all", action="store_true", help="every numeric parameter")
    ap.add_argument("--only", nargs="*", default=None, help="just these parameters")
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
    t0 = time.perf_counter()
    base = figures(base_ctx, record, seeds)
    cols = list(base)
    print(f"{'setting':42s}" + "".join(f"{c:>11s}" for c in cols) + "  max change")
    print(f"{'baseline':42s}" + "".join(f"{base[c]:11.2f}" for c in cols))
    for name in names:
        value = getattr(base_params, name)
        for v in (value / args.factor, value * args.factor):
            params = dataclasses.replace(base_params, **{name: v})
            ctx = (
                prepare("august-storm", params=params)
                if name in SETUP_PARAMS
                else dataclasses.replace(base_ctx, params=params)
            )
            got = figures(ctx, record, seeds)
            change = max(
                abs(got[c] - base[c]) / abs(base[c]) if base[c] else 0.0 for c in cols
            )
            label = f"{name} = {v:g}"
            print(
                f"{label:42s}"
                + "".join(f"{got[c]:11.2f}" for c in cols)
                + f"  {change:+.0%}",
                flush=True,
            )
    print(f"({time.perf_counter() - t0:.0f} s, seeds {seeds})")


if __name__ == "__main__":
    main()

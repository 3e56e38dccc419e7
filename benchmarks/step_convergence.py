"""Step convergence on the whole campaign: the same seeds at 2 h, 1 h and 30 min steps.

Usage: python benchmarks/step_convergence.py [--seeds 10] [--steps 2 1 0.5]

The engine issue asks that results converge as the step shrinks. This prints, per step,
the mean over seeds of each front's depth on day 6, the median capture-date error, the
share of places taken, and losses by side, then the relative change of each figure
between the two smallest steps. Figures depend on the model, not on the machine.
Few seeds can hide a step-dependent race (stop 20: seeds 1-3 do not have the Ulanhot
collapse that moved the 30-min losses over 20 seeds), hence 10 by default.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from stavka.engine import EngineParams, prepare, run_campaign, write_run_dir
from stavka.engine.checks import front_depths, losses_by_kind


def figures(step_h: float, seeds: list[int]) -> dict[str, float]:
    """Mean figures over ``seeds`` at one step length."""
    ctx = prepare("august-storm", params=EngineParams(step_hours=step_h))
    rows: list[dict[str, float]] = []
    for seed in seeds:
        res = run_campaign(ctx, seed, trace_every=max(1, round(1.0 / step_h)))
        with tempfile.TemporaryDirectory() as d:
            summary, _ = write_run_dir(res, d, seed)
        caps = summary["score"]["captures"]
        row = {f"depth day 6 {k}": v for k, v in front_depths(res, 6).items()}
        row["median |capture error| d"] = caps["median_abs_error_days"]
        row["places never taken"] = float(len(caps["never_taken"]))
        for side, kinds in losses_by_kind(res).items():
            if "(nation)" in side:
                continue
            row[f"{side} killed+wounded"] = kinds["killed"] + kinds["wounded"]
            row[f"{side} captured"] = kinds["captured"]
        rows.append(row)
    return {k: statistics.mean(r[k] for r in rows) for k in rows[0]}


def main() -> None:
    """Run every step length and print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--steps", type=float, nargs="+", default=[2.0, 1.0, 0.5])
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    table = {}
    for step in args.steps:
        t0 = time.perf_counter()
        table[step] = figures(step, seeds)
        print(f"step {step:g} h: {time.perf_counter() - t0:.1f} s", flush=True)
    steps = sorted(table, reverse=True)
    print(f"{'figure':45s}" + "".join(f"{s:>12g} h" for s in steps) + "   change")
    for key in table[steps[0]]:
        vals = [table[s][key] for s in steps]
        last, prev = vals[-1], vals[-2]
        change = (last - prev) / abs(prev) if prev else 0.0
        cells = "".join(f"{v:14,.1f}" for v in vals)
        print(f"{key:45s}{cells}   {change:+.1%}")


if __name__ == "__main__":
    main()

"""Print the engine issue's campaign checks for seed 1 and over N seeds.

Usage: python benchmarks/campaign_checks.py [--seeds 20] [--param NAME=VALUE ...]
       [--variant ID]

Figures: depth per front on day 6, the 6th Guards Tank Army's Khingan crossing and its
longest fuel stall, capture-date and advance error statistics against the built-in
record (the scorer's median absolute advance error over the record's points), losses by
kind, accounting, and the places whose capture date is off by more than 3 days, in how
many seeds (a place never taken is off by the time from its window to the run's end).
Nothing here is a test; it prints what the model does. ``--param`` changes engine
parameters as ``stavka run --param`` does (e.g. the air lift's other sourced figure);
``--variant`` runs a scenario variant, as ``stavka run --variant`` does.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from stavka.engine import prepare, run_campaign, write_run_dir
from stavka.engine.checks import (
    front_depths,
    khingan_crossing,
    losses_by_kind,
    stall_hours,
)
from stavka.engine.params import EngineParams


def one(ctx, seed: int) -> dict:  # type: ignore[no-untyped-def]
    """Run one seed and collect its figures."""
    res = run_campaign(ctx, seed, trace_every=1)
    with tempfile.TemporaryDirectory() as d:
        summary, _ = write_run_dir(res, d, seed)
    caps = summary["score"]["captures"]
    adv = summary["score"]["advances"]
    return {
        "depth_day6": front_depths(res, 6),
        "khingan": khingan_crossing(res),
        "stall": stall_hours(res),
        "stall_main_body": stall_hours(res, main_body=True),
        "median_abs_capture_error_days": caps["median_abs_error_days"],
        "within_3_days": caps["within_3_days"],
        "never_taken": len(caps["never_taken"]),
        "median_abs_advance_error_km": adv["median_abs_error_km"],
        "median_abs_advance_error_pct": adv["median_abs_error_pct"],
        "misses": {
            row["place"]: (row["error_days"], row["status"])
            for row in caps["places"]
            if row["error_days"] is not None and abs(row["error_days"]) > 3.0
        },
        "losses": losses_by_kind(res),
        "accounting": summary["accounting"],
    }


def main() -> None:
    """Run seed 1, then N seeds, and print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--variant", default=None, help="a scenario variant's id")
    args = ap.parse_args()
    params = EngineParams().with_overrides(args.param)
    ctx = prepare("august-storm", variant=args.variant, params=params)
    ctx.params.check_names(ctx.scenario.formations, set(ctx.units.nation))
    if args.param:
        print(f"engine parameters changed: {ctx.params.overrides()}")
    if args.variant:
        print(f"variant: {args.variant}")
    t0 = time.perf_counter()
    first = one(ctx, 1)
    print(f"seed 1 ({time.perf_counter() - t0:.1f} s):")
    for k, v in first.items():
        print(f"  {k}: {v}")
    rows = [first] + [one(ctx, s) for s in range(2, args.seeds + 1)]
    med = [r["median_abs_capture_error_days"] for r in rows]
    w3 = [r["within_3_days"] for r in rows]
    stall = [r["stall"]["hours"] for r in rows]
    stall_main = [r["stall_main_body"]["hours"] for r in rows]
    print(f"over {len(rows)} seeds:")
    print(
        f"  median |capture error| days: mean {statistics.mean(med):.2f}, "
        f"min {min(med):.2f}, max {max(med):.2f}"
    )
    print(
        f"  share within 3 days (%): mean {100 * statistics.mean(w3):.1f}, "
        f"min {100 * min(w3):.1f}, max {100 * max(w3):.1f}"
    )
    for key, unit in (("km", "km"), ("pct", "%")):
        vals = [r[f"median_abs_advance_error_{key}"] for r in rows]
        print(
            f"  median |advance error| ({unit}): mean {statistics.mean(vals):.1f}, "
            f"min {min(vals):.1f}, max {max(vals):.1f}"
        )
    print(
        f"  6GTA longest fuel stall (h): mean {statistics.mean(stall):.1f}, "
        f"min {min(stall)}, max {max(stall)}"
    )
    print(
        f"  6GTA main body's longest fuel stall (h): mean "
        f"{statistics.mean(stall_main):.1f}, "
        f"min {min(stall_main)}, max {max(stall_main)}"
    )
    for front in first["depth_day6"]:
        vals = [r["depth_day6"][front] for r in rows]
        print(
            f"  {front} depth day 6 (km): mean {statistics.mean(vals):.0f}, "
            f"min {min(vals):.0f}, max {max(vals):.0f}"
        )
    for side in first["losses"]:
        for kind in first["losses"][side]:
            vals = [r["losses"][side][kind] for r in rows]
            print(
                f"  {side} {kind}: mean {statistics.mean(vals):,.0f}, "
                f"min {min(vals):,.0f}, max {max(vals):,.0f}"
            )
        vals = [
            r["losses"][side]["killed"] + r["losses"][side]["missing"] for r in rows
        ]
        print(
            f"  {side} killed+missing: mean {statistics.mean(vals):,.0f}, "
            f"min {min(vals):,.0f}, max {max(vals):,.0f}"
        )
    max_err = max(abs(v) for r in rows for v in r["accounting"].values())
    print(f"  accounting: max |error| {max_err}")
    print("  places off by more than 3 days (seeds; signed error in days, min / max):")
    places = sorted({p for r in rows for p in r["misses"]})
    count = {p: sum(p in r["misses"] for r in rows) for p in places}
    for p in sorted(places, key=lambda q: (-count[q], q)):
        errs = [r["misses"][p][0] for r in rows if p in r["misses"]]
        never = sum(
            r["misses"][p][1] == "never_taken" for r in rows if p in r["misses"]
        )
        note = f", never taken in {never}" if never else ""
        print(
            f"    {p}: {count[p]} of {len(rows)} "
            f"({min(errs):+.1f} / {max(errs):+.1f}{note})"
        )


if __name__ == "__main__":
    main()

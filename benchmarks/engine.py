"""Engine benchmark: whole-campaign time, replicas per second, peak memory.

Usage: python benchmarks/engine.py [--replicas 1 10 100 1000] [--days D]

Prints one line per measurement and the ratios to the goals of the engine issue
(single run <= 1 s; >= 100 runs/s at R = 1000). Figures depend on the machine.
"""

from __future__ import annotations

import argparse
import resource
import time

from stavka.engine import prepare, simulate

GOAL_SINGLE_S = 1.0
GOAL_RUNS_PER_S = 100.0


def main() -> None:
    """Run the measurements and print them."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicas", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--days", type=float, default=None)
    ap.add_argument("--scenario", default="august-storm")
    args = ap.parse_args()
    t0 = time.perf_counter()
    ctx = prepare(args.scenario)
    t_prep = time.perf_counter() - t0
    print(
        f"prepare (load scenario + map, build routing fields): {t_prep:.2f} s, "
        f"units {ctx.units.n}"
    )
    simulate(ctx, 0, replicas=1, days=1)  # warm caches (model load, weather)
    for r in args.replicas:
        t0 = time.perf_counter()
        simulate(ctx, 1, replicas=r, days=args.days)
        dt = time.perf_counter() - t0
        rate = r / dt
        line = f"R={r:>5}: {dt:8.2f} s for the campaign, {rate:8.2f} runs/s"
        if r == 1:
            line += (
                f"  (goal <= {GOAL_SINGLE_S:.0f} s: ratio {dt / GOAL_SINGLE_S:.1f}x)"
            )
        if r >= 1000:
            line += (
                f"  (goal >= {GOAL_RUNS_PER_S:.0f} runs/s: "
                f"ratio {rate / GOAL_RUNS_PER_S:.2f})"
            )
        print(line, flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

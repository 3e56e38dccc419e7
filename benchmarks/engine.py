"""Engine benchmark: whole-campaign time, replicas per second, peak memory.

Usage: python benchmarks/engine.py [--replicas 1 10 100 1000] [--days D] [--cold-jit]
       [--param NAME=VALUE ...]

Prints one line per measurement and the ratios to the goals of the engine issue
(single run <= 1 s; >= 100 runs/s at R = 1000). Figures depend on the machine.

``prepare`` includes the routing fields and the per-target exploitation tables. The
first run (one replica, the whole campaign) is timed apart: it loads the fitted models
and compiles the numba kernels, or loads them from numba's on-disk cache; with
``--cold-jit`` the cache is a fresh temporary folder, so it shows the compile cost.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time

GOAL_SINGLE_S = 1.0
GOAL_RUNS_PER_S = 100.0


def main() -> None:
    """Run the measurements and print them."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicas", type=int, nargs="+", default=[1, 10, 100, 1000])
    ap.add_argument("--days", type=float, default=None)
    ap.add_argument("--scenario", default="august-storm")
    ap.add_argument(
        "--cold-jit", action="store_true", help="compile the kernels afresh"
    )
    ap.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an engine parameter changed, as stavka run --param",
    )
    args = ap.parse_args()
    if args.cold_jit:
        os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="stavka-numba-")
    t0 = time.perf_counter()
    from stavka.engine import prepare, simulate
    from stavka.engine.params import EngineParams

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    ctx = prepare(args.scenario, params=EngineParams().with_overrides(args.param))
    t_prep = time.perf_counter() - t0
    print(f"import stavka.engine: {t_import:.2f} s")
    print(
        "prepare (load scenario + map, build routing fields and exploitation "
        f"tables): {t_prep:.2f} s, units {ctx.units.n}"
    )
    t0 = time.perf_counter()
    simulate(ctx, 0, replicas=1, days=args.days)
    t_warm = time.perf_counter() - t0
    how = "compiling" if args.cold_jit else "compiling or loading cached"
    print(f"first run, R=1 (model load, {how} numba kernels): {t_warm:.2f} s")
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

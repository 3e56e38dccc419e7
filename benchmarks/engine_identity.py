"""Engine identity check: SHA-256 of final states (optimisations must change none).

Usage: python benchmarks/engine_identity.py [--scenario august-storm] [--quick]

Runs ``simulate`` for seeds 1..3 at R = 1 and R = 8, and seed 1 at R = 100 (``--quick``
skips R = 100), and prints one line per run: the SHA-256 over every array of the final
State (field by field, with shape and dtype) plus the replica-0 summary (without the
code version). Compare the lines before and after a change: they must be identical.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import time

import numpy as np

from stavka.engine import Context, prepare, simulate
from stavka.engine.output import build_summary


def state_hash(ctx: Context, seed: int, replicas: int) -> str:
    """SHA-256 (hex) of a whole run's final state and replica-0 summary."""
    res = simulate(ctx, seed, replicas=replicas)
    h = hashlib.sha256()
    for f in dataclasses.fields(res.final):
        x = np.asarray(getattr(res.final, f.name))
        h.update(f"{f.name}:{x.dtype}:{x.shape}".encode())
        h.update(np.ascontiguousarray(x).tobytes())
    for day, depth in sorted(res.daily_depth.items()):
        h.update(str(day).encode())
        h.update(np.ascontiguousarray(depth).tobytes())
    summary = build_summary(res, seed, None)
    summary.pop("code_version", None)
    h.update(json.dumps(summary, sort_keys=True, default=str).encode())
    return h.hexdigest()


def main() -> None:
    """Print the hash of every run of the check."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="august-storm")
    ap.add_argument("--quick", action="store_true", help="skip R = 100")
    args = ap.parse_args()
    ctx = prepare(args.scenario)
    runs = [(seed, r) for r in (1, 8) for seed in (1, 2, 3)]
    if not args.quick:
        runs.append((1, 100))
    for seed, r in runs:
        t0 = time.perf_counter()
        digest = state_hash(ctx, seed, r)
        dt = time.perf_counter() - t0
        print(f"seed={seed} R={r:<3} {digest}  ({dt:.1f} s)", flush=True)


if __name__ == "__main__":
    main()

"""Fit ``motor_lift_fronts``: which fronts carry their foot troops on their trucks.

Usage: python benchmarks/motor_lift_fit.py [--seeds 5]

The procedure (docs/parameters.md "Motor lift"), on the calibration record's advance
points only (``record/advances.csv`` as the scorer reads it, ``score.advances``):

1. Run seeds 1..N with every front's foot formations on foot
   (``motor_lift_fronts`` empty).
2. For each Soviet front with foot formations, run the same seeds with that front's
   foot formations lifted (motor mobility) and the others on foot.
3. A front is lifted when that lowers the median absolute error (%) of its own advance
   points (the points of the front and of every formation under it, pooled over the
   seeds), and still lowers it with any one of those points left out: the pack's
   mobility (on foot) stays unless every leave-one-out comparison moves it. The table
   says how many leave-one-out comparisons disagree with the full one.

Then the chosen set is run and compared with the shipped value. Capture dates and
losses are printed for information; they are not in the objective. Nothing here
changes the scenario or the parameters: it prints the fit and says whether the shipped
``EngineParams.motor_lift_fronts`` agrees.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass, replace

from stavka.engine import Context, prepare, run_campaign, write_run_dir
from stavka.engine.checks import front_depths, losses_by_kind
from stavka.engine.params import EngineParams
from stavka.scenario.container import Scenario


@dataclass(frozen=True)
class Outcome:
    """Seeds of one setting: advance-point errors by formation, and other figures."""

    points: list[tuple[str, int, float]]  # (formation, point number, |error| %)
    killed_missing: float
    wounded: float
    within_3_days: float
    depth: dict[str, float]


def run_seeds(ctx: Context, seeds: int) -> Outcome:
    """Seeds 1..``seeds`` scored against the built-in record."""
    points: list[tuple[str, int, float]] = []
    km, wounded, w3 = [], [], []
    depth: dict[str, list[float]] = {}
    for seed in range(1, seeds + 1):
        res = run_campaign(ctx, seed, trace_every=1)
        with tempfile.TemporaryDirectory() as d:
            summary, _ = write_run_dir(res, d, seed)
        for i, p in enumerate(summary["score"]["advances"]["points"]):
            if p["status"] == "scored":
                points.append((p["formation"], i, abs(p["error_pct"])))
        loss = losses_by_kind(res)["ussr"]
        km.append(loss["killed"] + loss["missing"])
        wounded.append(loss["wounded"])
        w3.append(summary["score"]["captures"]["within_3_days"])
        for front, v in front_depths(res, 6).items():
            depth.setdefault(front, []).append(v)
    return Outcome(
        points,
        statistics.mean(km),
        statistics.mean(wounded),
        statistics.mean(w3),
        {f: statistics.mean(v) for f, v in depth.items()},
    )


def front_error(out: Outcome, own: set[str], drop: int | None = None) -> float:
    """Median |error| (%) of the points of ``own``'s formations (point ``drop`` out)."""
    errs = [e for f, i, e in out.points if f in own and i != drop]
    return statistics.median(errs) if errs else float("nan")


def fronts_with_foot(s: Scenario) -> list[str]:
    """The attacker's fronts with formations that march on foot."""
    return [
        fid
        for fid, f in s.formations.items()
        if f.side == s.meta.attacker
        and f.echelon.value == "front"
        and any(s.formations[b].mobility.value == "foot" for b in s.subtree(fid))
    ]


def with_lift(params: EngineParams, fronts: tuple[str, ...]) -> EngineParams:
    """``params`` with ``motor_lift_fronts`` set."""
    return replace(params, motor_lift_fronts=fronts)


def main() -> None:
    """Fit, print the table, compare with the shipped value."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    shipped = EngineParams()
    base = prepare("august-storm", params=with_lift(shipped, ()))
    s = base.scenario
    on_foot = run_seeds(base, args.seeds)
    print(f"seeds 1-{args.seeds}; median |advance error| (%) of each front's points")
    print(f"{'front':26s} {'pts':>3s} {'on foot':>8s} {'lifted':>7s}  fit     loo")
    chosen: list[str] = []
    for front in fronts_with_foot(s):
        own = set(s.subtree(front))
        lifted = run_seeds(prepare(s, params=with_lift(shipped, (front,))), args.seeds)
        a, b = front_error(on_foot, own), front_error(lifted, own)
        ids = sorted({i for f, i, _ in on_foot.points if f in own})
        flips = sum(
            (front_error(lifted, own, i) < front_error(on_foot, own, i)) != (b < a)
            for i in ids
        )
        lift = b < a and flips == 0
        if lift:
            chosen.append(front)
        print(
            f"{front:26s} {len(ids):3d} {a:8.1f} {b:7.1f}  "
            f"{'lift' if lift else 'foot':5s}  {flips} of {len(ids)} disagree"
        )
    fit = tuple(chosen)
    both = run_seeds(prepare(s, params=with_lift(shipped, fit)), args.seeds)
    for name, out in (("all on foot", on_foot), (f"fitted {fit}", both)):
        errs = [e for _, _, e in out.points]
        depth = ", ".join(f"{k} {v:.0f}" for k, v in sorted(out.depth.items()))
        print(
            f"{name}: all points {statistics.median(errs):.1f} %; "
            f"(not fitted:) within 3 days {100 * out.within_3_days:.1f} %, Soviet "
            f"killed + missing {out.killed_missing / 1e3:.2f} k, wounded "
            f"{out.wounded / 1e3:.1f} k; depth day 6 {depth} km"
        )
    agree = set(fit) == set(shipped.motor_lift_fronts)
    print(
        f"shipped motor_lift_fronts {shipped.motor_lift_fronts}: "
        f"{'agrees with' if agree else 'DIFFERS from'} the fit "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()

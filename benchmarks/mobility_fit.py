"""How the record's advance points fit each Soviet army on foot and by truck.

Usage: python benchmarks/mobility_fit.py [--seeds 5]

A diagnostic, not a fit. The pack gives no motor transport for the Soviet rifle
formations, so the scenario moves them on foot (docs/engine.md "Stop 23"). For each
Soviet army or separate corps with formations that march on foot, this runs the
campaign with that command's foot formations at motor speed (everything else as in the
base) and prints, as means over the seeds:

- the mean absolute error (km) of the record's advance points of that command's
  formations, on foot and by truck (the scorer's points, ``score.advances``);
- the campaign's Soviet killed + missing and wounded, and the share of capture dates
  within 3 days, on foot and by truck.

Which formations rode, and how far, is an input the sources must give; this only shows
where the record's advances and the campaign's figures are sensitive to it. Nothing
here changes the scenario.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time

from stavka.engine import Context, prepare, run_campaign, write_run_dir
from stavka.engine.checks import losses_by_kind
from stavka.scenario.container import Scenario

COMMANDS = ("army", "corps")
"""Echelons measured: field armies, and corps that no army commands."""


def by_truck(s: Scenario, root: str) -> Scenario:
    """The scenario with the foot formations under ``root`` at motor speed."""
    below = set(s.subtree(root))
    formations = {
        fid: f.model_copy(update={"mobility": type(f.mobility)("motor")})
        if fid in below and f.mobility.value == "foot"
        else f
        for fid, f in s.formations.items()
    }
    return dataclasses.replace(s, formations=formations)


def commands(s: Scenario) -> list[str]:
    """Soviet armies, and corps outside any army, with foot formations below them."""
    out = []
    for fid, f in s.formations.items():
        if f.side != s.meta.attacker or f.echelon.value not in COMMANDS:
            continue
        up = s.formations.get(f.parent) if f.parent else None
        if f.echelon.value == "corps" and up is not None and up.echelon.value == "army":
            continue
        below = s.subtree(fid)
        if any(s.formations[b].mobility.value == "foot" for b in below):
            out.append(fid)
    return out


@dataclasses.dataclass(frozen=True)
class Run:
    """One seed: the advance points' absolute errors by formation, Soviet losses."""

    points: list[tuple[str, float]]
    killed_missing: float
    wounded: float
    within_3_days: float


def runs(ctx: Context, seeds: int) -> list[Run]:
    """Seeds 1..``seeds`` of the campaign, scored against the built-in record."""
    out = []
    for seed in range(1, seeds + 1):
        res = run_campaign(ctx, seed, trace_every=1)
        with tempfile.TemporaryDirectory() as d:
            summary, _ = write_run_dir(res, d, seed)
        loss = losses_by_kind(res)["ussr"]
        points = summary["score"]["advances"]["points"]
        out.append(
            Run(
                [(p["formation"], abs(p["error_km"])) for p in points],
                loss["killed"] + loss["missing"],
                loss["wounded"],
                summary["score"]["captures"]["within_3_days"],
            )
        )
    return out


def figures(rows: list[Run], own: set[str]) -> dict[str, float]:
    """Means over seeds: the advance error of ``own``'s points, losses, captures."""
    err = [
        statistics.mean(e for f, e in r.points if f in own)
        for r in rows
        if any(f in own for f, _ in r.points)
    ]
    return {
        "points": sum(f in own for f, _ in rows[0].points),
        "err_km": statistics.mean(err) if err else float("nan"),
        "k+m": statistics.mean(r.killed_missing for r in rows) / 1e3,
        "wounded": statistics.mean(r.wounded for r in rows) / 1e3,
        "w3": 100 * statistics.mean(r.within_3_days for r in rows),
    }


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    base = prepare("august-storm")
    s = base.scenario
    on_foot = runs(base, args.seeds)
    print(f"{args.seeds} seeds each; on foot -> by truck")
    print(
        f"{'command':22s} {'pts':>3s} {'advance |err| km':>16s} "
        f"{'Soviet k+m (k)':>15s} {'wounded (k)':>13s} {'within 3 d (%)':>15s}"
    )
    for cmd in commands(s):
        own = set(s.subtree(cmd))
        a = figures(on_foot, own)
        b = figures(runs(prepare(by_truck(s, cmd)), args.seeds), own)
        cells = [
            f"{a[k]:{w}.{d}f} -> {b[k]:{w - 2}.{d}f}"
            for k, w, d in (
                ("err_km", 7, 0),
                ("k+m", 6, 2),
                ("wounded", 5, 1),
                ("w3", 6, 1),
            )
        ]
        print(f"{cmd:22s} {a['points']:3.0f} " + " ".join(cells))
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()

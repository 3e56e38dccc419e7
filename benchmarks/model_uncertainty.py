"""How far the fitted models' own uncertainty moves the campaign's figures.

Usage: python benchmarks/model_uncertainty.py [--draws 30] [--seeds 2]
       [--sections attrition outcome advance collapse_exchange] [--seed 0]

Refits the combat models on ``--draws`` cluster-bootstrap samples of CDB90's
campaigns (``stavka.models.bootstrap``), runs seeds 1..N of August Storm with each
(``stavka.engine.combat.using_models``) and prints, per draw and as the median and
5th-95th percentiles over draws, the figures the engine issue sets ranges for, with
the shipped models' figures on the same seeds first. Nothing is tuned: it shows how
much of a shortfall the data leave open. Figures depend on the model, not on the
machine (about 5 s a draw and 2 s a seed on this machine).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

from stavka.engine import Context, prepare, run_campaign, write_run_dir
from stavka.engine.checks import ISSUE_RANGES, issue_figures, spread
from stavka.engine.combat import using_models
from stavka.models.api import CombatModels
from stavka.models.bootstrap import BOOTSTRAP_SECTIONS, bootstrap_docs
from stavka.models.data import default_data_path
from stavka.models.fit import dumps_params


def figures(ctx: Context, seeds: list[int]) -> dict[str, float]:
    """Mean ``issue_figures`` over ``seeds`` with the models now in force."""
    rows: list[dict[str, float]] = []
    for seed in seeds:
        res = run_campaign(ctx, seed, trace_every=1)
        with tempfile.TemporaryDirectory() as d:
            summary, _ = write_run_dir(res, d, seed)
        rows.append(issue_figures(res, summary))
    return {k: statistics.mean(r[k] for r in rows) for k in rows[0]}


def _line(label: str, f: dict[str, float]) -> str:
    return (
        f"{label:>8s}  Soviet k+m {f['Soviet killed+missing']:7,.0f}  "
        f"w {f['Soviet wounded']:7,.0f}  Japanese k {f['Japanese killed']:7,.0f}  "
        f"pris {f['Japanese prisoners']:8,.0f}  "
        f"capture {f['median capture error d']:.2f} d / "
        f"{100 * f['within 3 days']:.0f} %"
    )


def main() -> None:
    """Run the shipped models and the bootstrap draws; print the spread."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=30)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0, help="bootstrap root seed")
    ap.add_argument(
        "--sections",
        nargs="+",
        default=list(BOOTSTRAP_SECTIONS),
        choices=BOOTSTRAP_SECTIONS,
    )
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    data = args.data or default_data_path()
    seeds = list(range(1, args.seeds + 1))
    ctx = prepare("august-storm")
    t0 = time.perf_counter()
    shipped = figures(ctx, seeds)
    print(f"sections refitted: {', '.join(args.sections)}; seeds {seeds}")
    print(_line("shipped", shipped))
    draws: list[dict[str, float]] = []
    for i, doc in enumerate(
        bootstrap_docs(data, args.draws, seed=args.seed, sections=args.sections)
    ):
        digest = hashlib.sha256(dumps_params(doc).encode()).hexdigest()[:16]
        with using_models(CombatModels.from_dict(doc), digest):
            draws.append(figures(ctx, seeds))
        print(_line(f"draw {i}", draws[-1]), flush=True)
    print(f"{len(draws)} draws in {time.perf_counter() - t0:.0f} s")
    print(
        f"{'figure':38s} {'shipped':>10s} {'median':>10s} {'5 %':>10s} "
        f"{'95 %':>10s}  range, draws in it"
    )
    for key in shipped:
        med, lo, hi, share = spread(draws, key)
        print(
            f"{key:38s} {shipped[key]:10.2f} {med:10.2f} {lo:10.2f} {hi:10.2f}  "
            + _inside(key, share)
        )


def _inside(key: str, share: float | None) -> str:
    if share is None:
        return ""
    lo, hi = ISSUE_RANGES[key]
    return f"{lo:g}-{hi:g}, {100 * share:.0f} %"


if __name__ == "__main__":
    main()

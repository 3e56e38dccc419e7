"""How much fighting a campaign has, and at what loss rate, against CDB90's battles.

Usage: python benchmarks/fighting_volume.py [--seeds 3]

For each step of a run (trace every step) and each cell that attacker units assault,
the attacking men, the defending men in the cell and the attacker's losses in the step
are summed by force-ratio band: engagement-hours, attacker man-days in contact, the
attacker's losses (killed, wounded, captured, missing) and its loss rate per engaged
man-day. CDB90's battles from 1939 on (``core_calibration``) give the data's attacker
loss rate a day for comparison. Also printed: the attacker's losses in the steps that
left its assaulted cell without defenders (mostly what destroying a collapsing unit
cost it, at the fitted collapse exchange ratio) and the share of the attacker's combat
units' men (not headquarters nodes) that never assault. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

from stavka.engine import prepare, run_campaign
from stavka.engine.state import PERSONNEL
from stavka.models.data import default_data_path, read_battles

BANDS = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, math.inf)


def campaign_volume(ctx, seed: int) -> dict[str, np.ndarray | float]:  # type: ignore[no-untyped-def]
    """Sum one run's assaults by force-ratio band."""
    res = run_campaign(ctx, seed, trace_every=1)
    u = ctx.units
    n = len(BANDS) - 1
    hours, man_days, losses = np.zeros(n), np.zeros(n), np.zeros(n)
    emptied = 0.0
    fought = np.zeros(u.n, bool)
    prev = res.trace[0].lost[0, :, :, PERSONNEL].sum(-1)
    for st in res.trace[1:]:
        lost = st.lost[0, :, :, PERSONNEL].sum(-1)
        step_loss, prev = lost - prev, lost
        men = st.present[0, :, PERSONNEL]
        assaulting = (u.side == 0) & (st.attack_cell[0] >= 0) & st.in_contact[0]
        att = np.flatnonzero(assaulting)
        fought[att] = True
        for cell in np.unique(st.attack_cell[0, att]):
            a = att[st.attack_cell[0, att] == cell]
            d = (u.side == 1) & (st.cell[0] == cell) & (st.status[0] == 1)
            defenders = men[d].sum()
            if defenders <= 0:
                emptied += float(step_loss[a].sum())
                continue
            band = int(np.searchsorted(BANDS, men[a].sum() / defenders, "right")) - 1
            hours[band] += ctx.params.step_hours
            man_days[band] += men[a].sum() * ctx.params.step_hours / 24.0
            losses[band] += step_loss[a].sum()
    combat = (u.side == 0) & ~u.headquarters
    initial = u.initial[:, PERSONNEL]
    idle = float(initial[combat & ~fought].sum() / initial[combat].sum())
    return {
        "hours": hours,
        "man_days": man_days,
        "losses": losses,
        "emptied": emptied,
        "idle": idle,
    }


def cdb90_rates() -> tuple[float, float, int]:
    """Median and men-weighted attacker loss rate a day of CDB90's 1939+ battles."""
    table = read_battles(default_data_path())
    cols = table.columns
    core = np.array([c.lower() == "true" for c in cols["core_calibration"]])
    s = np.array([float(x or "nan") for x in cols["str_a"]])[core]
    c = np.array([float(x or "nan") for x in cols["cas_a"]])[core]
    t = np.maximum(np.array([float(x or "nan") for x in cols["dur_days"]])[core], 0.25)
    ok = np.isfinite(s) & np.isfinite(c) & np.isfinite(t) & (s > 0)
    rate = c[ok] / s[ok] / t[ok]
    weighted = c[ok].sum() / (s[ok] * t[ok]).sum()
    return float(np.median(rate)), float(weighted), int(ok.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    ctx = prepare("august-storm")
    runs = [campaign_volume(ctx, seed) for seed in range(1, args.seeds + 1)]
    hours = np.mean([r["hours"] for r in runs], axis=0)
    man_days = np.mean([r["man_days"] for r in runs], axis=0)
    losses = np.mean([r["losses"] for r in runs], axis=0)
    print(f"attacker assaults, mean over seeds 1-{args.seeds}:")
    head = ("force ratio", "eng.-hours", "k man-days", "losses", "%/day")
    print(f"{head[0]:>14} {head[1]:>10} {head[2]:>10} {head[3]:>8} {head[4]:>7}")
    for k in range(len(BANDS) - 1):
        rate = 100 * losses[k] / man_days[k] if man_days[k] else float("nan")
        band = f"{BANDS[k]:g}-{BANDS[k + 1]:g}"
        print(
            f"{band:>14} {hours[k]:10.0f} {man_days[k] / 1e3:10.1f} "
            f"{losses[k]:8.0f} {rate:7.3f}"
        )
    total = 100 * losses.sum() / man_days.sum()
    print(
        f"{'all':>14} {hours.sum():10.0f} {man_days.sum() / 1e3:10.1f} "
        f"{losses.sum():8.0f} {total:7.3f}"
    )
    emptied = np.mean([r["emptied"] for r in runs])
    print(
        "attacker losses in the steps that left the assaulted cell without "
        f"defenders (collapses): {emptied:.0f}"
    )
    idle = np.mean([r["idle"] for r in runs])
    print(f"share of the attacker's combat units' men that never assault: {idle:.0%}")
    median, weighted, n = cdb90_rates()
    print(
        f"CDB90, {n} battles from 1939 on: attacker loss a day median "
        f"{100 * median:.2f} %, men-weighted {100 * weighted:.2f} %"
    )


if __name__ == "__main__":
    main()

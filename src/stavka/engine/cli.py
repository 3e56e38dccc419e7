"""``stavka run``: the campaign with a progress bar, a day-by-day table and a score."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from stavka.cliutil import JSON_OPTION_HELP, emit_json
from stavka.engine.params import EngineParams

__all__ = ["register"]

FRONT_ECHELONS = ("front",)


def _fronts(ctx: Any) -> list[str]:
    """The attacker's fronts that have units, in the scenario's order."""
    s = ctx.scenario
    return [
        fid
        for fid, idx in ctx.formation_units.items()
        if idx
        and s.formations[fid].echelon.value in FRONT_ECHELONS
        and s.formations[fid].side == s.meta.attacker
    ]


def _day_row(
    ctx: Any, day: int, st: Any, taken_before: set[str]
) -> tuple[list[str], set[str]]:
    """Columns of the day table.

    Date, depth and losses to date per front, losses per side, places taken.
    """
    from stavka.engine.output import formation_depth
    from stavka.engine.state import PERSONNEL

    s = ctx.scenario
    date = (s.meta.start + dt.timedelta(days=day - 1)).date().isoformat()
    cols = [f"{day:>2} {date}"]
    fronts = _fronts(ctx)
    cols += [f"{formation_depth(ctx, st.max_depth_km, fid):5.0f}" for fid in fronts]
    taken = {
        p
        for p, h in zip(ctx.place_ids, st.capture_hour[0], strict=True)
        if not np.isnan(h)
    }
    new = sorted(taken - taken_before)
    lost = (
        st.lost[0, :, :, :, PERSONNEL]
        if st.lost.ndim == 5
        else st.lost[0][..., PERSONNEL]
    )
    per_unit = lost.sum(axis=-1)
    cols += [f"{per_unit[ctx.formation_units[fid]].sum():>7,.0f}" for fid in fronts]
    side = ctx.units.side
    cols.append(f"{lost[side == 0].sum():>8,.0f}")
    cols.append(f"{lost[side == 1].sum():>9,.0f}")
    cols.append(", ".join(new[:6]) + (f" +{len(new) - 6}" if len(new) > 6 else ""))
    return cols, taken


TOP_BATTLES = 12
"""Battles listed after the day table (the costliest; all are in events.jsonl)."""


def _echo_battles(run_dir: Path) -> None:
    """Print the costliest battles of a written run (``engine/battles.py``)."""
    import json

    from stavka.record.runformat import EVENTS_FILE

    lines = (run_dir / EVENTS_FILE).read_text(encoding="utf-8").splitlines()
    found = [e for e in map(json.loads, filter(None, lines)) if e["kind"] == "battle"]
    if not found:
        return
    found.sort(key=lambda e: -(e["attacker_losses"] + e["defender_losses"]))
    typer.echo(
        f"\nbattles: {len(found)} (the {min(TOP_BATTLES, len(found))} costliest; "
        "all in events.jsonl, kind 'battle')"
    )
    typer.echo(
        "start            hours  place                   attackers  defenders"
        "  att.loss  def.loss  result"
    )
    for e in found[:TOP_BATTLES]:
        typer.echo(
            f"{e['time'][:16]}  {e['hours']:5.0f}  {e['place'][:22]:22s}"
            f"  {e['attacker_men']:9,d}  {e['defender_men']:9,d}"
            f"  {e['attacker_losses']:8,.0f}  {e['defender_losses']:8,.0f}"
            f"  {e['result']}"
        )


def run(
    scenario: Annotated[
        str, typer.Argument(help="Built-in id (august-storm) or a scenario directory.")
    ],
    seed: Annotated[int, typer.Option(help="Root random seed.")] = 1,
    variant: Annotated[
        str | None, typer.Option(help="Apply a variant from variants/.")
    ] = None,
    days: Annotated[float | None, typer.Option(help="Run only this many days.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Run directory (default runs/<scenario>-<seed>)."),
    ] = None,
    report: Annotated[
        bool, typer.Option(help="Also write report.html into the run directory.")
    ] = True,
    models: Annotated[
        Path | None,
        typer.Option(
            help="Fitted-model parameter file to run with (default: the shipped one;"
            " e.g. a draw of `stavka models bootstrap`)."
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="Set an engine parameter, NAME=VALUE (repeatable; names and sources"
            " in docs/parameters.md), e.g. air_lift_tonnes_per_day=159.4.",
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Run a campaign, write its run directory, score it against the built-in record."""
    params = EngineParams().with_overrides(param) if param else None
    with _models_in_force(models):
        _run(scenario, seed, variant, days, out, params, report=report, json=json)


@contextmanager
def _models_in_force(path: Path | None) -> Iterator[None]:
    """Inside: the engine reads the models of parameter file ``path`` (if given)."""
    if path is None:
        yield
        return
    from stavka.engine.combat import using_models
    from stavka.errors import ModelError
    from stavka.models.api import CombatModels, load_doc
    from stavka.models.data import file_sha256

    doc = load_doc(path)  # its errors name the file
    try:
        models = CombatModels.from_dict(doc)
    except ModelError as e:
        raise ModelError(f"{path}: {e}") from None
    with using_models(models, file_sha256(path)[:16]):
        yield


def _run(
    scenario: str,
    seed: int,
    variant: str | None,
    days: float | None,
    out: Path | None,
    params: EngineParams | None,
    *,
    report: bool,
    json: bool,
) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from stavka.engine.api import prepare, run_campaign, write_run_dir

    err = Console(stderr=True)
    t0 = time.perf_counter()
    ctx = prepare(scenario, variant, params)
    ctx.params.check_names(ctx.scenario.formations, set(ctx.units.nation))
    total_days = (
        ctx.scenario.meta.end - ctx.scenario.meta.start
    ).total_seconds() / 86400.0
    n_days = int(np.ceil(min(days or total_days, total_days)))
    rows: list[list[str]] = []
    state: dict[str, set[str]] = {"taken": set()}
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(f"{ctx.scenario.versioned_id} seed {seed}", total=n_days)

        def on_day(day: int, st: Any) -> None:
            row, state["taken"] = _day_row(ctx, day, st, state["taken"])
            rows.append(row)
            bar.update(task, completed=day)

        result = run_campaign(ctx, seed, days=days, trace_every=1, on_day=on_day)
    t_sim = time.perf_counter() - t0
    out = out or Path("runs") / f"{ctx.scenario.id}-{seed}"
    summary, evaluation = write_run_dir(result, out, seed, variant)
    if report and evaluation is not None:
        from stavka.report.html import write_report

        write_report(evaluation, Path(out) / "report.html")
    if json:
        emit_json(summary)
        return
    fronts = _fronts(ctx)
    depth = "  ".join(f"{f[:5]:>5}" for f in fronts)
    losses = "  ".join(f"{f[:5]:>7}" for f in fronts)
    typer.echo(
        f"{'':13}  {'depth (km)':^{len(depth)}}  {'losses (men)':^{len(losses)}}"
    )
    typer.echo(
        "  ".join([f"{'day date':13}", depth, losses, "att.loss", " def.loss"])
        + "  places taken"
    )
    for row in rows:
        typer.echo("  ".join(row))
    _echo_battles(Path(out))
    typer.echo(f"\nrun directory: {out}  (simulated in {t_sim:.1f} s)")
    if summary["param_overrides"]:
        changed = ", ".join(f"{k}={v}" for k, v in summary["param_overrides"].items())
        typer.echo(f"engine parameters changed from the shipped values: {changed}")
    typer.echo(f"accounting (must be 0): {summary['accounting']}")
    typer.echo(f"losses (men): {summary['losses']}")
    typer.echo(f"losses by nation (men): {summary.get('losses_by_nation', {})}")
    typer.echo(f"present at the end (men): {summary['present']}")
    score = summary.get("score")
    if isinstance(score, dict):
        typer.echo(f"score vs the record: {score.get('headline')}")


def register(app: typer.Typer) -> None:
    """Attach ``run`` to the root app."""
    app.command(name="run")(run)

"""Command-line commands of stavka.record (``stavka score``, ``stavka report``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stavka.cliutil import JSON_OPTION_HELP, emit_json

__all__ = ["register"]

RunDir = Annotated[
    Path, typer.Argument(help="Run directory (written by `stavka run`).")
]
RecordOpt = Annotated[
    Path | None,
    typer.Option(
        "--record",
        help="Record directory (events.csv, advances.csv[, losses.csv]); "
        "default the scenario's built-in record.",
    ),
]
ScenarioOpt = Annotated[
    str | None,
    typer.Option(
        "--scenario", help="Scenario id or directory; default the run's scenario."
    ),
]


def _fmt(value: float | None, spec: str = "+.1f") -> str:
    """Format a number or a dash."""
    return "-" if value is None else format(value, spec)


def _print_score(data: dict[str, Any]) -> None:
    """Print the score as text tables."""
    caps, adv = data["captures"], data["advances"]
    typer.echo(data["headline"])
    typer.echo("")
    typer.echo(
        f"{'place':24} {'record window':25} {'simulated':17} {'days':>7}  status"
    )
    for c in caps["places"]:
        window = f"{c['first']}..{c['last']}"
        sim = "-" if c["simulated"] is None else str(c["simulated"])[:16]
        days = _fmt(c["error_days"])
        typer.echo(f"{c['place']:24} {window:25} {sim:17} {days:>7}  {c['status']}")
    typer.echo("")
    typer.echo(
        "worst ten: "
        + ", ".join(f"{w['place']} {_fmt(w['error_days'])}" for w in caps["worst"])
    )
    typer.echo("")
    typer.echo(
        f"{'formation':26} {'date':10} {'record km':>11} {'sim km':>8} "
        f"{'err km':>8} {'err %':>7}"
    )
    for a in adv["points"]:
        rec = (
            f"{a['km_low']:.0f}"
            if a["km_low"] == a["km_high"]
            else f"{a['km_low']:.0f}-{a['km_high']:.0f}"
        )
        typer.echo(
            f"{a['formation']:26} {a['date']!s:10} {rec:>11} "
            f"{_fmt(a['simulated_km'], '.0f'):>8} {_fmt(a['error_km'], '+.0f'):>8} "
            f"{_fmt(a['error_pct'], '+.0f'):>7}"
        )
    if data["losses"]:
        typer.echo("")
        typer.echo(f"{'losses':40} {'range':>21} {'simulated':>10}  status")
        for x in data["losses"]:
            what = f"{x['side']} {'+'.join(x['categories'])} ({x['scope']})"
            rng = f"{_fmt(x['low'], ',.0f')}..{_fmt(x['high'], ',.0f')}"
            sim = _fmt(x["simulated"], ",.0f")
            typer.echo(f"{what:40} {rng:>21} {sim:>10}  {x['status']}")
    for w in data["warnings"]:
        typer.echo(f"warning: {w}", err=True)


def score(
    run_dir: RunDir,
    record: RecordOpt = None,
    scenario: ScenarioOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Score a finished run against the historical record.

    Per place: capture-date error in days (signed; 0 inside the record window).
    Per formation and record point: advance error in km and %.
    Losses against sourced ranges; medians, shares within 1 and 3 days, worst ten.
    """
    from stavka.record.evaluate import evaluate

    ev = evaluate(run_dir, record, scenario)
    data = {
        "run": str(run_dir),
        "record": str(ev.record.root),
        "scenario": ev.scenario.versioned_id,
        **ev.score.to_dict(),
    }
    if json_out:
        emit_json(data)
    else:
        _print_score(data)


def report(
    run_dir: RunDir,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="HTML file to write; default RUN_DIR/report.html."),
    ] = None,
    record: RecordOpt = None,
    scenario: ScenarioOpt = None,
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            help="Campaign days for map snapshots, e.g. 1,4,7,10 (day 1 = "
            "the start date); default spread over the run.",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Write a self-contained HTML report of a run against the record."""
    from stavka.record.evaluate import evaluate
    from stavka.report import write_report

    snap_days = None
    if days:
        try:
            snap_days = [int(d) for d in days.split(",") if d.strip()]
        except ValueError:
            msg = f"{days!r}: write day numbers like 1,4,7"
            raise typer.BadParameter(msg, param_hint="--days") from None
    ev = evaluate(run_dir, record, scenario)
    path = write_report(ev, out or Path(run_dir) / "report.html", days=snap_days)
    if json_out:
        emit_json({"report": str(path), "headline": ev.score.headline()})
    else:
        typer.echo(f"wrote {path}")
        typer.echo(ev.score.headline())


def register(app: typer.Typer) -> None:
    """Attach ``score`` and ``report`` to the root app."""
    app.command("score")(score)
    app.command("report")(report)

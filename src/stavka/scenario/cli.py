"""``stavka scenario check|show``: validate a scenario; print its order of battle."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from stavka.cliutil import JSON_OPTION_HELP, emit_json
from stavka.errors import Problem, ScenarioError

__all__ = ["app", "problem_json"]

app = typer.Typer(help="Check and show scenarios.", no_args_is_help=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="Built-in id (august-storm) or a scenario directory.")
]
VariantOpt = Annotated[
    str | None, typer.Option("--variant", help="Apply a variant from variants/.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


def problem_json(p: Problem) -> dict[str, Any]:
    """Return a problem as a JSON object (``message`` is the one-line text)."""
    return {
        "file": p.file,
        "where": p.where,
        "what": p.what,
        "fix": p.fix,
        "message": str(p),
    }


@app.command()
def check(
    scenario: ScenarioArg, variant: VariantOpt = None, json: JsonOpt = False
) -> None:
    """Validate a scenario and all its variants; print every problem, exit 1 if any.

    Each problem reads ``file:line: field.path: what is wrong (how to fix it)``.
    """
    from stavka.scenario.loader import check_scenario

    try:
        s, problems = check_scenario(scenario, variant)
    except ScenarioError as err:
        s, problems = None, err.problems
    if s is None or problems:
        if json:
            emit_json(
                {
                    "ok": False,
                    "scenario": scenario,
                    "problems": [problem_json(p) for p in problems],
                }
            )
        else:
            n = len(problems)
            typer.echo(f"{scenario}: {n} problem{'s' if n != 1 else ''}", err=True)
            for p in problems:
                typer.echo(f"  {p}", err=True)
        raise SystemExit(
            1
        )  # not typer.Exit: stavka.cli.main runs standalone_mode=False
    summary = {
        "formations": len(s.formations),
        "places": len(s.places),
        "plans": len(s.plans),
        "events": len(s.events),
        "variants": sorted(s.variants),
    }
    if json:
        emit_json({"ok": True, "scenario": s.versioned_id, **summary, "problems": []})
        return
    typer.echo(
        f"{s.versioned_id}: OK ({summary['formations']} formations, "
        f"{summary['places']} places, {summary['plans']} plans, "
        f"{len(s.variants)} variant(s) checked)"
    )


@app.command()
def show(
    scenario: ScenarioArg,
    variant: VariantOpt = None,
    json: JsonOpt = False,
    depth: Annotated[
        int | None, typer.Option(help="Deepest tree level to print (1 = top).")
    ] = None,
) -> None:
    """Print the order of battle as a tree with totals per side (or one JSON document).

    Raises:
        ScenarioError: if the scenario has problems (run ``stavka scenario check``).
    """
    from stavka.scenario.loader import load_scenario
    from stavka.scenario.summary import oob_summary, oob_tree_lines

    s = load_scenario(scenario, variant)
    if json:
        emit_json(oob_summary(s))
        return
    suffix = f", variant {s.variant}" if s.variant else ""
    typer.echo(f"{s.meta.title} ({s.versioned_id}{suffix})")
    for line in oob_tree_lines(s, depth):
        typer.echo(line)
    if s.variants:
        typer.echo("variants (--variant ID):")
        for vid, v in sorted(s.variants.items()):
            typer.echo(f"  {vid}: {v.title}")

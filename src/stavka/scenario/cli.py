"""``stavka scenario check|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from stavka.cliutil import JSON_OPTION_HELP, emit_json
from stavka.errors import ScenarioError

__all__ = ["app"]

app = typer.Typer(help="Check and show scenarios.", no_args_is_help=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="Built-in id (august-storm) or a scenario directory.")
]
VariantOpt = Annotated[
    str | None, typer.Option("--variant", help="Apply a variant from variants/.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


@app.command()
def check(
    scenario: ScenarioArg, variant: VariantOpt = None, json: JsonOpt = False
) -> None:
    """Validate a scenario; print every problem (file:line-or-field: what (fix)), exit 1 if any."""
    from stavka.scenario.loader import load_scenario

    try:
        s = load_scenario(scenario, variant)
    except ScenarioError as err:
        if json:
            emit_json({"ok": False, "problems": [str(p) for p in err.problems]})
        else:
            typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    if json:
        emit_json(
            {
                "ok": True,
                "scenario": s.versioned_id,
                "formations": len(s.formations),
                "problems": [],
            }
        )
    else:
        typer.echo(
            f"{s.versioned_id}: OK ({len(s.formations)} formations, {len(s.places)} places, {len(s.plans)} plans)"
        )


@app.command()
def show(
    scenario: ScenarioArg,
    variant: VariantOpt = None,
    json: JsonOpt = False,
    depth: Annotated[
        int | None, typer.Option(help="Deepest tree level to print.")
    ] = None,
) -> None:
    """Print the order of battle as a tree with totals per side."""
    from stavka.scenario.loader import load_scenario
    from stavka.scenario.summary import oob_summary, oob_tree_lines

    s = load_scenario(scenario, variant)
    if json:
        emit_json(oob_summary(s))
        return
    typer.echo(
        f"{s.meta.title} ({s.versioned_id}{', variant ' + s.variant if s.variant else ''})"
    )
    for line in oob_tree_lines(s, depth):
        typer.echo(line)

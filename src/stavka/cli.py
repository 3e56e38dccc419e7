"""The ``stavka`` command (Typer). Each package contributes its own sub-commands."""

from __future__ import annotations

import sys

import typer

from stavka.errors import StavkaError

__all__ = ["app", "main"]

app = typer.Typer(
    name="stavka",
    help="stavka: operational campaign simulator (reference: August Storm 1945).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    """Attach every package's sub-commands to the root app."""
    from stavka.models.cli import app as models_app
    from stavka.record.cli import register as register_record
    from stavka.scenario.cli import app as scenario_app
    from stavka.theatre.cli import app as map_app

    app.add_typer(scenario_app, name="scenario")
    app.add_typer(map_app, name="map")
    app.add_typer(models_app, name="models")
    register_record(app)
    try:
        from stavka.engine.cli import register as register_engine
    except ImportError:  # the engine package is optional until it lands
        return
    register_engine(app)


def main() -> None:
    """Run the CLI; user errors become a message on stderr and exit code 1."""
    _register()
    try:
        rc = app(standalone_mode=False)
    except StavkaError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except Exception as err:
        # Usage errors from Typer's bundled click: show them and exit 2 as click would.
        show, code = getattr(err, "show", None), getattr(err, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise
    sys.exit(rc if isinstance(rc, int) else 0)

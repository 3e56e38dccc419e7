"""Command-line sub-commands of stavka.theatre."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="theatre commands.", no_args_is_help=True)

"""Command-line commands of stavka.record (``stavka score``, ``stavka report``)."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Attach ``score`` and ``report`` to the root app."""

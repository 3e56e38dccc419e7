"""stavka: an operational campaign simulator that measures itself against history.

The public API is small; see ``docs/api.md``.
"""

from __future__ import annotations

from stavka.errors import ScenarioError, StavkaError

__all__ = ["ScenarioError", "StavkaError", "__version__"]

__version__ = "0.1.0"

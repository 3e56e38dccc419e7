"""stavka: an operational campaign simulator that measures itself against history.

The top-level API is small (``docs/api.md``); heavy modules load on first use.

>>> import stavka
>>> sorted(stavka.__all__)[:3]
['EngineError', 'MapError', 'ModelError']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stavka.errors import (
    EngineError,
    MapError,
    ModelError,
    RecordError,
    RunFormatError,
    ScenarioError,
    StavkaError,
)

if TYPE_CHECKING:
    from stavka.engine import prepare, run_campaign, simulate
    from stavka.record.evaluate import evaluate
    from stavka.scenario import Scenario, load_scenario
    from stavka.theatre import load_theatre

__all__ = [
    "EngineError",
    "MapError",
    "ModelError",
    "RecordError",
    "RunFormatError",
    "Scenario",
    "ScenarioError",
    "StavkaError",
    "__version__",
    "evaluate",
    "load_scenario",
    "load_theatre",
    "prepare",
    "run_campaign",
    "simulate",
]

__version__ = "0.1.0"

_LAZY = {
    "Scenario": "stavka.scenario",
    "load_scenario": "stavka.scenario",
    "load_theatre": "stavka.theatre",
    "prepare": "stavka.engine",
    "run_campaign": "stavka.engine",
    "simulate": "stavka.engine",
    "evaluate": "stavka.record.evaluate",
}


def __getattr__(name: str) -> Any:
    """Import the heavy parts of the API on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    msg = f"module 'stavka' has no attribute {name!r}"
    raise AttributeError(msg)

"""The campaign engine: batched struct-of-arrays state and the hourly step.

Phases in a fixed order: command -> movement -> contact & combat -> supply -> morale &
surrender -> scheduled events (see ``docs/engine.md``).
"""

from __future__ import annotations

from stavka.engine.api import prepare, run_campaign, write_run_dir
from stavka.engine.core import RunResult, init_state, simulate, step
from stavka.engine.params import EngineParams
from stavka.engine.setup import Context, build_context
from stavka.engine.state import State, UnitTable

__all__ = [
    "Context",
    "EngineParams",
    "RunResult",
    "State",
    "UnitTable",
    "build_context",
    "init_state",
    "prepare",
    "run_campaign",
    "simulate",
    "step",
    "write_run_dir",
]

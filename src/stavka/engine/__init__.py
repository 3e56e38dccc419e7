"""The campaign engine: batched struct-of-arrays state and the hourly step.

Phases in a fixed order: command -> movement -> contact & combat -> supply -> morale &
surrender -> scheduled events (see ``docs/engine.md``).
"""

from __future__ import annotations

import os

# The compiled kernels' thread pool (OpenMP) waits for work asleep, not spinning: on
# a machine whose cores are busy with other work a spinning pool made every parallel
# kernel call wait for a scheduler time slice (R = 1 ran ~100x slower); on an idle
# machine the two cost the same. Read when the pool starts; a user's setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

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

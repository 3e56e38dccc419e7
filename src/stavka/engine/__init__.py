"""The campaign engine: batched struct-of-arrays state and the hourly step.

Phases in a fixed order: command -> movement -> contact & combat -> supply -> morale &
surrender -> scheduled events (see ``docs/engine.md``).
"""

from __future__ import annotations

import os

# The compiled kernels' thread pool (GNU OpenMP) spins only briefly before it sleeps
# while waiting for work: with the default long spin, on a machine whose cores were
# busy with other work every parallel kernel call waited for a scheduler time slice
# (R = 1 ran ~100x slower); sleeping at once costs ~5 % at R = 1000 on an idle
# machine, this short spin nothing measurable. Read when the pool starts; a user's
# setting wins.
if "OMP_WAIT_POLICY" not in os.environ:
    os.environ.setdefault("GOMP_SPINCOUNT", "10000")

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

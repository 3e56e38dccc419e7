"""Run a scenario end to end: load, simulate, write the run directory, score.

>>> from stavka.engine import run_campaign   # doctest: +SKIP
>>> result = run_campaign("august-storm", seed=1)   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stavka.engine.battles import battle_events
from stavka.engine.core import RunResult, simulate
from stavka.engine.output import build_summary, control_frame, event_log, unit_frame
from stavka.engine.params import EngineParams
from stavka.engine.routing import TheatreLike
from stavka.engine.setup import Context, build_context
from stavka.engine.state import State
from stavka.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from stavka.record.evaluate import Evaluation

__all__ = ["prepare", "run_campaign", "write_run_dir"]


def prepare(
    scenario: str | Path | Scenario,
    variant: str | None = None,
    params: EngineParams | None = None,
    theatre: TheatreLike | None = None,
) -> Context:
    """Load the scenario and build the engine context.

    The map is the shipped one overlaid with the scenario, unless ``theatre`` is given.
    """
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, variant)
    if theatre is None:
        from stavka.theatre.model import load_theatre

        theatre = load_theatre().for_scenario(s)
    return build_context(s, theatre, params)


def run_campaign(
    scenario: str | Path | Scenario | Context,
    seed: int = 1,
    *,
    variant: str | None = None,
    days: float | None = None,
    replicas: int = 1,
    params: EngineParams | None = None,
    trace_every: int = 0,
    on_day: Callable[[int, State], None] | None = None,
) -> RunResult:
    """Simulate a scenario, ``replicas`` replicas from ``seed``; return the result."""
    ctx = (
        scenario
        if isinstance(scenario, Context)
        else prepare(scenario, variant, params)
    )
    return simulate(
        ctx, seed, replicas=replicas, days=days, trace_every=trace_every, on_day=on_day
    )


def write_run_dir(
    result: RunResult, out: str | Path, seed: int, variant: str | None = None
) -> tuple[dict[str, Any], Evaluation | None]:
    """Write the run format for replica 0 and score it against the built-in record.

    Returns:
        The summary and the evaluation (None when the scenario ships no record).
    """
    from stavka.record.runformat import write_run

    summary = build_summary(result, seed, variant)
    events = event_log(result) + battle_events(result)
    events.sort(key=lambda e: dt.datetime.fromisoformat(str(e["time"])))
    units, control = unit_frame(result), control_frame(result)
    write_run(out, summary, units, control, events)
    if result.ctx.scenario.record_dir is None:
        return summary, None
    from stavka.record.evaluate import evaluate

    summary["score"] = evaluate(out, scenario=result.ctx.scenario).score.to_dict()
    write_run(out, summary, units, control, events)
    return summary, evaluate(out, scenario=result.ctx.scenario)

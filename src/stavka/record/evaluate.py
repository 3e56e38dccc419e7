"""One call from a run directory to its score: find the scenario and record, score.

Example (needs a run directory)::

    ev = evaluate("runs/august-storm-1")
    print(ev.score.headline())
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stavka.errors import RecordError
from stavka.record.loader import Record, load_record
from stavka.record.runformat import Run, read_run
from stavka.record.scoring import Score, score_run
from stavka.scenario import Scenario, load_scenario

__all__ = ["Evaluation", "evaluate"]


@dataclass(frozen=True)
class Evaluation:
    """A run, the scenario it came from, the record and the score."""

    run: Run
    scenario: Scenario
    record: Record
    score: Score


def evaluate(
    run_dir: str | Path,
    record_dir: str | Path | None = None,
    scenario: str | Path | Scenario | None = None,
) -> Evaluation:
    """Read a run, load its scenario and record, and score it.

    Args:
        run_dir: the run directory.
        record_dir: a record directory; default the scenario's built-in ``record/``.
        scenario: a scenario (id, directory or loaded); default the run's scenario id.

    Returns:
        The evaluation.

    Raises:
        RunFormatError: if the run directory is incomplete.
        RecordError: if the record is malformed or there is none.
        ScenarioError: if the scenario cannot be loaded.
    """
    run = read_run(run_dir)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario or run.scenario_id, strict=False)
    if record_dir is None:
        record_dir = scenario.record_dir
        if record_dir is None:
            raise RecordError(
                f"scenario {scenario.id!r} ships no record/ directory; "
                "pass --record DIR"
            )
    record = load_record(record_dir, scenario)
    return Evaluation(run, scenario, record, score_run(run, record))

"""The one exception tree of stavka.

Every error a user can cause is a subclass of :class:`StavkaError`. Messages name the
object, the value and the fix. Errors about bad input also subclass :class:`ValueError`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConsistencyError",
    "EngineError",
    "MapError",
    "ModelError",
    "Problem",
    "RecordError",
    "RunFormatError",
    "ScenarioError",
    "StavkaError",
]


class StavkaError(Exception):
    """Raised for every error stavka reports to its user (base class)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file.

    Attributes:
        file: the file (path relative to the scenario directory where possible).
        where: a line (``"line 12"``) or a field path (``"formations[3].strength"``),
            or both (``"line 12: formations[3].strength"``); empty if the whole file.
        what: what is wrong, naming the value.
        fix: how to fix it (may be empty).
    """

    file: str
    where: str
    what: str
    fix: str = ""

    def __str__(self) -> str:
        loc = f"{self.file}:{self.where}" if self.where else self.file
        text = f"{loc}: {self.what}"
        return f"{text} ({self.fix})" if self.fix else text


class ScenarioError(StavkaError, ValueError):
    """Raised when a scenario is malformed; lists every problem found, not the first."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", where="", what=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the scenario:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ConsistencyError(ScenarioError):
    """Raised when scenario objects are each valid but do not fit together."""


class MapError(StavkaError, ValueError):
    """Raised when a map query is invalid (unknown place, point outside the theatre)."""


class ModelError(StavkaError, ValueError):
    """Raised when a combat/advance model gets bad input or lacks its parameters."""


class RecordError(StavkaError, ValueError):
    """Raised when a historical record file is malformed (names file, row, column)."""


class RunFormatError(StavkaError, ValueError):
    """Raised when a run directory is incomplete or malformed."""


class EngineError(StavkaError, RuntimeError):
    """Raised when the campaign engine cannot initialise or step a scenario."""

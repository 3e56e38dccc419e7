"""Small helpers shared by the command-line modules of every package.

The contract (``docs/design.md``): with ``--json`` a command prints exactly one JSON
document on stdout; progress and logs go to stderr. Exit 0 = success, 1 = the input is
wrong, 2 = usage error. :func:`stavka.cli.main` turns any
:class:`~stavka.errors.StavkaError` into a message on stderr and exit 1, so commands
simply raise.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

__all__ = ["JSON_OPTION_HELP", "emit_json", "to_jsonable"]

JSON_OPTION_HELP = "Print exactly one JSON document on stdout."


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, dates, paths and NaN into plain JSON values."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "tolist"):  # numpy scalar or array
        return to_jsonable(obj.tolist())
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if isinstance(obj, str | int | bool) or obj is None:
        return obj
    return str(obj)


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one JSON document to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")

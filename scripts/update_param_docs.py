"""Regenerate the engine table in docs/parameters.md (between its markers)."""

from __future__ import annotations

from pathlib import Path

from stavka.engine.params import parameters_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"
START, END = "<!-- engine-parameters:start -->\n", "<!-- engine-parameters:end -->"

text = DOC.read_text(encoding="utf-8")
a = text.index(START) + len(START)
b = text.index(END)
DOC.write_text(text[:a] + parameters_table() + "\n" + text[b:], encoding="utf-8")

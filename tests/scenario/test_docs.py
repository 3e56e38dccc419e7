"""The generated scenario-format page matches the models."""

from __future__ import annotations

from pathlib import Path

from stavka.scenario.consistency import CHECKS
from stavka.scenario.docs import render, type_name
from stavka.scenario.schema import Formation, Posture

PAGE = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"


def test_committed_page_is_generated() -> None:
    """docs/scenario-format.md equals `python -m stavka.scenario.docs` output."""
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "regenerate: python -m stavka.scenario.docs > docs/scenario-format.md"
    )


def test_page_lists_every_field_and_rule() -> None:
    """Every Formation field, consistency rule and posture appears on the page."""
    text = render()
    for name in Formation.model_fields:
        assert f"| `{name}` |" in text
    for check in CHECKS:
        assert f"`{check.__name__}`" in text
    for posture in Posture:
        assert f"`{posture.value}`" in text


def test_type_names() -> None:
    """Annotations render as readable types."""
    assert type_name(int | None) == "integer or null"
    assert type_name(list[str]) == "list of text"
    assert type_name(Posture) == "[Posture](#posture)"

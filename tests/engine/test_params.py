from pathlib import Path

from stavka.engine.params import PROVENANCE, EngineParams, parameters_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "parameters.md"


def test_every_parameter_has_a_provenance() -> None:
    """Each engine parameter has a unit and a provenance, and nothing else is listed."""
    assert set(EngineParams().as_dict()) == set(PROVENANCE)
    assert all(unit and source for unit, source in PROVENANCE.values())


def test_parameters_doc_is_current() -> None:
    """docs/parameters.md carries the generated engine table unchanged."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("<!-- engine-parameters:start -->\n") + len(
        "<!-- engine-parameters:start -->\n"
    )
    end = text.index("<!-- engine-parameters:end -->")
    assert text[start:end].strip() == parameters_table().strip()

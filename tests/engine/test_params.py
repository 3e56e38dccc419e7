from pathlib import Path

import numpy as np

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


def test_a_replaced_context_does_not_reuse_the_old_ones_caches() -> None:
    """``dataclasses.replace`` gives a new token: parameter-keyed caches start anew.

    The fall-back order's relay hours are cached per context; a context with twice
    the relay delay per level must get twice the hours, not the first one's.
    """
    import dataclasses

    from stavka.engine import prepare
    from stavka.engine.fallback import _static

    ctx = prepare("august-storm")
    slow = dataclasses.replace(
        ctx,
        params=dataclasses.replace(
            ctx.params,
            order_delay_hours_per_level=2 * ctx.params.order_delay_hours_per_level,
        ),
    )
    assert slow.token != ctx.token
    hours = _static(ctx)[4]
    assert hours.size and hours.max() > 0
    np.testing.assert_allclose(_static(slow)[4], 2 * hours)

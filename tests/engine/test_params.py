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


def test_overrides_parse_each_kind_of_parameter() -> None:
    """NAME=VALUE pairs set numbers, switches, dates and lists; others stay."""
    p = EngineParams().with_overrides(
        [
            "air_lift_tonnes_per_day=159.4",
            "combat_noise=false",
            "air_lift_last_day = 1945-08-20",
            "air_lift_formations=6gta, 39a",
        ]
    )
    assert p.air_lift_tonnes_per_day == 159.4
    assert p.combat_noise is False
    assert p.air_lift_last_day == "1945-08-20"
    assert p.air_lift_formations == ("6gta", "39a")
    assert p.overrides() == {
        "air_lift_tonnes_per_day": 159.4,
        "combat_noise": False,
        "air_lift_last_day": "1945-08-20",
        "air_lift_formations": ["6gta", "39a"],
    }
    assert EngineParams().overrides() == {}


def test_overrides_reject_bad_pairs_naming_them() -> None:
    """A bad pair raises EngineError naming it and what is wrong."""
    import pytest

    from stavka.errors import EngineError

    cases = {
        "no_such=1": "no engine parameter",
        "ship_kmh": "NAME=VALUE",
        "ship_kmh=fast": "not a number",
        "ship_kmh=-2": ">= 0",
        "ship_kmh=inf": ">= 0",
        "step_hours=0.7": "whole steps",
        "step_hours=0": "whole steps",
        "combat_noise=maybe": "true or false",
        "air_lift_first_day=10 Aug": "date",
    }
    for pair, why in cases.items():
        with pytest.raises(EngineError) as err:
            EngineParams().with_overrides([pair])
        assert repr(pair) in str(err.value) and why in str(err.value), pair


def test_overridden_lists_must_name_existing_formations_and_nations() -> None:
    """A changed list naming an unknown formation or nation is an error.

    The shipped lists are not checked (another scenario may lack 6gta); the lift's
    days must stay in order.
    """
    import pytest

    from stavka.errors import EngineError

    formations, nations = {"6gta", "39a"}, {"japan", "ussr"}
    EngineParams().check_names(set(), set())  # shipped values: nothing to check
    EngineParams().with_overrides(["air_lift_formations=39a"]).check_names(
        formations, nations
    )
    for pair, bad in (
        ("air_lift_formations=6gta,6GTA", "'6GTA'"),
        ("sourced_fuel_formations=cmg", "'cmg'"),
        ("no_surrender_nations=japan,atlantis", "'atlantis'"),
    ):
        with pytest.raises(EngineError, match=bad):
            EngineParams().with_overrides([pair]).check_names(formations, nations)
    with pytest.raises(EngineError, match="after air_lift_last_day"):
        EngineParams().with_overrides(["air_lift_first_day=1945-08-25"])

"""Bypassing fortified regions where the plans say so, and only there."""

from __future__ import annotations

import numpy as np
import pytest

from stavka.engine import Context, prepare
from stavka.engine.formations import bypassed_regions


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The August Storm context."""
    return prepare("august-storm")


def test_plans_bypass_conditions_bind_the_units_under_them(ctx: Context) -> None:
    """The front's and the 39th Army's directive: bypass Halun-Arshan; no one else."""
    s = ctx.scenario
    assert bypassed_regions(s, s.formations["39a"]) == ("halun_arshan_fr",)
    assert bypassed_regions(s, s.formations["6gta"]) == ("halun_arshan_fr",)  # TBF
    assert bypassed_regions(s, s.formations["5a_17rc"]) == ()
    assert bypassed_regions(s, s.formations["ija_107d"]) == ()


def test_only_the_bypassing_class_pays_the_detour(ctx: Context) -> None:
    """Edges into Halun-Arshan's fortified cells cost more for the bypassing class."""
    names = ctx.route_names
    # The Trans-Baikal Front's rifle troops ride its trucks (motor_lift_fronts).
    plain = ctx.route_hours[names.index("motor:0")]
    bypass = ctx.route_hours[names.index("motor:0~halun_arshan_fr")]
    nb = ctx.theatre.neighbors
    into = ctx.theatre.fortified_level[np.where(nb < 0, 0, nb)] > 0
    fr_cell = ctx.theatre.place_cell["halun_arshan_fr"]
    assert (bypass[nb == fr_cell] > plain[nb == fr_cell]).all()
    elsewhere = np.isfinite(plain) & ~into
    assert np.array_equal(bypass[elsewhere], plain[elsewhere])
    # Other fortified regions (here Suifenhe) are no detour for anyone.
    other = ctx.theatre.place_cell["suifenhe_fr"]
    assert np.array_equal(bypass[nb == other], plain[nb == other])
    i = ctx.units.ids.index("5a_17rc")
    assert "~" not in names[ctx.route_class[i]]  # the 5th Army assaults Suifenhe

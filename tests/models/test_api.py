import copy
import re

import pytest

import stavka.models
from stavka.errors import ModelError
from stavka.models import CombatModels, load_models
from stavka.models.api import load_doc, params_path


def test_all_is_ordered_and_resolves() -> None:
    """The package's public names are unique, isort-ordered and all importable."""
    names = stavka.models.__all__
    assert len(set(names)) == len(names)
    consts = [n for n in names if n.isupper()]
    assert names == consts + sorted(n for n in names if n not in consts)
    for n in names:
        assert getattr(stavka.models, n) is not None


def test_load_models_is_cached() -> None:
    """load_models returns the same object on every call (read once)."""
    assert load_models() is load_models()


def test_meta_carries_fit_date_hash_and_cv() -> None:
    """The shipped parameters carry the fit date, data hash and CV scores."""
    meta = load_models().meta
    assert meta["fit_date"]
    assert len(meta["data"]["sha256"]) == 64
    assert "attrition" in meta["cv"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (None, "attrition.coef_att.const: missing"),
        ("abc", "attrition.coef_att.const: 'abc' is not a finite number"),
        (float("nan"), "attrition.coef_att.const: nan is not a finite number"),
        (True, "attrition.coef_att.const: True is not a finite number"),
    ],
)
def test_a_bad_coefficient_is_named(bad: object, message: str) -> None:
    """A missing or non-numeric coefficient is refused, naming its path.

    It used to count as 0, or to fail deep in numpy.
    """
    doc = copy.deepcopy(load_doc(params_path()))
    if bad is None:
        del doc["attrition"]["coef_att"]["const"]
    else:
        doc["attrition"]["coef_att"]["const"] = bad
    with pytest.raises(ModelError, match=re.escape(message)):
        CombatModels.from_dict(doc)


def test_a_bad_outcome_coefficient_names_its_section() -> None:
    doc = copy.deepcopy(load_doc(params_path()))
    doc["advance"]["coef"]["surprise"] = "x"
    with pytest.raises(ModelError, match=r"advance\.coef\.surprise"):
        CombatModels.from_dict(doc)

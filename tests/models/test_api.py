import stavka.models
from stavka.models import load_models


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

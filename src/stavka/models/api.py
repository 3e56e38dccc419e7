"""Load the shipped fitted models once: :func:`load_models` -> :class:`CombatModels`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from stavka.errors import ModelError
from stavka.models.attrition import AttritionModel
from stavka.models.exchange import CollapseExchange
from stavka.models.features import Engagement, FloatArray
from stavka.models.losses import LossSplit, collapse_rate
from stavka.models.outcome import AdvanceModel, OutcomeModel
from stavka.models.support import Support

__all__ = ["PARAMS_FILE", "CombatModels", "load_doc", "load_models", "params_path"]

#: Name of the shipped parameter file inside ``stavka/models/params/``.
PARAMS_FILE = "fitted.json"


def params_path() -> Path:
    """Return the path of the shipped parameter file."""
    return Path(str(resources.files("stavka.models") / "params" / PARAMS_FILE))


#: The parameter document's model sections (the rest is metadata).
_SECTIONS = (
    "attrition",
    "outcome",
    "advance",
    "loss_split",
    "support",
    "collapse_exchange",
)


@dataclass(frozen=True, slots=True)
class CombatModels:
    """The fitted combat models the engine calls (all numpy-batched over ``[B]``).

    Attributes:
        attrition: daily loss rates of both sides.
        outcome: probability that the attacker succeeds.
        advance: km/day of a successful attacker.
        loss_split: killed / wounded / captured split and collapse multipliers.
        support: the range of the battles the models were fitted on (the engine
            reads the models inside it: :meth:`Support.clip`).
        collapse_exchange: defender casualties per attacker casualty in the
            battles whose defender was destroyed.
        meta: fit date, data hash, CV scores (the parameter document without
            coefficients).
    """

    attrition: AttritionModel
    outcome: OutcomeModel
    advance: AdvanceModel
    loss_split: LossSplit
    support: Support
    collapse_exchange: CollapseExchange
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> CombatModels:
        """Build from a parameter document (the output of ``stavka models fit``).

        Raises:
            ModelError: a section is missing.
        """
        try:
            return cls(
                attrition=AttritionModel.from_dict(doc["attrition"]),
                outcome=OutcomeModel.from_dict(doc["outcome"]),
                advance=AdvanceModel.from_dict(doc["advance"]),
                loss_split=LossSplit.from_dict(doc["loss_split"]),
                support=Support.from_dict(doc["support"]),
                collapse_exchange=CollapseExchange.from_dict(doc["collapse_exchange"]),
                meta={k: v for k, v in doc.items() if k not in _SECTIONS},
            )
        except ModelError:
            raise
        except KeyError as e:
            raise ModelError(
                f"parameter document lacks {e} (re-run `stavka models fit`)"
            ) from None
        except (TypeError, AttributeError, ValueError) as e:
            raise ModelError(
                f"parameter document is malformed: {e} (re-run `stavka models fit`)"
            ) from None

    def collapse_rate(self, fire_rate: FloatArray, situation: Any) -> FloatArray:
        """Return the extra daily loss rate of a beaten/encircled side (see losses)."""
        return collapse_rate(fire_rate, situation, self.loss_split)

    def predict_battles(
        self, eng: Engagement
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Return ``(cas_a, cas_d, p_attacker_wins, adv_km_per_day)``, each ``[B]``."""
        cas_a, cas_d = self.attrition.predict(eng)
        return cas_a, cas_d, self.outcome.predict(eng), self.advance.predict(eng)


def load_doc(path: Path) -> dict[str, Any]:
    """Read a parameter document.

    Raises:
        ModelError: the file is absent or not valid JSON.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(
            f"fitted parameters {path} not found (run `stavka models fit`)"
        ) from None
    except json.JSONDecodeError as e:
        raise ModelError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(doc, dict):
        raise ModelError(f"{path}: expected a JSON object")
    return doc


@lru_cache(maxsize=4)
def _load(path: str) -> CombatModels:
    return CombatModels.from_dict(load_doc(Path(path)))


def load_models(path: Path | None = None) -> CombatModels:
    """Return the fitted models (cached per path; default: the shipped file)."""
    return _load(str(path or params_path()))

"""Combat, outcome and advance-rate models fitted to CDB90 battles, and their fit.

The engine calls :func:`load_models` once and then the numpy-batched methods of the
returned :class:`CombatModels` (shapes ``[B]``, one entry per engagement):

- ``attrition.daily_loss_rates(att_strength, def_strength, **factors)``
- ``attrition.marginal_loss_rates(...)`` (instantaneous rates on day T of a fight; the
  engine integrates ``T r(T)`` over each step instead)
- ``outcome.p_attacker_wins(...)``, ``advance.km_per_day(...)``
- ``loss_split.split(losses, situation)``, ``collapse_rate(fire_rate, situation)``
- ``support.clip(design)``: a design matrix held to the range of the fitted battles
  (the engine reads the models inside it; the methods above do not clip)
- ``collapse_exchange.ratio``: defender casualties per attacker casualty in the
  battles whose defender was annihilated (what destroying a unit costs its attackers)

Categorical inputs use the small int enums :class:`Posture`, :class:`Terrain`,
:class:`Weather` and :class:`Situation`. Units, shapes and the fitting procedure are in
``docs/models.md``.
"""

from stavka.models.api import CombatModels, load_models
from stavka.models.attrition import AttritionModel
from stavka.models.enums import Posture, Situation, Terrain, Weather
from stavka.models.exchange import CollapseExchange
from stavka.models.features import WWII_ERA, Engagement, era_of_year
from stavka.models.losses import LossSplit, collapse_rate
from stavka.models.outcome import AdvanceModel, OutcomeModel
from stavka.models.support import Support

__all__ = [
    "WWII_ERA",
    "AdvanceModel",
    "AttritionModel",
    "CollapseExchange",
    "CombatModels",
    "Engagement",
    "LossSplit",
    "OutcomeModel",
    "Posture",
    "Situation",
    "Support",
    "Terrain",
    "Weather",
    "collapse_rate",
    "era_of_year",
    "load_models",
]

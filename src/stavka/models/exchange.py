"""What destroying a defender costs the attacker: the collapse exchange ratio.

Fire attrition (:mod:`stavka.models.attrition`) gives both sides' daily losses while a
fight goes on. A caller that also destroys a beaten defender outright (the engine's
collapse of a dislodged unit that cannot fall back) adds defender losses that the
attrition model never saw, and without a price on the attacker's side such a battle
costs the attacker what an ordinary fight of the same length would. CDB90 records
battles whose defender was annihilated (``reso1_d`` = ``AA``): in those the defender
lost several men for each of the attacker's. :class:`CollapseExchange` is that ratio,
fitted as the geometric mean of ``cas_d / cas_a`` over the annihilation battles of the
engine's era (``WWII_ERA``) with both casualty counts known; its 90 % interval comes
from the campaigns' mean logs (battles of one campaign are correlated), with
Student's t. Every such attacker outnumbered its defender (force ratios 1.05-11.9);
``max_attacker_share``, the largest share of its strength an attacker lost in them,
bounds what the ratio may charge a small attacker that destroys a larger defender,
a case outside the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from stavka.errors import ModelError
from stavka.models.data import BattleTable
from stavka.models.features import WWII_ERA

__all__ = ["ANNIHILATED_CODES", "CollapseExchange"]

#: CDB90 defender results counted as the defender destroyed (``AA`` annihilated).
ANNIHILATED_CODES: tuple[str, ...] = ("AA",)


@dataclass(frozen=True, slots=True)
class CollapseExchange:
    """Defender casualties per attacker casualty where the defender was destroyed.

    Attributes:
        ratio: geometric mean of ``cas_d / cas_a`` over the battles.
        interval90: 90 % interval of ``ratio`` (t over the campaigns' mean logs).
        battles: CDB90 ``isqno`` of the battles used.
        campaigns: number of distinct campaigns among them.
        max_attacker_share: the largest ``cas_a / str_a`` among them.
    """

    ratio: float
    interval90: tuple[float, float]
    battles: tuple[str, ...]
    campaigns: int
    max_attacker_share: float

    @classmethod
    def fit(cls, t: BattleTable) -> CollapseExchange:
        """Fit on a battle table (the annihilation battles of the WWII era).

        Raises:
            ModelError: fewer than two such battles with both casualty counts.
        """
        res = np.array(t.defender_result)
        rows = (
            t.ok
            & (t.engagement.era == WWII_ERA)
            & np.isin(res, ANNIHILATED_CODES)
            & (t.cas_a > 0)
            & (t.cas_d > 0)
        )
        if rows.sum() < 2:
            codes = ", ".join(ANNIHILATED_CODES)
            raise ModelError(
                "collapse exchange: fewer than two WWII battles with the defender"
                f" annihilated ({codes}) and both casualties known"
            )
        logs = np.log(t.cas_d[rows] / t.cas_a[rows])
        camp = np.array(
            [c or f"isqno-{i}" for c, i in zip(t.campaign, t.isqno, strict=True)]
        )[rows]
        names = np.unique(camp)
        per = np.array([logs[camp == c].mean() for c in names])
        centre = float(logs.mean())
        if per.size > 1:
            half = float(stats.t.ppf(0.95, per.size - 1) * per.std(ddof=1))
            half /= np.sqrt(per.size)
        else:
            half = float("inf")
        share = t.cas_a[rows] / t.engagement.att_strength[rows]
        return cls(
            ratio=float(np.exp(centre)),
            interval90=(float(np.exp(centre - half)), float(np.exp(centre + half))),
            battles=tuple(np.array(t.isqno)[rows].tolist()),
            campaigns=int(names.size),
            max_attacker_share=float(share.max()),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "codes": list(ANNIHILATED_CODES),
            "era": WWII_ERA,
            "ratio": self.ratio,
            "interval90": list(self.interval90),
            "battles": list(self.battles),
            "campaigns": self.campaigns,
            "max_attacker_share": self.max_attacker_share,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> CollapseExchange:
        """Read :meth:`to_dict`'s form.

        Raises:
            ModelError: a ratio that is not a positive finite number, or a share
                outside (0, 1].
        """
        ratio = float(doc["ratio"])
        if not np.isfinite(ratio) or ratio <= 0:
            raise ModelError(f"collapse exchange ratio {ratio!r}: must be > 0")
        share = float(doc["max_attacker_share"])
        if not 0 < share <= 1:
            raise ModelError(
                f"collapse exchange max_attacker_share {share!r}: must be in (0, 1]"
            )
        lo, hi = (float(v) for v in doc["interval90"])
        return cls(ratio, (lo, hi), tuple(doc["battles"]), int(doc["campaigns"]), share)

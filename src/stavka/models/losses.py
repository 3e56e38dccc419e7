"""Loss split (killed / wounded / captured-missing) and the collapse term.

Fire attrition (:mod:`stavka.models.attrition`) gives a side's total personnel losses.
:class:`LossSplit` divides them by the side's :class:`~stavka.models.enums.Situation`,
and :func:`collapse_rate` adds the extra losses of a beaten, encircled or routed side,
which fire attrition alone under-predicts.

Where the numbers come from (details and citations in ``docs/models.md``):

- killed share of killed + wounded: 0.26, the mean of US Army ETO 1944-45 (about
  120,000 killed, 430,000 wounded: 0.22) and US forces in the Pacific (111,606 killed or
  missing, 253,142 wounded: 0.31) - the common 1:3-4 killed:wounded of WWII ground war.
- captured share of an engaged side: 0.056, US POW share of all US Pacific losses
  (21,580 of 386,328).
- collapse multipliers: fitted on CDB90 as the median ratio of observed to
  cross-validated predicted defender casualties in battles whose defender withdrew
  with heavy losses (``WL``: withdrawing) or was annihilated (``AA``: encircled); the
  excess over fire attrition is counted as captured/missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from stavka.models.enums import Situation
from stavka.models.features import FloatArray

__all__ = ["KILLED_SHARE", "LossSplit", "collapse_rate"]

#: Killed / (killed + wounded), derived from two published WWII totals (see above).
KILLED_SHARE = 0.26
#: Captured-missing share of an ordinarily engaged side's losses (US Pacific POW share).
ENGAGED_CAPTURED_SHARE = 0.056


@dataclass(frozen=True, slots=True)
class LossSplit:
    """Split personnel losses into killed, wounded and captured-missing.

    Attributes:
        killed_share: killed / (killed + wounded) of the non-captured losses.
        multiplier: total-to-fire-attrition loss ratio per :class:`Situation`
            (``ENGAGED`` is 1 by definition).
    """

    killed_share: float = KILLED_SHARE
    multiplier: dict[Situation, float] = field(
        default_factory=lambda: dict.fromkeys(Situation, 1.0)
    )

    def captured_share(self) -> FloatArray:
        """Return the captured-missing share of all losses per situation ``[3]``.

        ``ENGAGED``: the published share; other situations: the published share of
        the fire losses plus all the excess ``1 - 1/multiplier``.
        """
        m = np.array([max(self.multiplier.get(s, 1.0), 1.0) for s in Situation])
        excess = 1.0 - 1.0 / m
        return excess + (1.0 - excess) * ENGAGED_CAPTURED_SHARE

    def split(
        self, losses: npt.ArrayLike, situation: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Split losses (men, ``[B]``) by situation (:class:`Situation`, ``[B]``).

        Returns:
            ``(killed, wounded, captured)``, each ``[B]``; they sum to ``losses``.
        """
        loss = np.asarray(losses, dtype=np.float64)
        sit = np.asarray(situation, dtype=np.int64)
        loss, sit = np.broadcast_arrays(loss, sit)
        captured = loss * self.captured_share()[sit]
        rest = loss - captured
        killed = rest * self.killed_share
        return killed, rest - killed, captured

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters (JSON-ready)."""
        return {
            "killed_share": self.killed_share,
            "multiplier": {
                s.name.lower(): float(self.multiplier[s]) for s in Situation
            },
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LossSplit:
        """Rebuild from :meth:`to_dict` output."""
        mult = {s: float(d["multiplier"].get(s.name.lower(), 1.0)) for s in Situation}
        return cls(killed_share=float(d["killed_share"]), multiplier=mult)


def collapse_rate(
    fire_rate: npt.ArrayLike, situation: npt.ArrayLike, split: LossSplit
) -> FloatArray:
    """Return the extra daily loss rate of a beaten, encircled or routed side.

    The form is ``extra = (M[situation] - 1) * fire_rate``: a side in situation ``s``
    loses ``M[s]`` times its fire-attrition losses, the excess being captured or
    missing (use :meth:`LossSplit.split` for the breakdown of the total).

    Args:
        fire_rate: the side's fire-attrition daily loss rate (fraction/day), ``[B]``.
        situation: :class:`Situation` per engagement, ``[B]``.
        split: the fitted parameters.

    Returns:
        Extra loss rate (fraction of strength per day), ``[B]``; total rate
        ``fire_rate + extra`` is capped at 1.
    """
    r = np.asarray(fire_rate, dtype=np.float64)
    s = np.asarray(situation, dtype=np.int64)
    m = np.array([max(split.multiplier.get(k, 1.0), 1.0) for k in Situation])[s]
    return np.minimum(r * m, 1.0) - np.minimum(r, 1.0)

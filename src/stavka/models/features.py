"""Engagement inputs (batched arrays) and the design matrices of the fitted models.

One :class:`Engagement` holds ``B`` engagements as arrays of shape ``[B]``; the fitted
models and the CDB90 table both go through :func:`design_matrix`, so the engine and the
fit see exactly the same features.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stavka.errors import ModelError
from stavka.models.enums import Posture, Terrain, Weather

__all__ = [
    "ERA_BOUNDS",
    "FEATURES",
    "WWII_ERA",
    "Engagement",
    "FloatArray",
    "coefficients",
    "design_matrix",
    "era_of_year",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: First year of each era after the first: eras are <1800, 1800-1899, 1900-1938,
#: 1939-1945, 1946 on. Each era gets its own partially pooled intercept.
ERA_BOUNDS: tuple[int, ...] = (1800, 1900, 1939, 1946)
#: The era of the reference campaign (1939-1945), the engine's default.
WWII_ERA = 3
N_ERAS = len(ERA_BOUNDS) + 1
#: Reference strength (men) that centres the log-strength features.
REF_STRENGTH = 10_000.0

#: Feature names, in design-matrix column order.
FEATURES: tuple[str, ...] = (
    "const",
    "log_att_strength",
    "log_def_strength",
    "log_duration",
    "posture_ge_delay",
    "posture_ge_hasty",
    "posture_ge_prepared",
    "posture_ge_fortified",
    "terrain_rolling",
    "terrain_rugged",
    "terrain_mixed",
    "terrain_wooded",
    "terrain_urban",
    "terrain_marsh",
    "terrain_desert",
    "weather_wet",
    "surprise",
    "air",
    "att_tanks_per_1000",
    "att_arty_per_1000",
    "def_tanks_per_1000",
    "def_arty_per_1000",
    *(f"era_{k}" for k in range(N_ERAS)),
)


def coefficients(table: object, where: str) -> FloatArray:
    """The coefficient vector (in ``FEATURES`` order) of a parameter document's table.

    Args:
        table: feature name -> coefficient, as ``to_dict`` writes it.
        where: the table's path in the document, for messages (``attrition.coef_att``).

    Raises:
        ModelError: not a table, a feature missing, or a coefficient that is not a
            finite number (names the path and the feature).
    """
    if not isinstance(table, dict):
        raise ModelError(f"{where}: expected a table of coefficients by feature")
    out = np.empty(len(FEATURES))
    for i, f in enumerate(FEATURES):
        if f not in table:
            raise ModelError(f"{where}.{f}: missing (re-run `stavka models fit`)")
        v = table[f]
        if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v):
            raise ModelError(f"{where}.{f}: {v!r} is not a finite number")
        out[i] = float(v)
    return out


def era_of_year(year: npt.ArrayLike) -> IntArray:
    """Return the era index (0-4) of each year; NaN years get the WWII era."""
    y = np.asarray(year, dtype=np.float64)
    era = np.searchsorted(np.asarray(ERA_BOUNDS, dtype=np.float64), y, side="right")
    return np.where(np.isnan(y), WWII_ERA, era).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Engagement:
    """A batch of ``B`` engagements, attacker-relative. Every field has shape ``[B]``.

    Attributes:
        att_strength: attacker personnel (men), > 0.
        def_strength: defender personnel (men), > 0.
        duration_days: length of the engagement (days), > 0.
        posture: defender :class:`Posture` (int).
        terrain: :class:`Terrain` (int).
        weather: :class:`Weather` (int).
        surprise: -3 (complete surprise by the defender) ... +3 (by the attacker).
        air: air superiority, -1 defender, 0 neither, +1 attacker.
        att_tanks_per_1000: attacker tanks per 1000 men.
        att_arty_per_1000: attacker artillery tubes per 1000 men.
        def_tanks_per_1000: defender tanks per 1000 men.
        def_arty_per_1000: defender artillery tubes per 1000 men.
        era: era index (:func:`era_of_year`); the engine uses ``WWII_ERA``.
    """

    att_strength: FloatArray
    def_strength: FloatArray
    duration_days: FloatArray
    posture: IntArray
    terrain: IntArray
    weather: IntArray
    surprise: FloatArray
    air: FloatArray
    att_tanks_per_1000: FloatArray
    att_arty_per_1000: FloatArray
    def_tanks_per_1000: FloatArray
    def_arty_per_1000: FloatArray
    era: IntArray

    @classmethod
    def build(
        cls,
        att_strength: npt.ArrayLike,
        def_strength: npt.ArrayLike,
        duration_days: npt.ArrayLike = 1.0,
        posture: npt.ArrayLike = Posture.HASTY,
        terrain: npt.ArrayLike = Terrain.ROLLING_MIXED,
        weather: npt.ArrayLike = Weather.DRY,
        surprise: npt.ArrayLike = 0.0,
        air: npt.ArrayLike = 0.0,
        att_tanks_per_1000: npt.ArrayLike = 0.0,
        att_arty_per_1000: npt.ArrayLike = 0.0,
        def_tanks_per_1000: npt.ArrayLike = 0.0,
        def_arty_per_1000: npt.ArrayLike = 0.0,
        era: npt.ArrayLike = WWII_ERA,
    ) -> Engagement:
        """Broadcast scalars and arrays to one batch shape ``[B]`` and check ranges.

        Raises:
            ModelError: a strength or duration is not positive, or an enum is unknown.
        """
        from stavka.errors import ModelError

        f = np.float64
        arrays = np.broadcast_arrays(
            np.atleast_1d(np.asarray(att_strength, dtype=f)),
            np.atleast_1d(np.asarray(def_strength, dtype=f)),
            np.atleast_1d(np.asarray(duration_days, dtype=f)),
            np.atleast_1d(np.asarray(posture, dtype=np.int64)),
            np.atleast_1d(np.asarray(terrain, dtype=np.int64)),
            np.atleast_1d(np.asarray(weather, dtype=np.int64)),
            np.atleast_1d(np.asarray(surprise, dtype=f)),
            np.atleast_1d(np.asarray(air, dtype=f)),
            np.atleast_1d(np.asarray(att_tanks_per_1000, dtype=f)),
            np.atleast_1d(np.asarray(att_arty_per_1000, dtype=f)),
            np.atleast_1d(np.asarray(def_tanks_per_1000, dtype=f)),
            np.atleast_1d(np.asarray(def_arty_per_1000, dtype=f)),
            np.atleast_1d(np.asarray(era, dtype=np.int64)),
        )
        eng = cls(*(np.ascontiguousarray(a) for a in arrays))
        for name in ("att_strength", "def_strength", "duration_days"):
            if not np.all(getattr(eng, name) > 0):
                raise ModelError(f"{name} must be > 0 (men, days); got a value <= 0")
        checks = (("posture", Posture), ("terrain", Terrain), ("weather", Weather))
        for name, enum in checks:
            v = getattr(eng, name)
            if v.size and (v.min() < 0 or v.max() >= len(enum)):
                raise ModelError(
                    f"{name} must be a {enum.__name__} value 0-{len(enum) - 1}"
                )
        if eng.era.size and (eng.era.min() < 0 or eng.era.max() >= N_ERAS):
            raise ModelError(f"era must be 0-{N_ERAS - 1} (see era_of_year)")
        return eng

    def __len__(self) -> int:
        return int(self.att_strength.shape[0])


def _posture_steps(posture: IntArray) -> FloatArray:
    """Return cumulative posture dummies ``[B, 4]`` along the defensive order."""
    # rank: WITHDRAWAL 0, DELAY 1, HASTY/ATTACK 2, PREPARED 3, FORTIFIED 4
    rank_of = np.array([2, 2, 3, 4, 1, 0], dtype=np.int64)
    rank = rank_of[posture]
    return (rank[:, None] >= np.arange(1, 5)[None, :]).astype(np.float64)


def _terrain_cols(terrain: IntArray) -> FloatArray:
    """Return terrain dummies ``[B, 7]``: rolling, rugged, mixed, wooded, urban..."""
    t = terrain
    plain = t <= Terrain.RUGGED_WOODED
    relief = np.where(plain, t // 3, 1)
    cover = np.where(plain, t % 3, 1)
    cols = [
        relief == 1,
        relief == 2,
        cover == 1,
        cover == 2,
        t == Terrain.URBAN,
        t == Terrain.MARSH,
        t == Terrain.DESERT,
    ]
    return np.stack(cols, axis=1).astype(np.float64)


def design_matrix(eng: Engagement) -> FloatArray:
    """Return the design matrix ``[B, len(FEATURES)]`` of a batch of engagements."""
    n = len(eng)
    # Filled column by column (the same values as stacking the columns).
    x = np.zeros((n, len(FEATURES)))
    x[:, 0] = 1.0
    np.log(eng.att_strength / REF_STRENGTH, out=x[:, 1])
    np.log(eng.def_strength / REF_STRENGTH, out=x[:, 2])
    np.log(eng.duration_days, out=x[:, 3])
    x[:, 4:8] = _posture_steps(eng.posture)
    x[:, 8:15] = _terrain_cols(eng.terrain)
    x[:, 15] = eng.weather == Weather.WET
    x[:, 16] = eng.surprise
    x[:, 17] = eng.air
    for j, v in enumerate(
        (
            eng.att_tanks_per_1000,
            eng.att_arty_per_1000,
            eng.def_tanks_per_1000,
            eng.def_arty_per_1000,
        )
    ):
        np.log1p(np.maximum(v, 0.0), out=x[:, 18 + j])
    x[np.arange(n), 22 + eng.era] = 1.0
    return x

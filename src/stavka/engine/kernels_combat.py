"""Compiled loops of combat, control, supply and exploitation glue.

As :mod:`stavka.engine.kernels`, bit for bit what the numpy code they replace gave:
the losses of the units in contact, place control, truck hours by replica group and
the units of each routing class, without numpy temporaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import prange

from stavka.engine.kernels import CHUNKS, F64, IP, LossRows, kernel, pkernel
from stavka.engine.state import Mob

__all__ = [
    "ContactLosses",
    "apply_contact_losses",
    "attacker_sums",
    "by_class",
    "contact_losses",
    "control_at_places",
    "fill_rows",
    "motorised",
    "nonzero2",
    "serving_railheads",
    "split_rows",
]


_MOTORISED: dict[int, npt.NDArray[np.bool_]] = {}


def motorised(token: int, mobility: npt.NDArray[np.int8]) -> npt.NDArray[np.bool_]:
    """Units that move on fuel (motor or tracked) [U], cached per context ``token``."""
    if token not in _MOTORISED:
        if len(_MOTORISED) > 64:
            _MOTORISED.clear()
        _MOTORISED[token] = np.isin(mobility, (Mob.MOTOR, Mob.TRACKED))
    return _MOTORISED[token]


@dataclass(frozen=True, slots=True)
class ContactLosses:
    """The losses of the units in contact, as the rates that make them.

    Applied straight to the holdings (:func:`apply_contact_losses`) instead of going
    through a [C, L, K] array; :meth:`rows` gives that array's :class:`LossRows`.
    Arguments as :func:`contact_losses` has them (``split``: [C, 3] each contact
    row's killed, wounded and missing shares).
    """

    contact: npt.NDArray[np.int64]
    rate_a: F64
    rate_d: F64
    noise: npt.NDArray[np.float32]
    dt_days: float
    split: F64
    kinds: tuple[int, int, int]

    @property
    def size(self) -> int:
        """Number of units in contact."""
        return int(self.contact.shape[0])

    def rows(self, present: F64, n_kinds: int) -> LossRows:
        """The losses as :class:`LossRows` (``present``: the holdings before them)."""
        hit = contact_losses(
            self.contact,
            self.rate_a,
            self.rate_d,
            self.noise,
            present,
            self.dt_days,
            self.split,
            self.kinds,
            n_kinds,
        )
        return LossRows(self.contact[:, 0], self.contact[:, 1], hit)

    def apply(self, present: F64, lost: F64, men: F64 | None = None) -> None:
        """Move the losses from ``present`` to ``lost`` in place (as ``rows`` would).

        ``men``: an [R, U] copy of ``present``'s men, whose changed rows are taken.
        """
        apply_contact_losses(
            present,
            lost,
            self.contact,
            self.rate_a,
            self.rate_d,
            self.noise,
            self.dt_days,
            self.split,
            self.kinds,
            men,
        )


@pkernel
def attacker_sums(
    contact: npt.NDArray[np.int64],
    present: F64,
    fight_hours: npt.NDArray[np.floating],
    n_eng: int,
    threads: int = 1,
) -> tuple[F64, F64]:  # pragma: no cover - compiled
    """Attackers' men x fight hours and men per engagement [E], in contact order.

    As ``np.bincount`` with weights sums them (``contact`` rows as
    ``engagements`` gives them, in replica-then-unit order; column 0 of
    ``present`` is the men). An engagement is one replica's: the rows run in
    parallel in ``threads`` chunks of whole replicas.
    """
    weighted = np.zeros(n_eng)
    men = np.zeros(n_eng)
    n_c = contact.shape[0]
    n_t = max(min(threads, n_c), 1)
    span = contact[n_c - 1, 0] + 1 if n_c > 0 else 0  # replicas up to the last
    bounds = np.empty(n_t + 1, np.int64)
    for t in range(n_t + 1):
        bounds[t] = np.searchsorted(contact[:, 0], t * span // n_t)
    for t in prange(n_t):
        for i in range(bounds[t], bounds[t + 1]):
            r, u, e = contact[i, 0], contact[i, 1], contact[i, 2]
            if e >= 0:
                m = present[r, u, 0]
                weighted[e] += m * np.float64(fight_hours[r, u])
                men[e] += m
    return weighted, men


@pkernel
def contact_losses(
    contact: npt.NDArray[np.int64],
    rate_a: F64,
    rate_d: F64,
    noise: npt.NDArray[np.float32],
    present: F64,
    dt_days: float,
    split: F64,
    kinds: tuple[int, int, int],
    n_kinds: int,
) -> F64:  # pragma: no cover - compiled
    """Losses [C, L, K] of the units in contact (``engagements``' contact rows).

    A unit's share lost this step is ``min(rate x noise x dt_days, 1)``, with its
    attacked engagement's attacker rate or its defended engagement's defender rate
    (as ``combat.resolve_combat`` has it in numpy: the float64 rate times the
    float32 noise, the minimum keeping a nan); its holdings times that share go to
    the loss kinds ``kinds`` (killed, wounded, missing) by its row of ``split``
    [C, 3]; the other ``n_kinds`` are zero.
    """
    n_c = contact.shape[0]
    n_k = present.shape[2]
    kind_k, kind_w, kind_c = kinds
    hit = np.empty((n_c, n_kinds, n_k))
    for i in prange(n_c):
        r, u, ea, ed = contact[i, 0], contact[i, 1], contact[i, 2], contact[i, 3]
        nz = np.float64(noise[r, u])
        x = rate_a[ea] * nz if ea >= 0 else rate_d[ed] * nz
        frac = x * dt_days
        if frac > 1.0:  # np.minimum(frac, 1.0): no more than the unit has
            frac = 1.0
        for j in range(n_k):
            for q in range(n_kinds):
                hit[i, q, j] = 0.0
            lost = present[r, u, j] * frac
            hit[i, kind_k, j] = lost * split[i, 0]
            hit[i, kind_w, j] = lost * split[i, 1]
            hit[i, kind_c, j] = lost * split[i, 2]
    return hit


@pkernel
def control_at_places(
    status: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    cell: npt.NDArray[np.int32],
    men: F64,
    by_cell: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]],
    control: npt.NDArray[np.int8],
    capture_hour: npt.NDArray[np.float32],
    threshold: float,
    hour: np.float32,
    threads: int,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:  # pragma: no cover
    """Place control and first-capture hours [R, P] from the active men at places.

    Each side's men at each place are summed in unit order (the places at cell c are
    ``places[first[c] : first[c] + count[c]]``, ``by_cell`` = (first, count,
    places)). The attacker (0) takes a place where it has men and the other side has
    at most ``threshold``; the other side retakes it where it has men and the
    attacker none. A place first taken from side 1 gets ``hour`` as its capture
    hour. Replicas run in parallel in ``threads`` contiguous chunks, each with its
    own [P] sums.
    """
    first, count, places = by_cell
    n_r, n_u = cell.shape
    n_p = control.shape[1]
    out = np.empty((n_r, n_p), np.int8)
    cap = np.empty((n_r, n_p), np.float32)
    n_t = max(min(threads, n_r), 1)
    for t in prange(n_t):
        s0 = np.empty(n_p)
        s1 = np.empty(n_p)
        for r in range(t * n_r // n_t, (t + 1) * n_r // n_t):
            for q in range(n_p):
                s0[q] = 0.0
                s1[q] = 0.0
            for u in range(n_u):
                if status[r, u] != 1:
                    continue
                c = cell[r, u]
                if count[c] == 0:
                    continue
                for i in range(first[c], first[c] + count[c]):
                    if side[u] == 0:
                        s0[places[i]] += men[r, u]
                    else:
                        s1[places[i]] += men[r, u]
            for q in range(n_p):
                to0 = s0[q] > 0 and s1[q] <= threshold
                to1 = s1[q] > 0 and s0[q] <= 0
                out[r, q] = 0 if to0 else (1 if to1 else control[r, q])
                new = to0 and np.isnan(capture_hour[r, q]) and control[r, q] == 1
                cap[r, q] = hour if new else capture_hour[r, q]
    return out, cap


@kernel
def split_rows(
    usual: tuple[float, float, float],
    fight_on: tuple[float, float, float],
    fights_on: npt.NDArray[np.bool_],
    order_hour: npt.NDArray[np.float32],
    rr: npt.NDArray[np.integer],
    uu: npt.NDArray[np.integer],
) -> F64:  # pragma: no cover - compiled
    """Each row's killed, wounded and captured shares of its losses [M, 3].

    ``fight_on`` for units that fight on (``fights_on`` [U]) the surrender order
    has not reached (``order_hour`` [R, U] inf), else ``usual``.
    """
    out = np.empty((rr.shape[0], 3))
    for i in range(rr.shape[0]):
        u = uu[i]
        split = fight_on if fights_on[u] and np.isinf(order_hour[rr[i], u]) else usual
        out[i, 0] = split[0]
        out[i, 1] = split[1]
        out[i, 2] = split[2]
    return out


@kernel
def fill_rows(
    out: F64,
    field: F64,
    cell: npt.NDArray[np.int32],
    rows: IP,
) -> None:  # pragma: no cover - compiled
    """``out[rows] = field[cell[rows]]`` (replicas ``rows`` [G] of [R, U] arrays)."""
    n_u = cell.shape[1]
    for i in range(rows.size):
        r = rows[i]
        for u in range(n_u):
            out[r, u] = field[cell[r, u]]


@kernel
def by_class(
    of_class: npt.NDArray[np.int64], n_classes: int
) -> tuple[IP, npt.NDArray[np.int64]]:  # pragma: no cover - compiled
    """Indices grouped by class, in their order within a class (a stable sort).

    Returns the order and the bounds [n_classes + 1]: class c's indices are
    ``order[bounds[c] : bounds[c + 1]]``.
    """
    bounds = np.zeros(n_classes + 1, np.int64)
    for i in range(of_class.size):
        bounds[of_class[i] + 1] += 1
    for c in range(n_classes):
        bounds[c + 1] += bounds[c]
    fill = bounds[:-1].copy()
    order = np.empty(of_class.size, np.intp)
    for i in range(of_class.size):
        c = of_class[i]
        order[fill[c]] = i
        fill[c] += 1
    return order, bounds


@pkernel
def apply_contact_losses(
    present: F64,
    lost: F64,
    contact: npt.NDArray[np.int64],
    rate_a: F64,
    rate_d: F64,
    noise: npt.NDArray[np.float32],
    dt_days: float,
    split: F64,
    kinds: tuple[int, int, int],
    men: F64 | None = None,
) -> None:  # pragma: no cover - compiled
    """:func:`contact_losses` then ``kernels_units.apply_losses``, row by row.

    In place, in parallel chunks (the units in contact are distinct); the same
    floats in the same order as the two kernels. The zero loss kinds are left
    out: in those kernels' sums they add 0.0, which changes no sum (no figure is
    -0.0: holdings and losses start at 0.0 and only non-negative amounts are
    added), and a holding of 0 is skipped (every sum for it would add 0.0).
    ``men`` (if given), an [R, U] copy of the men, takes the rows' new men.
    """
    n_k = present.shape[2]
    n_c = contact.shape[0]
    n_ch = max(min(CHUNKS, n_c), 1)
    # The three kinds in ascending order (the order the sums run over the kinds),
    # and the column of ``split`` of each.
    col = np.argsort(np.array(kinds))
    kind_a, kind_b, kind_c = kinds[col[0]], kinds[col[1]], kinds[col[2]]
    col_a, col_b, col_c = col[0], col[1], col[2]
    for ch in prange(n_ch):
        for i in range(ch * n_c // n_ch, (ch + 1) * n_c // n_ch):
            r, u, ea, ed = contact[i, 0], contact[i, 1], contact[i, 2], contact[i, 3]
            nz = np.float64(noise[r, u])
            x = rate_a[ea] * nz if ea >= 0 else rate_d[ed] * nz
            frac = x * dt_days
            if frac > 1.0:  # np.minimum(frac, 1.0): no more than the unit has
                frac = 1.0
            share_a = split[i, col_a]
            share_b = split[i, col_b]
            share_c = split[i, col_c]
            for k in range(n_k):
                here = present[r, u, k]
                if here == 0.0:
                    continue  # nothing to lose: every sum below would add 0.0
                part = here * frac
                hit_a = part * share_a
                hit_b = part * share_b
                hit_c = part * share_c
                total = hit_a + hit_b + hit_c
                scale = 1.0
                if total > here:
                    scale = here / (total if total >= 1e-9 else 1e-9)
                gone_a = hit_a * scale
                gone_b = hit_b * scale
                gone_c = hit_c * scale
                lost[r, u, kind_a, k] = lost[r, u, kind_a, k] + gone_a
                lost[r, u, kind_b, k] = lost[r, u, kind_b, k] + gone_b
                lost[r, u, kind_c, k] = lost[r, u, kind_c, k] + gone_c
                rest = here - (gone_a + gone_b + gone_c)
                present[r, u, k] = rest if rest >= 0.0 else 0.0
            if men is not None:
                men[r, u] = present[r, u, 0]


@pkernel
def nonzero2(
    mask: npt.NDArray[np.bool_], threads: int = 1
) -> tuple[IP, IP]:  # pragma: no cover - compiled
    """``np.nonzero`` of a [R, U] mask: its (replica, unit) rows in C order.

    Replicas are counted, then listed, in parallel in ``threads`` contiguous chunks.
    """
    n_r, n_u = mask.shape
    n_t = max(min(threads, n_r), 1)
    first = np.zeros(n_t + 1, np.int64)  # the chunks' counts, then where they start
    for t in prange(n_t):
        n = 0
        for r in range(t * n_r // n_t, (t + 1) * n_r // n_t):
            for u in range(n_u):
                if mask[r, u]:
                    n += 1
        first[t + 1] = n
    for t in range(n_t):
        first[t + 1] += first[t]
    rr = np.empty(first[n_t], np.intp)
    uu = np.empty(first[n_t], np.intp)
    for t in prange(n_t):
        i = first[t]
        for r in range(t * n_r // n_t, (t + 1) * n_r // n_t):
            for u in range(n_u):
                if mask[r, u]:
                    rr[i] = r
                    uu[i] = u
                    i += 1
    return rr, uu


@pkernel
def serving_railheads(
    control: npt.NDArray[np.int8],
    capture_hour: npt.NDArray[np.float32],
    place_index: npt.NDArray[np.int64],
    own: npt.NDArray[np.bool_],
    repair_hours: npt.NDArray[np.float32],
    rail: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]],
    hour: np.float32,
    threads: int = 1,
) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """Supply points serving the attacker [R, S] (``logistics.resupply``).

    Held by the attacker, and its own from the start, or captured at least their
    repair hours ago (in float32, as numpy subtracts a float32 capture hour from
    the hour) with every station on their rail path from its own stations held.
    ``rail``: each station's predecessor on that path (-1: own or unreachable), the
    stations in order of rail distance from its own, and which points are supplied
    by sea (a port or island: no rail path; its repair hours are the sailing time).
    Replicas run in parallel in ``threads`` contiguous chunks.
    """
    pred, order, by_sea = rail
    n_r = control.shape[0]
    n_s = place_index.size
    out = np.empty((n_r, n_s), np.bool_)
    n_t = max(min(threads, n_r), 1)
    for t in prange(n_t):
        chain = np.empty(n_s, np.bool_)  # held, and so is the path to an own station
        for r in range(t * n_r // n_t, (t + 1) * n_r // n_t):
            for k in range(n_s):
                s = order[k]
                q = place_index[s]
                held = control[r, q] == 0
                if own[s]:
                    chain[s] = held
                    out[r, s] = held
                    continue
                if by_sea[s]:
                    chain[s] = held
                else:
                    chain[s] = held and pred[s] >= 0 and chain[pred[s]]
                c = capture_hour[r, q]
                since = hour - (np.float32(np.inf) if np.isnan(c) else c)
                out[r, s] = chain[s] and since >= repair_hours[s]
    return out

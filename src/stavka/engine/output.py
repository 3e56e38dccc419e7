"""Turn a finished simulation into the run format: summary, traces and events."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from stavka.engine.core import RunResult
from stavka.engine.state import LOSS_KINDS, PERSONNEL, Pos, State, Status
from stavka.scenario.container import STRENGTH_ITEMS

__all__ = [
    "REGIONS",
    "build_summary",
    "control_frame",
    "data_hashes",
    "event_log",
    "unit_frame",
]

REGIONS: dict[str, tuple[float, float, float, float]] = {
    "south_sakhalin": (45.8, 50.1, 141.0, 145.0),
    "shumshu_paramushir": (49.9, 51.0, 154.8, 157.0),
    "kurils": (43.0, 51.0, 145.3, 157.0),
}
"""Loss scopes of the record as lat/lon boxes (lat_min, lat_max, lon_min, lon_max) of
the units' start positions (geographic_knowledge)."""

LOW = 0.05
"""Fuel or ammunition below this share of a refill / combat load counts as run out."""

MAIN_FORCE_MEN = 5000.0
"""A unit of at least this many men at the start (a division or a corps' worth), or a
corps of brigades with that many, counts as main forces: the record gives main-force
depth apart from forward detachments (history README: '50 (FD 70)' = main forces
50 km, forward detachment 70 km)."""

ADVANCE_ECHELONS = {"front", "army", "group", "corps", "high_command"}
LOSS_ECHELONS = {"front", "area_army", "army", "group"}
"""Formations whose losses the summary gives (fronts, area armies, armies, groups)."""


def formation_depth(
    ctx: Any, depth: np.ndarray, formation: str, replica: int = 0
) -> float:
    """Depth (km) of a formation: the farthest any of its main-force formations got.

    Main-force formations are units of ``MAIN_FORCE_MEN`` or more that are not
    headquarters nodes (divisions, corps held as one unit), and corps of brigades
    (tank, mechanized, rifle-brigade corps whose brigades the OOB lists: their
    brigades below ``MAIN_FORCE_MEN`` add up to that many), each at its brigades'
    men-weighted median depth: a corps' main body, not its lead brigade. Separate
    brigades (forward detachments) and headquarters nodes are not main forces. A
    formation with none uses the farthest any of its units got.
    """
    idx = np.asarray(ctx.formation_units.get(formation, []), np.int64)
    if idx.size == 0:
        return 0.0
    units, brigade_corps = _main_forces(ctx, formation)
    d = depth[replica]
    reached = [float(d[units].max())] if units.size else []
    for members in brigade_corps:
        men = ctx.units.initial[members, PERSONNEL]
        order = np.argsort(d[members], kind="stable")
        half = np.searchsorted(np.cumsum(men[order]), men.sum() / 2.0)
        reached.append(float(d[members][order][half]))
    return max(reached) if reached else float(d[idx].max())


_MAIN_FORCES: dict[tuple[int, str], tuple[np.ndarray, list[np.ndarray]]] = {}


def _main_forces(ctx: Any, formation: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """A formation's main-force units and its corps of brigades (unit indices)."""
    key = (ctx.token, formation)
    if key not in _MAIN_FORCES:
        u, forms = ctx.units, ctx.scenario.formations
        idx = ctx.formation_units.get(formation, [])
        combat = [i for i in idx if not u.headquarters[i]]
        units = [i for i in combat if u.initial[i, PERSONNEL] >= MAIN_FORCE_MEN]
        corps: dict[str, list[int]] = {}
        for i in combat:
            f = forms.get(u.ids[i])
            parent = forms.get(f.parent) if f is not None and f.parent else None
            if (
                parent is not None
                and parent.echelon.value == "corps"
                and u.initial[i, PERSONNEL] < MAIN_FORCE_MEN
            ):
                corps.setdefault(parent.id, []).append(i)
        brigade_corps = [
            np.asarray(m, np.int64)
            for m in corps.values()
            if u.initial[m, PERSONNEL].sum() >= MAIN_FORCE_MEN
        ]
        if len(_MAIN_FORCES) > 4096:
            _MAIN_FORCES.clear()
        _MAIN_FORCES[key] = (np.asarray(units, np.int64), brigade_corps)
    return _MAIN_FORCES[key]


def _iso(ctx_start: dt.datetime, hour: float) -> str:
    return (ctx_start + dt.timedelta(hours=float(hour))).isoformat()


def data_hashes(result: RunResult) -> dict[str, str]:
    """SHA-256 (first 16 hex) of the scenario files and the fitted model parameters."""
    root = result.ctx.scenario.root
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py":
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    from stavka.engine.combat import models_digest

    return {"scenario": h.hexdigest()[:16], "models": models_digest()}


def _losses(st: State, mask: np.ndarray, r: int = 0) -> dict[str, float]:
    lost = st.lost[r][mask][:, :, PERSONNEL].sum(axis=0)
    return {kind: round(float(v), 1) for kind, v in zip(LOSS_KINDS, lost, strict=True)}


def build_summary(
    result: RunResult, seed: int | None, variant: str | None, replica: int = 0
) -> dict[str, Any]:
    """Build ``summary.json`` (without ``score``) for one replica."""
    from stavka import __version__

    ctx, st = result.ctx, result.final
    s, u = ctx.scenario, ctx.units
    start = s.meta.start
    side_ids = [
        s.meta.attacker,
        next(x.id for x in s.meta.sides if x.id != s.meta.attacker),
    ]
    captures = {}
    initially = st.control[replica] * 0 + np.array(
        [
            0 if s.places[p].country_1945.strip() in ("USSR", "Mongolian PR") else 1
            for p in ctx.place_ids
        ]
    )
    for i, pid in enumerate(ctx.place_ids):
        if initially[i] == 1:
            h = st.capture_hour[replica, i]
            captures[pid] = None if np.isnan(h) else _iso(start, float(h))
    advance: dict[str, dict[str, float]] = {}
    for fid, idx in ctx.formation_units.items():
        f = s.formations[fid]
        if (
            not idx
            or f.side != s.meta.attacker
            or f.echelon.value not in ADVANCE_ECHELONS
        ):
            continue
        series = {}
        for day, depth in sorted(result.daily_depth.items()):
            date = (start + dt.timedelta(days=day - 1)).date().isoformat()
            series[date] = round(formation_depth(ctx, depth, fid, replica), 1)
        advance[fid] = series
    losses, accounting, present_men = {}, {}, {}
    for k, side in enumerate(side_ids):
        mask = u.side == k
        losses[side] = _losses(st, mask, replica)
        initial = float(u.initial[mask, PERSONNEL].sum())
        present = float(st.present[replica][mask, PERSONNEL].sum())
        lost = float(st.lost[replica][mask][:, :, PERSONNEL].sum())
        accounting[side] = round(initial - present - lost, 3) + 0.0  # 0.0: no "-0.0"
        present_men[side] = round(present, 1)
    lat, lon = ctx.theatre.lat[u.start_cell], ctx.theatre.lon[u.start_cell]
    by_region: dict[str, dict[str, dict[str, float]]] = {}
    for name, (a, b, c, d) in REGIONS.items():
        in_box = (lat >= a) & (lat <= b) & (lon >= c) & (lon <= d)
        by_region[name] = {
            side: _losses(st, in_box & (u.side == k), replica)
            for k, side in enumerate(side_ids)
        }
    by_formation: dict[str, dict[str, dict[str, float]]] = {}
    for fid, idx in ctx.formation_units.items():
        if idx and s.formations[fid].echelon.value in LOSS_ECHELONS:
            mask = np.zeros(u.n, bool)
            mask[idx] = True
            side = side_ids[int(u.side[idx[0]])]
            by_formation[fid] = {side: _losses(st, mask, replica)}
    nations = np.array(u.nation)
    by_nation = {
        str(n): _losses(st, nations == n, replica) for n in sorted(set(u.nation))
    }
    return {
        "scenario": {"id": s.meta.id, "version": s.meta.version},
        "seed": seed,
        "variant": s.variant if variant is None else variant,
        "code_version": __version__,
        "data_hashes": data_hashes(result),
        "start": start.isoformat(),
        "end": min(s.meta.end, start + dt.timedelta(hours=float(st.hour))).isoformat(),
        "captures": captures,
        "advance_km": advance,
        "losses": losses,
        "losses_by_region": by_region,
        "losses_by_nation": by_nation,
        "losses_by_formation": by_formation,
        "accounting": accounting,
        "present": present_men,
        "params": ctx.params.as_dict(),
        "param_overrides": ctx.params.overrides(),
    }


def unit_frame(result: RunResult, replica: int = 0) -> pd.DataFrame:
    """Per-step unit state of one replica from the kept trace.

    The columns are the run format's.
    """
    ctx = result.ctx
    u = ctx.units
    start = ctx.scenario.meta.start.astimezone(dt.UTC)
    rows: list[pd.DataFrame] = []
    side_names = np.array([ctx.scenario.meta.attacker, "defender"])
    other = next(
        x.id for x in ctx.scenario.meta.sides if x.id != ctx.scenario.meta.attacker
    )
    side_names[1] = other
    posture = np.array([p.name.lower() for p in Pos])
    status = np.array([x.name.lower() for x in Status])
    h3ids = getattr(ctx.theatre, "h3", None)
    for st in result.trace:
        cell = st.cell[replica]
        frame = {
            "time": pd.Timestamp(start + dt.timedelta(hours=st.hour)),
            "unit": u.ids,
            "side": side_names[u.side],
            "cell": [str(h3ids[c]) if h3ids is not None else str(c) for c in cell],
            "lat": ctx.theatre.lat[cell],
            "lon": ctx.theatre.lon[cell],
            **{
                k: st.present[replica, :, i].astype(float)
                for i, k in enumerate(STRENGTH_ITEMS)
            },
            "fuel": st.fuel[replica].astype(float),
            "ammunition": st.ammo[replica].astype(float),
            "posture": posture[st.posture[replica]],
            "status": status[st.status[replica]],
        }
        rows.append(pd.DataFrame(frame))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def control_frame(result: RunResult, replica: int = 0) -> pd.DataFrame:
    """Place control changes of one replica.

    The first row per place is its holder at the start.
    """
    ctx = result.ctx
    start = ctx.scenario.meta.start.astimezone(dt.UTC)
    names = [
        ctx.scenario.meta.attacker,
        next(
            x.id for x in ctx.scenario.meta.sides if x.id != ctx.scenario.meta.attacker
        ),
    ]
    rows: list[dict[str, Any]] = []
    prev: np.ndarray | None = None
    for st in result.trace:
        ctl = st.control[replica]
        changed = np.ones(ctl.shape, bool) if prev is None else ctl != prev
        rows.extend(
            {
                "time": pd.Timestamp(start + dt.timedelta(hours=st.hour)),
                "place": ctx.place_ids[i],
                "side": names[int(ctl[i])],
            }
            for i in np.flatnonzero(changed)
        )
        prev = ctl
    return pd.DataFrame(rows, columns=["time", "place", "side"])


STATUS_EVENTS = {
    Status.ACTIVE: "enters",
    Status.SURRENDERED: "surrender",
    Status.DESTROYED: "destroyed",
}


def _ran_out(
    now: npt.NDArray[np.float32], before: npt.NDArray[np.float32], replica: int
) -> npt.NDArray[np.bool_]:
    """[U] units whose stock fell to ``LOW`` or below this step."""
    return (now[replica] <= LOW) & (before[replica] > LOW)


def event_log(result: RunResult, replica: int = 0) -> list[dict[str, Any]]:
    """Events derived from the kept trace of one replica.

    Place control changes, units entering play (landings), surrendering or destroyed,
    running out of fuel or ammunition, headquarters ordering the fall-back, units
    falling back and taking up their position, garrisons invested in their works.
    Times are ISO with the scenario's offset.
    """
    ctx = result.ctx
    s, u = ctx.scenario, ctx.units
    names = [
        s.meta.attacker,
        next(x.id for x in s.meta.sides if x.id != s.meta.attacker),
    ]
    out: list[dict[str, Any]] = [
        {"time": s.meta.start.isoformat(), "kind": "start", "detail": "scenario start"}
    ]
    prev: State | None = None
    for st in result.trace:
        when = _iso(s.meta.start, st.hour)
        if prev is None:
            prev = st
            continue
        ctl, pctl = st.control[replica], prev.control[replica]
        out.extend(
            {
                "time": when,
                "kind": "control",
                "place": ctx.place_ids[i],
                "side": names[int(ctl[i])],
                "detail": f"{ctx.place_ids[i]} now held by {names[int(ctl[i])]}",
            }
            for i in np.flatnonzero(ctl != pctl)
        )

        def unit_event(
            kind: str, i: int, detail: str, when: str = when
        ) -> dict[str, Any]:
            return {
                "time": when,
                "kind": kind,
                "unit": u.ids[i],
                "side": names[int(u.side[i])],
                "detail": f"{u.ids[i]}{detail}",
            }

        sta, psta = st.status[replica], prev.status[replica]
        out.extend(
            unit_event(
                STATUS_EVENTS.get(Status(int(sta[i])), "status"),
                int(i),
                f": {Status(int(psta[i])).name.lower()} -> "
                f"{Status(int(sta[i])).name.lower()}",
            )
            for i in np.flatnonzero(sta != psta)
        )
        posture, before = st.posture[replica], prev.posture[replica]
        for kind, happened, detail in (
            (
                "out_of_fuel",
                _ran_out(st.fuel, prev.fuel, replica),
                " has run out (out of fuel)",
            ),
            (
                "out_of_ammunition",
                _ran_out(st.ammo, prev.ammo, replica),
                " has run out (out of ammunition)",
            ),
            (
                "fallback_order",
                np.isfinite(st.fallback_hour[replica])
                & np.isinf(prev.fallback_hour[replica]),
                " orders its border units back to their next position",
            ),
            (
                "withdraw",
                (posture == Pos.WITHDRAW) & (before != Pos.WITHDRAW),
                " falls back",
            ),
            (
                "takes_position",
                (posture == Pos.HOLD) & (before == Pos.WITHDRAW) & u.falls_back,
                " takes up its position",
            ),
            (
                "invested",
                (posture == Pos.INVESTED) & (before != Pos.INVESTED),
                " holds its works, invested: the attacker has broken through",
            ),
        ):
            out.extend(
                unit_event(kind, int(i), detail) for i in np.flatnonzero(happened)
            )
        prev = st
    return out

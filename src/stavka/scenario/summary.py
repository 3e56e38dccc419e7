"""Summaries of a scenario's order of battle (for ``stavka scenario show``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from stavka.scenario.container import STRENGTH_ITEMS, Scenario, strength_sum

__all__ = ["oob_summary", "oob_tree_lines"]


def oob_summary(s: Scenario) -> dict[str, Any]:
    """Return the JSON document of ``stavka scenario show --json``.

    Keys: ``scenario``, ``version``, ``variant``, ``title``, ``start``, ``end``,
    ``formations``, ``places``, ``plans``, ``events`` (counts) and ``sides``: per side
    ``name``, ``formations`` (count), ``by_type``, ``by_echelon``, ``totals`` (every
    strength item), ``personnel_by_nation``, ``personnel_by_region_1945``,
    ``tanks_and_sp_guns``, ``guns_and_mortars``, ``numbers`` (sourced or estimated
    numbers), ``estimated_share`` (share derived by rule), ``unknown`` (numbers null);
    ``variants``: each variant's id and title (``--variant ID``).
    """
    sides: dict[str, Any] = {}
    for side in s.meta.sides:
        forms = [f for f in s.formations.values() if f.side == side.id]
        n_numbers = n_estimated = n_unknown = 0
        for f in forms:
            for q in (
                *(getattr(f.strength, k) for k in STRENGTH_ITEMS),
                f.quality,
                f.readiness,
            ):
                if q is None:
                    continue
                n_numbers += 1
                n_estimated += q.estimated is not None and not q.source
                n_unknown += q.value is None
        totals = s.totals(side.id)
        by_nation: dict[str, float] = {}
        by_region: dict[str, float] = {}
        for f in forms:
            men = f.strength.values()["personnel"] or 0.0
            by_nation[f.nation] = by_nation.get(f.nation, 0.0) + men
            place = s.places.get(f.location.place or "")
            region = place.country_1945 if place else "coordinates"
            by_region[region] = by_region.get(region, 0.0) + men
        sides[side.id] = {
            "name": side.name,
            "formations": len(forms),
            "by_type": dict(sorted(Counter(f.type.value for f in forms).items())),
            "by_echelon": dict(sorted(Counter(f.echelon.value for f in forms).items())),
            "totals": totals,
            "personnel_by_nation": dict(sorted(by_nation.items())),
            "personnel_by_region_1945": dict(sorted(by_region.items())),
            "tanks_and_sp_guns": totals["tanks"] + totals["sp_guns"],
            "guns_and_mortars": totals["guns"] + totals["mortars"],
            "numbers": n_numbers,
            "estimated_share": round(n_estimated / n_numbers, 3) if n_numbers else 0.0,
            "unknown": n_unknown,
        }
    return {
        "scenario": s.meta.id,
        "version": s.meta.version,
        "variant": s.variant,
        "title": s.meta.title,
        "start": s.meta.start,
        "end": s.meta.end,
        "formations": len(s.formations),
        "places": len(s.places),
        "plans": len(s.plans),
        "events": len(s.events),
        "sides": sides,
        "variants": {k: v.title for k, v in sorted(s.variants.items())},
    }


def _figures(t: dict[str, float]) -> str:
    """Summarise a strength vector as ``9,000 men, 65 tanks/SP, ...``."""
    parts = [
        (t["personnel"], "men"),
        (t["tanks"] + t["sp_guns"], "tanks/SP"),
        (t["guns"] + t["mortars"], "guns/mortars"),
        (t["aircraft"], "aircraft"),
        (t["ships"], "ships"),
    ]
    text = ", ".join(f"{n:,.0f} {label}" for n, label in parts if n)
    return text or "no holdings given"


def oob_tree_lines(s: Scenario, max_depth: int | None = None) -> list[str]:
    """Render each side's command tree as indented text lines with subtree totals.

    Args:
        s: the scenario.
        max_depth: deepest level printed (1 = the top formations); deeper ones are
            summarised as a count.
    """
    lines: list[str] = []

    def walk(fid: str, depth: int) -> None:
        f = s.formations[fid]
        kind = f"{f.echelon.value}/{f.type.value}"
        figures = _figures(strength_sum(s.formations[sub] for sub in s.subtree(fid)))
        pad = "  " * depth
        lines.append(f"{pad}{f.name} [{f.id}] {kind} - {figures}")
        children = s.children.get(fid, [])
        if max_depth is None or depth < max_depth:
            for child in children:
                walk(child, depth + 1)
        elif children:
            below = len(s.subtree(fid)) - 1
            lines.append(f"{pad}  ... {below} subordinate formations")

    for side in s.meta.sides:
        count = sum(f.side == side.id for f in s.formations.values())
        lines.append(
            f"== {side.name} ({side.id}), {count} formations: "
            f"{_figures(s.totals(side.id))}"
        )
        for fid in s.children.get(None, []):
            if s.formations[fid].side == side.id:
                walk(fid, 1)
    return lines

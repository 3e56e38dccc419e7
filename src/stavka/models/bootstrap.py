"""Parameter uncertainty of the fitted models: a bootstrap over CDB90's campaigns.

Each draw resamples the calibration table's campaigns with replacement (battles of
one campaign share commanders, armies and coding, so they are drawn together: a
cluster bootstrap), refits the models on the draw exactly as ``stavka models fit``
does (without the cross-validation) and returns a parameter document in which the
chosen sections are the draw's and the rest are the shipped ones. Running a campaign
with each document (``stavka.engine.combat.using_models``) propagates what the data
leave uncertain into the campaign's outcomes.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stavka.errors import ModelError
from stavka.models.api import load_doc, params_path
from stavka.models.fit import run_fit

__all__ = ["BOOTSTRAP_SECTIONS", "bootstrap_docs", "campaign_draw"]

#: The model sections a draw may replace (the rest of the document is kept).
BOOTSTRAP_SECTIONS = ("attrition", "outcome", "advance", "collapse_exchange")

#: Draws that cannot be fitted (e.g. fewer than two annihilation battles for the
#: collapse exchange) are drawn again, at most this many times per document.
_MAX_TRIES = 20


def _campaign(row: dict[str, str]) -> str:
    return (row.get("campgn") or "").strip() or f"isqno-{row.get('isqno', '')}"


def campaign_draw(
    rows: Sequence[dict[str, str]], rng: np.random.Generator
) -> list[dict[str, str]]:
    """One cluster-bootstrap sample of ``rows``, campaign by campaign.

    As many campaigns as there are, drawn with replacement, each with all its
    battles. A campaign drawn k times appears k times, each copy with its own ``campgn``
    label (``name#i``), so that the copies stay separate campaigns.
    """
    by: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by.setdefault(_campaign(r), []).append(r)
    names = sorted(by)
    picks = rng.integers(0, len(names), len(names))
    out: list[dict[str, str]] = []
    for i, k in enumerate(picks.tolist()):
        out.extend({**r, "campgn": f"{names[k]}#{i}"} for r in by[names[k]])
    return out


def bootstrap_docs(
    data: Path,
    draws: int,
    *,
    seed: int = 0,
    sections: Sequence[str] = BOOTSTRAP_SECTIONS,
    base: dict[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``draws`` parameter documents refitted on cluster-bootstrap samples.

    Args:
        data: the calibration CSV (``stavka models fit``'s ``--data``).
        draws: how many documents.
        seed: the root seed (the same seed gives the same documents).
        sections: the sections a draw replaces (of ``BOOTSTRAP_SECTIONS``).
        base: the document whose other sections are kept (default: the shipped one).

    Raises:
        ModelError: an unknown section, an unreadable file, or a draw that could
            not be fitted in ``_MAX_TRIES`` tries.
    """
    unknown = sorted(set(sections) - set(BOOTSTRAP_SECTIONS))
    if unknown:
        raise ModelError(
            f"bootstrap sections {unknown} unknown (choose from {BOOTSTRAP_SECTIONS})"
        )
    if not data.is_file():
        raise ModelError(f"battle file {data} not found (check the path)")
    with data.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    if "campgn" not in header:
        header.append("campgn")
    doc0 = base if base is not None else load_doc(params_path())
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draw.csv"
        for _ in range(draws):
            for _try in range(_MAX_TRIES):
                with path.open("w", encoding="utf-8", newline="") as fh:
                    w = csv.DictWriter(fh, header)
                    w.writeheader()
                    w.writerows(campaign_draw(rows, rng))
                try:
                    fitted = run_fit(path, cross_validate=False)
                except ModelError:
                    continue
                break
            else:
                raise ModelError(
                    f"{data}: no fittable bootstrap draw in {_MAX_TRIES} tries"
                )
            doc = dict(doc0)
            for s in sections:
                doc[s] = fitted[s]
            doc["bootstrap"] = {"seed": seed, "sections": list(sections)}
            yield doc

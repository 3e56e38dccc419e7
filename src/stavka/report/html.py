"""The run report: one self-contained HTML file (inline CSS, base64 PNG plots).

It opens offline: no scripts, fonts or images are fetched. Source citations appear in
tables and as hover tooltips (``title`` attributes).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from stavka.report.maps import default_days, snapshot_figure
from stavka.report.plots import (
    STATUS_COLOURS,
    advance_figure,
    capture_figure,
    losses_figure,
    to_data_uri,
)

if TYPE_CHECKING:
    from stavka.record.evaluate import Evaluation

__all__ = ["build_report", "write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;
margin:24px auto;max-width:1280px;color:#212121;line-height:1.4;padding:0 16px}
h1{font-size:1.6em;margin-bottom:0}
h2{border-bottom:2px solid #eceff1;padding-bottom:4px;margin-top:2em}
.meta{color:#616161;font-size:.9em}
.headline{background:#fff8e1;border-left:4px solid #ffb300;padding:10px 14px;
margin:16px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{background:#f5f7f8;border-radius:6px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:1.5em}
table{border-collapse:collapse;font-size:.85em;margin:8px 0}
th,td{border-bottom:1px solid #e0e0e0;padding:3px 8px;text-align:left;
vertical-align:top}
th{background:#eceff1}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr[title]{cursor:help}img{max-width:100%;height:auto;border:1px solid #eceff1}
.src{color:#757575;font-size:.85em;max-width:520px}
details{margin:8px 0}summary{cursor:pointer;color:#37474f}
"""


def _e(value: object) -> str:
    """Escape text for HTML."""
    return html.escape("" if value is None else str(value))


def _num(value: float | None, spec: str = "+.1f") -> str:
    """Format a number or a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&ndash;"
    return format(value, spec)


def _pct(value: float | None) -> str:
    """Format a share as a percentage."""
    return "&ndash;" if value is None else f"{100 * value:.0f}%"


def _table(rows: Iterable[str], columns: Sequence[str]) -> str:
    """Return a table: a header row of ``columns`` (HTML), then the ``rows``."""
    head = "".join(f"<th>{c}</th>" for c in columns)
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _capture_table(ev: Evaluation) -> str:
    """Score table of capture dates (source tooltip on each row)."""
    tz = ev.run.start.tzinfo
    rows = []
    for c in ev.score.captures:
        sim = (
            "never"
            if c.simulated is None
            else (c.simulated.astimezone(tz).strftime("%d %b %H:%M"))
        )
        window = c.first.strftime("%d %b") + (
            "" if c.first == c.last else " &ndash; " + c.last.strftime("%d %b")
        )
        colour = STATUS_COLOURS[c.status]
        rows.append(
            f'<tr title="{_e("; ".join(c.sources))}"><td>{_e(c.place)}</td>'
            f"<td>{window}</td><td>{sim}</td><td class=num>{_num(c.error_days)}</td>"
            f'<td style="color:{colour}">{_e(c.status.replace("_", " "))}</td>'
            f"<td class=src>{_e('; '.join(c.sources))}</td></tr>"
        )
    return _table(
        rows,
        ("place", "record window", "simulated", "error (days)", "status", "sources"),
    )


def _advance_table(ev: Evaluation) -> str:
    """Record points with simulated values, errors and sources."""
    rows = []
    for i, a in enumerate(ev.score.advances, start=1):
        rec = (
            f"{a.km_low:g}"
            if a.km_low == a.km_high
            else f"{a.km_low:g}&ndash;{a.km_high:g}"
        )
        sim = (
            "after run end" if a.status == "beyond_run" else _num(a.simulated_km, ".0f")
        )
        how = {
            "cumulative_km": "sourced",
            "gc_scenario": "derived (gc from start)",
            "gc_record": "derived (record gc)",
        }.get(a.how, a.how)
        rows.append(
            f'<tr title="{_e(a.source)}"><td class=num>{i}</td>'
            f"<td>{_e(a.formation)}</td>"
            f"<td>{a.date.strftime('%d %b')}</td><td class=num>{rec}</td>"
            f"<td>{_e(how)}</td><td class=num>{sim}</td>"
            f"<td class=num>{_num(a.error_km, '+.0f')}</td>"
            f"<td class=num>{_num(a.error_pct, '+.0f')}</td>"
            f"<td class=src>{_e(a.text)}<br>{_e(a.source)}</td></tr>"
        )
    return _table(
        rows,
        (
            "#",
            "formation",
            "date",
            "record km",
            "kind",
            "sim km",
            "error km",
            "error %",
            "record text and source",
        ),
    )


def _loss_table(ev: Evaluation) -> str:
    """Loss ranges with the simulated sums."""
    rows = [
        f'<tr title="{_e(x.source)}"><td>{_e(x.side)}</td>'
        f"<td>{_e('+'.join(x.categories))}</td><td>{_e(x.scope)}</td>"
        f"<td class=num>{_num(x.low, ',.0f')}</td>"
        f"<td class=num>{_num(x.high, ',.0f')}</td>"
        f"<td class=num>{_num(x.simulated, ',.0f')}</td>"
        f"<td>{_e(x.status.replace('_', ' '))}</td>"
        f"<td class=src>{_e(x.source)}"
        f"{'<br>' + _e(x.estimated) if x.estimated else ''}</td></tr>"
        for x in ev.score.losses
    ]
    return _table(
        rows,
        ("side", "categories", "scope", "low", "high", "simulated", "status", "source"),
    )


def _formation_losses(ev: Evaluation) -> str:
    """Simulated losses of each front, area army, army and group (men)."""
    kinds = ("killed", "wounded", "captured", "missing", "deserted")
    by_formation = ev.run.summary.get("losses_by_formation") or {}
    rows = []
    forms = ev.scenario.formations
    for fid, sides in by_formation.items():
        name = getattr(forms.get(fid), "name", fid)
        for side, cats in sides.items():
            rows.append(
                f"<tr><td>{_e(side)}</td><td>{_e(name)}</td>"
                + "".join(
                    f"<td class=num>{_num(cats.get(k), ',.0f')}</td>" for k in kinds
                )
                + "</tr>"
            )
    return _table(rows, ("side", "formation", *kinds))


def _battle_table(ev: Evaluation) -> tuple[int, str]:
    """The run's battles (events of kind ``battle``), costliest first."""
    found = [e for e in ev.run.events() if e.get("kind") == "battle"]
    found.sort(
        key=lambda e: (
            -(float(e.get("attacker_losses", 0)) + float(e.get("defender_losses", 0)))
        )
    )
    rows = [
        f"<tr><td>{_e(str(e['time'])[:16].replace('T', ' '))}</td>"
        f"<td class=num>{_num(e.get('hours'), '.0f')}</td>"
        f"<td>{_e(e.get('place') or '')}</td>"
        f"<td class=num>{_num(e.get('attacker_men'), ',.0f')}</td>"
        f"<td class=num>{_num(e.get('defender_men'), ',.0f')}</td>"
        f"<td class=num>{_num(e.get('attacker_losses'), ',.0f')}</td>"
        f"<td class=num>{_num(e.get('defender_losses'), ',.0f')}</td>"
        f"<td>{_e(e.get('result', ''))}</td>"
        f"<td class=src>{_e(', '.join(e.get('attackers', [])))} / "
        f"{_e(', '.join(e.get('defenders', [])))}</td></tr>"
        for e in found
    ]
    return len(found), _table(
        rows,
        (
            "start",
            "hours",
            "place",
            "attackers",
            "defenders",
            "att. losses",
            "def. losses",
            "result",
            "units (attackers / defenders)",
        ),
    )


def _notes(ev: Evaluation) -> str:
    """Logistics/weather notes of the record (not scored)."""
    rows = [
        f"<tr><td>{n.date.strftime('%d %b')}</td><td>{_e(n.tag)}</td>"
        f"<td>{_e(', '.join(n.formations))}</td><td>{_e(n.text)}</td>"
        f"<td class=src>{_e(n.source)}</td></tr>"
        for n in ev.record.notes
    ]
    return _table(rows, ("date", "tag", "formations", "note", "source"))


def _cards(ev: Evaluation) -> str:
    """Key figures as cards."""
    c, a = ev.score.capture_stats(), ev.score.advance_stats()
    items = [
        ("places scored", str(c["n"])),
        ("median |capture error|", f"{_num(c['median_abs_error_days'], '.1f')} d"),
        ("median signed error", f"{_num(c['median_error_days'])} d"),
        ("within 1 day", _pct(c["within_1_day"])),
        ("within 3 days", _pct(c["within_3_days"])),
        ("never taken", str(len(c["never_taken"]))),
        ("median |advance error|", f"{_num(a['median_abs_error_km'], '.0f')} km"),
        ("median |advance error| %", f"{_num(a['median_abs_error_pct'], '.0f')}%"),
    ]
    return (
        "<div class=cards>"
        + "".join(f"<div class=card>{_e(k)}<b>{v}</b></div>" for k, v in items)
        + "</div>"
    )


def build_report(ev: Evaluation, days: list[int] | None = None) -> str:
    """Build the HTML text of a run report.

    Args:
        ev: the evaluation (run, scenario, record, score).
        days: campaign days for map snapshots; default spread over the run.

    Returns:
        A complete HTML document with every image embedded.
    """
    s = ev.run.summary
    n_days = max(
        1,
        math.ceil(((ev.score.end or ev.run.end) - ev.run.start) / dt.timedelta(days=1)),
    )
    days = days or default_days(n_days)
    adv_fig, _ = advance_figure(ev)
    loss_fig = losses_figure(ev)
    n_battles, battle_html = _battle_table(ev)
    worst = ", ".join(
        f"{w['place']} ({_num(w['error_days'])} d)"
        for w in ev.score.capture_stats()["worst"]
    )
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f"<title>stavka report: {_e(ev.scenario.versioned_id)} seed {_e(s.get('seed'))}"
        "</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(ev.scenario.meta.title)}</h1>",
        f"<p class=meta>scenario {_e(ev.scenario.versioned_id)} &middot; seed "
        f"{_e(s.get('seed'))} &middot; variant {_e(s.get('variant') or 'baseline')} "
        f"&middot; code {_e(s.get('code_version'))} &middot; run {_e(ev.run.root)} "
        f"&middot; record {_e(ev.record.root)}</p>",
        f"<div class=headline>{_e(ev.score.headline())}</div>",
        _cards(ev),
        f"<p>Worst ten places: {_e(worst) or 'none'}</p>",
        "<h2>Advance by formation</h2><p>Lines: simulated km from the start line at "
        "the end of each day. Points: record figures (bars = ranges; numbers key the "
        "table; hover a row for its source).</p>",
        f'<img alt="advance curves" src="{to_data_uri(adv_fig)}">',
        "<details open><summary>record points</summary>",
        _advance_table(ev),
        "</details>",
        "<h2>Capture dates</h2><p>Grey bars: record windows (conflicting sources give "
        "a range). Diamonds: simulated first Soviet control; arrows: never taken. "
        "Right: error in days (negative = early).</p>",
        f'<img alt="capture dates" src="{to_data_uri(capture_figure(ev))}">',
        "<details><summary>score table</summary>",
        _capture_table(ev),
        "</details>",
        "<h2>Losses against sourced ranges</h2>",
    ]
    if loss_fig is not None:
        parts.append(f'<img alt="losses" src="{to_data_uri(loss_fig)}">')
    parts += [
        _loss_table(ev),
        "<details><summary>simulated losses by formation</summary>",
        _formation_losses(ev),
        "</details>",
        "<h2>Battles</h2><p>Engagements that emerged in the run, grouped by cell "
        "and time (men: the most each side had in it; losses: killed, wounded, "
        "missing and captured there), costliest first.</p>",
        f"<details><summary>{n_battles} battles</summary>{battle_html}</details>",
        "<h2>Map snapshots</h2><p>Units (dots) and place control (squares) at the end "
        "of each day.</p>",
        f'<img alt="map snapshots" src="{to_data_uri(snapshot_figure(ev, days), 90)}">',
        "<h2>Record notes (logistics, weather; not scored)</h2>",
        "<details><summary>"
        f"{len(ev.record.notes)} notes</summary>{_notes(ev)}</details>",
    ]
    if ev.score.warnings:
        parts.append(
            f"<h2>Warnings</h2><details><summary>{len(ev.score.warnings)} warnings "
            "(record rows about formations the scenario lacks are kept)</summary><ul>"
            + "".join(f"<li>{_e(w)}</li>" for w in ev.score.warnings)
            + "</ul></details>"
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(
    ev: Evaluation, out: str | Path, days: list[int] | None = None
) -> Path:
    """Write the report of a run to an HTML file.

    Args:
        ev: the evaluation.
        out: the HTML file to write (parent directories are created).
        days: campaign days for map snapshots.

    Returns:
        The path written.
    """
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(ev, days), encoding="utf-8")
    return path

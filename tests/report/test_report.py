"""The HTML report: self-contained, complete, and readable in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stavka.record.evaluate import Evaluation
from stavka.report.maps import default_days

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_report_is_self_contained(report_html: str) -> None:
    """The page fetches nothing: no scripts, links or remote images."""
    text = report_html
    assert "<script" not in text and "<link" not in text
    srcs = re.findall(r'src="([^"]*)"', text)
    assert len(srcs) == 4
    assert all(s.startswith("data:image/png;base64,") for s in srcs)


def test_report_lists_every_place_with_sources(
    evaluation: Evaluation, report_html: str
) -> None:
    """Each scored place has a table row whose tooltip names its sources."""
    text = report_html
    for c in evaluation.score.captures:
        assert f"<td>{c.place}</td>" in text
    first = evaluation.score.captures[0]
    assert 'title="' + first.sources[0].replace("'", "&#x27;")[:20] in text
    assert evaluation.score.headline() in text


def test_default_days_end_on_last_day() -> None:
    """Default snapshot days start on day 1 and end on the run's last day."""
    assert default_days(25) == [1, 4, 7, 10, 14, 25]
    assert default_days(3) == [1, 3]


@pytest.mark.browser
def test_report_renders_in_chromium(report_html: str, tmp_path: Path) -> None:
    """Headless Chromium opens the report offline and every plot has pixels."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html, encoding="utf-8")
    shot = tmp_path / "report.png"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        remote: list[str] = []
        page.on(
            "request",
            lambda r: (
                remote.append(r.url)
                if not r.url.startswith(("file:", "data:"))
                else None
            ),
        )
        page.goto(page_file.as_uri())
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert remote == []
    assert len(widths) == 4 and min(widths) > 300
    assert shot.stat().st_size > 50_000


def test_report_lists_losses_by_formation(evaluation: Evaluation) -> None:
    """Each formation of the summary's losses_by_formation has a row with its name."""
    from stavka.report.html import build_report

    summary = evaluation.run.summary
    saved = summary.get("losses_by_formation")
    summary["losses_by_formation"] = {
        "6gta": {"ussr": {"killed": 1234.0, "wounded": 5678.0}}
    }
    try:
        text = build_report(evaluation, days=[1])
    finally:
        if saved is None:
            summary.pop("losses_by_formation")
        else:
            summary["losses_by_formation"] = saved
    name = getattr(evaluation.scenario.formations["6gta"], "name", "6gta")
    assert f"<td>ussr</td><td>{name}</td><td class=num>1,234</td>" in text


def test_report_lists_the_battles_costliest_first(
    evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Battle events of the run become the Battles table, costliest first."""
    from stavka.report.html import build_report

    def battle(place: str, losses: float) -> dict[str, object]:
        return {
            "time": "1945-08-10T06:00:00+09:00",
            "kind": "battle",
            "hours": 12.0,
            "place": place,
            "attacker_men": 20_000,
            "defender_men": 5_000,
            "attacker_losses": losses,
            "defender_losses": 2 * losses,
            "result": "taken",
            "attackers": ["36a"],
            "defenders": ["ija_80imb"],
        }

    events = [battle("hailar", 100.0), battle("hutou", 900.0)]
    monkeypatch.setattr(type(evaluation.run), "events", lambda self: events)
    text = build_report(evaluation, days=[1])
    section = text[text.index("<h2>Battles</h2>") : text.index("<h2>Map snapshots")]
    assert "2 battles</summary>" in section
    assert section.index("<td>hutou</td>") < section.index("<td>hailar</td>")
    assert "<td class=num>1,800</td>" in section

"""Scoring synthetic runs against a small record, checked by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from stavka.record.loader import load_record
from stavka.record.runformat import read_run
from stavka.record.scoring import score_run
from stavka.record.synthetic import Leg, synthetic_run
from stavka.scenario import Scenario

EVENTS = """date,time,side,unit,event_kind,place_id,detail,source,formation_id
1945-08-10,,USSR,36A,capture,hailar,Hailar taken,src A,36a
1945-08-16,,USSR,1RBA,capture,harbin,Harbin taken 16 or 17 Aug,src B,1rba
1945-08-17,,USSR,25A,capture,tumen,Tumen taken,src C,25a
1945-08-20,,USSR,1FEF,capture,jilin,Jilin occupied,src D,
1945-08-12,,USSR,1FEF,halt,jilin,not a capture,src E,
1945-09-01,,Japan,garrison,surrender,kunashir,garrison surrenders,src F,
"""
ADVANCES = """formation,date,cumulative_km,location_reached,source,formation_id
6GTA,1945-08-09,150,day 1,src G,6gta
TBF,1945-08-14,450-500,day 6,src H,trans_baikal_front
TBF,1945-08-14,,[fuel] waiting for fuel,src I,trans_baikal_front
"""
LOSSES = """side,categories,low,high,scope,source
ussr,killed+wounded,32000,,all,src J
japan,killed,83000,,all,src K
japan,all,665000,735000,all,src L
"""
CAPTURES = {
    "harbin": "1945-08-17T12:00:00+09:00",  # inside [16, 17]
    "jilin": "1945-08-18T12:00:00+09:00",  # 1.5 days early
    "tumen": "1945-08-19T06:00:00+09:00",  # 1.25 days late
    "hailar": None,  # never taken
    "kunashir": "1945-09-01T00:00:00+10:00",  # = 31 Aug 23:00 +09: 1 hour early
}


@pytest.fixture
def record_dir(tmp_path: Path) -> Path:
    """A record directory with five places, two advance points and loss ranges."""
    d = tmp_path / "rec"
    d.mkdir()
    (d / "events.csv").write_text(EVENTS)
    (d / "advances.csv").write_text(ADVANCES)
    (d / "losses.csv").write_text(LOSSES)
    return d


def by_place(score: dict) -> dict:
    """Index the capture rows of a score by place."""
    return {c["place"]: c for c in score["captures"]["places"]}


def test_capture_errors_early_late_inside_never(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """Early, late, inside and never-taken places get hand-computed errors."""
    synthetic_run(tmp_path / "run", scenario, captures=CAPTURES)
    score = score_run(read_run(tmp_path / "run"), load_record(record_dir, scenario))
    rows = by_place(score.to_dict())
    assert rows["harbin"]["status"] == "inside" and rows["harbin"]["error_days"] == 0
    assert rows["jilin"]["status"] == "early"
    assert rows["jilin"]["error_days"] == pytest.approx(-1.5)
    assert rows["tumen"]["status"] == "late"
    assert rows["tumen"]["error_days"] == pytest.approx(1.25)
    assert rows["kunashir"]["error_days"] == pytest.approx(-1 / 24)
    # never taken: run end 2 Sep 23:59 minus window end 11 Aug 00:00
    assert rows["hailar"]["status"] == "never_taken"
    assert rows["hailar"]["error_days"] == pytest.approx(22 + 23 / 24 + 59 / 1440)


def test_capture_medians_and_shares(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """Medians, shares within 1 and 3 days, and the worst list follow the errors."""
    synthetic_run(tmp_path / "run", scenario, captures=CAPTURES)
    stats = score_run(
        read_run(tmp_path / "run"), load_record(record_dir, scenario)
    ).capture_stats()
    assert stats["n"] == 5
    assert stats["median_error_days"] == pytest.approx(0.0)
    assert stats["median_abs_error_days"] == pytest.approx(1.25)
    assert stats["within_1_day"] == pytest.approx(2 / 5)
    assert stats["within_3_days"] == pytest.approx(4 / 5)
    assert stats["never_taken"] == ["hailar"]
    assert [w["place"] for w in stats["worst"]][:2] == ["hailar", "jilin"]


def test_short_run_leaves_later_places_unscored(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """In a 5-day run places and advance points due after its end are not scored."""
    synthetic_run(
        tmp_path / "run",
        scenario,
        captures={"hailar": None},
        days=5,
        advance_km={
            "6gta": {"1945-08-09": 150.0},
            "trans_baikal_front": {"1945-08-13": 400.0},
        },
    )
    score = score_run(read_run(tmp_path / "run"), load_record(record_dir, scenario))
    rows = by_place(score.to_dict())
    status = {a.formation: a.status for a in score.advances}
    assert status == {"6gta": "scored", "trans_baikal_front": "beyond_run"}
    assert rows["hailar"]["error_days"] == pytest.approx(3.0)  # 14 Aug - 11 Aug
    assert rows["kunashir"]["status"] == "beyond_run"
    assert rows["kunashir"]["error_days"] is None


def test_advance_errors_km_and_percent(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """Advance error is km from the nearer bound and % of that bound."""
    synthetic_run(
        tmp_path / "run",
        scenario,
        captures={},
        advance_km={
            "6gta": {"1945-08-09": 120.0},
            "trans_baikal_front": {"1945-08-13": 400.0, "1945-08-15": 600.0},
        },
    )
    score = score_run(read_run(tmp_path / "run"), load_record(record_dir, scenario))
    pts = {a.formation: a for a in score.advances}
    assert len(score.advances) == 2  # the [fuel] note is not scored
    assert pts["6gta"].error_km == pytest.approx(-30.0)
    assert pts["6gta"].error_pct == pytest.approx(-20.0)
    assert pts["trans_baikal_front"].simulated_km == 400.0  # last date <= 14 Aug
    assert pts["trans_baikal_front"].error_km == pytest.approx(-50.0)
    assert pts["trans_baikal_front"].error_pct == pytest.approx(-100 * 50 / 450)
    assert score.advance_stats()["median_abs_error_km"] == pytest.approx(40.0)
    (cp,) = score.checkpoints()  # fronts only: the depth checkpoint on day 6
    assert (cp["formation"], cp["day"], cp["simulated_km"]) == (
        "trans_baikal_front",
        6,
        400.0,
    )
    assert "trans_baikal_front at day 6: 400 km (record 450-500)" in score.headline()


def test_advance_inside_range_is_zero(record_dir: Path, scenario: Scenario) -> None:
    """A simulated advance inside the record range has zero error."""
    summary = {
        "start": "1945-08-09T00:00:00+09:00",
        "end": "1945-08-20T00:00:00+09:00",
        "captures": {},
        "advance_km": {"trans_baikal_front": {"1945-08-14": 480.0}},
    }
    score = score_run(summary, load_record(record_dir, scenario))
    tbf = next(a for a in score.advances if a.formation == "trans_baikal_front")
    assert (tbf.error_km, tbf.error_pct) == (0.0, 0.0)
    assert next(a for a in score.advances if a.formation == "6gta").error_km is None


def test_losses_against_ranges(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """Loss sums are compared with open and closed ranges."""
    synthetic_run(
        tmp_path / "run",
        scenario,
        captures={},
        losses={
            "ussr": {"killed": 20000, "wounded": 15000},
            "japan": {"killed": 50000, "captured": 600000},
        },
    )
    score = score_run(read_run(tmp_path / "run"), load_record(record_dir, scenario))
    got = [(x.side, x.simulated, x.error, x.status) for x in score.losses]
    assert got == [
        ("ussr", 35000.0, 0.0, "inside"),
        ("japan", 50000.0, -33000.0, "below"),
        ("japan", 650000.0, -15000.0, "below"),
    ]


def test_capture_error_sign_matches_status(
    record_dir: Path, scenario: Scenario
) -> None:
    """Early errors are negative, late positive, inside zero, for any capture time."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    record = load_record(record_dir, scenario)
    base = dt.datetime(1945, 8, 16, tzinfo=dt.timezone(dt.timedelta(hours=9)))

    @settings(max_examples=60, deadline=None)
    @given(st.integers(min_value=-7 * 1440, max_value=10 * 1440))
    def check(offset_min: int) -> None:
        offset_days = offset_min / 1440
        when = base + dt.timedelta(minutes=offset_min)
        summary = {
            "start": "1945-08-09T00:00:00+09:00",
            "end": "1945-09-02T23:59:00+09:00",
            "captures": {"harbin": when.isoformat()},
        }
        (c,) = [x for x in score_run(summary, record).captures if x.place == "harbin"]
        # harbin's window is 16-17 Aug: from offset 0 to offset 2 days
        assert c.error_days is not None
        if c.status == "early":
            assert c.error_days < 0 and offset_days < 0
        elif c.status == "late":
            assert c.error_days > 0 and offset_days > 2
        else:
            assert c.status == "inside" and c.error_days == 0
            assert 0 <= offset_days <= 2
        expected = min(offset_days, 0) + max(offset_days - 2, 0)
        assert c.error_days == pytest.approx(expected, abs=1e-5)

    check()


def test_summary_end_past_trace_is_cut_with_warning(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """A summary end weeks after the trace stops is cut to the trace end, warned."""
    run_dir = synthetic_run(
        tmp_path / "run",
        scenario,
        captures={"hailar": None},
        days=5,
        legs=[Leg("36a", "ussr", "otpor", "hailar", 0.0, 2.0)],
    )
    data = json.loads((run_dir / "summary.json").read_text())
    data["end"] = "1945-09-02T23:59:00+09:00"
    (run_dir / "summary.json").write_text(json.dumps(data))
    score = score_run(read_run(run_dir), load_record(record_dir, scenario))
    assert "trace ends" in score.warnings[0]
    rows = by_place(score.to_dict())
    assert rows["hailar"]["error_days"] == pytest.approx(3.0)
    assert rows["kunashir"]["status"] == "beyond_run"


def test_nation_scope_compares_a_nations_own_losses(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """A range with scope 'nation' reads losses_by_nation, not the side total."""
    (record_dir / "losses.csv").write_text(
        "side,categories,low,high,scope,source\n"
        "japan,captured,550000,650000,nation,test\n"
        "japan,captured,550000,650000,all,test\n"
    )
    summary = {
        "start": "1945-08-09T00:00:00+09:00",
        "end": "1945-09-02T23:59:00+09:00",
        "captures": {},
        "losses": {"japan": {"captured": 740000.0}},
        "losses_by_nation": {
            "japan": {"captured": 600000.0},
            "manchukuo": {"captured": 140000.0},
        },
    }
    score = score_run(summary, load_record(record_dir, scenario))
    got = [(x.scope, x.simulated, x.status) for x in score.losses]
    assert got == [("nation", 600000.0, "inside"), ("all", 740000.0, "above")]


def test_formation_scope_compares_a_formations_losses(
    tmp_path: Path, record_dir: Path, scenario: Scenario
) -> None:
    """A range whose scope is a formation id reads losses_by_formation."""
    (record_dir / "losses.csv").write_text(
        "side,categories,low,high,scope,source\n"
        "ussr,killed+wounded,20000,25000,first_far_eastern_front,test\n"
    )
    summary = {
        "start": "1945-08-09T00:00:00+09:00",
        "end": "1945-09-02T23:59:00+09:00",
        "captures": {},
        "losses": {"ussr": {"killed": 9000.0, "wounded": 30000.0}},
        "losses_by_formation": {
            "first_far_eastern_front": {"ussr": {"killed": 3000.0, "wounded": 9000.0}}
        },
    }
    (loss,) = score_run(summary, load_record(record_dir, scenario)).losses
    assert (loss.simulated, loss.error, loss.status) == (12000.0, -8000.0, "below")


def test_headline_lists_every_record_figure_of_a_checkpoint_once() -> None:
    """Two record figures for one front and day give one headline entry."""
    import datetime as dt

    from stavka.record.scoring import AdvanceScore, Score

    def point(low: float, high: float) -> AdvanceScore:
        return AdvanceScore(
            "first_far_eastern_front",
            dt.date(1945, 8, 14),
            low,
            high,
            86.0,
            None,
            None,
            "range",
            "test",
            "test",
            front=True,
        )

    score = Score([], [point(150, 200), point(170, 170)], [], [], dt.date(1945, 8, 9))
    line = score.headline()
    assert line.count("first_far_eastern_front at day 6") == 1
    assert "first_far_eastern_front at day 6: 86 km (record 150-200, 170)" in line

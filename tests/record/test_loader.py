"""Loading a record directory: windows, advance points, notes, errors."""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
from pathlib import Path

import pytest

from stavka.errors import RecordError
from stavka.record.loader import EVENT_COLUMNS, load_record
from stavka.record.parsing import alternative_dates, parse_km
from stavka.scenario import Scenario

AUG = dt.date(1945, 8, 1)
HEADER = [*EVENT_COLUMNS[:1], "time", "side", "unit", *EVENT_COLUMNS[1:]]


def aug(day: int) -> dt.date:
    """Return the date of a day in August 1945."""
    return AUG.replace(day=day)


def write_events(folder: Path, rows: list[dict[str, str]]) -> None:
    """Write an events.csv (and copy the built-in advances.csv) into a folder."""
    folder.mkdir(exist_ok=True)
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in HEADER})


def test_builtin_windows_keep_conflicts(scenario: Scenario) -> None:
    """Conflicting dates for one place become a window spanning them."""
    rec = load_record(scenario.record_dir or "", scenario)
    mdj = rec.windows["mudanjiang"]
    assert (mdj.first, mdj.last) == (aug(16), aug(17))  # 'battle 12-16' is not a date
    assert (rec.windows["fujin"].first, rec.windows["fujin"].last) == (aug(11), aug(14))
    harbin = rec.windows["harbin"]
    assert (harbin.first, harbin.last) == (aug(18), aug(22))
    assert len(harbin.sources) >= 4


def test_builtin_notes_are_not_points(scenario: Scenario) -> None:
    """Rows tagged [fuel] or [weather] are notes, never advance points."""
    rec = load_record(scenario.record_dir or "", scenario)
    tags = {n.tag for n in rec.notes}
    assert {"fuel", "weather"} <= tags
    assert not any(p.text.startswith("[") for p in rec.advances)


def test_builtin_ranges_and_forward_detachment(scenario: Scenario) -> None:
    """Km ranges and 'main (FD x)' figures are parsed from cumulative_km."""
    rec = load_record(scenario.record_dir or "", scenario)
    tbf = [p for p in rec.advances if p.formation == "trans_baikal_front"]
    assert (tbf[0].km_low, tbf[0].km_high) == (450.0, 500.0)
    fd = [p for p in rec.advances if p.fd_km is not None]
    assert fd and fd[0].km_low == 50.0 and fd[0].fd_km == 70.0


def test_location_rows_derive_km_from_scenario_start(scenario: Scenario) -> None:
    """A 'Lubei' row for 6gta gets the great-circle km from 6gta's start."""
    rec = load_record(scenario.record_dir or "", scenario)
    lubei = next(
        p for p in rec.advances if p.formation == "6gta" and p.place == "lubei"
    )
    start, dest = (47.23, 117.27), scenario.places["lubei"]
    p1, p2 = math.radians(start[0]), math.radians(dest.lat)
    dl = math.radians(dest.lon - start[1])
    central = math.acos(
        math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    )
    assert lubei.how == "gc_scenario"
    assert lubei.km_low == pytest.approx(6371.0088 * central, abs=0.1)


def test_unknown_formation_is_kept_with_warning(scenario: Scenario) -> None:
    """Rows about formations the scenario lacks stay, with one warning per id."""
    rec = load_record(scenario.record_dir or "", scenario)
    assert any("'5a'" in w for w in rec.warnings)
    assert any(p.formation == "5a" for p in rec.advances)  # record's own gc figure
    assert rec.windows["suifenhe"].first == aug(10)


def test_or_pattern_in_detail_gives_window(tmp_path: Path, scenario: Scenario) -> None:
    """'taken 16 or 17 Aug' in a detail makes a two-day window."""
    write_events(
        tmp_path,
        [
            {
                "date": "1945-08-16",
                "event_kind": "capture",
                "place_id": "harbin",
                "detail": "Harbin taken 16 or 17 Aug",
                "source": "x",
            },
        ],
    )
    shutil.copy(scenario.root / "record" / "advances.csv", tmp_path)
    rec = load_record(tmp_path, scenario)
    assert (rec.windows["harbin"].first, rec.windows["harbin"].last) == (
        aug(16),
        aug(17),
    )


def test_unknown_place_names_file_row_column(
    tmp_path: Path, scenario: Scenario
) -> None:
    """A place id the scenario lacks is an error naming file, row and column."""
    write_events(
        tmp_path,
        [
            {
                "date": "1945-08-10",
                "event_kind": "capture",
                "place_id": "harbin",
                "detail": "ok",
                "source": "x",
            },
            {
                "date": "1945-08-11",
                "event_kind": "capture",
                "place_id": "atlantis",
                "detail": "?",
                "source": "x",
            },
        ],
    )
    shutil.copy(scenario.root / "record" / "advances.csv", tmp_path)
    with pytest.raises(RecordError, match=r"events\.csv: row 2 .*'place_id'.*atlantis"):
        load_record(tmp_path, scenario)


def test_bad_date_names_file_row_column(tmp_path: Path, scenario: Scenario) -> None:
    """An unparseable date is an error naming file, row and column."""
    write_events(
        tmp_path,
        [
            {
                "date": "16 Aug 1945",
                "event_kind": "capture",
                "place_id": "harbin",
                "detail": "d",
                "source": "x",
            }
        ],
    )
    shutil.copy(scenario.root / "record" / "advances.csv", tmp_path)
    with pytest.raises(RecordError, match=r"events\.csv: row 1 .*'date'"):
        load_record(tmp_path, scenario)


def test_missing_column_is_named(tmp_path: Path, scenario: Scenario) -> None:
    """A file without the place_id column is refused, naming the column."""
    (tmp_path / "events.csv").write_text("date,event_kind,detail,source,formation_id\n")
    shutil.copy(scenario.root / "record" / "advances.csv", tmp_path)
    with pytest.raises(RecordError, match="place_id"):
        load_record(tmp_path, scenario)


def test_bad_km_names_column(tmp_path: Path, scenario: Scenario) -> None:
    """An unparseable cumulative_km is an error naming the column."""
    write_events(tmp_path, [])
    (tmp_path / "advances.csv").write_text(
        "formation,date,cumulative_km,location_reached,source,formation_id\n"
        "6GTA,1945-08-10,about 250,x,src,6gta\n"
    )
    with pytest.raises(RecordError, match=r"advances\.csv: row 1 .*cumulative_km"):
        load_record(tmp_path, scenario)


def test_losses_default_and_override(tmp_path: Path, scenario: Scenario) -> None:
    """Shipped loss ranges apply unless the record directory has losses.csv."""
    rec = load_record(scenario.record_dir or "", scenario)
    assert any(r.side == "ussr" and r.low == 32000 for r in rec.losses)
    shutil.copytree(scenario.root / "record", tmp_path / "rec")
    (tmp_path / "rec" / "losses.csv").write_text(
        "side,categories,low,high,scope,source\nussr,killed,10,20,all,test\n"
    )
    rec2 = load_record(tmp_path / "rec", scenario)
    assert [(r.low, r.high) for r in rec2.losses] == [(10.0, 20.0)]


def test_alternative_dates_ignore_other_events() -> None:
    """Spans of other events ('siege 9-26 Aug') are not alternative dates."""
    assert alternative_dates("Hutou falls (siege 9-26 Aug)", 1945) == set()
    assert alternative_dates("rt-online.ru gives 19 Aug", 1945) == {aug(19)}
    assert alternative_dates("FR taken 11-12 Aug", 1945) == {aug(11), aug(12)}


def test_parse_km_rejects_text() -> None:
    """Km cells that are not numbers or ranges raise ValueError."""
    assert parse_km("1.5-9") == (1.5, 9.0, None)
    with pytest.raises(ValueError, match="not km"):
        parse_km("far")

"""The run directory format: write, read back, validate."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from stavka.errors import RunFormatError
from stavka.record.runformat import SUMMARY_KEYS, UNIT_COLUMNS, read_run, write_run
from stavka.record.synthetic import Leg, synthetic_run
from stavka.record.writer import RunWriter
from stavka.scenario import Scenario

MINIMAL = {
    "scenario": {"id": "august-storm", "version": 1},
    "seed": 7,
    "start": "1945-08-09T00:00:00+09:00",
    "end": "1945-08-12T00:00:00+09:00",
}


def test_roundtrip_keeps_summary_and_traces(tmp_path: Path, scenario: Scenario) -> None:
    """A synthetic run reads back with every summary key and the unit columns."""
    legs = [Leg("6gta", "ussr", "tamsag_bulag", "lubei", 0.0, 2.0)]
    synthetic_run(
        tmp_path,
        scenario,
        captures={"lubei": "1945-08-11T06:00:00+09:00"},
        legs=legs,
        days=3,
    )
    run = read_run(tmp_path)
    assert set(SUMMARY_KEYS) <= set(run.summary)
    units = run.units()
    assert set(UNIT_COLUMNS) <= set(units.columns)
    last = units[units["time"] == units["time"].max()].iloc[0]
    lubei = scenario.places["lubei"]
    assert last["lat"] == pytest.approx(lubei.lat)
    assert units["personnel"].min() < units["personnel"].max()
    assert run.events()[0]["place"] == "lubei"
    ctl = run.control()
    assert (ctl[ctl["place"] == "lubei"]["side"] == "ussr").any()


def test_write_defaults_optional_keys(tmp_path: Path) -> None:
    """A minimal summary gets empty captures, advances and losses."""
    write_run(tmp_path, MINIMAL)
    run = read_run(tmp_path)
    assert run.summary["captures"] == {}
    assert run.summary["score"] is None


@pytest.mark.parametrize(
    "name", ["summary.json", "units.parquet", "control.parquet", "events.jsonl"]
)
def test_incomplete_dir_names_the_file(tmp_path: Path, name: str) -> None:
    """A run directory missing a file is refused, naming that file."""
    write_run(tmp_path, MINIMAL)
    (tmp_path / name).unlink()
    with pytest.raises(RunFormatError, match=name):
        read_run(tmp_path)


def test_bad_capture_time_names_key(tmp_path: Path) -> None:
    """A capture time without a UTC offset is refused, naming the place."""
    write_run(tmp_path, MINIMAL)
    data = json.loads((tmp_path / "summary.json").read_text())
    data["captures"]["harbin"] = "1945-08-20T10:00"
    (tmp_path / "summary.json").write_text(json.dumps(data))
    with pytest.raises(RunFormatError, match=r"captures\.harbin"):
        read_run(tmp_path)


def test_missing_summary_key_is_named(tmp_path: Path) -> None:
    """A summary without 'losses' is refused, naming the key."""
    write_run(tmp_path, MINIMAL)
    data = json.loads((tmp_path / "summary.json").read_text())
    del data["losses"]
    (tmp_path / "summary.json").write_text(json.dumps(data))
    with pytest.raises(RunFormatError, match="losses"):
        read_run(tmp_path)


def test_unit_trace_missing_column_is_refused(tmp_path: Path) -> None:
    """Writing a unit trace without the 'fuel' column names the column."""
    frame = pd.DataFrame({c: [] for c in UNIT_COLUMNS if c != "fuel"})
    with pytest.raises(RunFormatError, match="fuel"):
        write_run(tmp_path, MINIMAL, unit_trace=frame)


def test_event_without_time_is_refused(tmp_path: Path) -> None:
    """An event without a time is refused with its line number."""
    with pytest.raises(RunFormatError, match="line 1"):
        write_run(tmp_path, MINIMAL, events=[{"kind": "capture"}])


def _unit_batch(hour: int) -> pd.DataFrame:
    """One unit row at a given hour of 9 Aug 1945."""
    row = dict.fromkeys(UNIT_COLUMNS, 0.0)
    row.update(
        time=pd.Timestamp(f"1945-08-09T{hour:02d}:00:00+09:00"),
        unit="6gta",
        side="ussr",
        cell="8525a0fffffffff",
        posture="advance",
        status="active",
        lat=47.0,
        lon=117.0 + hour,
    )
    return pd.DataFrame([row])


def test_run_writer_streams_batches(tmp_path: Path) -> None:
    """Batches appended step by step read back in order, with the summary last."""
    with RunWriter(tmp_path) as w:
        for hour in range(3):
            w.add_units(_unit_batch(hour))
        w.add_event({"time": "1945-08-09T01:00:00+09:00", "kind": "crossing"})
        w.close(MINIMAL)
    run = read_run(tmp_path)
    assert run.units()["lon"].tolist() == [117.0, 118.0, 119.0]
    assert run.control().empty
    assert [e["kind"] for e in run.events()] == ["crossing"]


def test_run_writer_without_close_is_incomplete(tmp_path: Path) -> None:
    """A run left without close() has no summary.json and reads as incomplete."""
    with pytest.raises(RuntimeError), RunWriter(tmp_path) as w:
        w.add_units(_unit_batch(0))
        raise RuntimeError("engine died")
    with pytest.raises(RunFormatError, match=r"summary\.json"):
        read_run(tmp_path)

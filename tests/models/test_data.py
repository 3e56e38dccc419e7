import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from stavka.errors import ModelError
from stavka.models.data import INPUT_COLUMNS, read_battles

Writer = Callable[[Path, list[str], list[list[str]]], Path]
GOOD = [
    "1",
    "1000",
    "800",
    "2",
    "HD",
    "RM0",
    "DSTST",
    "1",
    "0",
    "10",
    "5",
    "0",
    "3",
    "1944",
]


def test_reads_calibration_file(calib_path: Path) -> None:
    """The calibration file reads with every battle and nearly all rows usable."""
    t = read_battles(calib_path)
    assert len(t) == 548
    assert t.ok.sum() >= 540
    assert np.all(t.engagement.att_strength > 0)


def test_missing_column(tmp_path: Path, write_csv: Writer) -> None:
    """A file without a required column is rejected, naming the column."""
    p = write_csv(tmp_path / "b.csv", list(INPUT_COLUMNS[:-1]), [GOOD[:-1]])
    with pytest.raises(ModelError, match=r"missing column.*year"):
        read_battles(p)


def test_text_in_numeric_column(tmp_path: Path, write_csv: Writer) -> None:
    """Text in a numeric column names the row and the column."""
    bad = list(GOOD)
    bad[1] = "many"
    p = write_csv(tmp_path / "b.csv", list(INPUT_COLUMNS), [GOOD, bad])
    with pytest.raises(ModelError, match=r"row 3, column 'str_a'.*'many'"):
        read_battles(p)


def test_negative_strength(tmp_path: Path, write_csv: Writer) -> None:
    """A negative strength names the row and the column."""
    bad = list(GOOD)
    bad[2] = "-5"
    p = write_csv(tmp_path / "b.csv", list(INPUT_COLUMNS), [bad])
    with pytest.raises(ModelError, match=r"row 2, column 'str_d'"):
        read_battles(p)


def test_missing_file_is_model_error(tmp_path: Path) -> None:
    """An absent file is a ModelError naming the file."""
    with pytest.raises(ModelError, match=r"nope\.csv not found"):
        read_battles(tmp_path / "nope.csv")


def test_cli_bad_input_exits_1(tmp_path: Path, write_csv: Writer) -> None:
    """predict-battles on bad input prints the row and column and exits 1."""
    bad = list(GOOD)
    bad[3] = "long"
    p = write_csv(tmp_path / "b.csv", list(INPUT_COLUMNS), [bad])
    exe = Path(sys.executable).parent / "stavka"
    res = subprocess.run(
        [str(exe), "models", "predict-battles", str(p)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 1
    assert "row 2, column 'dur_days'" in res.stderr
    assert "Traceback" not in res.stderr


def test_rows_are_file_lines(tmp_path: Path, write_csv: Writer) -> None:
    """Error rows are file lines even when blank lines precede the bad row."""
    bad = list(GOOD)
    bad[9] = "-1"
    p = write_csv(tmp_path / "b.csv", list(INPUT_COLUMNS), [GOOD, [""], bad])
    with pytest.raises(ModelError, match=r"row 4, column 'tank_a'"):
        read_battles(p)


def test_unknown_codes_are_neutral(tmp_path: Path, write_csv: Writer) -> None:
    """CDB90's -9 'unknown' code for surprise or air counts as 0, not as -3 or -1."""
    row = list(GOOD)
    row[7], row[8] = "-9", "-9"
    t = read_battles(write_csv(tmp_path / "b.csv", list(INPUT_COLUMNS), [row]))
    assert t.engagement.surprise[0] == 0.0
    assert t.engagement.air[0] == 0.0

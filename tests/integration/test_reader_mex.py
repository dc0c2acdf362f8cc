"""MEx accelerometer CSV reader: stamps, explicit resampling, names, errors, real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import mex
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA

MEX = SHARED_DATA / "mex"


def write(path: Path, stamps_ms: list[int], values: np.ndarray) -> Path:
    """A MEx-style file: wall-clock stamps (fraction dropped when zero, as MEx does)."""
    base = np.datetime64("2018-11-08T11:34:51.000", "ms")
    lines = []
    for stamp, row in zip(stamps_ms, values, strict=True):
        text = str(base + np.timedelta64(stamp, "ms")).replace("T", " ")
        text = text[:-4] if text.endswith(".000") else text + "000"
        lines.append(f"{text},{float(row[0])!r},{float(row[1])!r},{float(row[2])!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_irregular_stamps_are_resampled_linearly_to_100_hz(tmp_path: Path) -> None:
    steps = [9, 10, 10, 9, 10, 10, 9, 10, 10, 9] * 10  # ~103 Hz, ms stamps, like the thigh files
    stamps = np.concatenate(([0], np.cumsum(steps)))
    slope = np.array([1.0, -2.0, 0.5])  # g per second: linear, so interpolation is exact
    values = (stamps[:, None] / 1000.0) * slope + np.array([0.0, 0.0, 1.0])
    path = write(tmp_path / "03" / "04_act_2.csv", list(stamps), values)
    assert mex.sniff(path)
    series = mex.read(path)
    assert series.channels == ("acc_x", "acc_y", "acc_z")
    assert series.units == ("g", "g", "g")
    assert series.time[0] == 0.0
    assert series.uniform_rate_hz() == pytest.approx(100.0)
    assert series.time[-1] <= stamps[-1] / 1000.0
    expected = series.time[:, None] * slope + np.array([0.0, 0.0, 1.0])
    np.testing.assert_allclose(series.values, expected, atol=1e-12)
    assert mex.read(path, rate_hz=50.0).uniform_rate_hz() == pytest.approx(50.0)
    assert mex.exercise_label(path) == ("03", "04", "act")


def test_other_files_are_not_mex(tmp_path: Path) -> None:
    csv = tmp_path / "signals.csv"
    csv.write_text("time,acc_x,acc_y,acc_z\n0,0,0,1\n")
    assert not mex.sniff(csv)
    assert not mex.sniff(tmp_path / "missing.csv")
    with pytest.raises(InvalidInput, match="not a MEx file name"):
        mex.exercise_label(csv)
    # Same layout, another logger's name: not resampled as MEx.
    lookalike = write(tmp_path / "logger.csv", [0, 10, 20], np.zeros((3, 3)))
    assert not mex.sniff(lookalike)
    assert mex.sniff(write(tmp_path / "07_acw_1.csv", [0, 10, 20], np.zeros((3, 3))))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "2018-11-08 11:34:51.474000,0,0,1\n2018-11-08 11:34:51.464000,0,0,1\n",
            "does not increase",
        ),
        ("2018-11-08 11:34:51.474000,0,0,1\n2018-11-08 11:34:52.474000,0,0,1\n", "gap"),
        ("2018-11-08 11:34:51.474000,0,0,1\n2018-11-08 11:34:51.484000,0,x,1\n", "row 2, value 3"),
        (
            "2018-11-08 11:34:51.474000,0,0,1\n2018-11-08 11:34:51.484000,0,1\n",
            "row 2 has 3 values",
        ),
        ("2018-11-08 11:34:51.474000,0,0,1\nyesterday,0,0,1\n", "row 2: 'yesterday'"),
        ("2018-11-08 11:34:51.474000,0,0,1\n", "fewer than two"),
        ("2018-11-08 11:34:51.474000,0,0,1\n2018-11-08 11:34:51.484000,0,nan,1\n", "not a finite"),
        ("", "is empty"),
    ],
)
def test_bad_files_get_one_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "01_act_1.csv"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=problem) as caught:
        mex.read(path)
    assert caught.value.field == str(path)
    assert "\n" not in str(caught.value)


def test_missing_file_and_bad_rate(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        mex.read(tmp_path / "01_act_1.csv")
    path = write(tmp_path / "01_act_1.csv", [0, 10, 20], np.zeros((3, 3)))
    with pytest.raises(InvalidInput) as caught:
        mex.read(path, rate_hz=0.0)
    assert caught.value.field == "rate_hz"


@pytest.mark.shared_data
@pytest.mark.skipif(not MEX.is_dir(), reason="../shared/data/mex is absent")
@pytest.mark.parametrize("sensor", ["act", "acw"])
def test_real_mex_files_read_as_about_one_g(sensor: str) -> None:
    from spinecoach.analysis.imu import process

    path = MEX / sensor / "02" / f"04_{sensor}_2.csv"
    assert mex.sniff(path)
    series = mex.read(path)
    raw_rows = sum(1 for line in path.read_text().splitlines() if line.strip())
    # The sensors run faster (thigh ~103 Hz) or slower (wrist ~96.5 Hz) than the nominal 100 Hz.
    ratio = raw_rows / series.frames
    assert 0.95 < ratio < 1.05
    assert ratio > 1.0 if sensor == "act" else ratio < 1.0
    magnitude = np.linalg.norm(series.values, axis=1)
    assert np.median(magnitude) == pytest.approx(1.0, abs=0.1)
    assert np.abs(series.values).max() <= 8.0
    assert mex.exercise_label(path) == ("02", "04", sensor)
    report = process(series)
    assert report.rate_hz == pytest.approx(100.0)

"""spinecoach's landmarks CSV: written and read back (round trips, a property test), a file
written by hand, and every way a hand-made file can be wrong."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spinecoach.adapters.sensors import detect_format, read_recording
from spinecoach.adapters.sensors.landmarks_csv import read, write_landmarks_csv
from spinecoach.analysis.simulate import camera_view_of, simulate_motion
from spinecoach.analysis.timeseries import LANDMARKS, LandmarkSeries
from spinecoach.domain.errors import InvalidInput


def test_three_dimensional_round_trip_with_gaps(tmp_path: Path) -> None:
    series = simulate_motion(duration_s=1.0, trunk_sagittal_deg=12.0, gap_fraction=0.05)
    series = replace(series, source="lab; session 2")
    path = tmp_path / "motion.csv"
    write_landmarks_csv(series, path)
    back = read_recording(path)
    assert detect_format(path) == "landmarks-csv"
    assert back.names == series.names
    assert back.unit == "m"
    assert back.source == "lab, session 2"
    np.testing.assert_allclose(back.time, series.time, atol=1e-6)
    np.testing.assert_allclose(back.positions, series.positions, rtol=1e-6, equal_nan=True)
    np.testing.assert_allclose(back.confidence, series.confidence, rtol=1e-6)
    assert not list(tmp_path.glob("*.partial"))


def test_two_dimensional_round_trip_keeps_its_unit(tmp_path: Path) -> None:
    series = camera_view_of(simulate_motion(duration_s=0.5), "side")
    path = tmp_path / "side.csv"
    write_landmarks_csv(series, path)
    back = read(path)
    assert back.dims == 2
    assert back.unit == "image_height"
    np.testing.assert_allclose(back.positions, series.positions, rtol=1e-6, equal_nan=True)


def test_the_written_layout_is_the_documented_one(tmp_path: Path) -> None:
    series = LandmarkSeries(
        np.array([0.0, 0.5]),
        np.array([[[1.0, 2.0]], [[np.nan, np.nan]]]),
        np.array([[0.9], [0.0]]),
        ("head",),
        "px",
        source="clip.mp4",
    )
    path = tmp_path / "head.csv"
    write_landmarks_csv(series, path)
    assert path.read_text().splitlines() == [
        "# spinecoach landmarks; unit=px; source=clip.mp4",
        "time_s,head_x,head_y,head_c",
        "0.000000,1,2,0.9",
        "0.500000,,,0",
    ]


def test_a_hand_written_file_with_a_unit_line_and_no_confidence(tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text(
        "# unit=mm\n"
        "time_s, pelvis_x, pelvis_y, pelvis_z, head_x, head_y, head_z\n"
        "0.00, 0, 900, 0, 10, 1600, 5\n"
        "0.01, 1, 901, 0, , , \n"
    )
    series = read_recording(path)
    assert series.unit == "mm"
    assert series.names == ("pelvis", "head")
    np.testing.assert_allclose(series.point("head")[0], [10.0, 1600.0, 5.0])
    assert series.visibility("head").tolist() == [1.0, 0.0]
    assert np.isnan(series.point("head")[1]).all()
    assert series.rate_hz == pytest.approx(100.0)


def test_without_a_unit_line_the_unit_is_metres(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("time_s,neck_x,neck_y,neck_c\n0,0.1,1.5,0.7\n")
    series = read(path)
    assert series.unit == "m"
    assert series.visibility("neck").tolist() == [0.7]


@settings(max_examples=25, deadline=None)
@given(
    values=arrays(
        np.float64,
        (4, 3, 3),
        elements=st.floats(-1e4, 1e4, allow_nan=False, width=32),
    ),
    confidence=arrays(np.float64, (4, 3), elements=st.floats(0.0, 1.0, width=32)),
    unit=st.sampled_from(["m", "mm", "image_height", "px"]),
    names=st.permutations(LANDMARKS).map(lambda n: tuple(n[:3])),
)
def test_any_series_survives_a_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    values: np.ndarray,
    confidence: np.ndarray,
    unit: str,
    names: tuple[str, ...],
) -> None:
    series = LandmarkSeries(np.arange(4) / 30.0, values, confidence, names, unit)
    path = tmp_path_factory.mktemp("csv") / "any.csv"
    write_landmarks_csv(series, path)
    back = read(path)
    assert back.names == names
    assert back.unit == unit
    np.testing.assert_allclose(back.positions, values, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(back.confidence, confidence, rtol=1e-6, atol=1e-12)


BAD = [
    ("# unit=mm\n", "holds no header row"),
    ("frame,head_x,head_y\n0,1,2\n", "the first column must be time_s, got 'frame'"),
    ("# unit=feet\ntime_s,head_x,head_y\n0,1,2\n", "unit must be one of"),
    ("time_s,hed_x,hed_y\n0,1,2\n", "column 2 'hed_x': expected <landmark>_x"),
    ("time_s,head_x,head_w\n0,1,2\n", "column 3 'head_w'"),
    ("time_s,head_x\n0,1\n", "head needs both head_x and head_y"),
    ("time_s,head_x,head_y,head_x\n0,1,2,3\n", "column 'head_x' appears twice"),
    ("time_s,head_x,head_y,head_z,neck_x,neck_y\n0,1,2,3,4,5\n", "neck has no neck_z"),
    ("time_s\n0\n", "holds no landmark columns"),
    ("time_s,head_x,head_y\n", "has a header but no frames"),
    ("time_s,head_x,head_y\n0,1,2\n0.1,1,2,3\n", "row 3 has 4 values, the header has 3"),
    ("time_s,head_x,head_y\n0,1,2\n0.1,1,nan?\n", "row 3, column head_y: 'nan?' is not"),
    ("time_s,head_x,head_y\n0.1,1,2\n0.1,1,2\n", "time stamps must increase strictly"),
    ("time_s,head_x,head_y\n,1,2\n", "every time stamp must be a finite number"),
    ("time_s,head_x,head_y,head_c\n0,1,2,1.5\n", "confidence: values must lie between 0 and 1"),
]


@pytest.mark.parametrize(("content", "problem"), BAD)
def test_bad_landmark_files_get_one_line(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(InvalidInput) as error:
        read(path)
    assert problem in str(error.value)
    assert error.value.field == str(path)
    assert "\n" not in str(error.value)


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.mkdir()  # the finished file cannot take the place of a folder
    with pytest.raises(IsADirectoryError):
        write_landmarks_csv(simulate_motion(duration_s=0.2), target)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]

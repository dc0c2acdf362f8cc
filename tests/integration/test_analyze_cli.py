"""``spinecoach analyze`` and ``spinecoach landmarks`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinecoach.adapters.sensors.landmarks_csv import write_landmarks_csv
from spinecoach.analysis.simulate import repetition_course, simulate_motion
from tests.cli_helpers import fails, ok
from tests.conftest import SHARED_DATA

needs_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason="../shared/data (real recordings) is not here"
)


@pytest.fixture
def arm_raises(tmp_path: Path) -> Path:
    series = simulate_motion(
        duration_s=22.0,
        arm_elevation_left_deg=lambda t: repetition_course(t, amplitude=150.0, reps=4),
        trunk_sagittal_deg=lambda t: repetition_course(t, amplitude=12.0, reps=4),
    )
    path = tmp_path / "arm_raises.csv"
    write_landmarks_csv(series, path)
    return path


def test_json_report_has_the_documented_fields(arm_raises: Path) -> None:
    report = json.loads(
        ok("analyze", str(arm_raises), "--exercise", "standing_arm_raise", "--json")
    )
    for key in (
        "exercise",
        "frames",
        "duration_s",
        "quality",
        "correct",
        "reps",
        "faults",
        "metrics",
    ):
        assert key in report, key
    assert report["exercise"] == "standing_arm_raise"
    assert len(report["reps"]) == 4
    assert report["correct"] is False
    assert {f["id"] for f in report["faults"]} == {"back_arches"}
    assert report["metrics"]["trunk_sagittal_excursion_deg"]["unit"] == "deg"
    assert 0 <= report["quality"] <= 1


def test_text_report_and_plot(arm_raises: Path, tmp_path: Path) -> None:
    plot = tmp_path / "analysis.png"
    out = ok("analyze", str(arm_raises), "--exercise", "standing_arm_raise", "--plot", str(plot))
    assert "Standing arm raise" in out
    assert "needs work" in out
    assert plot.stat().st_size > 10_000


def test_a_library_exercise_brings_its_own_criteria_and_fault_names(arm_raises: Path) -> None:
    out = ok("analyze", str(arm_raises), "--exercise", "bird_dog")
    assert "trunk_sagittal_excursion_deg" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exercise", "juggling"], "no analyzer for 'juggling'"),
        (["--exercise", "bird_dog", "--format", "mp3"], "--format"),
        (["--exercise", "bird_dog", "--plot", "out.gif"], "--plot"),
    ],
)
def test_bad_options_are_one_line(arm_raises: Path, args: list[str], message: str) -> None:
    assert message in fails("analyze", str(arm_raises), *args)


def test_unreadable_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("hello\n")
    assert "unknown recording format" in fails("analyze", str(bad), "--exercise", "bird_dog")


def test_landmarks_refuses_an_output_it_could_not_write(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    video.write_bytes(b"")
    assert "--output" in fails("landmarks", str(video), "-o", str(tmp_path / "out.json"))


@needs_data
@pytest.mark.shared_data
def test_real_keraal_kinect_recording(tmp_path: Path) -> None:
    path = (
        SHARED_DATA / "keraal/Skeleton_Kinect/rotationTronc/sub01_trial01/VideoColor_Correct0.txt"
    )
    report = json.loads(ok("analyze", str(path), "--exercise", "trunk_rotation", "--json"))
    assert report["view"] == "3d"
    assert len(report["reps"]) >= 2

"""Recording readers: synthetic files with known content, real KERAAL and UI-PRMD files, and
every kind of bad file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import detect_format, read_recording
from spinecoach.adapters.sensors.landmarks_csv import write_landmarks_csv
from spinecoach.analysis.pose.signals import kinematic_signals
from spinecoach.analysis.simulate import camera_view_of, simulate_motion
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA

KERAAL = SHARED_DATA / "keraal"
UIPRMD = SHARED_DATA / "uiprmd"
needs_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason="../shared/data (real recordings) is not here"
)


def test_landmarks_csv_round_trip(tmp_path: Path) -> None:
    series = simulate_motion(duration_s=1.0, trunk_sagittal_deg=12.0, gap_fraction=0.05)
    path = tmp_path / "motion.csv"
    write_landmarks_csv(series, path)
    back = read_recording(path)
    assert detect_format(path) == "landmarks-csv"
    assert back.names == series.names
    assert back.unit == "m"
    np.testing.assert_allclose(back.time, series.time, atol=1e-6)
    np.testing.assert_allclose(back.positions, series.positions, atol=1e-6, equal_nan=True)
    np.testing.assert_allclose(back.confidence, series.confidence)


def test_two_dimensional_csv_keeps_its_unit(tmp_path: Path) -> None:
    series = camera_view_of(simulate_motion(duration_s=0.5), "side")
    path = tmp_path / "side.csv"
    write_landmarks_csv(series, path)
    back = read_recording(path, format="landmarks-csv")
    assert back.dims == 2
    assert back.unit == "image_height"


def _kinect_row(z: float) -> str:
    joints = np.zeros((25, 7))
    joints[:, :3] = np.random.default_rng(0).normal(size=(25, 3))
    joints[0, :3] = (0.1, -0.5, z)  # spine base
    joints[7] = 0.0  # a hand not tracked
    return " ".join(f"{v:.6f}" for v in joints.ravel())


def test_kinect_text_is_turned_to_face_the_camera(tmp_path: Path) -> None:
    path = tmp_path / "kinect.txt"
    path.write_text("\n".join(_kinect_row(3.0 + i * 0.01) for i in range(5)) + "\n")
    series = read_recording(path)
    assert detect_format(path) == "kinect-keraal"
    pelvis = series.point("pelvis")
    np.testing.assert_allclose(pelvis[0], [-0.1, -0.5, -3.0])  # x and z flipped, y kept
    assert series.rate_hz == pytest.approx(20.0)


def test_vicon_text_is_turned_y_up(tmp_path: Path) -> None:
    targets = np.zeros((17, 7))
    targets[:, :3] = 1.0
    targets[13, :3] = (500.0, 200.0, 900.0)  # hips: x, y, z with z up
    path = tmp_path / "vicon.txt"
    path.write_text(" ".join(f"{v:.3f}" for v in targets.ravel()) + "\n")
    series = read_recording(path)
    assert series.unit == "mm"
    np.testing.assert_allclose(series.point("pelvis")[0], [200.0, 900.0, 500.0])


def test_openpose_people_files_in_pixels(tmp_path: Path) -> None:
    keypoints = np.zeros((25, 3))
    keypoints[1] = (320, 100, 0.9)  # neck
    keypoints[8] = (320, 300, 0.9)  # mid-hip (not mapped)
    keypoints[12] = (340, 300, 0.8)  # left hip
    frame = {"people": [{"pose_keypoints_2d": keypoints.ravel().tolist()}]}
    folder = tmp_path / "openpose"
    folder.mkdir()
    for i in range(3):
        (folder / f"f_{i:04d}_keypoints.json").write_text(json.dumps(frame))
    series = read_recording(folder)
    assert series.unit == "px"
    assert series.dims == 2
    assert series.frames == 3
    np.testing.assert_allclose(series.point("left_hip")[0], [340.0, -300.0])
    assert series.visibility("left_hip")[0] == pytest.approx(0.8)
    assert np.isnan(series.point("right_hip")).all()


def test_c3d_markers_by_plug_in_gait_names(tmp_path: Path) -> None:
    ezc3d = pytest.importorskip("ezc3d")
    c3d = ezc3d.c3d()
    labels = ["Subj:LASI", "Subj:RASI", "LSHO", "RSHO"]
    c3d["parameters"]["POINT"]["RATE"]["value"] = [100.0]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = labels
    c3d["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    points = np.ones((4, len(labels), 10))
    points[:3, 0, :] = np.array([[100.0], [50.0], [900.0]])  # LASI: x, y, z (z up)
    c3d["data"]["points"] = points
    path = tmp_path / "trial.c3d"
    c3d.write(str(path))
    series = read_recording(path)
    assert series.rate_hz == pytest.approx(100.0)
    np.testing.assert_allclose(series.point("left_hip")[0], [50.0, 900.0, 100.0])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "is empty"),
        ("1 2 3\n", "unknown recording format"),
        ('{"positions": {"1": {"Nose": "a"}}}', "expected [x, y, z]"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_files_get_one_line_naming_the_file(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(
        InvalidInput, match=problem.replace("[", r"\[").replace("]", r"\]")
    ) as error:
        read_recording(path)
    assert str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_truncated_kinect_row_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "kinect.txt"
    path.write_text(_kinect_row(3.0) + "\n" + "0 " * 150 + "\n")
    with pytest.raises(InvalidInput, match="row 2 has 150 values, expected 175"):
        read_recording(path, format="kinect-keraal")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        read_recording(tmp_path / "nothing.txt")
    with pytest.raises(InvalidInput, match="folder"):
        read_recording(tmp_path)


def test_unknown_format_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("time_s\n")
    with pytest.raises(InvalidInput, match="--format"):
        read_recording(path, format="kinect-v1")


@needs_data
@pytest.mark.shared_data
def test_one_keraal_recording_lasts_the_same_in_every_modality() -> None:
    folder = "cacheTete/sub01_trial01"
    durations = {}
    for modality, name in (
        ("Skeleton_Blazepose", "VideoColor_Correct0.txt"),
        ("Skeleton_Kinect", "VideoColor_Correct0.txt"),
        ("Skeleton_Vicon", "SkeletonVicon_Correct0.txt"),
    ):
        series = read_recording(KERAAL / modality / folder / name)
        durations[modality] = series.duration_s
        head = series.point("head")[:, 1]
        base = (
            series.point("pelvis")
            if series.has("pelvis")
            else series.midpoint("left_hip", "right_hip")
        )
        assert np.nanmedian(head - base[:, 1]) > 0, modality  # head above the pelvis
    assert max(durations.values()) / min(durations.values()) < 1.03, durations


@needs_data
@pytest.mark.shared_data
def test_keraal_formats_are_detected() -> None:
    base = KERAAL / "Skeleton_{}" / "rotationTronc" / "sub01_trial01" / "{}"
    expected = {
        ("Blazepose", "VideoColor_Correct0.txt"): "blazepose-json",
        ("Kinect", "VideoColor_Correct0.txt"): "kinect-keraal",
        ("Vicon", "SkeletonVicon_Correct0.txt"): "vicon-keraal",
        ("Openpose", "VideoColor_Correct0.txt"): "openpose-json",
    }
    for (modality, name), fmt in expected.items():
        assert detect_format(Path(str(base).format(modality, name))) == fmt


@needs_data
@pytest.mark.shared_data
@pytest.mark.parametrize("movement", ["m01", "m05", "m07"])
def test_uiprmd_skeleton_rebuilt_by_forward_kinematics_is_anatomical(movement: str) -> None:
    path = (
        UIPRMD
        / "Segmented Movements"
        / "Kinect"
        / "Positions"
        / f"{movement}_s02_e03_positions.txt.gz"
    )
    series = read_recording(path)
    assert detect_format(path) == "uiprmd-kinect"
    first = {name: series.point(name)[0] for name in series.names}
    height = first["head"][1] - min(first["left_foot"][1], first["right_foot"][1])
    assert 1.3 < height < 2.0
    for joint, parent in (("knee", "hip"), ("ankle", "knee"), ("elbow", "shoulder")):
        left = np.linalg.norm(
            series.point(f"left_{joint}") - series.point(f"left_{parent}"), axis=1
        )
        right = np.linalg.norm(
            series.point(f"right_{joint}") - series.point(f"right_{parent}"), axis=1
        )
        assert abs(np.median(left) - np.median(right)) < 0.05, joint
    signals = kinematic_signals(series)
    if movement == "m01":  # deep squat: the pelvis goes down and comes back
        pelvis = series.point("pelvis")[:, 1]
        assert pelvis.max() - pelvis.min() > 0.3
        assert abs(pelvis[0] - pelvis[-1]) < 0.1
    if movement == "m05":  # sit to stand: the knees straighten from > 80°
        knees = signals.channel("knee_flexion_left_deg")
        assert np.nanmax(knees) > 80
        assert np.nanmin(knees) < 30
    if movement == "m07":  # shoulder abduction: a wrist rises above its shoulder
        rise = series.point("right_wrist")[:, 1] - series.point("right_shoulder")[:, 1]
        assert rise.max() > 0.2


def test_uiprmd_needs_its_angles_sibling(tmp_path: Path) -> None:
    folder = tmp_path / "Positions"
    folder.mkdir()
    path = folder / "m01_s01_e01_positions.txt.gz"
    path.write_bytes(gzip.compress(b"0," * 65 + b"0\n"))
    with pytest.raises(InvalidInput, match="no matching angles file"):
        read_recording(path)

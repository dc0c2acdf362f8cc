"""KERAAL readers (BlazePose JSON, Kinect v2 text, Vicon text, and its OpenPose JSON): known
values back from synthetic files, and plausible anatomy, rates and durations on real ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from spinecoach.adapters.sensors import detect_format, read_recording
from spinecoach.adapters.sensors.keraal import read_blazepose, read_kinect, read_vicon
from spinecoach.analysis.pose.signals import kinematic_signals
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA
from tests.integration.test_sensor_readers import (
    BLAZEPOSE_FRAME,
    kinect_joints,
    table_text,
    vicon_targets,
)

KERAAL = SHARED_DATA / "keraal"
needs_keraal = pytest.mark.skipif(
    not KERAAL.is_dir(), reason=f"KERAAL recordings not found at {KERAAL}"
)
ASPECT = 16 / 9


# --- synthetic files -------------------------------------------------------------------------


def test_kinect_is_turned_to_face_the_camera(tmp_path: Path) -> None:
    joints = kinect_joints(4)
    joints[2, 7] = 0.0  # HandLeft, not mapped
    joints[1, 6] = 0.0  # WristLeft not tracked in frame 1
    path = tmp_path / "kinect.txt"
    path.write_text(table_text(joints))
    series = read_kinect(path)
    assert series.unit == "m"
    assert series.frames == 4
    np.testing.assert_allclose(series.time, [0.0, 0.05, 0.1, 0.15])
    # SpineBase (joint 0) at (0.1, 0.5, 2.0) in camera space -> x and z change sign.
    np.testing.assert_allclose(series.point("pelvis")[0], [-0.1, 0.5, -2.0])
    np.testing.assert_allclose(series.point("thorax")[3], [-0.3, 0.5 - 0.8, -2.03])
    wrist = series.point("left_wrist")
    assert np.isnan(wrist[1]).all()
    assert series.visibility("left_wrist").tolist() == [1.0, 0.0, 1.0, 1.0]
    assert set(series.names) >= {"pelvis", "spine_mid", "thorax", "neck", "head"}


def test_kinect_and_vicon_rates_are_options(tmp_path: Path) -> None:
    kinect, vicon = tmp_path / "k.txt", tmp_path / "v.txt"
    kinect.write_text(table_text(kinect_joints(3)))
    vicon.write_text(table_text(vicon_targets(3)))
    assert read_kinect(kinect, rate_hz=30.0).time[-1] == pytest.approx(2 / 30)
    assert read_vicon(vicon).time[-1] == pytest.approx(2 / 40)
    assert read_vicon(vicon, rate_hz=100.0).time[-1] == pytest.approx(0.02)


def test_vicon_is_turned_y_up_keeping_right_handedness(tmp_path: Path) -> None:
    targets = vicon_targets(3)
    targets[1, 14, :3] = 0.0  # the head target lost in frame 1
    path = tmp_path / "vicon.txt"
    path.write_text(table_text(targets))
    series = read_vicon(path)
    assert series.unit == "mm"
    np.testing.assert_allclose(series.time, [0.0, 0.025, 0.05])
    # hips (target 13) at lab (513, 70, 900 + frame): (x, y, z) -> (y, z, x)
    np.testing.assert_allclose(series.point("pelvis")[2], [70.0, 902.0, 513.0])
    np.testing.assert_allclose(series.point("right_wrist")[0], [110.0, 900.0, 509.0])
    assert np.isnan(series.point("head")[1]).all()
    assert series.visibility("head").tolist() == [1.0, 0.0, 1.0]
    # segment targets are not joints: no elbows, knees or hips
    assert not {"left_elbow", "left_knee", "left_hip"} & set(series.names)


def test_vicon_rotation_is_a_proper_rotation() -> None:
    """The relabelling (x, y, z) -> (y, z, x) has determinant +1."""
    rotation = np.eye(3)[[1, 2, 0]]
    assert np.linalg.det(rotation) == pytest.approx(1.0)


def _blazepose_file(path: Path, frames: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"positions": frames}))
    return path


def test_blazepose_known_point_back_in_image_height_units(tmp_path: Path) -> None:
    path = _blazepose_file(tmp_path / "b.json", {"1": BLAZEPOSE_FRAME, "2": BLAZEPOSE_FRAME})
    plain = read_blazepose(path, unmirror=False)
    assert plain.unit == "image_height"
    np.testing.assert_allclose(plain.time, [0.0, 0.05])
    # left_shoulder is BlazePose landmark 11: x = 0.41, y = 0.365, z = -0.1
    np.testing.assert_allclose(
        plain.point("left_shoulder")[0], [0.41 * ASPECT, 1 - 0.365, 0.1 * ASPECT]
    )
    # head = mid-ears (7, 8): x = 0.375, y = 0.3125
    np.testing.assert_allclose(plain.point("head")[0][:2], [0.375 * ASPECT, 1 - 0.3125])
    np.testing.assert_allclose(plain.confidence, 1.0)


def test_blazepose_unmirroring_reflects_x_and_exchanges_sides(tmp_path: Path) -> None:
    path = _blazepose_file(tmp_path / "b.json", {"1": BLAZEPOSE_FRAME})
    camera = read_blazepose(path)  # KERAAL default: un-mirrored
    # the point labelled right_shoulder (12: x = 0.42) is the person's left, at 1 - 0.42
    np.testing.assert_allclose(
        camera.point("left_shoulder")[0], [(1 - 0.42) * ASPECT, 1 - 0.38, 0.1 * ASPECT]
    )
    assert "un-mirrored" in camera.source


def test_blazepose_visibility_forms_and_missing_points(tmp_path: Path) -> None:
    listed = {name: [*value, 0.25] for name, value in BLAZEPOSE_FRAME.items()}
    mediapipe = {
        name: {"x": v[0], "y": v[1], "z": v[2], "visibility": 0.5}
        for name, v in BLAZEPOSE_FRAME.items()
    }
    partial = {k: v for k, v in BLAZEPOSE_FRAME.items() if k != "Left_wrist"}
    path = _blazepose_file(tmp_path / "b.json", {"3": listed, "1": mediapipe, "2": partial})
    series = read_blazepose(path, unmirror=False, rate_hz=10.0)
    np.testing.assert_allclose(series.time, [0.0, 0.1, 0.2])  # keys 1, 2, 3 in order
    assert series.visibility("left_shoulder").tolist() == [0.5, 1.0, 0.25]
    assert series.visibility("left_wrist").tolist() == [0.5, 0.0, 0.25]
    assert np.isnan(series.point("left_wrist")[1]).all()
    np.testing.assert_allclose(series.point("left_shoulder")[0], series.point("left_shoulder")[2])


def test_blazepose_with_visibility_on_every_point(tmp_path: Path) -> None:
    frame = {name: [*value, 0.75] for name, value in BLAZEPOSE_FRAME.items()}
    path = _blazepose_file(tmp_path / "b.json", {"1": frame, "2": frame})
    series = read_blazepose(path, unmirror=False)
    np.testing.assert_allclose(series.confidence, 0.75)
    np.testing.assert_allclose(
        series.point("left_shoulder")[1], [0.41 * ASPECT, 0.635, 0.1 * ASPECT]
    )


def test_blazepose_names_are_matched_whatever_their_case(tmp_path: Path) -> None:
    lower = {name: [0.5, 0.5, 0.0] for name in BLAZEPOSE_NAMES}
    upper = {name.upper(): [0.5, 0.5, 0.0] for name in BLAZEPOSE_NAMES}
    for frame in (lower, upper):
        path = _blazepose_file(tmp_path / "b.json", {"1": frame})
        assert read_blazepose(path).has("left_ankle")


def test_blazepose_without_landmark_names_is_refused(tmp_path: Path) -> None:
    path = _blazepose_file(tmp_path / "b.json", {"1": {"Elbow": [0.1, 0.2, 0.3]}})
    with pytest.raises(InvalidInput, match="no BlazePose landmark names"):
        read_blazepose(path)
    with pytest.raises(InvalidInput, match="aspect_ratio"):
        read_blazepose(_blazepose_file(tmp_path / "c.json", {"1": BLAZEPOSE_FRAME}), aspect_ratio=0)


# --- real recordings -------------------------------------------------------------------------


def _keraal(modality: str, exercise: str, name: str) -> Path:
    prefix = "SkeletonVicon_" if modality == "Vicon" else "VideoColor_"
    return KERAAL / f"Skeleton_{modality}" / exercise / "sub01_trial01" / f"{prefix}{name}.txt"


def _median(values: np.ndarray) -> float:
    return float(np.nanmedian(values))


# modality -> (format, frames, rate, shoulder width range, head-above-pelvis range) for
# cacheTete Correct0; widths and heights in the modality's unit (m, mm, image heights).
REAL = {
    "Blazepose": ("blazepose-json", 197, 20.0, (0.08, 0.2), (0.1, 0.4)),
    "Kinect": ("kinect-keraal", 197, 20.0, (0.25, 0.45), (0.45, 0.8)),
    "Vicon": ("vicon-keraal", 390, 40.0, (150.0, 450.0), (450.0, 800.0)),
    "Openpose": ("openpose-json", 197, 20.0, (0.08, 0.2), (0.1, 0.4)),
}


@needs_keraal
@pytest.mark.shared_data
@pytest.mark.parametrize("modality", list(REAL))
def test_real_keraal_files_read_as_plausible_anatomy(modality: str) -> None:
    fmt, frames, rate, widths, heights = REAL[modality]
    path = _keraal(modality, "cacheTete", "Correct0")
    assert detect_format(path) == fmt
    series = read_recording(path)
    assert series.frames == frames
    np.testing.assert_allclose(np.diff(series.time), 1 / rate)
    assert series.time[0] == 0.0
    head = series.point("head") if series.has("head") else series.point("nose")
    pelvis = series.point("pelvis")
    if not series.has("pelvis"):
        pelvis = series.midpoint("left_hip", "right_hip")
    assert heights[0] < _median(head[:, 1] - pelvis[:, 1]) < heights[1]
    shoulders = series.point("left_shoulder") - series.point("right_shoulder")
    assert widths[0] < _median(np.linalg.norm(shoulders, axis=1)) < widths[1]
    # facing the camera, the subject's left is at larger x in every modality
    assert _median(shoulders[:, 0]) > 0.5 * widths[0]


@needs_keraal
@pytest.mark.shared_data
def test_one_keraal_recording_lasts_the_same_in_every_modality() -> None:
    """Validates the derived rates: 20 Hz Kinect/BlazePose/OpenPose, 40 Hz Vicon."""
    for exercise, name in (("cacheTete", "Correct0"), ("rotationTronc", "Error1Bodypart2_1")):
        durations = {m: read_recording(_keraal(m, exercise, name)).duration_s for m in REAL}
        assert max(durations.values()) / min(durations.values()) < 1.03, durations


@needs_keraal
@pytest.mark.shared_data
def test_keraal_openpose_padding_is_cut_to_the_recording() -> None:
    path = _keraal("Openpose", "cacheTete", "Correct0")
    assert read_recording(path).frames == 197
    assert read_recording(path, trim_to_sibling=False).frames == 264
    assert read_recording(path, frames=100).frames == 100


@needs_keraal
@pytest.mark.shared_data
def test_keraal_sides_agree_across_modalities() -> None:
    """Flank stretch: each wrist's height above its shoulder follows the Kinect's same wrist
    in every other modality (BlazePose and OpenPose un-mirrored)."""
    series = {m: read_recording(_keraal(m, "etirementLateraux", "Correct1")) for m in REAL}
    time = series["Kinect"].time

    def rise(one: LandmarkSeries, side: str) -> np.ndarray:
        lift = one.point(f"{side}_wrist")[:, 1] - one.point(f"{side}_shoulder")[:, 1]
        keep = np.isfinite(lift)
        return np.interp(time, one.time[keep], lift[keep])

    for side in ("left", "right"):
        reference = rise(series["Kinect"], side)
        for modality in ("Blazepose", "Openpose", "Vicon"):
            agreement = np.corrcoef(reference, rise(series[modality], side))[0, 1]
            assert agreement > 0.8, (side, modality, agreement)


@needs_keraal
@pytest.mark.shared_data
def test_unmirrored_blazepose_turns_the_trunk_the_same_way_as_the_kinect() -> None:
    kinect = read_recording(_keraal("Kinect", "rotationTronc", "Correct0"))
    frames = kinect.frames
    blazepose = read_recording(_keraal("Blazepose", "rotationTronc", "Correct0"))
    turn = kinematic_signals(kinect).channel("trunk_rotation_deg")
    seen = kinematic_signals(blazepose).channel("trunk_rotation_deg")
    count = min(frames, blazepose.frames)
    keep = np.isfinite(turn[:count]) & np.isfinite(seen[:count])
    assert keep.sum() > 150
    assert np.corrcoef(turn[:count][keep], seen[:count][keep])[0, 1] > 0.8

"""OpenPose reader: KERAAL's normalised JSON and OpenPose's own per-frame output (COCO-18,
BODY-25; one file or a folder), with known keypoints back in the common convention."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import detect_format
from spinecoach.adapters.sensors.openpose import read, sibling_frame_count
from spinecoach.domain.errors import InvalidInput
from tests.integration.test_sensor_readers import (
    kinect_text,
    openpose_keraal,
    openpose_people,
)

ASPECT = 16 / 9


def test_keraal_layout_in_image_height_units_y_up(tmp_path: Path) -> None:
    path = tmp_path / "o.txt"
    path.write_text(openpose_keraal(3))
    series = read(path, unmirror=False)
    assert series.unit == "image_height"
    assert series.dims == 2
    np.testing.assert_allclose(series.time, [0.0, 0.05, 0.1])
    np.testing.assert_allclose(series.point("left_wrist")[0], [0.6 * ASPECT, 0.7])
    np.testing.assert_allclose(series.point("nose")[0], [0.5 * ASPECT, 0.5])  # "Head"
    assert not series.has("head")
    np.testing.assert_allclose(series.confidence, 1.0)


def test_keraal_layout_is_unmirrored_by_default(tmp_path: Path) -> None:
    path = tmp_path / "o.txt"
    path.write_text(openpose_keraal(1))
    series = read(path)
    # the keypoint labelled rWrist (x 0.4) is the person's left wrist, at 1 - 0.4
    np.testing.assert_allclose(series.point("left_wrist")[0], [0.6 * ASPECT, 0.65])
    np.testing.assert_allclose(series.point("right_wrist")[0], [0.4 * ASPECT, 0.7])


def test_keraal_layout_is_cut_to_its_siblings_length(tmp_path: Path) -> None:
    trial = Path("cacheTete") / "sub01_trial01" / "VideoColor_Correct0.txt"
    openpose = tmp_path / "Skeleton_Openpose" / trial
    kinect = tmp_path / "Skeleton_Kinect" / trial
    blazepose = tmp_path / "Skeleton_Blazepose" / trial
    for path in (openpose, kinect, blazepose):
        path.parent.mkdir(parents=True)
    openpose.write_text(openpose_keraal(10))
    assert sibling_frame_count(openpose) is None
    assert read(openpose).frames == 10
    kinect.write_text(kinect_text(6))
    blazepose.write_text(json.dumps({"positions": {str(i): {} for i in range(1, 8)}}))
    assert sibling_frame_count(openpose) == 7  # the larger of 7 (BlazePose) and 6 (Kinect)
    assert read(openpose).frames == 7
    assert read(openpose, trim_to_sibling=False).frames == 10
    assert read(openpose, frames=3).frames == 3


@pytest.mark.parametrize("count", [18, 25])
def test_openpose_output_folder_in_pixels(tmp_path: Path, count: int) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    # written out of order, and with a frame number past 9 to check the natural sort
    for index in (10, 2, 1):
        frame = openpose_people(count, scale=index / 10)
        (folder / f"clip_{index}_keypoints.json").write_text(json.dumps(frame))
    series = read(folder, rate_hz=25.0)
    assert detect_format(folder) == "openpose-json"
    assert series.unit == "px"
    np.testing.assert_allclose(series.time, [0.0, 0.04, 0.08])
    np.testing.assert_allclose(series.visibility("neck"), [0.08, 0.16, 0.8])
    np.testing.assert_allclose(series.point("neck")[0], [101.0, -202.0])  # keypoint 1, y up
    hip = 12 if count == 25 else 11
    np.testing.assert_allclose(series.point("left_hip")[0], [100.0 + hip, -(200.0 + 2 * hip)])
    ears = (17, 18) if count == 25 else (16, 17)
    np.testing.assert_allclose(
        series.point("head")[0], [100 + np.mean(ears), -200 - 2 * np.mean(ears)]
    )
    assert series.has("pelvis") == (count == 25)
    assert series.has("left_heel") == (count == 25)


def test_one_openpose_frame_file_and_its_default_rate(tmp_path: Path) -> None:
    path = tmp_path / "f_keypoints.json"
    path.write_text(json.dumps(openpose_people()))
    series = read(path)
    assert series.frames == 1
    assert series.time.tolist() == [0.0]
    assert detect_format(path) == "openpose-json"


def test_openpose_takes_the_most_confident_person_and_drops_unseen_points(tmp_path: Path) -> None:
    sure = openpose_people()["people"][0]  # type: ignore[index]
    doubtful = openpose_people(scale=0.5)["people"][0]  # type: ignore[index]
    doubtful["pose_keypoints_2d"] = [
        v + 1000 * (i % 3 != 2) for i, v in enumerate(doubtful["pose_keypoints_2d"])
    ]
    sure["pose_keypoints_2d"][3 * 4 : 3 * 4 + 3] = [0.0, 0.0, 0.0]  # right wrist unseen
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "a_0_keypoints.json").write_text(json.dumps({"people": [doubtful, sure]}))
    (folder / "a_1_keypoints.json").write_text(json.dumps({"people": []}))
    series = read(folder)
    np.testing.assert_allclose(series.point("neck")[0], [101.0, -202.0])
    assert np.isnan(series.point("right_wrist")[0]).all()
    assert series.visibility("right_wrist")[0] == 0.0
    assert np.isnan(series.positions[1]).all()  # nobody in the second frame
    mirrored = read(folder, unmirror=True)
    np.testing.assert_allclose(mirrored.point("right_shoulder")[0], [-105.0, -210.0])


def test_openpose_frames_must_agree_on_their_model(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "a_0.json").write_text(json.dumps(openpose_people(25)))
    (folder / "a_1.json").write_text(json.dumps(openpose_people(18)))
    with pytest.raises(InvalidInput, match=r"a_1\.json: 18 keypoints, earlier frames have 25"):
        read(folder)


def test_openpose_folder_without_frames_and_bad_options(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"without OpenPose \.json frame files"):
        read(tmp_path)
    path = tmp_path / "o.txt"
    path.write_text(openpose_keraal(2))
    with pytest.raises(InvalidInput, match="frames: must be at least 1"):
        read(path, frames=0)
    with pytest.raises(InvalidInput, match="rate_hz"):
        read(path, rate_hz=-1.0)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"skeletons": []}))
    with pytest.raises(InvalidInput, match='expected "positions" or "people"'):
        read(other)

"""KERAAL recordings (de Mauroy et al. 2022; Nguyen et al. 2024): BlazePose JSON, Kinect v2
text and Vicon rigid-target text, mapped onto the common landmarks (docs/formats.md).

Frame rates are not in the files; they were worked out from the data: the anonymised videos
are 20 fps and the BlazePose and Kinect files have exactly one row per video frame (197 frames
for 197 video frames in cacheTete Correct0), while the Vicon files have about twice as many
rows for the same recording (390), so 40 Hz.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import frame_times, numeric_rows, read_json
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES, blazepose_series
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput

VIDEO_RATE_HZ = 20.0
KINECT_RATE_HZ = 20.0
VICON_RATE_HZ = 40.0
# KERAAL's videos are 960 × 540.
KERAAL_ASPECT_RATIO = 960 / 540

KINECT_JOINTS = 25
KINECT_VALUES = 7  # x, y, z (m), then an orientation quaternion
# Kinect v2 joint order -> common landmark (joints without a counterpart are left out).
_KINECT_TO_COMMON = {
    0: "pelvis",  # SpineBase
    1: "spine_mid",
    2: "neck",
    3: "head",
    4: "left_shoulder",
    5: "left_elbow",
    6: "left_wrist",
    8: "right_shoulder",
    9: "right_elbow",
    10: "right_wrist",
    12: "left_hip",
    13: "left_knee",
    14: "left_ankle",
    15: "left_foot",
    16: "right_hip",
    17: "right_knee",
    18: "right_ankle",
    19: "right_foot",
    20: "thorax",  # SpineShoulder
}

VICON_TARGETS = 17
VICON_VALUES = 7  # x, y, z (mm), then quaternion x, y, z, w
# Vicon target order -> common landmark. The arm, forearm, thigh and tibia targets are rigid
# bodies fixed to the middle of their segments, not joints, so they are not mapped; the hand
# and foot targets stand in for the wrist and the foot.
_VICON_TO_COMMON = {
    4: "thorax",  # chest
    7: "right_shoulder",
    8: "left_shoulder",
    9: "right_wrist",
    10: "left_wrist",
    11: "right_foot",
    12: "left_foot",
    13: "pelvis",  # hips
    14: "head",
}


def read_blazepose(
    path: Path,
    *,
    rate_hz: float = VIDEO_RATE_HZ,
    aspect_ratio: float = KERAAL_ASPECT_RATIO,
    mirrored: bool = True,
) -> LandmarkSeries:
    """KERAAL BlazePose JSON: ``{"positions": {"1": {"Nose": [x, y, z], ...}, ...}}``.

    KERAAL's BlazePose labels are mirrored: in a flank stretch the wrist it calls left rises
    when the Vicon's and the Kinect's right hand target rises, and its side-bend has the
    opposite sign to theirs (1.8° RMSE against the Vicon trunk with the sides exchanged, 33°
    without). ``mirrored`` (default True for these files) exchanges the sides back.
    """
    data = read_json(path)
    frames = data.get("positions") if isinstance(data, dict) else None
    if not isinstance(frames, dict) or not frames:
        raise InvalidInput(str(path), 'not a BlazePose JSON file: no "positions" object')
    lookup = {name.lower(): index for index, name in enumerate(BLAZEPOSE_NAMES)}
    keys = sorted(frames, key=_frame_number(path))
    xyz = np.full((len(keys), 33, 3), np.nan)
    visibility = np.zeros((len(keys), 33))
    for row, key in enumerate(keys):
        frame = frames[key]
        if not isinstance(frame, dict):
            raise InvalidInput(str(path), f"frame {key}: expected an object of landmarks")
        for name, value in frame.items():
            index = lookup.get(str(name).lower())
            if index is None:
                continue
            if not _is_point(value, (3, 4)):
                raise InvalidInput(str(path), f"frame {key}, {name}: expected [x, y, z]")
            xyz[row, index] = value[:3]
            visibility[row, index] = value[3] if len(value) == 4 else 1.0
    if np.isnan(xyz).all():
        raise InvalidInput(str(path), "not a BlazePose JSON file: no known landmark names")
    return blazepose_series(
        frame_times(len(keys), rate_hz),
        xyz,
        visibility,
        aspect_ratio=aspect_ratio,
        source=f"BlazePose (KERAAL) {path.name}",
        swap_sides=mirrored,
    )


def _frame_number(path: Path) -> Callable[[str], float]:
    def key(name: str) -> float:
        try:
            return float(name)
        except ValueError:
            raise InvalidInput(str(path), f"frame key {name!r} is not a number") from None

    return key


def _is_point(value: object, lengths: tuple[int, ...]) -> bool:
    return (
        isinstance(value, list)
        and len(value) in lengths
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def read_kinect(path: Path, *, rate_hz: float = KINECT_RATE_HZ) -> LandmarkSeries:
    """KERAAL Kinect v2 text: one frame per row, 25 joints × (x, y, z, quaternion).

    Kinect camera space has y up and z pointing away from the sensor; turning it half a turn
    about y gives the common convention (z towards the camera) and keeps it right-handed. A
    joint of all zeros was not tracked.
    """
    table = numeric_rows(
        path, columns=KINECT_JOINTS * KINECT_VALUES, what="KERAAL Kinect (25 joints × 7)"
    )
    joints = table.reshape(-1, KINECT_JOINTS, KINECT_VALUES)[:, :, :3]
    untracked = np.all(joints == 0, axis=2)
    picked = list(_KINECT_TO_COMMON)
    positions = joints[:, picked] * np.array([-1.0, 1.0, -1.0])
    confidence = (~untracked[:, picked]).astype(np.float64)
    positions[confidence == 0] = np.nan
    return LandmarkSeries(
        frame_times(table.shape[0], rate_hz),
        positions,
        confidence,
        tuple(_KINECT_TO_COMMON.values()),
        "m",
        source=f"Kinect v2 (KERAAL) {path.name}",
    )


def read_vicon(path: Path, *, rate_hz: float = VICON_RATE_HZ) -> LandmarkSeries:
    """KERAAL Vicon text: one frame per row, 17 rigid targets × (x, y, z mm, quaternion).

    The lab's z axis is vertical (the head is ~1.1 m above the feet along it) and y points to
    the subject's left; the cyclic relabelling (x, y, z) -> (y, z, x) makes y up and keeps the
    frame right-handed.
    """
    table = numeric_rows(
        path, columns=VICON_TARGETS * VICON_VALUES, what="KERAAL Vicon (17 targets × 7)"
    )
    targets = table.reshape(-1, VICON_TARGETS, VICON_VALUES)[:, :, :3]
    picked = list(_VICON_TO_COMMON)
    lab = targets[:, picked]
    positions = lab[..., [1, 2, 0]]
    lost = np.all(lab == 0, axis=2)
    positions[lost] = np.nan
    return LandmarkSeries(
        frame_times(table.shape[0], rate_hz),
        positions,
        (~lost).astype(np.float64),
        tuple(_VICON_TO_COMMON.values()),
        "mm",
        source=f"Vicon (KERAAL) {path.name}",
    )

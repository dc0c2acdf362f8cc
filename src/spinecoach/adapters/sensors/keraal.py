"""KERAAL recordings (de Mauroy et al. 2022; Nguyen et al. 2024): BlazePose JSON, Kinect v2
text and Vicon rigid-target text, mapped onto the common landmarks (docs/formats.md).

The files carry no time stamps; the rates were worked out from the data (docs/formats.md):

* the anonymised videos are 20 fps (OpenCV), and the BlazePose and Kinect files have one row
  per video frame (cacheTete Correct0: 197 video frames, 197 BlazePose keys, 197 Kinect rows;
  in the 24 recordings here the two agree within 3 frames, except one BlazePose file 13 frames
  short; the Kinect's count is within 2 frames of the video's in all 8 that have a video);
* the Vicon files have about twice as many rows (390 for that recording): stretching the
  Vicon hand heights in time to best match the Kinect wrist heights gives a median of
  40.25 Hz over the 24 recordings (39.0-42.75; correlation 0.99 on cacheTete), so 40 Hz.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from spinecoach.adapters.sensors.files import (
    check_rate,
    frame_times,
    head_text,
    keyed_frames,
    keyed_times,
    numeric_rows,
    read_json,
    row_width,
    seen_points,
)
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES, SIDE_SWAP, blazepose_series
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

VIDEO_RATE_HZ = 20.0
KINECT_RATE_HZ = 20.0
VICON_RATE_HZ = 40.0
# KERAAL's group-3 videos are 960 x 540 (OpenCV), so normalised x spans 16/9 image heights.
KERAAL_ASPECT_RATIO = 960 / 540

KINECT_JOINTS = 25
KINECT_VALUES = 7  # x, y, z (m), then an orientation quaternion
KINECT_COLUMNS = KINECT_JOINTS * KINECT_VALUES
# Kinect v2 joint index -> common landmark. Hands, hand tips and thumbs have no counterpart.
_KINECT_TO_COMMON = {
    0: "pelvis",  # SpineBase
    1: "spine_mid",  # SpineMid
    2: "neck",  # Neck
    3: "head",  # Head
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
# Kinect camera space -> ours: half a turn about y (x and z change sign), still right-handed.
_KINECT_FLIP = np.array([-1.0, 1.0, -1.0])

VICON_TARGETS = 17
VICON_VALUES = 7  # x, y, z (mm), then quaternion x, y, z, w
VICON_COLUMNS = VICON_TARGETS * VICON_VALUES
# Vicon target index -> common landmark. The arm, forearm, thigh and tibia targets (0-3, 5, 6,
# 15, 16) are rigid bodies strapped to the middle of their segments: they are not joints, and
# without the target-to-joint offsets (not in the files) no elbow or knee can be placed, so
# they are left out. The hand and foot targets stand in for the wrists and the feet.
_VICON_TO_COMMON = {
    4: "thorax",  # chest
    7: "right_shoulder",
    8: "left_shoulder",
    9: "right_wrist",  # right hand
    10: "left_wrist",  # left hand
    11: "right_foot",
    12: "left_foot",
    13: "pelvis",  # hips
    14: "head",
}
# Lab -> ours: z is vertical in the lab (the head target is ~1.15 m above the feet along it)
# and y points to the subject's left; (x, y, z) -> (y, z, x) is a rotation (a cyclic
# relabelling), so y becomes up and the frame stays right-handed.
_VICON_AXES = [1, 2, 0]

_BLAZEPOSE_LOOKUP = {name: index for index, name in enumerate(BLAZEPOSE_NAMES)}
_BLAZEPOSE_KEY = re.compile(
    r'"(' + "|".join(re.escape(name) for name in BLAZEPOSE_NAMES) + r')"\s*:', re.IGNORECASE
)
_MISSING = (np.nan, np.nan, np.nan)


def sniff_blazepose(path: Path) -> bool:
    """A JSON object of frames whose points carry BlazePose's landmark names."""
    text = head_text(path)
    names = {match.lower() for match in _BLAZEPOSE_KEY.findall(text)}
    return text.lstrip().startswith("{") and '"positions"' in text and len(names) >= 3


def sniff_kinect(path: Path) -> bool:
    """Whitespace-separated rows of 175 numbers (25 joints x 7)."""
    return row_width(head_text(path)) == KINECT_COLUMNS


def sniff_vicon(path: Path) -> bool:
    """Whitespace-separated rows of 119 numbers (17 targets x 7)."""
    return row_width(head_text(path)) == VICON_COLUMNS


def read_blazepose(
    path: Path,
    *,
    rate_hz: float = VIDEO_RATE_HZ,
    aspect_ratio: float = KERAAL_ASPECT_RATIO,
    unmirror: bool = True,
) -> LandmarkSeries:
    """KERAAL BlazePose JSON: ``{"positions": {"1": {"Nose": [x, y, z], ...}, ...}}``.

    Keys are video frame numbers (time = (frame - 1) / ``rate_hz``); landmark names match
    BlazePose's regardless of case; x and y are divided by the image width and height, so
    ``aspect_ratio`` (width / height; KERAAL's 960 x 540 videos: 16/9) puts them on one scale.
    A point may also carry its visibility, as ``[x, y, z, visibility]`` or as MediaPipe's
    ``{"x": .., "y": .., "z": .., "visibility": ..}``; without one, a point given is seen
    (confidence 1) and a point absent from a frame is missing.

    KERAAL's BlazePose files were made from a mirror image (the Kinect v2 colour stream), so
    the person's left is on the image's left and BlazePose calls it right: in a flank stretch
    the wrist it labels left rises when the Vicon's and the Kinect's right hand target rises,
    and its trunk rotation correlates -0.95 with the Kinect's (rotationTronc Correct0).
    ``unmirror`` (default True for these files) turns them back into a camera's view: x
    becomes 1 - x and left and right exchange labels (trunk rotation then correlates +0.95;
    exchanging labels alone fixes the sides but leaves a reflected, left-handed skeleton).
    """
    check_rate(rate_hz)
    if not (np.isfinite(aspect_ratio) and aspect_ratio > 0):
        raise InvalidInput("aspect_ratio", f"must be a positive width / height, got {aspect_ratio}")
    frames, numbers = keyed_frames(read_json(path), path, "BlazePose JSON")
    file_keys = _known_keys(frames)
    if not file_keys:
        raise InvalidInput(
            str(path), "not a BlazePose JSON file: no BlazePose landmark names (Nose, ...)"
        )
    points = _points_table(frames, numbers, list(file_keys), path)
    xyz = np.full((len(frames), 33, 3), np.nan)
    visibility = np.zeros((len(frames), 33))
    columns = list(file_keys.values())
    xyz[:, columns] = points[..., :3]
    seen = seen_points(points[..., :3])
    visibility[:, columns] = np.where(seen, np.clip(points[..., 3], 0.0, 1.0), 0.0)
    xyz[:, columns] = np.where(seen[..., None], xyz[:, columns], np.nan)
    if unmirror:
        xyz[..., 0] = 1.0 - xyz[..., 0]
        xyz, visibility = xyz[:, SIDE_SWAP], visibility[:, SIDE_SWAP]
    try:
        return blazepose_series(
            keyed_times(numbers, rate_hz),
            xyz,
            visibility,
            aspect_ratio=aspect_ratio,
            source=f"BlazePose (KERAAL) {path.name}{' (un-mirrored)' if unmirror else ''}",
        )
    except AnalysisError as error:
        raise InvalidInput(str(path), f"{error.field}: {error.problem}") from None


def _known_keys(frames: list[Any]) -> dict[str, int]:
    """File landmark key -> BlazePose index, over the names every frame may use."""
    names: set[str] = set()
    for frame in frames:
        if isinstance(frame, dict):
            names.update(frame)
    found = {name: _BLAZEPOSE_LOOKUP.get(str(name).lower()) for name in names}
    return {name: index for name, index in sorted(found.items()) if index is not None}


def _points_table(
    frames: list[Any], numbers: FloatArray, keys: list[str], path: Path
) -> FloatArray:
    """(frames, keys, 4): x, y, z, visibility. Lists of numbers all of one length take numpy's
    fast path; anything else (mixed forms, objects, errors) goes point by point."""
    if all(isinstance(frame, dict) for frame in frames):
        rows = [[frame.get(key, _MISSING) for key in keys] for frame in frames]
        try:
            table = np.array(rows, dtype=np.float64)
        except (ValueError, TypeError):
            table = np.empty(0)
        if table.ndim == 3 and table.shape[2] == 3:
            return np.concatenate([table, np.ones((*table.shape[:2], 1))], axis=2)
        if table.ndim == 3 and table.shape[2] == 4:  # every point with its visibility
            return table
    out = np.empty((len(frames), len(keys), 4))
    for row, (frame, number) in enumerate(zip(frames, numbers, strict=True)):
        if not isinstance(frame, dict):
            raise InvalidInput(str(path), f"frame {number:g}: expected an object of landmarks")
        for column, key in enumerate(keys):
            out[row, column] = _point(frame.get(key), path, f"frame {number:g}, {key}")
    return out


def _point(value: object, path: Path, where: str) -> tuple[float, float, float, float]:
    if value is None:
        return (np.nan, np.nan, np.nan, 0.0)
    if isinstance(value, dict):
        value = [
            value.get("x"),
            value.get("y"),
            value.get("z", np.nan),
            value.get("visibility", 1.0),
        ]
    if isinstance(value, list | tuple) and len(value) in (3, 4) and all(map(_is_real, value)):
        x, y, z = (float(v) for v in value[:3])
        return (x, y, z, float(value[3]) if len(value) == 4 else 1.0)
    raise InvalidInput(
        str(path),
        f"{where}: expected [x, y, z] or [x, y, z, visibility] numbers, got {value!r:.60}",
    )


def _is_real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_kinect(path: Path, *, rate_hz: float = KINECT_RATE_HZ) -> LandmarkSeries:
    """KERAAL Kinect v2 text: one frame per row, 25 joints x (x, y, z in m, quaternion).

    Kinect camera space has y up and z pointing away from the sensor; half a turn about y
    gives the common convention (z towards the camera) and keeps it right-handed. A joint of
    all zeros was not tracked (missing, confidence 0); the files hold no tracking state, so a
    joint given has confidence 1. The orientations are not used.
    """
    check_rate(rate_hz)
    table = numeric_rows(path, columns=KINECT_COLUMNS, what="KERAAL Kinect (25 joints x 7)")
    joints = table.reshape(-1, KINECT_JOINTS, KINECT_VALUES)[:, list(_KINECT_TO_COMMON), :3]
    return _series(
        joints * _KINECT_FLIP,
        joints,
        rate_hz,
        tuple(_KINECT_TO_COMMON.values()),
        "m",
        f"Kinect v2 (KERAAL) {path.name}",
    )


def read_vicon(path: Path, *, rate_hz: float = VICON_RATE_HZ) -> LandmarkSeries:
    """KERAAL Vicon text: one frame per row, 17 rigid targets x (x, y, z in mm, quaternion).

    The lab's z axis is vertical and its y axis points to the subject's left; the rotation
    (x, y, z) -> (y, z, x) makes y up (the subject then faces +z, like a camera's subject). A
    target at exactly (0, 0, 0) was lost (missing). Which targets map where, and why the
    segment targets are left out: see ``_VICON_TO_COMMON``.
    """
    check_rate(rate_hz)
    table = numeric_rows(path, columns=VICON_COLUMNS, what="KERAAL Vicon (17 targets x 7)")
    targets = table.reshape(-1, VICON_TARGETS, VICON_VALUES)[:, list(_VICON_TO_COMMON), :3]
    return _series(
        targets[..., _VICON_AXES],
        targets,
        rate_hz,
        tuple(_VICON_TO_COMMON.values()),
        "mm",
        f"Vicon (KERAAL) {path.name}",
    )


def _series(
    positions: FloatArray,
    raw: FloatArray,
    rate_hz: float,
    names: tuple[str, ...],
    unit: str,
    source: str,
) -> LandmarkSeries:
    """Missing where the device wrote all zeros or a non-number; confidence 1 elsewhere."""
    lost = np.all(raw == 0, axis=2) | ~np.isfinite(raw).all(axis=2)
    positions = np.where(lost[..., None], np.nan, positions)
    return LandmarkSeries(
        frame_times(positions.shape[0], rate_hz),
        positions,
        (~lost).astype(np.float64),
        names,
        unit,
        source=source,
    )

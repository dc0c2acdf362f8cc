"""OpenPose 2-D keypoints: KERAAL's JSON layout and OpenPose's own per-frame output.

Both are 2-D image coordinates with y down; they become image-height units with y up. OpenPose
gives no depth, so sagittal angles need a side view and frontal ones a front view.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import frame_times, read_json
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

# KERAAL's OpenPose files use short names, normalised coordinates, no confidence.
_KERAAL_NAMES = {
    "Head": "head",
    "mShoulder": "neck",
    "lShoulder": "left_shoulder",
    "rShoulder": "right_shoulder",
    "lElbow": "left_elbow",
    "rElbow": "right_elbow",
    "lWrist": "left_wrist",
    "rWrist": "right_wrist",
    "lHip": "left_hip",
    "rHip": "right_hip",
    "lKnee": "left_knee",
    "rKnee": "right_knee",
    "lAnkle": "left_ankle",
    "rAnkle": "right_ankle",
}
# OpenPose keypoint index -> common landmark, for its COCO-18 and BODY-25 models (the first
# 15 points agree except the mid-hip that BODY-25 inserts at 8).
_COCO18 = {
    0: "nose",
    1: "neck",
    2: "right_shoulder",
    3: "right_elbow",
    4: "right_wrist",
    5: "left_shoulder",
    6: "left_elbow",
    7: "left_wrist",
    8: "right_hip",
    9: "right_knee",
    10: "right_ankle",
    11: "left_hip",
    12: "left_knee",
    13: "left_ankle",
}
_BODY25 = {
    0: "nose",
    1: "neck",
    2: "right_shoulder",
    3: "right_elbow",
    4: "right_wrist",
    5: "left_shoulder",
    6: "left_elbow",
    7: "left_wrist",
    9: "right_hip",
    10: "right_knee",
    11: "right_ankle",
    12: "left_hip",
    13: "left_knee",
    14: "left_ankle",
    19: "left_foot",
    21: "left_heel",
    22: "right_foot",
    24: "right_heel",
}
# KERAAL's OpenPose files carry no frame rate and do not line up frame for frame with its
# 20 fps videos; 30 fps, the usual webcam rate, is assumed (docs/formats.md).
OPENPOSE_RATE_HZ = 30.0
KERAAL_ASPECT_RATIO = 960 / 540


def _to_series(
    points: FloatArray,
    confidence: FloatArray,
    names: tuple[str, ...],
    unit: str,
    rate: float,
    source: str,
) -> LandmarkSeries:
    """Image coordinates (y down) -> y up; missing points (0, 0) or confidence 0 -> NaN."""
    image = points.copy()
    image[..., 1] = (1.0 if unit == "image_height" else 0.0) - image[..., 1]
    lost = (confidence <= 0) | np.all(points == 0, axis=-1)
    image[lost] = np.nan
    return LandmarkSeries(
        frame_times(points.shape[0], rate),
        image,
        np.where(lost, 0.0, confidence),
        names,
        unit,
        source=source,
    )


def read(
    path: Path, *, rate_hz: float = OPENPOSE_RATE_HZ, aspect_ratio: float = KERAAL_ASPECT_RATIO
) -> LandmarkSeries:
    """An OpenPose recording: a KERAAL JSON file, one OpenPose frame file, or a folder of them."""
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise InvalidInput(str(path), "folder holds no OpenPose .json frame files")
        return _read_frames([read_json(f) for f in files], path, rate_hz)
    data = read_json(path)
    if isinstance(data, dict) and isinstance(data.get("positions"), dict):
        return _read_keraal(data["positions"], path, rate_hz, aspect_ratio)
    if isinstance(data, dict) and "people" in data:
        return _read_frames([data], path, rate_hz)
    raise InvalidInput(str(path), 'not an OpenPose file: expected "positions" or "people"')


def _read_keraal(
    frames: dict[str, object], path: Path, rate: float, aspect: float
) -> LandmarkSeries:
    try:
        keys = sorted(frames, key=float)
    except ValueError:
        raise InvalidInput(str(path), "frame keys must be numbers") from None
    names = tuple(_KERAAL_NAMES.values())
    points = np.zeros((len(keys), len(names), 2))
    confidence = np.zeros((len(keys), len(names)))
    for row, key in enumerate(keys):
        frame = frames[key]
        if not isinstance(frame, dict):
            raise InvalidInput(str(path), f"frame {key}: expected an object of keypoints")
        for column, short in enumerate(_KERAAL_NAMES):
            value = frame.get(short)
            if value is None:
                continue
            if not (isinstance(value, list) and len(value) == 2):
                raise InvalidInput(str(path), f"frame {key}, {short}: expected [x, y]")
            points[row, column] = (float(value[0]) * aspect, float(value[1]))
            confidence[row, column] = 1.0
    return _to_series(
        points, confidence, names, "image_height", rate, f"OpenPose (KERAAL) {path.name}"
    )


def _read_frames(frames: list[object], path: Path, rate: float) -> LandmarkSeries:
    """OpenPose's own output: ``{"people": [{"pose_keypoints_2d": [x, y, c, ...]}]}`` per frame,
    in pixels; the first person of each frame is taken."""
    layout: dict[int, str] | None = None
    rows: list[FloatArray] = []
    for number, frame in enumerate(frames, start=1):
        people = frame.get("people") if isinstance(frame, dict) else None
        if not isinstance(people, list):
            raise InvalidInput(str(path), f'frame {number}: expected a "people" list')
        if not people:
            rows.append(np.full(75, np.nan))
            continue
        flat = people[0].get("pose_keypoints_2d") if isinstance(people[0], dict) else None
        if not isinstance(flat, list) or len(flat) not in (54, 75):
            raise InvalidInput(
                str(path), f"frame {number}: pose_keypoints_2d must hold 18 or 25 × (x, y, c)"
            )
        if layout is None:
            layout = _COCO18 if len(flat) == 54 else _BODY25
        rows.append(
            np.pad(np.asarray(flat, dtype=np.float64), (0, 75 - len(flat)), constant_values=np.nan)
        )
    if layout is None:
        raise InvalidInput(str(path), "no person in any frame")
    table = np.asarray(rows).reshape(len(rows), 25, 3)
    picked = list(layout)
    points = np.nan_to_num(table[:, picked, :2])
    confidence = np.nan_to_num(table[:, picked, 2])
    return _to_series(
        points, confidence, tuple(layout.values()), "px", rate, f"OpenPose {path.name}"
    )

"""OpenPose 2-D keypoints: KERAAL's JSON layout and OpenPose's own per-frame output.

Both are image coordinates with y down; they become y up. KERAAL's are normalised (divided
by the image width and height) and become image-height units; OpenPose's own output is in
pixels and keeps them (unit ``px``): angles are then right only for square pixels, which
nearly every camera has. OpenPose gives no depth, so sagittal angles need a side view and
frontal ones a front view.
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
    read_bytes,
    read_json,
    seen_points,
)
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

# KERAAL's OpenPose files: COCO keypoints under short names, normalised x/y, no confidence.
# "Head" is COCO's keypoint 0, the nose (the dataset's doc/readme_files_format.txt lists it as
# Nose), and "mShoulder" its keypoint 1, the neck.
_KERAAL_NAMES = {
    "Head": "nose",
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
# OpenPose keypoint indices -> common landmark (several indices: their mean), for the COCO-18
# and BODY-25 models (OpenPose's doc/02_output.md lists both orders).
_COCO18: dict[str, tuple[int, ...]] = {
    "nose": (0,),
    "neck": (1,),
    "right_shoulder": (2,),
    "right_elbow": (3,),
    "right_wrist": (4,),
    "left_shoulder": (5,),
    "left_elbow": (6,),
    "left_wrist": (7,),
    "right_hip": (8,),
    "right_knee": (9,),
    "right_ankle": (10,),
    "left_hip": (11,),
    "left_knee": (12,),
    "left_ankle": (13,),
    "head": (16, 17),  # mid-ears, as for BlazePose
}
_BODY25: dict[str, tuple[int, ...]] = {
    "nose": (0,),
    "neck": (1,),
    "right_shoulder": (2,),
    "right_elbow": (3,),
    "right_wrist": (4,),
    "left_shoulder": (5,),
    "left_elbow": (6,),
    "left_wrist": (7,),
    "pelvis": (8,),  # MidHip
    "right_hip": (9,),
    "right_knee": (10,),
    "right_ankle": (11,),
    "left_hip": (12,),
    "left_knee": (13,),
    "left_ankle": (14,),
    "head": (17, 18),
    "left_foot": (19,),  # big toe
    "left_heel": (21,),
    "right_foot": (22,),
    "right_heel": (24,),
}
_LAYOUTS = {18: _COCO18, 25: _BODY25}
_KEYPOINT_KEYS = ("pose_keypoints_2d", "pose_keypoints")

# KERAAL's OpenPose rows line up one for one with its BlazePose rows (median |dy| 0.006-0.010
# image heights; best lag 0 in 17 of 24 recordings, at most 5 frames), so 20 Hz like the videos.
KERAAL_RATE_HZ = 20.0
# OpenPose's own files carry no rate; 30 fps (most cameras) unless told.
OPENPOSE_RATE_HZ = 30.0
KERAAL_ASPECT_RATIO = 960 / 540
_MISSING = (np.nan, np.nan)
_KERAAL_NAME = re.compile(r'"[lrm](Shoulder|Elbow|Wrist|Hip|Knee|Ankle)"\s*:')


def sniff(path: Path) -> bool:
    """KERAAL's keyed frames with OpenPose's short names, OpenPose's own ``people`` frames, or
    a folder of those."""
    if path.is_dir():
        return any(_is_people_text(head_text(file)) for file in _frame_files(path)[:1])
    text = head_text(path)
    if not text.lstrip().startswith("{"):
        return False
    return ('"positions"' in text and bool(_KERAAL_NAME.search(text))) or _is_people_text(text)


def _is_people_text(text: str) -> bool:
    return '"people"' in text and any(f'"{key}"' in text for key in _KEYPOINT_KEYS)


def read(
    path: Path,
    *,
    rate_hz: float | None = None,
    aspect_ratio: float = KERAAL_ASPECT_RATIO,
    frames: int | None = None,
    trim_to_sibling: bool = True,
    unmirror: bool | None = None,
) -> LandmarkSeries:
    """An OpenPose recording: a KERAAL JSON file, one OpenPose frame file, or a folder of them.

    ``rate_hz`` defaults to 20 Hz for KERAAL files and 30 Hz for OpenPose's own output (which
    says nothing of its rate: pass the video's). ``frames`` keeps only the first frames;
    ``aspect_ratio`` (image width / height) applies to KERAAL's normalised coordinates.

    KERAAL's OpenPose files are padded: every file of an exercise has as many rows as the
    longest recording (264, 262, 216), and the rows past a recording's own end repeat another
    recording's. With ``trim_to_sibling`` a KERAAL file is cut to the length of its video, from
    the same recording's BlazePose and Kinect files beside it (:func:`sibling_frame_count`).

    ``unmirror`` turns landmarks of a mirror image back into a camera's view (x reflected,
    left and right labels exchanged); default True for KERAAL files, whose videos are the
    mirrored Kinect v2 colour stream (as for its BlazePose files, :mod:`.keraal`), and False
    for OpenPose's own output.
    """
    if rate_hz is not None:
        check_rate(rate_hz)
    if frames is not None and frames < 1:
        raise InvalidInput("frames", f"must be at least 1, got {frames}")
    if path.is_dir():
        files = _frame_files(path)
        if not files:
            raise InvalidInput(str(path), "is a folder without OpenPose .json frame files")
        series = _read_people([read_json(f) for f in files], files, path, rate_hz, frames)
        return _unmirrored(series, 0.0) if unmirror else series
    data = read_json(path)
    if isinstance(data, dict) and "positions" in data:
        keep = frames
        if keep is None and trim_to_sibling:
            keep = sibling_frame_count(path)
        series = _read_keraal(data, path, rate_hz or KERAAL_RATE_HZ, aspect_ratio, keep)
        return series if unmirror is False else _unmirrored(series, aspect_ratio)
    if isinstance(data, dict) and "people" in data:
        series = _read_people([data], [path], path, rate_hz, frames)
        return _unmirrored(series, 0.0) if unmirror else series
    raise InvalidInput(str(path), 'not an OpenPose file: expected "positions" or "people"')


def _frame_files(folder: Path) -> list[Path]:
    """The folder's .json files in frame order (the last number in the name, then the name)."""
    files = [f for f in folder.iterdir() if f.is_file() and f.name.lower().endswith(".json")]

    def order(file: Path) -> tuple[int, str]:
        numbers = re.findall(r"\d+", file.stem)
        return (int(numbers[-1]) if numbers else -1, file.name)

    return sorted(files, key=order)


def sibling_frame_count(path: Path) -> int | None:
    """Frames of the same KERAAL recording's video, estimated as the larger frame count of its
    BlazePose and Kinect files (found by swapping the ``Skeleton_Openpose`` folder of the path):
    that is the video's count in 7 of the 8 recordings here that have a video, one frame over
    in the eighth. None when neither file is there."""
    parts = path.parts
    folders = [i for i, part in enumerate(parts[:-1]) if part.lower() == "skeleton_openpose"]
    if not folders:
        return None
    where = folders[-1]
    counts = []
    for modality in ("Skeleton_Blazepose", "Skeleton_Kinect"):
        sibling = Path(*parts[:where], modality, *parts[where + 1 :])
        if not sibling.is_file():
            continue
        try:
            if modality == "Skeleton_Blazepose":
                data = read_json(sibling)
                positions = data.get("positions") if isinstance(data, dict) else None
                counts.append(len(positions) if isinstance(positions, dict) else 0)
            else:
                counts.append(sum(1 for line in read_bytes(sibling).splitlines() if line.strip()))
        except InvalidInput:
            continue
    return max(counts) if counts and max(counts) > 0 else None


def _read_keraal(
    data: dict[str, Any], path: Path, rate_hz: float, aspect: float, keep: int | None
) -> LandmarkSeries:
    if not (np.isfinite(aspect) and aspect > 0):
        raise InvalidInput("aspect_ratio", f"must be a positive width / height, got {aspect}")
    frames, numbers = keyed_frames(data, path, "KERAAL OpenPose JSON")
    trimmed = ""
    if keep is not None and keep < len(frames):
        frames, numbers = frames[:keep], numbers[:keep]
        trimmed = f" (first {keep} frames)"
    points = _keraal_points(frames, numbers, path)
    if np.isnan(points).all():
        raise InvalidInput(str(path), "not a KERAAL OpenPose file: no known keypoint names")
    points[..., 0] *= aspect
    points[..., 1] = 1.0 - points[..., 1]
    return LandmarkSeries(
        keyed_times(numbers, rate_hz),
        points,
        seen_points(points).astype(np.float64),
        tuple(_KERAAL_NAMES.values()),
        "image_height",
        source=f"OpenPose (KERAAL) {path.name}{trimmed}",
    )


def _keraal_points(frames: list[Any], numbers: FloatArray, path: Path) -> FloatArray:
    """(frames, keypoints, 2) in KERAAL's short-name order; numpy's fast path for well-formed
    files, a walk naming the frame and keypoint for the others."""
    shorts = list(_KERAAL_NAMES)
    if all(isinstance(frame, dict) for frame in frames):
        rows = [[frame.get(short, _MISSING) for short in shorts] for frame in frames]
        try:
            table = np.array(rows, dtype=np.float64)
        except (ValueError, TypeError):
            table = np.empty(0)
        if table.ndim == 3 and table.shape[2] == 2:
            return table
    for frame, number in zip(frames, numbers, strict=True):
        if not isinstance(frame, dict):
            raise InvalidInput(str(path), f"frame {number:g}: expected an object of keypoints")
        for short in shorts:
            value = frame.get(short, _MISSING)
            if not (
                isinstance(value, list | tuple) and len(value) == 2 and all(map(_is_real, value))
            ):
                raise InvalidInput(
                    str(path),
                    f"frame {number:g}, {short}: expected [x, y] numbers, got {value!r:.60}",
                )
    raise InvalidInput(str(path), "holds keypoints that are not [x, y] numbers")  # pragma: no cover


def _is_real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read_people(
    frames: list[Any], files: list[Path], path: Path, rate_hz: float | None, keep: int | None
) -> LandmarkSeries:
    """OpenPose's own output, ``{"people": [{"pose_keypoints_2d": [x, y, c, ...]}]}`` per
    frame, in pixels. Of several people in a frame, the most confident (largest summed keypoint
    confidence) is taken; a frame without anyone is missing. Keypoints (0, 0, 0) were not seen."""
    if keep is not None:
        frames, files = frames[:keep], files[:keep]
    count: int | None = None
    table = np.full((len(frames), 25, 3), np.nan)
    for row, (frame, file) in enumerate(zip(frames, files, strict=True)):
        where = file.name if len(files) > 1 else f"frame {row + 1}"
        people = frame.get("people") if isinstance(frame, dict) else None
        if not isinstance(people, list):
            raise InvalidInput(str(path), f'{where}: expected a "people" list (OpenPose output)')
        found = [k for k in (_keypoints(person, path, where) for person in people) if k.size]
        if not found:
            continue
        best = max(found, key=lambda k: float(np.nansum(k[:, 2])))
        if count is None:
            count = best.shape[0]
        elif best.shape[0] != count:
            raise InvalidInput(
                str(path), f"{where}: {best.shape[0]} keypoints, earlier frames have {count}"
            )
        table[row, :count] = best
    if count is None:
        raise InvalidInput(str(path), "no person in any frame")
    layout = _LAYOUTS[count]
    confidence = np.clip(np.nan_to_num(table[..., 2]), 0.0, 1.0)
    seen = confidence > 0
    xy = np.where(seen[..., None], table[..., :2], np.nan)
    xy[..., 1] = -xy[..., 1]
    points = np.empty((len(frames), len(layout), 2))
    scores = np.empty((len(frames), len(layout)))
    for column, indices in enumerate(layout.values()):
        picked = list(indices)
        counts = seen[:, picked].sum(axis=1)
        total = np.where(seen[:, picked, None], xy[:, picked], 0.0).sum(axis=1)
        points[:, column] = np.where(
            counts[:, None] > 0, total / np.maximum(counts, 1)[:, None], np.nan
        )
        lowest = np.where(seen[:, picked], confidence[:, picked], np.inf).min(axis=1)
        scores[:, column] = np.where(counts > 0, lowest, 0.0)
    return LandmarkSeries(
        frame_times(len(frames), rate_hz or OPENPOSE_RATE_HZ),
        points,
        scores,
        tuple(layout),
        "px",
        source=f"OpenPose {path.name}",
    )


def _keypoints(person: object, path: Path, where: str) -> FloatArray:
    flat = None
    if isinstance(person, dict):
        flat = next((person[k] for k in _KEYPOINT_KEYS if k in person), None)
    if not isinstance(flat, list) or not flat:
        return np.empty(0)
    if len(flat) not in (54, 75) or not all(map(_is_real, flat)):
        raise InvalidInput(
            str(path),
            f"{where}: pose_keypoints_2d must hold 18 (COCO) or 25 (BODY-25) x (x, y, c) "
            f"numbers, got {len(flat)} values",
        )
    return np.asarray(flat, dtype=np.float64).reshape(-1, 3)


def _unmirrored(series: LandmarkSeries, width: float) -> LandmarkSeries:
    """The view a camera would have had of a mirror image: x -> width - x, sides relabelled."""
    positions = series.positions.copy()
    positions[..., 0] = width - positions[..., 0]
    return LandmarkSeries(
        series.time,
        positions,
        series.confidence,
        tuple(_counterpart(name) for name in series.names),
        series.unit,
        source=f"{series.source} (un-mirrored)",
    )


def _counterpart(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name[5:]
    if name.startswith("right_"):
        return "left_" + name[6:]
    return name

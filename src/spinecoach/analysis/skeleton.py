"""Mapping of MediaPipe BlazePose's 33 landmarks onto the common anatomical points.

Lives in the analysis layer (not in a file reader) because three paths share it: landmark
files, video through MediaPipe in Python, and the browser's MediaPipe streaming live frames.
"""

from __future__ import annotations

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries

# BlazePose's landmark order (MediaPipe Pose model card, 33 points).
BLAZEPOSE_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

# Common point -> BlazePose indices averaged to make it (the head is the mid-point of the ears).
_BLAZEPOSE_TO_COMMON: dict[str, tuple[int, ...]] = {
    "head": (7, 8),
    "nose": (0,),
    "left_shoulder": (11,),
    "right_shoulder": (12,),
    "left_elbow": (13,),
    "right_elbow": (14,),
    "left_wrist": (15,),
    "right_wrist": (16,),
    "left_hip": (23,),
    "right_hip": (24,),
    "left_knee": (25,),
    "right_knee": (26,),
    "left_ankle": (27,),
    "right_ankle": (28,),
    "left_heel": (29,),
    "right_heel": (30,),
    "left_foot": (31,),
    "right_foot": (32,),
}
BLAZEPOSE_COMMON_NAMES: tuple[str, ...] = tuple(_BLAZEPOSE_TO_COMMON)


def _counterpart(name: str) -> str:
    if "left" in name:
        return name.replace("left", "right")
    return name.replace("right", "left")


# For each BlazePose index, the index of the same point on the other side of the body.
SIDE_SWAP: tuple[int, ...] = tuple(BLAZEPOSE_NAMES.index(_counterpart(n)) for n in BLAZEPOSE_NAMES)


def blazepose_to_common(
    normalised: FloatArray,
    visibility: FloatArray,
    *,
    aspect_ratio: float,
    swap_sides: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Convert BlazePose image landmarks to the common convention.

    ``normalised`` is (frames, 33, 3): x and y divided by the image width and height (y
    down), z relative depth on roughly the scale of x (smaller is nearer the camera).
    ``aspect_ratio`` is the image width / height; ``swap_sides`` un-mirrors landmarks made from
    a mirror image (reflects x and exchanges left and right labels). Returns positions
    (frames, points, 3) in image-height units with y up and z towards the camera, and
    confidence (frames, points), both in the order of :data:`BLAZEPOSE_COMMON_NAMES`.
    """
    if normalised.ndim != 3 or normalised.shape[1:] != (33, 3):
        raise AnalysisError("landmarks", f"expected (frames, 33, 3), got {normalised.shape}")
    if visibility.shape != normalised.shape[:2]:
        raise AnalysisError(
            "visibility", f"expected {normalised.shape[:2]}, got {visibility.shape}"
        )
    if not aspect_ratio > 0:
        raise AnalysisError("aspect_ratio", f"must be positive, got {aspect_ratio}")
    if swap_sides:
        # Un-mirror: reflect the image left-right and give each point its own side's name back
        # (reflecting alone would keep the labels wrong; swapping alone would leave a mirror-image
        # body whose rotations turn the wrong way).
        normalised = normalised[:, SIDE_SWAP].copy()
        normalised[..., 0] = 1.0 - normalised[..., 0]
        visibility = visibility[:, SIDE_SWAP]
    converted = np.empty_like(normalised)
    converted[..., 0] = normalised[..., 0] * aspect_ratio
    converted[..., 1] = 1.0 - normalised[..., 1]
    converted[..., 2] = -normalised[..., 2] * aspect_ratio
    frames = normalised.shape[0]
    positions = np.empty((frames, len(_BLAZEPOSE_TO_COMMON), 3))
    confidence = np.empty((frames, len(_BLAZEPOSE_TO_COMMON)))
    for column, indices in enumerate(_BLAZEPOSE_TO_COMMON.values()):
        picked = list(indices)
        positions[:, column] = converted[:, picked].mean(axis=1)
        confidence[:, column] = visibility[:, picked].min(axis=1)
    return positions, np.clip(confidence, 0.0, 1.0)


def blazepose_series(
    time: FloatArray,
    normalised: FloatArray,
    visibility: FloatArray,
    *,
    aspect_ratio: float,
    source: str,
    swap_sides: bool = False,
) -> LandmarkSeries:
    """A :class:`LandmarkSeries` from BlazePose image landmarks (:func:`blazepose_to_common`)."""
    positions, confidence = blazepose_to_common(
        normalised, visibility, aspect_ratio=aspect_ratio, swap_sides=swap_sides
    )
    return LandmarkSeries(
        time=time,
        positions=positions,
        confidence=confidence,
        names=BLAZEPOSE_COMMON_NAMES,
        unit="image_height",
        source=source,
    )

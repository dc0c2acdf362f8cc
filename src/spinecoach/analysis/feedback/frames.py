"""The live frame protocol: one camera frame's landmarks, as the browser sends them.

The browser runs MediaPipe Pose on the device and sends, per video frame, BlazePose's 33
landmarks (x and y divided by the image width and height, y down; z relative depth; and a
visibility in [0, 1]) with the image's aspect ratio. :func:`frame_from_blazepose` maps them
onto the common points (:data:`~spinecoach.analysis.skeleton.BLAZEPOSE_COMMON_NAMES`, in image
-height units, y up) through the same :func:`~spinecoach.analysis.skeleton.blazepose_to_common`
as the landmark files, so that live frames and recordings are measured alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.skeleton import BLAZEPOSE_COMMON_NAMES, blazepose_to_common
from spinecoach.analysis.timeseries import FloatArray

FRAME_NAMES: tuple[str, ...] = BLAZEPOSE_COMMON_NAMES
BLAZEPOSE_POINTS = 33


@dataclass(frozen=True)
class Frame:
    """One frame's landmarks: ``positions`` (points, 2 or 3) and ``confidence`` (points,) in
    the analyzer's landmark order (by default :data:`FRAME_NAMES`), in image-height units with
    y up for a camera. ``aspect_ratio`` (image width / height), when known, tells a landmark
    outside the picture from one the camera could not make out."""

    time_s: float
    positions: FloatArray
    confidence: FloatArray
    aspect_ratio: float = float("nan")


def frame_from_blazepose(
    landmarks: Any,
    *,
    time_s: float,
    aspect_ratio: float,
    visibility: Any = None,
    mirrored: bool = False,
) -> Frame:
    """A :class:`Frame` from BlazePose's 33 normalised landmarks.

    ``landmarks`` is (33, 4) rows of x, y, z, visibility, or (33, 3) with ``visibility`` (33,)
    given apart. Non-finite coordinates make the point missing (confidence 0). ``mirrored``
    says the image was a mirror view (a selfie preview): it is un-mirrored as the shared
    mapping does for mirrored files (x reflected, left and right labels exchanged).
    """
    try:
        points = np.asarray(landmarks, dtype=np.float64)
    except (TypeError, ValueError):
        raise AnalysisError(
            "landmarks", "expected 33 rows of numbers (x, y, z[, visibility])"
        ) from None
    if points.ndim != 2 or points.shape[0] != BLAZEPOSE_POINTS or points.shape[1] not in (3, 4):
        raise AnalysisError("landmarks", f"expected shape (33, 4) or (33, 3), got {points.shape}")
    if visibility is None:
        if points.shape[1] != 4:
            raise AnalysisError("visibility", "give it as a 4th column or as its own (33,) array")
    else:
        if points.shape[1] != 3:
            raise AnalysisError("visibility", "given twice: as a 4th column and on its own")
        try:
            seen = np.asarray(visibility, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise AnalysisError("visibility", "expected 33 numbers in [0, 1]") from None
        if seen.shape != (BLAZEPOSE_POINTS,):
            raise AnalysisError("visibility", f"expected 33 values, got {seen.size}")
        points = np.concatenate([points, seen[:, None]], axis=1)
    if not np.isfinite(time_s):
        raise AnalysisError("time_s", f"must be a finite number of seconds, got {time_s}")
    return frames_from_blazepose(
        points[None], [time_s], aspect_ratio=aspect_ratio, mirrored=mirrored
    )[0]


def frames_from_blazepose(
    landmarks: npt.NDArray[np.float64],
    times_s: Sequence[float] | FloatArray,
    *,
    aspect_ratio: float,
    mirrored: bool = False,
) -> list[Frame]:
    """Several frames of one camera at once: ``landmarks`` (frames, 33, 4) as in
    :func:`frame_from_blazepose`, ``times_s`` one per frame. The same numbers as converting
    each frame alone, in one vectorised step (the live path's messages carry a few frames)."""
    points = np.asarray(landmarks, dtype=np.float64)
    times = np.asarray(times_s, dtype=np.float64).reshape(-1)
    if points.ndim != 3 or points.shape[1:] != (BLAZEPOSE_POINTS, 4):
        raise AnalysisError("landmarks", f"expected shape (frames, 33, 4), got {points.shape}")
    if times.shape != (points.shape[0],) or not np.isfinite(times).all():
        raise AnalysisError("time_s", "give one finite time in seconds per frame")
    if not (np.isfinite(aspect_ratio) and aspect_ratio > 0):
        raise AnalysisError(
            "aspect_ratio", f"must be a positive width / height, got {aspect_ratio}"
        )
    xyz = points[..., :3].copy()
    # A point is missing when any of its four numbers is not finite (their sum then is not).
    # Element-wise operations throughout: numpy's reductions cost more on arrays this small.
    with np.errstate(invalid="ignore", over="ignore"):
        missing = ~np.isfinite(points.sum(axis=-1))
    seen = np.where(missing, 0.0, np.minimum(np.maximum(points[..., 3], 0.0), 1.0))
    weights, linear, offset, picks = _as_linear_map(float(aspect_ratio), mirrored)
    xyz[missing] = 0.0  # a zero weight must not meet a NaN
    positions = (weights @ xyz) @ linear.T + offset
    first, last = picks[:, 0], picks[:, 1]
    positions[missing[:, first] | missing[:, last]] = np.nan
    confidence = np.minimum(seen[:, first], seen[:, last])
    aspect = float(aspect_ratio)
    return [Frame(float(time), positions[k], confidence[k], aspect) for k, time in enumerate(times)]


@lru_cache(maxsize=16)
def _as_linear_map(
    aspect_ratio: float, mirrored: bool
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.intp]]:
    """:func:`~spinecoach.analysis.skeleton.blazepose_to_common` for one frame as an affine
    map, read off the function itself (so the mapping, un-mirroring included, stays defined in
    one place) and ~10 times faster than calling it per frame: positions = (weights @ points)
    @ linear.T + offset, and each common point's confidence is the least of the BlazePose
    points it is made from (``picks``, one row per common point, repeated when it is made from
    one)."""
    count = len(FRAME_NAMES)

    def convert(points: FloatArray) -> FloatArray:
        ones = np.ones(points.shape[:2])
        found, _ = blazepose_to_common(points, ones, aspect_ratio=aspect_ratio, swap_sides=mirrored)
        return found

    offset = convert(np.zeros((1, 33, 3)))[0, 0]
    axes = np.repeat(np.eye(3)[:, None, :], 33, axis=1)  # every point at a unit vector
    linear = (convert(axes)[:, 0, :] - offset).T  # column j: where the unit vector j goes
    single = np.zeros((33, 33, 3))
    single[np.arange(33), np.arange(33)] = np.linalg.solve(linear, np.ones(3))  # maps to (1,1,1)
    weights = (convert(single) - offset)[..., 0].T  # (common points, 33)
    picks = np.empty((count, 2), dtype=np.intp)
    for row in range(count):
        used = np.flatnonzero(weights[row] > 1e-9)
        picks[row] = (used[0], used[-1])
    return weights, linear, offset, picks

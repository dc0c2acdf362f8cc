"""Vectorised geometry on plain arrays of points: any leading shape, last axis (x, y[, z]).

y is vertical and points up (analysis.timeseries). Every function works on a whole recording
(frames, dims) and on a single frame (dims,) alike, so that the offline analyzer and the live
one share the same arithmetic.
"""

from __future__ import annotations

import numpy as np

from spinecoach.analysis.timeseries import FloatArray

UP = np.array([0.0, 1.0, 0.0])
# A horizontal projection shorter than this share of the segment is too close to vertical to
# give a direction (e.g. the hip line of someone lying on their side).
MIN_HORIZONTAL_SHARE = 0.2


def norm(vectors: FloatArray) -> FloatArray:
    """Euclidean length along the last axis."""
    return np.asarray(np.sqrt(np.sum(vectors * vectors, axis=-1)), dtype=np.float64)


def unit(vectors: FloatArray) -> FloatArray:
    """Vectors scaled to length 1 (NaN where the length is 0 or unknown)."""
    length = norm(vectors)[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(length > 0, vectors / length, np.nan)


def angle_between(first: FloatArray, second: FloatArray) -> FloatArray:
    """Unsigned angle between two vectors in degrees, 0–180 (robust near 0 and 180 with atan2
    of the cross and dot products, where arccos of the dot product loses precision)."""
    dot = np.sum(first * second, axis=-1)
    if first.shape[-1] == 2:
        cross = np.abs(first[..., 0] * second[..., 1] - first[..., 1] * second[..., 0])
    else:
        cross = norm(np.cross(first, second))
    return np.asarray(np.degrees(np.arctan2(cross, dot)), dtype=np.float64)


def joint_angle(proximal: FloatArray, joint: FloatArray, distal: FloatArray) -> FloatArray:
    """Flexion at a joint in degrees: 0 when the three points are in line, 90 at a right angle."""
    return 180.0 - angle_between(proximal - joint, distal - joint)


def horizontal(vectors: FloatArray) -> FloatArray:
    """3-D vectors with their vertical component removed."""
    flat = vectors.copy()
    flat[..., 1] = 0.0
    return flat


def body_axes(left: FloatArray, right: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The body's own horizontal axes from a left/right pair of 3-D points (hips or shoulders):
    mediolateral (towards the subject's left) and anteroposterior (forwards, out of the front
    of the body), both unit length and horizontal. NaN when the pair is nearly vertical."""
    across = left - right
    flat = horizontal(across)
    with np.errstate(invalid="ignore"):
        usable = norm(flat) >= MIN_HORIZONTAL_SHARE * norm(across)
    lateral = np.where(usable[..., None], unit(flat), np.nan)
    # Right-handed with y up: left × up points forwards for a subject whose left is +x and
    # who faces +z (towards a camera), which is the convention of the readers.
    forward = np.cross(lateral, UP)
    return lateral, forward


def inclination(segment: FloatArray, direction: FloatArray) -> FloatArray:
    """Signed inclination of a 3-D segment from vertical, in degrees, in the vertical plane
    containing ``direction`` (a unit horizontal vector): positive when it leans that way."""
    along = np.sum(segment * direction, axis=-1)
    vertical = segment[..., 1]
    return np.asarray(np.degrees(np.arctan2(along, vertical)), dtype=np.float64)


def planar_inclination(segment: FloatArray, sign: float | FloatArray = 1.0) -> FloatArray:
    """Inclination from vertical of a segment seen in the image plane (x, y), in degrees;
    ``sign`` (+1/-1) says which image direction counts as positive."""
    return np.asarray(
        np.degrees(np.arctan2(sign * segment[..., 0], segment[..., 1])), dtype=np.float64
    )


def signed_angle_about_vertical(reference: FloatArray, moved: FloatArray) -> FloatArray:
    """Angle in degrees from ``reference`` to ``moved`` about the vertical axis, both projected
    on the horizontal plane; positive counter-clockwise seen from above (x towards -z)."""
    a = horizontal(reference)
    b = horizontal(moved)
    cross_up = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    dot = np.sum(a * b, axis=-1)
    return np.asarray(np.degrees(np.arctan2(cross_up, dot)), dtype=np.float64)


def tilt_from_horizontal(left: FloatArray, right: FloatArray) -> FloatArray:
    """Angle in degrees of the line from ``right`` to ``left`` above the horizontal: positive
    when ``left`` is higher. Works for 2-D (image) and 3-D points."""
    across = left - right
    rise = across[..., 1]
    run = np.abs(across[..., 0]) if across.shape[-1] == 2 else norm(horizontal(across))
    return np.asarray(np.degrees(np.arctan2(rise, run)), dtype=np.float64)


def project_on_plane(vectors: FloatArray, normal: FloatArray) -> FloatArray:
    """Vectors with their component along the unit ``normal`` removed."""
    along = np.sum(vectors * normal, axis=-1)[..., None]
    return np.asarray(vectors - along * normal, dtype=np.float64)

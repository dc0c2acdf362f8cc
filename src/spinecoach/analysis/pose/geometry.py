"""Vectorised geometry on plain arrays of points: any leading shape, last axis (x, y[, z]).

y is vertical and points up (analysis.timeseries). Every function works on a whole recording
(frames, dims) and on a single frame (dims,) or (1, dims) alike, with no Python loop, so that
the offline analyzer and the live one share the same arithmetic. Dot and cross products are
written out by component: on (frames, 3) arrays that is several times faster than reducing
over the short last axis.

The body's own axes (3-D): mediolateral = from the right to the left hip (or shoulder),
projected on the horizontal; vertical = up; anteroposterior = mediolateral × vertical, which
points forwards out of the front of the body. A 2-D camera sees one plane only: which one is
told by :func:`view_from_ratio` (shoulder width against trunk length in the image).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from spinecoach.analysis.timeseries import FloatArray

View = Literal["front", "side", "3d", "unknown"]

UP = np.array([0.0, 1.0, 0.0])
# A horizontal projection shorter than this share of the segment is too close to vertical to
# give a direction (e.g. the hip line of someone lying on their side).
MIN_HORIZONTAL_SHARE = 0.2

# Camera view from the ratio of shoulder width to trunk length in the image. Adult biacromial
# breadth is ~0.23 × height and the hip-to-shoulder distance ~0.29 × height (Winter,
# Biomechanics and Motor Control of Human Movement, 4th ed., anthropometric table 4.1), so a
# front view shows a ratio near 0.8 and a true side view near 0; between the two bounds the
# view is oblique and neither plane can be trusted.
FRONT_VIEW_MIN_RATIO = 0.5
SIDE_VIEW_MAX_RATIO = 0.3


def _f(value: object) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def dot(first: FloatArray, second: FloatArray) -> FloatArray:
    """Dot product along the last axis (2 or 3 components), broadcasting the leading axes."""
    total = first[..., 0] * second[..., 0] + first[..., 1] * second[..., 1]
    if first.shape[-1] == 3:
        total = total + first[..., 2] * second[..., 2]
    return _f(total)


def cross(first: FloatArray, second: FloatArray) -> FloatArray:
    """Cross product of 3-D vectors along the last axis."""
    a0, a1, a2 = first[..., 0], first[..., 1], first[..., 2]
    b0, b1, b2 = second[..., 0], second[..., 1], second[..., 2]
    return _f(np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1))


def norm(vectors: FloatArray) -> FloatArray:
    """Euclidean length along the last axis."""
    return _f(np.sqrt(dot(vectors, vectors)))


def unit(vectors: FloatArray) -> FloatArray:
    """Vectors scaled to length 1 (NaN where the length is 0 or unknown)."""
    length = norm(vectors)[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return _f(np.where(length > 0, vectors / length, np.nan))


def angle_between(first: FloatArray, second: FloatArray) -> FloatArray:
    """Unsigned angle between two vectors in degrees, 0–180 (atan2 of the cross and dot
    products: exact near 0 and 180, where arccos of the dot product loses precision)."""
    along = dot(first, second)
    if first.shape[-1] == 2:
        across = np.abs(first[..., 0] * second[..., 1] - first[..., 1] * second[..., 0])
    else:
        a0, a1, a2 = first[..., 0], first[..., 1], first[..., 2]
        b0, b1, b2 = second[..., 0], second[..., 1], second[..., 2]
        across = np.sqrt(
            (a1 * b2 - a2 * b1) ** 2 + (a2 * b0 - a0 * b2) ** 2 + (a0 * b1 - a1 * b0) ** 2
        )
    return _f(np.degrees(np.arctan2(across, along)))


def joint_angle(proximal: FloatArray, joint: FloatArray, distal: FloatArray) -> FloatArray:
    """Flexion at a joint from three points, degrees: 0 when the points are in line (straight
    limb), 90 at a right angle; unsigned."""
    return _f(180.0 - angle_between(proximal - joint, distal - joint))


def horizontal(vectors: FloatArray) -> FloatArray:
    """3-D vectors with their vertical component removed."""
    flat = np.array(vectors, dtype=np.float64, copy=True)
    flat[..., 1] = 0.0
    return flat


def body_axes(left: FloatArray, right: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The body's own horizontal axes from a left/right pair of 3-D points (hips or shoulders):
    mediolateral (right to left, projected on the horizontal) and anteroposterior
    (mediolateral × up: forwards, out of the front of the body), both unit and horizontal;
    the third axis is :data:`UP`. NaN when the pair is too close to vertical to say."""
    across = left - right
    flat = horizontal(across)
    with np.errstate(invalid="ignore"):
        usable = norm(flat) >= MIN_HORIZONTAL_SHARE * norm(across)
    lateral = np.where(usable[..., None], unit(flat), np.nan)
    # lateral × up with lateral = (lx, 0, lz): (-lz, 0, lx). For a subject whose left is +x,
    # forwards is +z (towards a camera), the readers' convention.
    forward = np.stack([-lateral[..., 2], 0.0 * lateral[..., 0], lateral[..., 0]], -1)
    return _f(lateral), _f(forward)


def inclination(segment: FloatArray, direction: FloatArray) -> FloatArray:
    """Signed inclination of a 3-D segment from vertical, in degrees, in the vertical plane
    containing ``direction`` (a unit horizontal vector): positive when it leans that way.
    The component out of that plane is ignored (projection onto the plane)."""
    return _f(np.degrees(np.arctan2(dot(segment, direction), segment[..., 1])))


def sagittal_inclination(segment: FloatArray, forward: FloatArray) -> FloatArray:
    """Inclination of an upward segment (e.g. mid-hip to mid-shoulder) from vertical in the
    body's sagittal plane, degrees: positive forwards."""
    return inclination(segment, forward)


def frontal_inclination(segment: FloatArray, lateral: FloatArray) -> FloatArray:
    """Inclination of an upward segment from vertical in the body's frontal plane, degrees:
    positive towards the subject's right (``lateral`` points to their left)."""
    return inclination(segment, -lateral)


def planar_inclination(segment: FloatArray, sign: float | FloatArray = 1.0) -> FloatArray:
    """Inclination from vertical of a segment seen in the image plane (x, y), in degrees;
    ``sign`` (+1/-1) says which image direction counts as positive."""
    return _f(np.degrees(np.arctan2(sign * segment[..., 0], segment[..., 1])))


def signed_angle_about_vertical(reference: FloatArray, moved: FloatArray) -> FloatArray:
    """Line-against-line angle in the horizontal plane: degrees from ``reference`` to
    ``moved`` about the vertical axis, both projected on the horizontal plane, in (-180, 180];
    positive counter-clockwise seen from above (+x turning towards -z). For a subject facing
    +z with their left at +x, positive means turning towards their left."""
    a0, a2 = reference[..., 0], reference[..., 2]
    b0, b2 = moved[..., 0], moved[..., 2]
    return _f(np.degrees(np.arctan2(a2 * b0 - a0 * b2, a0 * b0 + a2 * b2)))


def tilt_from_horizontal(high: FloatArray, low: FloatArray) -> FloatArray:
    """Angle in degrees of the line joining two points above the horizontal: positive when
    ``high`` is higher than ``low``. 2-D (image) or 3-D points; the run is the horizontal
    distance, so the sign does not depend on which way the line points."""
    across = high - low
    rise = across[..., 1]
    if across.shape[-1] == 2:
        run = np.abs(across[..., 0])
    else:
        run = np.sqrt(across[..., 0] ** 2 + across[..., 2] ** 2)
    return _f(np.degrees(np.arctan2(rise, run)))


def project_on_plane(vectors: FloatArray, normal: FloatArray) -> FloatArray:
    """Vectors with their component along the unit ``normal`` removed."""
    return _f(vectors - dot(vectors, normal)[..., None] * normal)


def width_ratio(
    left: FloatArray, right: FloatArray, base: FloatArray, top: FloatArray
) -> FloatArray:
    """Horizontal image distance between a left/right pair (shoulders) divided by the image
    length of the trunk (``base`` to ``top``): near 0.8 from the front, near 0 from the side."""
    trunk = norm(top[..., :2] - base[..., :2])
    across = np.abs(left[..., 0] - right[..., 0])
    # NaN where the trunk has no length (no view can be told from it).
    return _f(np.divide(across, trunk, out=np.full_like(across, np.nan), where=trunk > 0))


def view_from_ratio(ratio: float) -> View:
    """Which plane a 2-D camera sees, from :func:`width_ratio`: "front" (frontal plane),
    "side" (sagittal plane) or "unknown" (oblique, or nothing to tell from)."""
    if not np.isfinite(ratio):
        return "unknown"
    if ratio >= FRONT_VIEW_MIN_RATIO:
        return "front"
    if ratio <= SIDE_VIEW_MAX_RATIO:
        return "side"
    return "unknown"

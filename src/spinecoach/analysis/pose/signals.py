"""Per-frame kinematic signals from landmarks: trunk, pelvis and limb angles, heights, speeds.

Two kinds of source, one set of channel names:

* **3-D lab and depth sources** (Kinect, Vicon, C3D, UI-PRMD; units m or mm) use the body's
  own axes: the hip line gives the mediolateral direction, forwards is perpendicular to it
  on the horizontal plane, and angles are measured in the body's sagittal and frontal planes.
* **Camera sources** (BlazePose, OpenPose; image units) are measured in the image plane. From
  the side the image plane is the sagittal plane; from the front it is the frontal plane. So
  a side view yields sagittal channels and leaves frontal ones NaN, and a front view the
  reverse: nothing is reported that the camera cannot see. BlazePose's depth estimate is
  used only for trunk rotation seen from the front.

Channels that a source lacks (no spine points, no feet) are NaN.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np

from spinecoach.analysis.pose.geometry import (
    UP,
    angle_between,
    body_axes,
    inclination,
    joint_angle,
    norm,
    planar_inclination,
    project_on_plane,
    signed_angle_about_vertical,
    tilt_from_horizontal,
)
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries, TimeSeries

View = Literal["front", "side", "3d", "unknown"]

# Camera view from the ratio of shoulder width to trunk length in the image. Adult biacromial
# breadth is ~0.23 × height and the hip-to-shoulder distance ~0.29 × height (Winter,
# Biomechanics and Motor Control of Human Movement, 4th ed., anthropometric table 4.1), so a
# front view shows a ratio near 0.8 and a true side view near 0; between the two bounds the
# view is oblique and neither plane can be trusted.
FRONT_VIEW_MIN_RATIO = 0.5
SIDE_VIEW_MAX_RATIO = 0.3
CAMERA_UNITS = ("image_height", "px")


@dataclass(frozen=True)
class SignalSpec:
    """A channel: its unit and, in one sentence, how it is computed."""

    unit: str
    method: str


SIGNALS: dict[str, SignalSpec] = {
    "trunk_sagittal_deg": SignalSpec(
        "deg",
        "Inclination from vertical of the line from the pelvis (mid-hip) to the thorax "
        "(mid-shoulder), in the sagittal plane; positive forwards.",
    ),
    "trunk_frontal_deg": SignalSpec(
        "deg",
        "Inclination from vertical of the pelvis-to-thorax line in the frontal plane; positive "
        "towards the subject's right.",
    ),
    "trunk_rotation_deg": SignalSpec(
        "deg",
        "Angle about the vertical between the shoulder line and the hip line; positive when "
        "the shoulders turn to the subject's left.",
    ),
    "pelvic_obliquity_deg": SignalSpec(
        "deg",
        "Angle of the line joining the hips above the horizontal in the frontal plane; "
        "positive when the left hip is higher.",
    ),
    "pelvic_tilt_deg": SignalSpec(
        "deg",
        "Sagittal inclination of the lower trunk (pelvis to mid-spine) where the source has a "
        "spine point, else of the whole pelvis-to-thorax line: a proxy for pelvic tilt.",
    ),
    "lumbar_flexion_deg": SignalSpec(
        "deg",
        "Sagittal inclination of the upper trunk (mid-spine to thorax) minus that of the lower "
        "trunk (pelvis to mid-spine): spine bending; only where the source has a spine point.",
    ),
    "hip_height": SignalSpec(
        "leg lengths",
        "Height of the mid-hip above the lowest foot point, divided by the median leg length "
        "(hip-knee plus knee-ankle) of the recording.",
    ),
    "pelvis_lateral": SignalSpec(
        "m",
        "Sideways position of the mid-hip along the recording's median left-right axis; camera "
        "units are scaled to metres by an assumed trunk length of 0.49 m (0.29 × 1.70 m).",
    ),
    "trunk_length": SignalSpec(
        "source unit", "Distance from the pelvis (mid-hip) to the thorax (mid-shoulder)."
    ),
}
for _side in ("left", "right"):
    SIGNALS |= {
        f"hip_flexion_{_side}_deg": SignalSpec(
            "deg",
            f"180° minus the angle at the {_side} hip between the trunk line (mid-hip to "
            "mid-shoulder) and the thigh.",
        ),
        f"knee_flexion_{_side}_deg": SignalSpec(
            "deg", f"180° minus the angle at the {_side} knee between the thigh and the shank."
        ),
        f"elbow_flexion_{_side}_deg": SignalSpec(
            "deg", f"180° minus the angle at the {_side} elbow between upper arm and forearm."
        ),
        f"arm_elevation_{_side}_deg": SignalSpec(
            "deg",
            f"Angle between the {_side} upper arm and the trunk line pointing down, in any "
            "plane: 0 by the side, 90 level, 180 overhead.",
        ),
        f"shoulder_flexion_{_side}_deg": SignalSpec(
            "deg",
            f"Elevation of the {_side} upper arm relative to the trunk in the sagittal plane; "
            "positive forwards, negative behind the body (extension).",
        ),
        f"shoulder_abduction_{_side}_deg": SignalSpec(
            "deg",
            f"Elevation of the {_side} upper arm relative to the trunk in the frontal plane; "
            "positive away from the body.",
        ),
        f"shoulder_elevation_{_side}_deg": SignalSpec(
            "deg",
            f"Angle of the {_side} clavicle line (neck or thorax point to shoulder) above the "
            "horizontal: rises with a shrug; only where the source has a neck or thorax point.",
        ),
        f"knee_valgus_{_side}_deg": SignalSpec(
            "deg",
            f"Frontal-plane angle at the {_side} knee between thigh and shank, positive when "
            "the knee falls inwards of the hip-ankle line.",
        ),
        f"{_side}_wrist_height": SignalSpec(
            "trunk lengths",
            f"Height of the {_side} wrist above the {_side} shoulder divided by the median trunk "
            "length: rises as the hand is lifted, whatever the plane.",
        ),
        f"{_side}_wrist_speed": SignalSpec(
            "trunk lengths/s", f"Speed of the {_side} wrist divided by the median trunk length."
        ),
        f"{_side}_ankle_speed": SignalSpec(
            "trunk lengths/s", f"Speed of the {_side} ankle divided by the median trunk length."
        ),
    }
CHANNELS: tuple[str, ...] = tuple(SIGNALS)


def _nanmedian(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def _trunk_points(series: LandmarkSeries) -> tuple[FloatArray, FloatArray]:
    """Base (pelvis, else mid-hip) and top (thorax, else mid-shoulder) of the trunk, per frame.

    Mid-points of the joints are preferred where both exist, because every source has them
    and spine points sit in different places in different systems.
    """
    base = series.midpoint("left_hip", "right_hip")
    top = series.midpoint("left_shoulder", "right_shoulder")
    missing_base = ~np.isfinite(base[:, 0])
    base[missing_base] = series.point("pelvis")[missing_base]
    missing_top = ~np.isfinite(top[:, 0])
    top[missing_top] = series.point("thorax")[missing_top]
    return base, top


def camera_view(series: LandmarkSeries) -> View:
    """Where a camera stood: "front", "side", "unknown" (oblique or not enough to tell), or
    "3d" for lab and depth sources that measure in three dimensions."""
    if series.unit not in CAMERA_UNITS:
        return "3d"
    base, top = _trunk_points(series)
    trunk = norm(top[:, :2] - base[:, :2])
    width = np.abs(series.point("left_shoulder")[:, 0] - series.point("right_shoulder")[:, 0])
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = _nanmedian(width / trunk)
    if not np.isfinite(ratio):
        return "unknown"
    if ratio >= FRONT_VIEW_MIN_RATIO:
        return "front"
    if ratio <= SIDE_VIEW_MAX_RATIO:
        return "side"
    return "unknown"


def _facing_sign(series: LandmarkSeries) -> float:
    """+1 when the subject faces image-right in a side view, -1 when image-left: from the nose
    ahead of the head centre, else the toes ahead of the heels."""
    for front, back in (("nose", "head"), ("left_foot", "left_heel"), ("right_foot", "right_heel")):
        offset = _nanmedian(series.point(front)[:, 0] - series.point(back)[:, 0])
        if np.isfinite(offset) and offset != 0:
            return float(np.sign(offset))
    return 1.0


def _left_sign(series: LandmarkSeries) -> float:
    """+1 when the subject's left is image-right (a front view, not mirrored), else -1."""
    offset = _nanmedian(series.point("left_hip")[:, 0] - series.point("right_hip")[:, 0])
    if not np.isfinite(offset) or offset == 0:
        offset = _nanmedian(
            series.point("left_shoulder")[:, 0] - series.point("right_shoulder")[:, 0]
        )
    return -1.0 if np.isfinite(offset) and offset < 0 else 1.0


def _speed(points: FloatArray, time: FloatArray, scale: float) -> FloatArray:
    if time.size < 2 or not np.isfinite(scale) or scale <= 0:
        return np.full(time.size, np.nan)
    velocity = np.gradient(points, time, axis=0)
    return norm(velocity) / scale


def kinematic_signals(series: LandmarkSeries) -> TimeSeries:
    """Every channel of :data:`SIGNALS` for every frame (NaN where not visible)."""
    view = camera_view(series)
    camera = view != "3d"
    out: dict[str, FloatArray] = {name: np.full(series.frames, np.nan) for name in CHANNELS}
    base, top = _trunk_points(series)
    trunk = top - base
    out["trunk_length"] = norm(trunk)
    trunk_scale = _nanmedian(out["trunk_length"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if camera:
            _camera_trunk(series, view, base, top, out)
        else:
            _lab_trunk(series, base, top, out)
        _limbs(series, view, camera, top - base, out)
        _heights_and_speeds(series, base, trunk_scale, out)
    values = np.column_stack([out[name] for name in CHANNELS])
    return TimeSeries(
        time=series.time,
        values=values,
        channels=CHANNELS,
        units=tuple(SIGNALS[name].unit for name in CHANNELS),
    )


def _lab_trunk(
    series: LandmarkSeries, base: FloatArray, top: FloatArray, out: dict[str, FloatArray]
) -> None:
    left_hip, right_hip = series.point("left_hip"), series.point("right_hip")
    lateral, forward = body_axes(left_hip, right_hip)
    trunk = top - base
    out["trunk_sagittal_deg"] = inclination(trunk, forward)
    out["trunk_frontal_deg"] = inclination(trunk, -lateral)
    shoulders = series.point("left_shoulder") - series.point("right_shoulder")
    out["trunk_rotation_deg"] = signed_angle_about_vertical(left_hip - right_hip, shoulders)
    out["pelvic_obliquity_deg"] = tilt_from_horizontal(left_hip, right_hip)
    spine = series.point("spine_mid")
    pelvis = series.point("pelvis")
    lower_base = np.where(np.isfinite(pelvis), pelvis, base)
    lower = inclination(spine - lower_base, forward)
    upper = inclination(top - spine, forward)
    out["pelvic_tilt_deg"] = np.where(np.isfinite(lower), lower, out["trunk_sagittal_deg"])
    out["lumbar_flexion_deg"] = upper - lower


def _camera_trunk(
    series: LandmarkSeries,
    view: View,
    base: FloatArray,
    top: FloatArray,
    out: dict[str, FloatArray],
) -> None:
    trunk = (top - base)[:, :2]
    left_hip, right_hip = series.point("left_hip"), series.point("right_hip")
    if view == "side":
        out["trunk_sagittal_deg"] = planar_inclination(trunk, _facing_sign(series))
        out["pelvic_tilt_deg"] = out["trunk_sagittal_deg"]
    elif view == "front":
        # Positive towards the subject's right, which is image-left when their left is
        # image-right.
        out["trunk_frontal_deg"] = planar_inclination(trunk, -_left_sign(series))
        out["pelvic_obliquity_deg"] = tilt_from_horizontal(left_hip[:, :2], right_hip[:, :2])
        if series.dims == 3:
            shoulders = series.point("left_shoulder") - series.point("right_shoulder")
            out["trunk_rotation_deg"] = signed_angle_about_vertical(left_hip - right_hip, shoulders)


def _limbs(
    series: LandmarkSeries,
    view: View,
    camera: bool,
    trunk: FloatArray,
    out: dict[str, FloatArray],
) -> None:
    """Joint angles; the trunk direction (mid-hip to mid-shoulder) is the reference of the hip
    and shoulder angles, so that a wider pair of shoulders than hips adds no angle."""
    dims = slice(0, 2) if camera else slice(0, 3)
    trunk = trunk[:, dims]
    if not camera:
        lateral, forward = body_axes(series.point("left_hip"), series.point("right_hip"))
    for side in ("left", "right"):
        shoulder = series.point(f"{side}_shoulder")[:, dims]
        elbow = series.point(f"{side}_elbow")[:, dims]
        wrist = series.point(f"{side}_wrist")[:, dims]
        hip = series.point(f"{side}_hip")[:, dims]
        knee = series.point(f"{side}_knee")[:, dims]
        ankle = series.point(f"{side}_ankle")[:, dims]
        out[f"hip_flexion_{side}_deg"] = joint_angle(hip + trunk, hip, knee)
        out[f"knee_flexion_{side}_deg"] = joint_angle(hip, knee, ankle)
        out[f"elbow_flexion_{side}_deg"] = joint_angle(shoulder, elbow, wrist)
        arm = elbow - shoulder
        down = -trunk
        out[f"arm_elevation_{side}_deg"] = angle_between(arm, down)
        if camera:
            _camera_shoulder(series, view, side, arm, down, out)
        else:
            # Sagittal plane: normal is the mediolateral axis; frontal: normal is forwards.
            sagittal_arm = project_on_plane(arm, lateral)
            sagittal_down = project_on_plane(down, lateral)
            sign = np.sign(np.sum(arm * forward, axis=-1))
            out[f"shoulder_flexion_{side}_deg"] = sign * angle_between(sagittal_arm, sagittal_down)
            frontal_arm = project_on_plane(arm, forward)
            frontal_down = project_on_plane(down, forward)
            outwards = lateral if side == "left" else -lateral
            sign = np.sign(np.sum(arm * outwards, axis=-1))
            out[f"shoulder_abduction_{side}_deg"] = sign * angle_between(frontal_arm, frontal_down)
            out[f"knee_valgus_{side}_deg"] = _lab_valgus(hip, knee, ankle, forward, side, lateral)
        neck = series.point("neck")
        neck = np.where(np.isfinite(neck), neck, series.point("thorax"))[:, dims]
        out[f"shoulder_elevation_{side}_deg"] = tilt_from_horizontal(shoulder, neck)
    if camera and view == "front":
        for side in ("left", "right"):
            hip = series.point(f"{side}_hip")[:, :2]
            knee = series.point(f"{side}_knee")[:, :2]
            ankle = series.point(f"{side}_ankle")[:, :2]
            inwards = _left_sign(series) * (-1.0 if side == "left" else 1.0)
            out[f"knee_valgus_{side}_deg"] = _planar_valgus(hip, knee, ankle, inwards)


def _camera_shoulder(
    series: LandmarkSeries,
    view: View,
    side: str,
    arm: FloatArray,
    down: FloatArray,
    out: dict[str, FloatArray],
) -> None:
    """Arm elevation in the image plane: the signed angle from the trunk-down line to the upper
    arm, oriented by the way the subject faces (side view) or by the arm's side of the body
    (front view), so that it runs continuously through overhead."""
    cross = down[:, 0] * arm[:, 1] - down[:, 1] * arm[:, 0]
    dot = np.sum(down * arm, axis=-1)
    signed = np.degrees(np.arctan2(cross, dot))
    if view == "side":
        out[f"shoulder_flexion_{side}_deg"] = _facing_sign(series) * signed
    elif view == "front":
        outwards = 1.0 if side == "left" else -1.0
        out[f"shoulder_abduction_{side}_deg"] = _left_sign(series) * outwards * signed


def _planar_valgus(
    hip: FloatArray, knee: FloatArray, ankle: FloatArray, inwards: float
) -> FloatArray:
    """Knee deviation from the hip-ankle line in the image, signed positive towards the
    midline (``inwards`` is the image x direction of the midline from this leg)."""
    flexion = joint_angle(hip, knee, ankle)
    line = ankle - hip
    offset = knee - hip
    cross = line[:, 0] * offset[:, 1] - line[:, 1] * offset[:, 0]
    # For a leg pointing down (line y < 0), a knee displaced towards +x gives cross < 0.
    toward = -np.sign(cross) * np.sign(-line[:, 1])
    return np.asarray(np.where(toward * inwards >= 0, flexion, -flexion), dtype=np.float64)


def _lab_valgus(
    hip: FloatArray,
    knee: FloatArray,
    ankle: FloatArray,
    forward: FloatArray,
    side: str,
    lateral: FloatArray,
) -> FloatArray:
    """Knee deviation from the hip-ankle line in the body's frontal plane, + inwards."""
    frontal = [project_on_plane(p, forward) for p in (hip, knee, ankle)]
    flexion = joint_angle(*frontal)
    midpoint = 0.5 * (frontal[0] + frontal[2])
    inwards = -lateral if side == "left" else lateral
    toward = np.sign(np.sum((frontal[1] - midpoint) * inwards, axis=-1))
    return np.asarray(np.where(toward >= 0, flexion, -flexion), dtype=np.float64)


# Hip-to-shoulder distance ≈ 0.29 × height (Winter, table 4.1) for an assumed 1.70 m adult.
ASSUMED_TRUNK_M = 0.29 * 1.70


def _lateral_position(series: LandmarkSeries, base: FloatArray, trunk_scale: float) -> FloatArray:
    """Mid-hip position along the recording's median left-right axis, in metres."""
    across = series.point("left_hip") - series.point("right_hip")
    if series.unit in CAMERA_UNITS:
        if not np.isfinite(trunk_scale) or trunk_scale <= 0:
            return np.full(series.frames, np.nan)
        return np.asarray(base[:, 0] * ASSUMED_TRUNK_M / trunk_scale, dtype=np.float64)
    flat = across.copy()
    flat[:, 1] = 0.0
    axis = np.array([_nanmedian(flat[:, i]) for i in range(3)])
    length = float(np.linalg.norm(axis))
    metres = series.metres_per_unit() or 1.0
    if not np.isfinite(length) or length == 0:
        return np.full(series.frames, np.nan)
    return np.asarray(base @ (axis / length) * metres, dtype=np.float64)


def _heights_and_speeds(
    series: LandmarkSeries, base: FloatArray, trunk_scale: float, out: dict[str, FloatArray]
) -> None:
    feet = [
        series.point(name)[:, 1]
        for name in (
            "left_ankle",
            "right_ankle",
            "left_heel",
            "right_heel",
            "left_foot",
            "right_foot",
        )
    ]
    lowest = np.nanmin(np.column_stack(feet), axis=1)
    legs = []
    for side in ("left", "right"):
        hip, knee, ankle = (series.point(f"{side}_{j}") for j in ("hip", "knee", "ankle"))
        legs.append(norm(knee - hip) + norm(ankle - knee))
    leg = _nanmedian(np.concatenate(legs))
    if np.isfinite(leg) and leg > 0:
        out["hip_height"] = (base[:, 1] - lowest) / leg
    out["pelvis_lateral"] = _lateral_position(series, base, trunk_scale)
    for side in ("left", "right"):
        if np.isfinite(trunk_scale) and trunk_scale > 0:
            rise = series.point(f"{side}_wrist")[:, 1] - series.point(f"{side}_shoulder")[:, 1]
            out[f"{side}_wrist_height"] = rise / trunk_scale
        out[f"{side}_wrist_speed"] = _speed(series.point(f"{side}_wrist"), series.time, trunk_scale)
        out[f"{side}_ankle_speed"] = _speed(series.point(f"{side}_ankle"), series.time, trunk_scale)


__all__ = ["CHANNELS", "SIGNALS", "UP", "camera_view", "kinematic_signals"]

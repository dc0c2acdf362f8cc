"""Per-frame kinematic signals from landmarks: trunk, pelvis and limb angles, heights, speeds.

Two kinds of source, one set of channel names (the names are a contract: the exercise library,
the analyzers and the streaming path use them):

* **3-D lab and depth sources** (Kinect, Vicon, C3D, UI-PRMD; units m or mm) use the body's
  own axes (:func:`~spinecoach.analysis.pose.geometry.body_axes`): the hip line gives the
  mediolateral direction, forwards is perpendicular to it on the horizontal plane, and angles
  are measured in the body's sagittal and frontal planes.
* **Camera sources** (BlazePose, OpenPose; image units) are measured in the image plane. From
  the side the image plane is the sagittal plane; from the front it is the frontal plane. So
  a side view yields sagittal channels and leaves frontal ones NaN, and a front view the
  reverse: nothing is reported that the camera cannot see. Joint angles from three points
  (hip, knee, elbow flexion, arm elevation) are given in every view, as seen in the image:
  foreshortened when the limb moves towards the camera. BlazePose's depth estimate is used
  only for trunk rotation seen from the front.

Sign conventions: trunk sagittal + forwards; trunk frontal + towards the subject's right;
trunk rotation + shoulders turned towards the subject's left; pelvic obliquity + right hip
higher. Channels that a source lacks (no spine points, no feet) are NaN.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.pose.geometry import (
    FRONT_VIEW_MIN_RATIO,
    SIDE_VIEW_MAX_RATIO,
    UP,
    View,
    angle_between,
    body_axes,
    dot,
    frontal_inclination,
    joint_angle,
    norm,
    planar_inclination,
    project_on_plane,
    sagittal_inclination,
    signed_angle_about_vertical,
    tilt_from_horizontal,
    view_from_ratio,
    width_ratio,
)
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries, TimeSeries

CAMERA_UNITS = ("image_height", "px")
ALL_VIEWS: frozenset[View] = frozenset({"3d", "front", "side"})
_SIDE: frozenset[View] = frozenset({"3d", "side"})
_FRONT: frozenset[View] = frozenset({"3d", "front"})
_LAB: frozenset[View] = frozenset({"3d"})


@dataclass(frozen=True)
class SignalSpec:
    """A channel: its unit, in one sentence how it is computed, and the views in which it is
    measured at all ("3d" = a 3-D source; "front"/"side" = a 2-D camera's view). Elsewhere it
    is NaN. A channel may still be NaN in a listed view when the source lacks its points."""

    unit: str
    method: str
    views: frozenset[View] = ALL_VIEWS


SIGNALS: dict[str, SignalSpec] = {
    "trunk_sagittal_deg": SignalSpec(
        "deg",
        "Inclination from vertical of the line from the pelvis (mid-hip) to the thorax "
        "(mid-shoulder), in the sagittal plane; positive forwards.",
        _SIDE,
    ),
    "trunk_frontal_deg": SignalSpec(
        "deg",
        "Inclination from vertical of the pelvis-to-thorax line in the frontal plane; positive "
        "towards the subject's right.",
        _FRONT,
    ),
    "trunk_rotation_deg": SignalSpec(
        "deg",
        "Angle about the vertical from the hip line to the shoulder line, both projected on "
        "the horizontal plane; positive when the shoulders turn to the subject's left "
        "(front cameras: only where the source estimates depth).",
        _FRONT,
    ),
    "pelvic_obliquity_deg": SignalSpec(
        "deg",
        "Angle of the line joining the hips above the horizontal in the frontal plane; "
        "positive when the right hip is higher.",
        _FRONT,
    ),
    "pelvic_tilt_deg": SignalSpec(
        "deg",
        "Proxy for sagittal pelvic tilt: the sagittal inclination from vertical (positive "
        "forwards) of the lower trunk, pelvis to mid-spine, where the source has a spine "
        "point (Kinect), else of the whole pelvis-to-thorax line.",
        _SIDE,
    ),
    "lumbar_flexion_deg": SignalSpec(
        "deg",
        "Sagittal inclination of the upper trunk (mid-spine to thorax) minus that of the lower "
        "trunk (pelvis to mid-spine): spine bending; only where the source has a spine point.",
        _LAB,
    ),
    "hip_height": SignalSpec(
        "leg lengths",
        "Height of the mid-hip above the lowest foot point (ankle, heel or toe) of each frame, "
        "divided by the median leg length (hip-knee plus knee-ankle) of the recording.",
    ),
    "pelvis_lateral": SignalSpec(
        "m",
        "Sideways position of the mid-hip along the recording's median left-right axis; camera "
        "units are scaled to metres by an assumed trunk length of 0.49 m (0.29 × 1.70 m).",
        _FRONT,
    ),
    "trunk_length": SignalSpec(
        "source unit",
        "Distance from the pelvis (mid-hip) to the thorax (mid-shoulder), in the series' unit.",
    ),
}
for _side in ("left", "right"):
    SIGNALS |= {
        f"hip_flexion_{_side}_deg": SignalSpec(
            "deg",
            f"180° minus the angle at the {_side} hip between the trunk line (mid-hip to "
            "mid-shoulder) and the thigh: 0 standing straight, unsigned.",
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
            _SIDE,
        ),
        f"shoulder_abduction_{_side}_deg": SignalSpec(
            "deg",
            f"Elevation of the {_side} upper arm relative to the trunk in the frontal plane; "
            "positive away from the body.",
            _FRONT,
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
            _FRONT,
        ),
        f"{_side}_wrist_height": SignalSpec(
            "trunk lengths",
            f"Height of the {_side} wrist above the {_side} shoulder divided by the median trunk "
            "length: rises as the hand is lifted, whatever the plane.",
        ),
        f"{_side}_wrist_speed": SignalSpec(
            "trunk lengths/s",
            f"Speed of the {_side} wrist (central differences) divided by the median trunk "
            "length of the recording.",
        ),
        f"{_side}_ankle_speed": SignalSpec(
            "trunk lengths/s",
            f"Speed of the {_side} ankle (central differences) divided by the median trunk "
            "length of the recording.",
        ),
    }
CHANNELS: tuple[str, ...] = tuple(SIGNALS)
_COLUMN = {name: column for column, name in enumerate(CHANNELS)}


# The channels written by _limbs (arms, legs) and _heights_and_speeds (for ``only``).
LIMB_CHANNELS = frozenset(
    f"{joint}_{side}_deg"
    for side in ("left", "right")
    for joint in (
        "hip_flexion",
        "knee_flexion",
        "elbow_flexion",
        "arm_elevation",
        "shoulder_flexion",
        "shoulder_abduction",
        "knee_valgus",
        "shoulder_elevation",
    )
)
LEG_CHANNELS = frozenset(
    f"{joint}_{side}_deg"
    for side in ("left", "right")
    for joint in ("hip_flexion", "knee_flexion", "knee_valgus")
)
HEIGHT_SPEED_CHANNELS = frozenset(
    {"hip_height", "pelvis_lateral"}
    | {f"{side}_{what}" for side in ("left", "right") for what in ("wrist_height", "wrist_speed")}
    | {f"{side}_ankle_speed" for side in ("left", "right")}
)


def _nanmedian(values: FloatArray) -> float:
    """The median of the finite values (NaN when none). One or two values are answered
    without np.median, whose set-up cost dominated the live path (one frame per call)."""
    finite = values[np.isfinite(values)]
    if finite.size <= 2:
        return float(finite.sum() / finite.size) if finite.size else float("nan")
    return float(np.median(finite))


def visible_channels(view: View) -> tuple[str, ...]:
    """The channels measured at all in a view (see :class:`SignalSpec`); none for "unknown"."""
    return tuple(name for name, spec in SIGNALS.items() if view in spec.views)


def _trunk_points(series: LandmarkSeries) -> tuple[FloatArray, FloatArray]:
    """Base (mid-hip, else pelvis) and top (mid-shoulder, else thorax) of the trunk, per frame.

    Mid-points of the joints are preferred where both exist, because every source has them
    and spine points sit in different places in different systems.
    """
    base = series.midpoint("left_hip", "right_hip")
    top = series.midpoint("left_shoulder", "right_shoulder")
    missing_base = ~np.isfinite(base[:, 0])
    if missing_base.any():
        base[missing_base] = series.point("pelvis")[missing_base]
    missing_top = ~np.isfinite(top[:, 0])
    if missing_top.any():
        top[missing_top] = series.point("thorax")[missing_top]
    return base, top


def camera_view(series: LandmarkSeries) -> View:
    """Where the camera stood: "front" or "side" for a 2-D camera whose median shoulder width
    over trunk length says so (:func:`~spinecoach.analysis.pose.geometry.view_from_ratio`),
    "unknown" when oblique or not enough is seen, "3d" for lab and depth sources (units m, mm)
    that measure in three dimensions."""
    if series.unit not in CAMERA_UNITS:
        return "3d"
    base, top = _trunk_points(series)
    ratio = width_ratio(series.point("left_shoulder"), series.point("right_shoulder"), base, top)
    return view_from_ratio(_nanmedian(ratio))


def _recording_fact(values: FloatArray, per_frame: bool) -> float | FloatArray:
    """The median over the recording (one fact for all its frames) or, ``per_frame``, each
    frame's own value: what a one-frame series would give, for many frames at once."""
    return values if per_frame else _nanmedian(values)


def _facing_sign(series: LandmarkSeries, per_frame: bool = False) -> float | FloatArray:
    """+1 when the subject faces image-right in a side view, -1 when image-left: the nose
    ahead of the head centre (mid-ears), else of the mid-shoulder, else the toes ahead of the
    heels or ankles; +1 when nothing tells. ``per_frame``: decided for each frame alone."""
    shoulders = series.midpoint("left_shoulder", "right_shoulder")
    pairs = [
        (series.point("nose"), series.point("head")),
        (series.point("nose"), shoulders),
    ]
    for side in ("left", "right"):
        toes = series.point(f"{side}_foot")
        pairs.append((toes, series.point(f"{side}_heel")))
        pairs.append((toes, series.point(f"{side}_ankle")))
    if per_frame:
        sign = np.zeros(series.frames)
        for front, back in pairs:
            offsets = front[:, 0] - back[:, 0]
            tells = (sign == 0) & np.isfinite(offsets) & (offsets != 0)
            sign[tells] = np.sign(offsets[tells])
        return np.where(sign == 0, 1.0, sign)
    for front, back in pairs:
        offset = _nanmedian(front[:, 0] - back[:, 0])
        if np.isfinite(offset) and offset != 0:
            return float(np.sign(offset))
    return 1.0


def _left_sign(series: LandmarkSeries, per_frame: bool = False) -> float | FloatArray:
    """+1 when the subject's left is image-right (a front view, not mirrored), else -1.
    ``per_frame``: decided for each frame alone."""
    hips = series.point("left_hip")[:, 0] - series.point("right_hip")[:, 0]
    shoulders = series.point("left_shoulder")[:, 0] - series.point("right_shoulder")[:, 0]
    if per_frame:
        either = np.where(np.isfinite(hips) & (hips != 0), hips, shoulders)
        return np.where(either < 0, -1.0, 1.0)
    offset = _nanmedian(hips)
    if not np.isfinite(offset) or offset == 0:
        offset = _nanmedian(shoulders)
    return -1.0 if np.isfinite(offset) and offset < 0 else 1.0


def _speed(points: FloatArray, time: FloatArray, scale: float | FloatArray) -> FloatArray:
    if time.size < 2 or np.ndim(scale) or not np.isfinite(scale) or scale <= 0:
        # A frame measured alone (a scale per frame) has no neighbour to move from.
        return np.full(time.size, np.nan)
    velocity = np.gradient(points, time, axis=0)
    return norm(velocity) / scale


def kinematic_signals(
    series: LandmarkSeries,
    *,
    view: View | None = None,
    only: frozenset[str] | None = None,
    per_frame: bool = False,
) -> TimeSeries:
    """Every channel of :data:`SIGNALS` for every frame (see :func:`kinematic_values`), as a
    time series with the channels' names and units."""
    return TimeSeries(
        time=series.time,
        values=kinematic_values(series, view=view, only=only, per_frame=per_frame),
        channels=CHANNELS,
        units=tuple(SIGNALS[name].unit for name in CHANNELS),
    )


def kinematic_values(
    series: LandmarkSeries,
    *,
    view: View | None = None,
    only: frozenset[str] | None = None,
    per_frame: bool = False,
) -> FloatArray:
    """(frames, :data:`CHANNELS`): every channel of :data:`SIGNALS` for every frame, NaN where
    the source or the camera view cannot show it (the live path reads these without the
    :class:`TimeSeries` around them, whose checks cost as much as a frame's angles).
    ``view`` overrides :func:`camera_view` for a 2-D camera (the live path decides it once
    over a window, not from each single frame); 3-D sources are "3d".
    ``only`` names the channels the caller will read: the limb and the height/speed groups
    are skipped (left NaN) when none of theirs is wanted — the live path calls this for every
    frame of every patient, and those groups were most of its cost. ``per_frame`` measures
    every frame as if it were a series of its own (the facts usually decided once per
    recording - which way the subject faces, the trunk and leg lengths - are each frame's,
    and speeds are NaN): the live path's several frames in one call, with the numbers of one
    call per frame."""
    measured = camera_view(series) if view is None else view
    if (series.unit in CAMERA_UNITS) == (measured == "3d"):
        raise AnalysisError(
            "view",
            f"{measured!r} does not fit a series in {series.unit!r}: "
            "use 'front', 'side' or 'unknown' for cameras and '3d' for lab sources",
        )
    camera = measured != "3d"
    out: dict[str, FloatArray] = {}  # a channel never written stays NaN (see below)
    base, top = _trunk_points(series)
    trunk = top - base
    out["trunk_length"] = norm(trunk)
    trunk_scale = _recording_fact(out["trunk_length"], per_frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # Which way the subject faces and which side is their left are one fact per
        # recording: decided once here, not in every helper (the live path calls this per frame).
        sides = _ImageSides(
            facing=_facing_sign(series, per_frame) if measured == "side" else 1.0,
            left=_left_sign(series, per_frame) if measured == "front" else 1.0,
        )
        if camera:
            _camera_trunk(series, measured, sides, base, top, out)
        else:
            _lab_trunk(series, base, top, out)
        if only is None or not only.isdisjoint(LIMB_CHANNELS):
            _limbs(series, measured, camera, sides, trunk, out, only)
        if only is None or not only.isdisjoint(HEIGHT_SPEED_CHANNELS):
            _heights_and_speeds(series, measured, base, trunk_scale, out, per_frame)
    values = np.full((series.frames, len(CHANNELS)), np.nan)
    for name, channel in out.items():
        values[:, _COLUMN[name]] = channel
    return values


def _lab_trunk(
    series: LandmarkSeries, base: FloatArray, top: FloatArray, out: dict[str, FloatArray]
) -> None:
    left_hip, right_hip = series.point("left_hip"), series.point("right_hip")
    lateral, forward = body_axes(left_hip, right_hip)
    trunk = top - base
    out["trunk_sagittal_deg"] = sagittal_inclination(trunk, forward)
    out["trunk_frontal_deg"] = frontal_inclination(trunk, lateral)
    shoulders = series.point("left_shoulder") - series.point("right_shoulder")
    out["trunk_rotation_deg"] = signed_angle_about_vertical(left_hip - right_hip, shoulders)
    out["pelvic_obliquity_deg"] = tilt_from_horizontal(right_hip, left_hip)
    spine = series.point("spine_mid")
    if not np.isfinite(spine[:, 0]).any():
        out["pelvic_tilt_deg"] = out["trunk_sagittal_deg"]
        return
    pelvis = series.point("pelvis")
    lower_base = np.where(np.isfinite(pelvis), pelvis, base)
    lower = sagittal_inclination(spine - lower_base, forward)
    upper = sagittal_inclination(top - spine, forward)
    out["pelvic_tilt_deg"] = np.where(np.isfinite(lower), lower, out["trunk_sagittal_deg"])
    out["lumbar_flexion_deg"] = upper - lower


@dataclass(frozen=True)
class _ImageSides:
    """+1/-1: the subject faces image-right (side view); their left is image-right (front);
    one value per frame when frames are measured alone."""

    facing: float | FloatArray
    left: float | FloatArray


def _camera_trunk(
    series: LandmarkSeries,
    view: View,
    sides: _ImageSides,
    base: FloatArray,
    top: FloatArray,
    out: dict[str, FloatArray],
) -> None:
    trunk = (top - base)[:, :2]
    left_hip, right_hip = series.point("left_hip"), series.point("right_hip")
    if view == "side":
        out["trunk_sagittal_deg"] = planar_inclination(trunk, sides.facing)
        out["pelvic_tilt_deg"] = out["trunk_sagittal_deg"]
    elif view == "front":
        # Positive towards the subject's right, which is image-left when their left is
        # image-right.
        out["trunk_frontal_deg"] = planar_inclination(trunk, -sides.left)
        out["pelvic_obliquity_deg"] = tilt_from_horizontal(right_hip[:, :2], left_hip[:, :2])
        if series.dims == 3:
            shoulders = series.point("left_shoulder") - series.point("right_shoulder")
            out["trunk_rotation_deg"] = signed_angle_about_vertical(left_hip - right_hip, shoulders)


def _limbs(
    series: LandmarkSeries,
    view: View,
    camera: bool,
    sides: _ImageSides,
    trunk: FloatArray,
    out: dict[str, FloatArray],
    only: frozenset[str] | None = None,
) -> None:
    """Joint angles; the trunk direction (mid-hip to mid-shoulder) is the reference of the hip
    and shoulder angles, so that a wider pair of shoulders than hips adds no angle. ``only``
    (None: all) names the channels wanted: a side's leg angles, and each arm angle, are
    computed only when asked for."""

    def wanted(*names: str) -> bool:
        return only is None or not only.isdisjoint(names)

    legs = wanted(*LEG_CHANNELS)
    dims = slice(0, 2) if camera else slice(0, 3)
    trunk = trunk[:, dims]
    if not camera:
        lateral, forward = body_axes(series.point("left_hip"), series.point("right_hip"))
    for side in ("left", "right"):
        flexion, abduction = f"shoulder_flexion_{side}_deg", f"shoulder_abduction_{side}_deg"
        elevation, elbow_angle = f"arm_elevation_{side}_deg", f"elbow_flexion_{side}_deg"
        shrug = f"shoulder_elevation_{side}_deg"
        if legs:
            hip = series.point(f"{side}_hip")[:, dims]
            knee = series.point(f"{side}_knee")[:, dims]
            ankle = series.point(f"{side}_ankle")[:, dims]
            out[f"hip_flexion_{side}_deg"] = joint_angle(hip + trunk, hip, knee)
            out[f"knee_flexion_{side}_deg"] = joint_angle(hip, knee, ankle)
            if not camera:
                out[f"knee_valgus_{side}_deg"] = _lab_valgus(
                    hip, knee, ankle, forward, side, lateral
                )
        if not wanted(elbow_angle, elevation, flexion, abduction, shrug):
            continue
        shoulder = series.point(f"{side}_shoulder")[:, dims]
        elbow = series.point(f"{side}_elbow")[:, dims]
        if wanted(elbow_angle):
            wrist = series.point(f"{side}_wrist")[:, dims]
            out[elbow_angle] = joint_angle(shoulder, elbow, wrist)
        arm = elbow - shoulder
        down = -trunk
        if wanted(elevation):
            out[elevation] = angle_between(arm, down)
        if wanted(flexion, abduction) and camera:
            _camera_shoulder(view, sides, side, arm, down, out)
        elif wanted(flexion, abduction):
            # Sagittal plane: normal is the mediolateral axis; frontal: normal is forwards.
            sagittal_arm = project_on_plane(arm, lateral)
            sagittal_down = project_on_plane(down, lateral)
            sign = np.sign(dot(arm, forward))
            out[flexion] = sign * angle_between(sagittal_arm, sagittal_down)
            frontal_arm = project_on_plane(arm, forward)
            frontal_down = project_on_plane(down, forward)
            outwards = lateral if side == "left" else -lateral
            sign = np.sign(dot(arm, outwards))
            out[abduction] = sign * angle_between(frontal_arm, frontal_down)
        if wanted(shrug):
            neck = series.point("neck")
            neck = np.where(np.isfinite(neck), neck, series.point("thorax"))[:, dims]
            out[shrug] = tilt_from_horizontal(shoulder, neck)
    if legs and camera and view == "front":
        for side in ("left", "right"):
            hip = series.point(f"{side}_hip")[:, :2]
            knee = series.point(f"{side}_knee")[:, :2]
            ankle = series.point(f"{side}_ankle")[:, :2]
            inwards = sides.left * (-1.0 if side == "left" else 1.0)
            out[f"knee_valgus_{side}_deg"] = _planar_valgus(hip, knee, ankle, inwards)


def _camera_shoulder(
    view: View,
    sides: _ImageSides,
    side: str,
    arm: FloatArray,
    down: FloatArray,
    out: dict[str, FloatArray],
) -> None:
    """Arm elevation in the image plane: the signed angle from the trunk-down line to the upper
    arm, oriented by the way the subject faces (side view) or by the arm's side of the body
    (front view), so that it runs continuously through overhead."""
    across = down[:, 0] * arm[:, 1] - down[:, 1] * arm[:, 0]
    signed = np.degrees(np.arctan2(across, dot(down, arm)))
    if view == "side":
        out[f"shoulder_flexion_{side}_deg"] = sides.facing * signed
    elif view == "front":
        outwards = 1.0 if side == "left" else -1.0
        out[f"shoulder_abduction_{side}_deg"] = sides.left * outwards * signed


def _planar_valgus(
    hip: FloatArray, knee: FloatArray, ankle: FloatArray, inwards: float | FloatArray
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
    toward = np.sign(dot(frontal[1] - midpoint, inwards))
    return np.asarray(np.where(toward >= 0, flexion, -flexion), dtype=np.float64)


# Hip-to-shoulder distance ≈ 0.29 × height (Winter, table 4.1) for an assumed 1.70 m adult.
ASSUMED_TRUNK_M = 0.29 * 1.70


def _positive(scale: float | FloatArray, values: FloatArray) -> FloatArray:
    """``values / scale`` where the scale is a finite positive length, else NaN."""
    usable = np.isfinite(scale) & (np.asarray(scale) > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(usable, values / scale, np.nan), dtype=np.float64)


def _lateral_position(
    series: LandmarkSeries, base: FloatArray, trunk_scale: float | FloatArray, per_frame: bool
) -> FloatArray:
    """Mid-hip position along the recording's median left-right axis (``per_frame``: each
    frame's own), in metres."""
    across = series.point("left_hip") - series.point("right_hip")
    if series.unit in CAMERA_UNITS:
        return _positive(trunk_scale, base[:, 0] * ASSUMED_TRUNK_M)
    flat = across.copy()
    flat[:, 1] = 0.0
    metres = series.metres_per_unit() or 1.0
    if per_frame:
        return _positive(norm(flat), dot(base, flat) * metres)
    axis = np.array([_nanmedian(flat[:, i]) for i in range(3)])
    length = float(np.linalg.norm(axis))
    if not np.isfinite(length) or length == 0:
        return np.full(series.frames, np.nan)
    return np.asarray(base @ (axis / length) * metres, dtype=np.float64)


def _heights_and_speeds(
    series: LandmarkSeries,
    view: View,
    base: FloatArray,
    trunk_scale: float | FloatArray,
    out: dict[str, FloatArray],
    per_frame: bool = False,
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
    lowest = np.fmin.reduce(feet)
    legs = []
    for side in ("left", "right"):
        hip, knee, ankle = (series.point(f"{side}_{j}") for j in ("hip", "knee", "ankle"))
        legs.append(norm(knee - hip) + norm(ankle - knee))
    if per_frame:  # the median of a frame's two legs
        pair = np.stack(legs, axis=1)
        found = np.isfinite(pair)
        count = found.sum(axis=1)
        leg: float | FloatArray = np.where(
            count > 0, np.where(found, pair, 0.0).sum(axis=1) / np.maximum(count, 1), np.nan
        )
    else:
        leg = _nanmedian(np.concatenate(legs))
    if per_frame or (np.isfinite(leg) and leg > 0):
        out["hip_height"] = _positive(leg, base[:, 1] - lowest)
    if view in ("3d", "front"):
        out["pelvis_lateral"] = _lateral_position(series, base, trunk_scale, per_frame)
    for side in ("left", "right"):
        if per_frame or (np.isfinite(trunk_scale) and trunk_scale > 0):
            rise = series.point(f"{side}_wrist")[:, 1] - series.point(f"{side}_shoulder")[:, 1]
            out[f"{side}_wrist_height"] = _positive(trunk_scale, rise)
        out[f"{side}_wrist_speed"] = _speed(series.point(f"{side}_wrist"), series.time, trunk_scale)
        out[f"{side}_ankle_speed"] = _speed(series.point(f"{side}_ankle"), series.time, trunk_scale)


__all__ = [
    "CHANNELS",
    "FRONT_VIEW_MIN_RATIO",
    "SIDE_VIEW_MAX_RATIO",
    "SIGNALS",
    "UP",
    "SignalSpec",
    "View",
    "camera_view",
    "kinematic_signals",
    "kinematic_values",
    "visible_channels",
]

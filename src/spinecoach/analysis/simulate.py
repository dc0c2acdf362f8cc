"""Synthetic movements with known answers, for tests, evaluations and benchmarks.

A standing adult skeleton (metres, y up, facing +z, left towards +x - the readers' convention)
is posed frame by frame from time courses of a few joint angles: trunk inclination and
rotation, arm elevation, knee bend (squat depth), straight-leg raise. Because every angle is
set, every metric has a known value. Courses are constants, arrays or functions of time;
:func:`repetition_course` and :func:`hold_course` make the usual shapes. Noise and gaps are
added on request (:func:`blank` for a gap of known place and length), and
:func:`camera_view_of` projects the same motion onto a 2-D front or side camera.
Seeded and vectorised: 10,000 frames take milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Literal

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import LANDMARKS, FloatArray, LandmarkSeries

Course = float | FloatArray | Callable[[FloatArray], FloatArray]

# Segment lengths (m) of a ~1.72 m adult, rounded from Winter's anthropometric proportions
# (Biomechanics and Motor Control of Human Movement, 4th ed., fig. 4.1): thigh 0.245 H,
# shank 0.246 H, upper arm 0.186 H, forearm 0.146 H.
THIGH_M = 0.42
SHANK_M = 0.42
UPPER_ARM_M = 0.32
FOREARM_M = 0.25
ANKLE_HEIGHT_M = 0.08
HIP_HALF_WIDTH_M = 0.09
SHOULDER_HALF_WIDTH_M = 0.19
TRUNK_M = 0.50  # mid-hip to mid-shoulder

_UPPER = ("spine_mid", "thorax", "neck", "head", "nose", "left_shoulder", "right_shoulder")
_ARM = ("elbow", "wrist")
NAMES: tuple[str, ...] = LANDMARKS  # every common point, spine included


def course_values(value: Course, time: FloatArray) -> FloatArray:
    """A course (a constant, an array, or a function of the time array) at every time."""
    raw = value(time) if callable(value) else value
    return np.broadcast_to(np.asarray(raw, dtype=np.float64), time.shape).astype(np.float64)


def repetition_course(
    time: FloatArray,
    *,
    amplitude: float,
    reps: int,
    out_s: float = 1.5,
    hold_s: float = 0.5,
    back_s: float = 1.5,
    rest_s: float = 1.5,
    start_s: float = 1.0,
) -> FloatArray:
    """A signal at 0 that rises smoothly (half-cosine) to ``amplitude`` in ``out_s``, stays
    ``hold_s``, returns in ``back_s`` and rests ``rest_s``, ``reps`` times from ``start_s``."""
    period = out_s + hold_s + back_s + rest_s
    phase = time - start_s
    cycle = np.floor(phase / period)
    local = phase - cycle * period
    rising = 0.5 * (1 - np.cos(np.pi * np.clip(local / out_s, 0, 1)))
    falling = 0.5 * (1 + np.cos(np.pi * np.clip((local - out_s - hold_s) / back_s, 0, 1)))
    shape = np.where(local < out_s + hold_s, rising, falling)
    active = (phase >= 0) & (cycle < reps)
    return np.where(active, amplitude * shape, 0.0)


def hold_course(
    time: FloatArray,
    *,
    value: float,
    start_s: float,
    hold_s: float,
    ramp_s: float = 1.0,
) -> FloatArray:
    """A signal at 0 that moves smoothly (half-cosine) to ``value`` in ``ramp_s`` from
    ``start_s``, stays there exactly ``hold_s`` seconds, and returns in ``ramp_s``."""
    local = time - start_s
    rising = 0.5 * (1 - np.cos(np.pi * np.clip(local / ramp_s, 0, 1)))
    falling = 0.5 * (1 + np.cos(np.pi * np.clip((local - ramp_s - hold_s) / ramp_s, 0, 1)))
    shape = np.where(local < ramp_s + hold_s, rising, falling)
    return np.asarray(value * shape, dtype=np.float64)


def _rot_x(angle: FloatArray) -> FloatArray:
    c, s = np.cos(angle), np.sin(angle)
    o, z = np.ones_like(angle), np.zeros_like(angle)
    return np.stack(
        [np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2
    )


def _rot_y(angle: FloatArray) -> FloatArray:
    c, s = np.cos(angle), np.sin(angle)
    o, z = np.ones_like(angle), np.zeros_like(angle)
    return np.stack(
        [np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2
    )


def _rot_z(angle: FloatArray) -> FloatArray:
    c, s = np.cos(angle), np.sin(angle)
    o, z = np.ones_like(angle), np.zeros_like(angle)
    return np.stack(
        [np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2
    )


def simulate_motion(
    *,
    duration_s: float,
    rate_hz: float = 30.0,
    trunk_sagittal_deg: Course = 0.0,
    trunk_frontal_deg: Course = 0.0,
    trunk_rotation_deg: Course = 0.0,
    arm_elevation_left_deg: Course = 0.0,
    arm_elevation_right_deg: Course = 0.0,
    arm_plane: Literal["frontal", "sagittal"] = "frontal",
    knee_flexion_deg: Course = 0.0,
    leg_raise_left_deg: Course = 0.0,
    leg_raise_right_deg: Course = 0.0,
    noise_m: float = 0.0,
    gap_fraction: float = 0.0,
    seed: int = 0,
) -> LandmarkSeries:
    """A posed skeleton over time (metres). Trunk angles are applied about the mid-hip:
    rotation about the vertical, then side-bend (positive to the right), then forward lean;
    arms rise from the side in the frontal plane (abduction) or forwards (flexion); the knees
    bend symmetrically with the hips kept above the ankles, so hip flexion = knee flexion / 2
    + trunk lean; a leg raise then swings that whole leg forwards about its hip (adding to
    its hip flexion). ``noise_m`` adds Gaussian noise (m), ``gap_fraction`` blanks that share
    of landmark samples at random; ``seed`` makes both repeatable."""
    if not duration_s > 0 or not rate_hz > 0:
        raise AnalysisError("duration_s", "duration and frame rate must be positive")
    time = np.arange(0.0, duration_s, 1.0 / rate_hz)
    n = time.size
    knee = np.radians(course_values(knee_flexion_deg, time))
    leg_height = (THIGH_M + SHANK_M) * np.cos(knee / 2)
    hip_y = ANKLE_HEIGHT_M + leg_height
    points: dict[str, FloatArray] = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        x = sign * HIP_HALF_WIDTH_M
        ankle = np.column_stack([np.full(n, x), np.full(n, ANKLE_HEIGHT_M), np.zeros(n)])
        # Shank leans forwards by half the knee angle, thigh backwards by the other half.
        knee_point = ankle + SHANK_M * np.column_stack(
            [np.zeros(n), np.cos(knee / 2), np.sin(knee / 2)]
        )
        points[f"{side}_ankle"] = ankle
        points[f"{side}_knee"] = knee_point
        points[f"{side}_hip"] = np.column_stack([np.full(n, x), hip_y, np.zeros(n)])
        points[f"{side}_heel"] = ankle + np.array([0.0, -0.06, -0.05])
        points[f"{side}_foot"] = ankle + np.array([0.0, -0.06, 0.15])
        course = leg_raise_left_deg if side == "left" else leg_raise_right_deg
        raise_rad = np.radians(course_values(course, time))
        if np.any(raise_rad != 0):
            swing = _rot_x(-raise_rad)  # turns a downward leg forwards (+z) and up
            hip = points[f"{side}_hip"]
            for joint in ("knee", "ankle", "heel", "foot"):
                relative = points[f"{side}_{joint}"] - hip
                points[f"{side}_{joint}"] = hip + np.einsum("nij,nj->ni", swing, relative)
    base = 0.5 * (points["left_hip"] + points["right_hip"])
    points["pelvis"] = base.copy()
    # Upper body in its own frame (origin at the mid-hip, upright).
    rest = {
        "spine_mid": np.array([0.0, 0.24, 0.0]),
        "thorax": np.array([0.0, TRUNK_M - 0.03, 0.0]),
        "neck": np.array([0.0, TRUNK_M + 0.05, 0.0]),
        "head": np.array([0.0, TRUNK_M + 0.17, 0.0]),
        "nose": np.array([0.0, TRUNK_M + 0.17, 0.10]),
        "left_shoulder": np.array([SHOULDER_HALF_WIDTH_M, TRUNK_M, 0.0]),
        "right_shoulder": np.array([-SHOULDER_HALF_WIDTH_M, TRUNK_M, 0.0]),
    }
    local = {name: np.broadcast_to(p, (n, 3)).copy() for name, p in rest.items()}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        course = arm_elevation_left_deg if side == "left" else arm_elevation_right_deg
        lift = np.radians(course_values(course, time))
        if arm_plane == "frontal":
            direction = np.column_stack([sign * np.sin(lift), -np.cos(lift), np.zeros(n)])
        else:
            direction = np.column_stack([np.zeros(n), -np.cos(lift), np.sin(lift)])
        shoulder = local[f"{side}_shoulder"]
        local[f"{side}_elbow"] = shoulder + UPPER_ARM_M * direction
        local[f"{side}_wrist"] = shoulder + (UPPER_ARM_M + FOREARM_M) * direction
    rotation = (
        _rot_x(np.radians(course_values(trunk_sagittal_deg, time)))
        @ _rot_z(np.radians(course_values(trunk_frontal_deg, time)))
        @ _rot_y(np.radians(course_values(trunk_rotation_deg, time)))
    )
    for name, p in local.items():
        points[name] = base + np.einsum("nij,nj->ni", rotation, p)
    positions = np.stack([points[name] for name in NAMES], axis=1)
    if noise_m < 0 or not 0 <= gap_fraction <= 1:
        raise AnalysisError("noise_m", "noise must be ≥ 0 and gap_fraction within [0, 1]")
    rng = np.random.default_rng(seed)
    if noise_m > 0:
        positions = positions + rng.normal(0.0, noise_m, positions.shape)
    confidence = np.ones((n, len(NAMES)))
    if gap_fraction > 0:
        blank = rng.random((n, len(NAMES))) < gap_fraction
        positions[blank] = np.nan
        confidence[blank] = 0.0
    return LandmarkSeries(time, positions, confidence, NAMES, "m", source="simulated")


def camera_view_of(
    series: LandmarkSeries, view: Literal["front", "side"], *, facing: float = 1.0
) -> LandmarkSeries:
    """The motion as a 2-D camera sees it (image-height units, y up): from the front the
    subject's left is image-right; from the side they face image-right (``facing`` = 1) or
    image-left (-1). The camera frames 2 m of height."""
    xyz = series.positions
    horizontal = xyz[..., 0] if view == "front" else facing * xyz[..., 2]
    image = np.stack([horizontal, xyz[..., 1]], axis=-1) / 2.0 + np.array([0.5, 0.0])
    names = tuple(n for n in series.names if n in _CAMERA_POINTS)
    keep = [series.names.index(n) for n in names]
    return LandmarkSeries(
        series.time,
        image[:, keep],
        series.confidence[:, keep],
        names,
        "image_height",
        source=f"simulated {view} camera",
    )


def blank(
    series: LandmarkSeries,
    *,
    start_s: float,
    end_s: float,
    names: tuple[str, ...] | None = None,
) -> LandmarkSeries:
    """A copy with the landmarks ``names`` (default: all) missing (NaN, confidence 0) in the
    frames with ``start_s <= time <= end_s``: a gap of known place and length."""
    frames = (series.time >= start_s) & (series.time <= end_s)
    chosen = series.names if names is None else names
    unknown = sorted(set(chosen) - set(series.names))
    if unknown:
        raise AnalysisError("names", f"not in the series: {', '.join(unknown)}")
    columns = np.isin(np.array(series.names), np.array(chosen))
    positions = series.positions.copy()
    confidence = series.confidence.copy()
    mask = np.zeros(confidence.shape, dtype=bool)
    mask[np.ix_(frames, columns)] = True
    positions[mask] = np.nan
    confidence[mask] = 0.0
    return replace(series, positions=positions, confidence=confidence)


# A camera model (BlazePose, OpenPose) has no spine points.
_CAMERA_POINTS = frozenset(NAMES) - {"pelvis", "spine_mid", "thorax", "neck"}

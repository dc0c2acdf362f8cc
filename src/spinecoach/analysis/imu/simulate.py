"""Inertial sensors on known rotations, for tests, benchmarks and evaluations.

The true orientation is integrated exactly: over each sampling step the angular velocity is
constant, so the step's rotation is the quaternion exponential of ω·dt (no integration
error). The sensor then reads that angular velocity (rad/s), the specific force of gravity
(+1 g along earth up, in the sensor frame: the sensor turns about its own origin, so there is
no linear acceleration) and the earth's field (unit norm, pointing north and down with a dip
angle), all in the sensor frame, plus optional white noise and a constant gyroscope bias.
Frames and sample timing follow :mod:`spinecoach.analysis.imu.orientation`: sample ``k`` of
the gyroscope is the rate over the step ending at sample ``k``; sample 0 carries no rotation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu.orientation import (
    conjugate,
    exp_rotation,
    from_axis_angle,
    multiply,
    normalise,
    to_matrix,
)
from spinecoach.analysis.simulate import Course, course_values
from spinecoach.analysis.timeseries import FloatArray

AngularVelocity = Callable[[FloatArray], FloatArray] | FloatArray | tuple[float, float, float]
# Magnetic dip of mid-European latitudes (≈ 60–65°, NOAA World Magnetic Model 2020).
DEFAULT_DIP_DEG = 60.0


class ImuSimulation(NamedTuple):
    """Readings of one simulated sensor (n, 3) and its true orientation (n, 4), sensor ->
    earth; unpacks as ``gyr, acc, mag, true_q``."""

    gyr: FloatArray
    acc: FloatArray
    mag: FloatArray
    true_q: FloatArray


class LumbarSimulation(NamedTuple):
    """Thorax and pelvis sensors and the true lumbar angles (deg) between them."""

    thorax: ImuSimulation
    pelvis: ImuSimulation
    flexion_deg: FloatArray
    lateral_bend_deg: FloatArray
    rotation_deg: FloatArray


def _times(rate_hz: float, duration_s: float) -> FloatArray:
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise AnalysisError("rate_hz", f"must be a positive sampling rate in Hz, got {rate_hz}")
    if not (np.isfinite(duration_s) and duration_s > 0):
        raise AnalysisError("duration_s", f"must be a positive number of seconds, got {duration_s}")
    return np.arange(round(duration_s * rate_hz) + 1, dtype=np.float64) / rate_hz


def _rates(angular_velocity: AngularVelocity, time: FloatArray, rate_hz: float) -> FloatArray:
    """(n, 3) rates: row k turns the sensor over the step ending at sample k (row 0 unused).
    A function of time is evaluated at each step's midpoint."""
    if callable(angular_velocity):
        omega = np.asarray(angular_velocity(time - 0.5 / rate_hz), dtype=np.float64)
    else:
        omega = np.asarray(angular_velocity, dtype=np.float64)
    omega = np.broadcast_to(omega, (time.size, 3)) if omega.shape == (3,) else omega
    if omega.shape != (time.size, 3) or not np.all(np.isfinite(omega)):
        raise AnalysisError(
            "angular_velocity", f"expected finite (3,) or ({time.size}, 3) rad/s, got {omega.shape}"
        )
    return np.array(omega)


def _log(q: FloatArray) -> FloatArray:
    """Rotation vectors (..., 3) rad of unit quaternions (the inverse of ``exp_rotation``)."""
    signed = np.where(q[..., :1] < 0, -q, q)
    vector = signed[..., 1:]
    norm = np.linalg.norm(vector, axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(norm, signed[..., :1])
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(norm > 0, angle / np.where(norm > 0, norm, 1.0), 2.0)
    return np.asarray(scale * vector, dtype=np.float64)


def readings_of(
    true_q: FloatArray,
    /,
    *,
    rate_hz: float,
    noise_gyr: float = 0.0,
    noise_acc: float = 0.0,
    noise_mag: float = 0.0,
    gyr_bias: tuple[float, float, float] = (0.0, 0.0, 0.0),
    dip_deg: float = DEFAULT_DIP_DEG,
    seed: int = 0,
) -> ImuSimulation:
    """What a sensor following the orientations ``true_q`` (n, 4) reads: the constant rate
    that turns each orientation into the next (exact: the quaternion logarithm of the step),
    gravity (1 g) and the unit field in the sensor frame, plus noise (standard deviations in
    rad/s, g and field units) and bias."""
    q = normalise(true_q)
    if q.ndim != 2 or q.shape[0] < 1:
        raise AnalysisError("true_q", f"expected (n, 4) quaternions, got {q.shape}")
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise AnalysisError("rate_hz", f"must be a positive sampling rate in Hz, got {rate_hz}")
    for name, value in (
        ("noise_gyr", noise_gyr),
        ("noise_acc", noise_acc),
        ("noise_mag", noise_mag),
    ):
        if not (np.isfinite(value) and value >= 0):
            raise AnalysisError(name, f"must be a standard deviation ≥ 0, got {value}")
    gyr = np.zeros((q.shape[0], 3))
    gyr[1:] = _log(multiply(conjugate(q[:-1]), q[1:])) * rate_hz
    gyr += np.asarray(gyr_bias, dtype=np.float64)
    to_sensor = np.swapaxes(to_matrix(q), -1, -2)  # Rᵀ: earth -> sensor
    dip = np.radians(dip_deg)
    acc = to_sensor @ np.array([0.0, 0.0, 1.0])
    mag = to_sensor @ np.array([np.cos(dip), 0.0, -np.sin(dip)])
    rng = np.random.default_rng(seed)
    gyr += rng.normal(0.0, noise_gyr, gyr.shape) if noise_gyr else 0.0
    acc += rng.normal(0.0, noise_acc, acc.shape) if noise_acc else 0.0
    mag += rng.normal(0.0, noise_mag, mag.shape) if noise_mag else 0.0
    return ImuSimulation(gyr, acc, mag, q)


def simulate_imu(
    angular_velocity: AngularVelocity,
    /,
    *,
    rate_hz: float,
    duration_s: float,
    q0: FloatArray | None = None,
    noise_gyr: float = 0.0,
    noise_acc: float = 0.0,
    noise_mag: float = 0.0,
    gyr_bias: tuple[float, float, float] = (0.0, 0.0, 0.0),
    dip_deg: float = DEFAULT_DIP_DEG,
    seed: int = 0,
) -> ImuSimulation:
    """One sensor turning at ``angular_velocity`` (rad/s in the sensor frame: a constant
    (3,), an (n, 3) array or a function of the time array), from ``q0`` (default level,
    identity). Row ``k`` of an array is the rate over the step that ends at sample ``k`` (as a
    gyroscope reports it; row 0 is unused), so a simulated gyroscope re-integrates to the same
    orientations; a function is evaluated at each step's midpoint. Each step is integrated
    exactly (quaternion exponential)."""
    time = _times(rate_hz, duration_s)
    omega = _rates(angular_velocity, time, rate_hz)
    steps = exp_rotation(omega[1:] / rate_hz)
    start = np.array([1.0, 0.0, 0.0, 0.0]) if q0 is None else normalise(np.asarray(q0))
    if start.shape != (4,):
        raise AnalysisError("q0", f"expected one quaternion (4,), got {start.shape}")
    true_q = np.empty((time.size, 4))
    true_q[0] = start
    for k in range(1, time.size):  # a cumulative product: sequential by nature, cheap
        true_q[k] = multiply(true_q[k - 1], steps[k - 1])
    return readings_of(
        normalise(true_q),
        rate_hz=rate_hz,
        noise_gyr=noise_gyr,
        noise_acc=noise_acc,
        noise_mag=noise_mag,
        gyr_bias=gyr_bias,
        dip_deg=dip_deg,
        seed=seed,
    )


def simulate_lumbar(
    *,
    rate_hz: float,
    duration_s: float,
    flexion_deg: Course = 0.0,
    lateral_bend_deg: Course = 0.0,
    rotation_deg: Course = 0.0,
    pelvis_tilt_deg: Course = 0.0,
    yaw_deg: Course = 0.0,
    noise_gyr: float = 0.0,
    noise_acc: float = 0.0,
    seed: int = 0,
) -> LumbarSimulation:
    """A pelvis sensor and a thorax sensor, each aligned with its segment (x anterior, y left,
    z up when standing), with known lumbar angles: the thorax relative to the pelvis is
    flexion about y, then lateral bending about the new x, then axial rotation about the new z
    (the Cardan order of :func:`spinecoach.analysis.imu.angles.lumbar_angles`). The pelvis
    tilts forward by ``pelvis_tilt_deg`` (about y) and the whole body turns by ``yaw_deg``
    about the vertical. Courses are constants or functions of the time array (deg)."""
    time = _times(rate_hz, duration_s)
    flexion = course_values(flexion_deg, time)
    bend = course_values(lateral_bend_deg, time)
    turn = course_values(rotation_deg, time)
    x, y, z = np.eye(3)
    yaw = from_axis_angle(z, np.radians(course_values(yaw_deg, time)))
    tilt = from_axis_angle(y, np.radians(course_values(pelvis_tilt_deg, time)))
    pelvis_q = multiply(yaw, tilt)
    relative = multiply(
        multiply(from_axis_angle(y, np.radians(flexion)), from_axis_angle(x, np.radians(bend))),
        from_axis_angle(z, np.radians(turn)),
    )
    thorax_q = multiply(pelvis_q, relative)
    common = {"rate_hz": rate_hz, "noise_gyr": noise_gyr, "noise_acc": noise_acc}
    return LumbarSimulation(
        thorax=readings_of(thorax_q, seed=seed, **common),  # type: ignore[arg-type]
        pelvis=readings_of(pelvis_q, seed=seed + 1, **common),  # type: ignore[arg-type]
        flexion_deg=flexion,
        lateral_bend_deg=bend,
        rotation_deg=turn,
    )


def oscillation(
    *, axis: tuple[float, float, float], amplitude_deg: float, frequency_hz: float
) -> Callable[[FloatArray], FloatArray]:
    """An angular velocity (function of time) swinging the sensor about a fixed body axis by
    ±``amplitude_deg`` at ``frequency_hz`` (angle = A·sin(2πft))."""
    direction = np.asarray(axis, dtype=np.float64)
    direction = direction / np.linalg.norm(direction)
    amplitude = np.radians(amplitude_deg)

    def rate(time: FloatArray) -> FloatArray:
        speed = amplitude * 2 * np.pi * frequency_hz * np.cos(2 * np.pi * frequency_hz * time)
        return np.asarray(speed[:, None] * direction, dtype=np.float64)

    return rate

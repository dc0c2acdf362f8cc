"""Orientation of an inertial sensor: quaternion helpers and the Madgwick and Mahony filters.

Conventions (used by the whole ``imu`` package):

* Quaternions are ``(w, x, y, z)``, float64, unit norm.
* A sensor's quaternion ``q`` turns vectors from the **sensor frame into the earth frame**:
  ``v_earth = q ⊗ v_sensor ⊗ q*``. The earth frame has **z up**; its heading is arbitrary
  without a magnetometer (yaw 0 at the start) and has x along the horizontal magnetic field
  with one.
* An accelerometer at rest reads the specific force, **+1 g along the earth's up axis**
  (expressed in the sensor frame); its unit does not matter (the filters normalise it).
  Gyroscopes are in rad/s. Sample ``k`` of the gyroscope is the rate over the step that ends
  at sample ``k``; the output at sample 0 is the initial orientation and sample ``k`` is the
  estimate after fusing sample ``k`` (as in the ``ahrs`` package, our benchmark baseline).
* When ``q0`` is not given, the initial orientation is levelled on the first accelerometer
  sample (roll and pitch; yaw 0, or the magnetic heading when a magnetometer is given).

The recursive per-sample update is compiled with numba and written in scalar arithmetic
(no small arrays per sample); batches of sensors run in one compiled call.
"""

from __future__ import annotations

from typing import Any, Literal

import numba
import numpy as np
from scipy.spatial.transform import Rotation

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

Sequence = Literal["XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX"]
SEQUENCES: tuple[str, ...] = ("XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX")
# Madgwick (2010) suggests β ≈ √(3/4)·(gyroscope error); 0.1 suits consumer MEMS gyroscopes.
DEFAULT_BETA = 0.1
# Mahony et al. (2008): proportional and integral gains of the explicit complementary filter.
DEFAULT_KP = 1.0
DEFAULT_KI = 0.3


# ---------------------------------------------------------------------------- quaternions


def _quats(name: str, value: Any) -> FloatArray:
    array = np.asarray(value, dtype=np.float64)
    if array.shape[-1:] != (4,):
        raise AnalysisError(
            name, f"expected quaternions (..., 4) as (w, x, y, z), got {array.shape}"
        )
    return array


def multiply(p: FloatArray, q: FloatArray, /) -> FloatArray:
    """Hamilton product ``p ⊗ q`` of quaternions (..., 4), broadcast over leading axes."""
    a = _quats("p", p)
    b = _quats("q", q)
    w1, x1, y1, z1 = np.moveaxis(a, -1, 0)
    w2, x2, y2, z2 = np.moveaxis(b, -1, 0)
    return np.stack(
        (
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ),
        axis=-1,
    )


def conjugate(q: FloatArray, /) -> FloatArray:
    """The conjugate (the inverse of a unit quaternion): the opposite rotation."""
    return np.asarray(_quats("q", q) * np.array([1.0, -1.0, -1.0, -1.0]), dtype=np.float64)


def normalise(q: FloatArray, /) -> FloatArray:
    """Unit quaternions (a zero quaternion is an error: it is no rotation)."""
    array = _quats("q", q)
    norm = np.linalg.norm(array, axis=-1, keepdims=True)
    if np.any(~np.isfinite(norm)) or np.any(norm == 0):
        raise AnalysisError("q", "quaternions must be finite and non-zero")
    return np.asarray(array / norm, dtype=np.float64)


def from_axis_angle(axis: FloatArray, angle_rad: FloatArray | float, /) -> FloatArray:
    """Quaternion(s) of a rotation by ``angle_rad`` about ``axis`` (normalised here)."""
    direction = np.asarray(axis, dtype=np.float64)
    norm = np.linalg.norm(direction, axis=-1, keepdims=True)
    if direction.shape[-1:] != (3,) or np.any(norm == 0):
        raise AnalysisError("axis", f"expected non-zero 3-D axes, got shape {direction.shape}")
    half = 0.5 * np.asarray(angle_rad, dtype=np.float64)[..., None]
    return np.concatenate((np.cos(half), np.sin(half) * direction / norm), axis=-1)


def exp_rotation(rotation_vector: FloatArray, /) -> FloatArray:
    """The quaternion exponential ``exp(θ n / 2)`` of rotation vectors θ·n (..., 3), rad: the
    exact rotation of a constant angular velocity over a step (θ n = ω dt)."""
    vector = np.asarray(rotation_vector, dtype=np.float64)
    angle = np.linalg.norm(vector, axis=-1, keepdims=True)
    half = 0.5 * angle
    # sin(θ/2)/θ -> 1/2 as θ -> 0; np.sinc(x) = sin(πx)/(πx).
    scale = 0.5 * np.sinc(half / np.pi)
    return np.concatenate((np.cos(half), scale * vector), axis=-1)


def rotate(q: FloatArray, v: FloatArray, /) -> FloatArray:
    """``q ⊗ v ⊗ q*``: vectors (..., 3) turned by quaternions (..., 4) (sensor -> earth)."""
    matrix = to_matrix(q)
    return np.asarray(np.einsum("...ij,...j->...i", matrix, np.asarray(v, dtype=np.float64)))


def to_matrix(q: FloatArray, /) -> FloatArray:
    """Rotation matrices (..., 3, 3) of unit quaternions (..., 4)."""
    w, x, y, z = np.moveaxis(_quats("q", q), -1, 0)
    return np.stack(
        (
            np.stack((1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)), -1),
            np.stack((2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)), -1),
            np.stack((2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)), -1),
        ),
        axis=-2,
    )


def to_cardan(q: FloatArray, /, *, sequence: Sequence = "ZXY") -> FloatArray:
    """Cardan (Tait-Bryan) angles in degrees (..., 3) of unit quaternions, **intrinsic**
    (rotating axes): for "ZXY" the first angle is about z, the second about the new x, the
    third about the newest y, ``R = Rz(a)·Rx(b)·Ry(c)``. The middle angle is within ±90°;
    near ±90° (gimbal lock) the first and third angles are not separable."""
    if sequence not in SEQUENCES:
        raise AnalysisError("sequence", f"expected one of {', '.join(SEQUENCES)}, got {sequence!r}")
    array = normalise(q)
    flat = array.reshape(-1, 4)
    rotation = Rotation.from_quat(flat, scalar_first=True)
    angles = np.asarray(rotation.as_euler(sequence, degrees=True), dtype=np.float64)
    return angles.reshape((*array.shape[:-1], 3))


def angle_between(p: FloatArray, q: FloatArray, /) -> FloatArray:
    """Angle in degrees of the rotation taking ``p`` to ``q`` (0–180), ``q`` and ``-q`` being
    the same orientation."""
    a = normalise(p)
    b = normalise(q)
    dot = np.abs(np.sum(a * b, axis=-1))
    return np.asarray(np.degrees(2.0 * np.arccos(np.clip(dot, 0.0, 1.0))), dtype=np.float64)


def mean_quaternion(q: FloatArray, /) -> FloatArray:
    """Average orientation of quaternions (n, 4): the principal eigenvector of Σ q qᵀ
    (Markley et al. 2007, J Guidance Control Dynamics 30(4):1193), sign-free."""
    array = normalise(q).reshape(-1, 4)
    _, vectors = np.linalg.eigh(array.T @ array)
    mean = vectors[:, -1]
    return np.asarray(mean if mean[0] >= 0 else -mean, dtype=np.float64)


def from_gravity(acc: FloatArray, mag: FloatArray | None = None, /) -> FloatArray:
    """Orientation (4,) levelled on one accelerometer sample: roll and pitch from gravity, yaw 0
    or, with a magnetometer sample, the heading that puts the horizontal field along earth x."""
    a = np.asarray(acc, dtype=np.float64)
    norm = float(np.linalg.norm(a))
    if a.shape != (3,) or not np.isfinite(norm) or norm == 0:
        raise AnalysisError(
            "acc", "the first accelerometer sample must be a finite non-zero 3-D vector"
        )
    ax, ay, az = a / norm
    roll = np.arctan2(ay, az)
    pitch = np.arctan2(-ax, np.hypot(ay, az))
    cr, sr = np.cos(roll / 2), np.sin(roll / 2)
    cp, sp = np.cos(pitch / 2), np.sin(pitch / 2)
    tilt = np.array([cp * cr, cp * sr, sp * cr, -sp * sr])  # Ry(pitch) ⊗ Rx(roll)
    if mag is None:
        return tilt
    m = np.asarray(mag, dtype=np.float64)
    if m.shape != (3,) or not np.all(np.isfinite(m)) or not np.any(m):
        return tilt
    h = (to_matrix(tilt) @ m).ravel()
    heading = np.arctan2(h[1], h[0])
    yaw = np.array([np.cos(-heading / 2), 0.0, 0.0, np.sin(-heading / 2)])
    return multiply(yaw, tilt)


# ---------------------------------------------------------------------------- compiled loops


@numba.njit(cache=True, inline="always")
def _rate(
    q0: float, q1: float, q2: float, q3: float, gx: float, gy: float, gz: float
) -> tuple[float, float, float, float]:
    """Rate of change of the quaternion from the angular rate: ½ q ⊗ (0, ω)."""
    return (
        0.5 * (-q1 * gx - q2 * gy - q3 * gz),
        0.5 * (q0 * gx + q2 * gz - q3 * gy),
        0.5 * (q0 * gy - q1 * gz + q3 * gx),
        0.5 * (q0 * gz + q1 * gy - q2 * gx),
    )


@numba.njit(cache=True, inline="always")
def _integrate(
    q0: float,
    q1: float,
    q2: float,
    q3: float,
    d0: float,
    d1: float,
    d2: float,
    d3: float,
    dt: float,
) -> tuple[float, float, float, float]:
    """One Euler step of the quaternion by its rate, renormalised (both filters end so)."""
    q0 += d0 * dt
    q1 += d1 * dt
    q2 += d2 * dt
    q3 += d3 * dt
    qn = (q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3) ** 0.5
    return q0 / qn, q1 / qn, q2 / qn, q3 / qn


@numba.njit(cache=True)
def _madgwick_run(
    gyr: Any,
    acc: Any,
    mag: Any,
    use_mag: bool,
    dt: float,
    beta: float,
    state: Any,
    out: Any,
    start: int,
) -> None:
    """Madgwick's gradient-descent update for samples ``start``..n-1 of one sensor, from the
    quaternion in ``state`` (updated in place); each estimate written to ``out``."""
    q0, q1, q2, q3 = state[0], state[1], state[2], state[3]
    for k in range(start, gyr.shape[0]):
        gx, gy, gz = gyr[k, 0], gyr[k, 1], gyr[k, 2]
        d0, d1, d2, d3 = _rate(q0, q1, q2, q3, gx, gy, gz)  # from the gyroscope
        ax, ay, az = acc[k, 0], acc[k, 1], acc[k, 2]
        an = (ax * ax + ay * ay + az * az) ** 0.5
        if an > 0.0:
            ax /= an
            ay /= an
            az /= an
            # Gravity objective: expected up direction in the sensor frame minus measured.
            f1 = 2.0 * (q1 * q3 - q0 * q2) - ax
            f2 = 2.0 * (q0 * q1 + q2 * q3) - ay
            f3 = 1.0 - 2.0 * (q1 * q1 + q2 * q2) - az
            s0 = -2.0 * q2 * f1 + 2.0 * q1 * f2
            s1 = 2.0 * q3 * f1 + 2.0 * q0 * f2 - 4.0 * q1 * f3
            s2 = -2.0 * q0 * f1 + 2.0 * q3 * f2 - 4.0 * q2 * f3
            s3 = 2.0 * q1 * f1 + 2.0 * q2 * f2
            mn = 0.0
            mx, my, mz = 0.0, 0.0, 0.0
            if use_mag:
                mx, my, mz = mag[k, 0], mag[k, 1], mag[k, 2]
                mn = (mx * mx + my * my + mz * mz) ** 0.5
            if mn > 0.0:
                mx /= mn
                my /= mn
                mz /= mn
                # The field in the earth frame, reduced to its horizontal and vertical parts.
                hx = (1.0 - 2.0 * (q2 * q2 + q3 * q3)) * mx + 2.0 * (q1 * q2 - q0 * q3) * my
                hx += 2.0 * (q1 * q3 + q0 * q2) * mz
                hy = 2.0 * (q1 * q2 + q0 * q3) * mx + (1.0 - 2.0 * (q1 * q1 + q3 * q3)) * my
                hy += 2.0 * (q2 * q3 - q0 * q1) * mz
                bz = 2.0 * (q1 * q3 - q0 * q2) * mx + 2.0 * (q2 * q3 + q0 * q1) * my
                bz += (1.0 - 2.0 * (q1 * q1 + q2 * q2)) * mz
                bx = (hx * hx + hy * hy) ** 0.5
                f4 = bx * (1.0 - 2.0 * (q2 * q2 + q3 * q3)) + 2.0 * bz * (q1 * q3 - q0 * q2) - mx
                f5 = 2.0 * bx * (q1 * q2 - q0 * q3) + 2.0 * bz * (q0 * q1 + q2 * q3) - my
                f6 = 2.0 * bx * (q0 * q2 + q1 * q3) + bz * (1.0 - 2.0 * (q1 * q1 + q2 * q2)) - mz
                s0 += -2.0 * bz * q2 * f4 + (-2.0 * bx * q3 + 2.0 * bz * q1) * f5
                s0 += 2.0 * bx * q2 * f6
                s1 += 2.0 * bz * q3 * f4 + (2.0 * bx * q2 + 2.0 * bz * q0) * f5
                s1 += (2.0 * bx * q3 - 4.0 * bz * q1) * f6
                s2 += (-4.0 * bx * q2 - 2.0 * bz * q0) * f4 + (2.0 * bx * q1 + 2.0 * bz * q3) * f5
                s2 += (2.0 * bx * q0 - 4.0 * bz * q2) * f6
                s3 += (-4.0 * bx * q3 + 2.0 * bz * q1) * f4 + (-2.0 * bx * q0 + 2.0 * bz * q2) * f5
                s3 += 2.0 * bx * q1 * f6
            sn = (s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3) ** 0.5
            if sn > 0.0:
                d0 -= beta * s0 / sn
                d1 -= beta * s1 / sn
                d2 -= beta * s2 / sn
                d3 -= beta * s3 / sn
        q0, q1, q2, q3 = _integrate(q0, q1, q2, q3, d0, d1, d2, d3, dt)
        out[k, 0] = q0
        out[k, 1] = q1
        out[k, 2] = q2
        out[k, 3] = q3
    state[0], state[1], state[2], state[3] = q0, q1, q2, q3


@numba.njit(cache=True)
def _mahony_run(
    gyr: Any,
    acc: Any,
    mag: Any,
    use_mag: bool,
    dt: float,
    kp: float,
    ki: float,
    state: Any,
    bias: Any,
    out: Any,
    start: int,
) -> None:
    """Mahony's explicit complementary filter for samples ``start``..n-1 of one sensor; the
    quaternion ``state`` and the integral term ``bias`` (rad/s) are updated in place."""
    q0, q1, q2, q3 = state[0], state[1], state[2], state[3]
    ix, iy, iz = bias[0], bias[1], bias[2]
    for k in range(start, gyr.shape[0]):
        gx, gy, gz = gyr[k, 0], gyr[k, 1], gyr[k, 2]
        ax, ay, az = acc[k, 0], acc[k, 1], acc[k, 2]
        an = (ax * ax + ay * ay + az * az) ** 0.5
        if an > 0.0:
            ax /= an
            ay /= an
            az /= an
            # Expected up direction in the sensor frame (third row of the rotation matrix).
            vx = 2.0 * (q1 * q3 - q0 * q2)
            vy = 2.0 * (q0 * q1 + q2 * q3)
            vz = 1.0 - 2.0 * (q1 * q1 + q2 * q2)
            ex = ay * vz - az * vy
            ey = az * vx - ax * vz
            ez = ax * vy - ay * vx
            mn = 0.0
            mx, my, mz = 0.0, 0.0, 0.0
            if use_mag:
                mx, my, mz = mag[k, 0], mag[k, 1], mag[k, 2]
                mn = (mx * mx + my * my + mz * mz) ** 0.5
            if mn > 0.0:
                mx /= mn
                my /= mn
                mz /= mn
                r00 = 1.0 - 2.0 * (q2 * q2 + q3 * q3)
                r01 = 2.0 * (q1 * q2 - q0 * q3)
                r02 = 2.0 * (q1 * q3 + q0 * q2)
                r10 = 2.0 * (q1 * q2 + q0 * q3)
                r11 = 1.0 - 2.0 * (q1 * q1 + q3 * q3)
                r12 = 2.0 * (q2 * q3 - q0 * q1)
                hx = r00 * mx + r01 * my + r02 * mz
                hy = r10 * mx + r11 * my + r12 * mz
                bz = vx * mx + vy * my + vz * mz
                bx = (hx * hx + hy * hy) ** 0.5
                # Expected field in the sensor frame: Rᵀ (bx, 0, bz).
                wx = bx * r00 + bz * vx
                wy = bx * r01 + bz * vy
                wz = bx * r02 + bz * vz
                ex += my * wz - mz * wy
                ey += mz * wx - mx * wz
                ez += mx * wy - my * wx
            ix += ki * ex * dt
            iy += ki * ey * dt
            iz += ki * ez * dt
            gx += kp * ex + ix
            gy += kp * ey + iy
            gz += kp * ez + iz
        d0, d1, d2, d3 = _rate(q0, q1, q2, q3, gx, gy, gz)
        q0, q1, q2, q3 = _integrate(q0, q1, q2, q3, d0, d1, d2, d3, dt)
        out[k, 0] = q0
        out[k, 1] = q1
        out[k, 2] = q2
        out[k, 3] = q3
    state[0], state[1], state[2], state[3] = q0, q1, q2, q3
    bias[0], bias[1], bias[2] = ix, iy, iz


@numba.njit(cache=True)
def _madgwick_batch(
    gyr: Any, acc: Any, mag: Any, use_mag: bool, dt: float, beta: float, states: Any, out: Any
) -> None:
    for s in range(gyr.shape[0]):
        out[s, 0, :] = states[s]
        _madgwick_run(gyr[s], acc[s], mag[s], use_mag, dt, beta, states[s], out[s], 1)


@numba.njit(cache=True)
def _mahony_batch(
    gyr: Any,
    acc: Any,
    mag: Any,
    use_mag: bool,
    dt: float,
    kp: float,
    ki: float,
    states: Any,
    biases: Any,
    out: Any,
) -> None:
    for s in range(gyr.shape[0]):
        out[s, 0, :] = states[s]
        _mahony_run(gyr[s], acc[s], mag[s], use_mag, dt, kp, ki, states[s], biases[s], out[s], 1)


# ---------------------------------------------------------------------------- public filters


def check_rate(rate_hz: float) -> float:
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise AnalysisError("rate_hz", f"must be a positive sampling rate in Hz, got {rate_hz}")
    return float(rate_hz)


def check_gain(name: str, value: float) -> float:
    if not (np.isfinite(value) and value >= 0):
        raise AnalysisError(name, f"must be a finite number ≥ 0, got {value}")
    return float(value)


def prepare(
    gyr: Any, acc: Any, mag: Any, q0: Any
) -> tuple[FloatArray, FloatArray, FloatArray, bool, FloatArray, bool]:
    """Inputs as contiguous (sensors, n, 3) arrays, the initial quaternions (sensors, 4) and
    whether the input was a single sensor (n, 3)."""
    g = np.asarray(gyr, dtype=np.float64)
    single = g.ndim == 2
    if g.ndim not in (2, 3) or g.shape[-1] != 3:
        raise AnalysisError("gyr", f"expected (n, 3) or (sensors, n, 3) rad/s, got {g.shape}")
    g3 = g[None] if single else g
    a = np.asarray(acc, dtype=np.float64)
    if a.shape != g.shape:
        raise AnalysisError("acc", f"expected the gyroscope's shape {g.shape}, got {a.shape}")
    a3 = a[None] if single else a
    if g3.shape[1] == 0:
        raise AnalysisError("gyr", "needs at least one sample")
    for name, array in (("gyr", g3), ("acc", a3)):
        if not np.all(np.isfinite(array)):
            raise AnalysisError(name, "holds values that are not finite numbers (fill gaps first)")
    use_mag = mag is not None
    if use_mag:
        m = np.asarray(mag, dtype=np.float64)
        if m.shape != g.shape:
            raise AnalysisError("mag", f"expected the gyroscope's shape {g.shape}, got {m.shape}")
        if not np.all(np.isfinite(m)):
            raise AnalysisError("mag", "holds values that are not finite numbers")
        m3 = m[None] if single else m
    else:
        m3 = np.zeros((g3.shape[0], 1, 3))
    sensors = g3.shape[0]
    if q0 is None:
        starts = np.stack(
            [from_gravity(a3[s, 0], m3[s, 0] if use_mag else None) for s in range(sensors)]
        )
    else:
        start = np.asarray(q0, dtype=np.float64)
        if start.shape == (4,):
            start = np.tile(start, (sensors, 1))
        if start.shape != (sensors, 4):
            raise AnalysisError(
                "q0", f"expected (4,) or ({sensors}, 4) quaternions, got {start.shape}"
            )
        norm = np.linalg.norm(start, axis=1, keepdims=True)
        if not np.all(np.isfinite(norm)) or np.any(norm == 0):
            raise AnalysisError("q0", "must be finite, non-zero quaternions (w, x, y, z)")
        starts = start / norm
    return (
        np.ascontiguousarray(g3),
        np.ascontiguousarray(a3),
        np.ascontiguousarray(m3),
        use_mag,
        np.ascontiguousarray(starts),
        single,
    )


def madgwick(
    gyr: FloatArray,
    acc: FloatArray,
    mag: FloatArray | None = None,
    /,
    *,
    rate_hz: float,
    beta: float = DEFAULT_BETA,
    q0: FloatArray | None = None,
) -> FloatArray:
    """Orientation by Madgwick's gradient-descent filter (Madgwick 2010, "An efficient
    orientation filter for inertial and inertial/magnetic sensor arrays", report, Univ. of
    Bristol; Madgwick, Harrison & Vaidyanathan 2011, IEEE ICORR): the gyroscope's rate is
    integrated and, at each sample, nudged by ``beta`` (rad/s) along the normalised gradient
    of the mismatch between expected and measured gravity (and magnetic field, when ``mag``
    is given: the MARG update).

    ``gyr`` rad/s and ``acc`` (any unit) as (n, 3) or (sensors, n, 3); returns (n, 4) or
    (sensors, n, 4) quaternions (w, x, y, z), sensor -> earth (z up). ``q0``: initial
    orientation(s); by default levelled on the first accelerometer sample (yaw 0).
    """
    dt = 1.0 / check_rate(rate_hz)
    gain = check_gain("beta", beta)
    g, a, m, use_mag, states, single = prepare(gyr, acc, mag, q0)
    out = np.empty((*g.shape[:2], 4))
    _madgwick_batch(g, a, m, use_mag, dt, gain, states, out)
    return out[0] if single else out


def mahony(
    gyr: FloatArray,
    acc: FloatArray,
    mag: FloatArray | None = None,
    /,
    *,
    rate_hz: float,
    kp: float = DEFAULT_KP,
    ki: float = DEFAULT_KI,
    q0: FloatArray | None = None,
) -> FloatArray:
    """Orientation by Mahony's explicit complementary filter (Mahony, Hamel & Pflimlin 2008,
    IEEE Trans. Automatic Control 53(5):1203): the cross product of measured and expected
    gravity (and field) directions is fed back to the gyroscope's rate with a proportional
    gain ``kp`` and an integral gain ``ki`` (which learns a constant gyroscope bias).

    Shapes, frames and ``q0`` as :func:`madgwick`.
    """
    dt = 1.0 / check_rate(rate_hz)
    p = check_gain("kp", kp)
    i = check_gain("ki", ki)
    g, a, m, use_mag, states, single = prepare(gyr, acc, mag, q0)
    out = np.empty((*g.shape[:2], 4))
    biases = np.zeros((g.shape[0], 3))
    _mahony_batch(g, a, m, use_mag, dt, p, i, states, biases, out)
    return out[0] if single else out


def inclination(q: FloatArray, /, *, up_axis: FloatArray | None = None) -> FloatArray:
    """Angle in degrees between the earth's vertical and a sensor axis (default the sensor's
    z axis) for orientations (..., 4): 0 when that axis points straight up."""
    axis = np.array([0.0, 0.0, 1.0]) if up_axis is None else np.asarray(up_axis, dtype=np.float64)
    axis = axis / np.linalg.norm(axis)
    # The earth z component of R·axis is the third row of R dotted with the axis.
    w, x, y, z = np.moveaxis(_quats("q", q), -1, 0)
    row = np.stack((2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)), axis=-1)
    cosine = np.clip(row @ axis, -1.0, 1.0)
    return np.asarray(np.degrees(np.arccos(cosine)), dtype=np.float64)

"""Joint and inclination angles from inertial sensors.

Segment frame (both sensors, after :func:`calibrate` or when mounted so): **x anterior,
y to the subject's left, z up** when standing - the ISB axes of Wu et al. (2002, J Biomech
35:543; X anterior, Y superior, Z right) relabelled so that z is up like the filters' earth
frame. Lumbar angles are the orientation of the thorax relative to the pelvis,
``q_rel = q_pelvis* ⊗ q_thorax``, decomposed in the joint-coordinate spirit of Grood & Suntay
(1983) as adopted by Wu et al. (2002) for the spine: flexion–extension about the
medio-lateral axis first, then lateral bending about the floating anterior axis, then axial
rotation about the longitudinal axis - intrinsic Cardan sequence "YXZ" in our axes.

Signs: flexion positive forward, lateral bending positive to the right, axial rotation
positive to the left (counter-clockwise seen from above).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.signal import butter, sosfiltfilt

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu.orientation import (
    DEFAULT_BETA,
    SEQUENCES,
    Sequence,
    check_rate,
    conjugate,
    inclination,
    madgwick,
    mean_quaternion,
    multiply,
    normalise,
    to_cardan,
    to_matrix,
)
from spinecoach.analysis.timeseries import FloatArray, TimeSeries

LUMBAR_CHANNELS: tuple[str, str, str] = ("flexion", "lateral_bend", "rotation")
Axis = Literal["x", "y", "z", "-x", "-y", "-z"]
AXES: dict[str, tuple[float, float, float]] = {
    "x": (1.0, 0.0, 0.0),
    "y": (0.0, 1.0, 0.0),
    "z": (0.0, 0.0, 1.0),
    "-x": (-1.0, 0.0, 0.0),
    "-y": (0.0, -1.0, 0.0),
    "-z": (0.0, 0.0, -1.0),
}
# Body movements of exercise lie below a few hertz; posture (the gravity direction) below 1 Hz.
GRAVITY_CUTOFF_HZ = 1.0


def axis_vector(name: str, axis: str) -> FloatArray:
    """The unit vector of a named sensor axis ("x", "-y", ...)."""
    if axis not in AXES:
        raise AnalysisError(name, f"expected one of {', '.join(AXES)}, got {axis!r}")
    return np.array(AXES[axis])


def _pair(thorax_q: FloatArray, pelvis_q: FloatArray) -> tuple[FloatArray, FloatArray]:
    thorax = np.asarray(thorax_q, dtype=np.float64)
    pelvis = np.asarray(pelvis_q, dtype=np.float64)
    if thorax.ndim != 2 or thorax.shape[1] != 4 or thorax.shape[0] < 1:
        raise AnalysisError("thorax_q", f"expected (n, 4) quaternions, got {thorax.shape}")
    if pelvis.shape != thorax.shape:
        raise AnalysisError(
            "pelvis_q", f"expected the thorax's shape {thorax.shape}, got {pelvis.shape}"
        )
    for name, array in (("thorax_q", thorax), ("pelvis_q", pelvis)):
        if not np.all(np.isfinite(array)):
            raise AnalysisError(name, "holds values that are not finite numbers")
    return normalise(thorax), normalise(pelvis)


def calibrate(
    thorax_q: FloatArray,
    pelvis_q: FloatArray,
    standing: slice,
    /,
    *,
    forward: Axis = "x",
) -> tuple[FloatArray, FloatArray]:
    """Segment orientations from sensor orientations, given a span of upright standing.

    During ``standing`` both segments are taken to be in the reference posture: their frames
    are the earth-level frame whose x is the pelvis sensor's ``forward`` axis projected onto
    the horizontal (z up, y left). Each sensor's fixed mounting offset is then removed for
    the whole recording, so lumbar angles are zero while standing whatever the mounting.
    Assumes the filters' earth frame has z up (as ours do)."""
    thorax, pelvis = _pair(thorax_q, pelvis_q)
    indices = np.arange(thorax.shape[0])[standing]
    if indices.size == 0:
        raise AnalysisError("standing", f"selects no samples of the {thorax.shape[0]} given")
    thorax_stand = mean_quaternion(thorax[indices])
    pelvis_stand = mean_quaternion(pelvis[indices])
    ahead = to_matrix(pelvis_stand) @ axis_vector("forward", forward)
    if np.hypot(ahead[0], ahead[1]) < 0.1:
        raise AnalysisError(
            "forward", f"the pelvis sensor's {forward} axis is near vertical when standing"
        )
    heading = np.arctan2(ahead[1], ahead[0])
    level = np.array([np.cos(heading / 2), 0.0, 0.0, np.sin(heading / 2)])
    thorax_offset = multiply(conjugate(thorax_stand), level)
    pelvis_offset = multiply(conjugate(pelvis_stand), level)
    return multiply(thorax, thorax_offset), multiply(pelvis, pelvis_offset)


def lumbar_angles(
    thorax_q: FloatArray,
    pelvis_q: FloatArray,
    /,
    *,
    rate_hz: float,
    sequence: Sequence = "YXZ",
) -> TimeSeries:
    """Lumbar flexion, lateral bending and axial rotation (deg) of the thorax relative to the
    pelvis, from segment orientations (n, 4) (see the module docstring for axes and signs;
    use :func:`calibrate` first when the sensors are not aligned with their segments).

    ``sequence`` is the intrinsic Cardan order of the decomposition; the default "YXZ" is
    the ISB order (Wu et al. 2002). Whatever the order, ``flexion`` is the angle about y,
    ``lateral_bend`` about x and ``rotation`` about z."""
    if sequence not in SEQUENCES:
        raise AnalysisError("sequence", f"expected one of {', '.join(SEQUENCES)}, got {sequence!r}")
    rate = check_rate(rate_hz)
    thorax, pelvis = _pair(thorax_q, pelvis_q)
    relative = multiply(conjugate(pelvis), thorax)
    angles = to_cardan(relative, sequence=sequence)
    order = [sequence.index(axis) for axis in ("Y", "X", "Z")]
    values = angles[:, order]  # right-handed rotations about y, x, z are the positive senses
    return TimeSeries(
        time=np.arange(thorax.shape[0]) / rate,
        values=values,
        channels=LUMBAR_CHANNELS,
        units=("deg", "deg", "deg"),
    )


def gravity_direction(
    acc: FloatArray, /, *, rate_hz: float, cutoff_hz: float = GRAVITY_CUTOFF_HZ
) -> FloatArray:
    """Unit vectors (n, 3) of the low-passed accelerometer (zero-phase 2nd-order Butterworth
    at ``cutoff_hz``): the up direction in the sensor frame when movements are slow."""
    a = check_acc(acc)
    rate = check_rate(rate_hz)
    if not 0 < cutoff_hz < rate / 2:
        raise AnalysisError("cutoff_hz", f"must lie between 0 and {rate / 2:g} Hz, got {cutoff_hz}")
    sos = butter(2, cutoff_hz, fs=rate, output="sos")
    low = sosfiltfilt(sos, a, axis=0) if a.shape[0] > 15 else a
    norm = np.linalg.norm(low, axis=1, keepdims=True)
    return np.asarray(low / np.where(norm > 0, norm, 1.0), dtype=np.float64)


def check_acc(acc: FloatArray, name: str = "acc") -> FloatArray:
    a = np.asarray(acc, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != 3 or a.shape[0] < 2:
        raise AnalysisError(name, f"expected (n ≥ 2, 3) accelerometer samples, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise AnalysisError(name, "holds values that are not finite numbers (fill gaps first)")
    if np.median(np.linalg.norm(a, axis=1)) == 0:
        raise AnalysisError(name, "reads zero: no gravity to measure inclination from")
    return a


def trunk_angle(
    acc: FloatArray,
    /,
    *,
    rate_hz: float,
    gyr: FloatArray | None = None,
    up_axis: Axis = "z",
    beta: float = DEFAULT_BETA,
    cutoff_hz: float = GRAVITY_CUTOFF_HZ,
) -> FloatArray:
    """Inclination (deg, 0–180) of one sensor's ``up_axis`` from the vertical, per sample.

    Without a gyroscope: the angle between that axis and the low-passed accelerometer
    (gravity; valid for slow movements, where the body's own acceleration is small). With
    ``gyr`` (rad/s): the same axis turned into the earth frame by :func:`madgwick`, which
    keeps fast movements too."""
    axis = axis_vector("up_axis", up_axis)
    a = check_acc(acc)
    if gyr is None:
        up = gravity_direction(a, rate_hz=rate_hz, cutoff_hz=cutoff_hz)
        return np.asarray(np.degrees(np.arccos(np.clip(up @ axis, -1.0, 1.0))), dtype=np.float64)
    q = madgwick(np.asarray(gyr, dtype=np.float64), a, rate_hz=rate_hz, beta=beta)
    return inclination(q, up_axis=axis)

"""Repetitions and holds from one 3-axis accelerometer worn on a moving segment.

Repetitions: an exercise repeats one movement, so the slowly varying part of the
accelerometer (gravity seen from the turning segment, plus the movement's own acceleration)
swings back and forth along one main direction. We low-pass each axis, project onto the
first principal component (the direction of largest variance; signed so that moving away
from the posture of the first second, where a set starts, is positive), band-pass that signal around
its dominant frequency (the Welch spectrum's peak between ``min_hz`` and ``max_hz``: half to
twice that frequency), and count the peaks that stand out by at least ``prominence`` times
the signal's 5–95th-percentile range and are at least ``min_period_s`` apart
(``scipy.signal.find_peaks``). This is the usual peak-counting approach for accelerometer
exercise counting (e.g. Morris et al. 2014, RecoFit, ACM CHI), simplified to one sensor.

Holds: spans where the sensor is still (the moving standard deviation of every axis over
0.5 s is below ``max_motion`` g) for at least ``min_duration_s``; the inclination reported
is that of the mean gravity direction from the sensor's ``up_axis``.

Thresholds are in units of g: the accelerometer is divided by its median magnitude first
(gravity), so m/s² and g inputs give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import butter, find_peaks, sosfiltfilt, welch

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu.angles import Axis, axis_vector, check_acc
from spinecoach.analysis.imu.orientation import check_rate
from spinecoach.analysis.timeseries import FloatArray

# Exercise repetitions last about 1-20 s (0.05-1 Hz); hand tremor and footsteps lie higher.
MIN_HZ = 0.05
MAX_HZ = 1.0
MIN_PERIOD_S = 1.0
PROMINENCE = 0.3
# Below this 5-95th-percentile range (g) along the main direction, nothing moved.
MIN_RANGE_G = 0.03
# The first second shows the starting posture (rest).
START_S = 1.0
STILL_WINDOW_S = 0.5
MAX_MOTION_G = 0.02
MIN_HOLD_S = 2.0


@dataclass(frozen=True)
class Repetitions:
    """Counted repetitions: the time of each peak (s), their median period (s; NaN below two)
    and the dominant movement frequency (Hz; NaN when nothing moved)."""

    count: int
    times_s: tuple[float, ...]
    period_s: float
    frequency_hz: float
    method_text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "times_s": [round(t, 3) for t in self.times_s],
            "period_s": None if np.isnan(self.period_s) else round(self.period_s, 3),
            "frequency_hz": None if np.isnan(self.frequency_hz) else round(self.frequency_hz, 4),
            "method": self.method_text,
        }


@dataclass(frozen=True)
class Hold:
    """A still span: sample indices (end inclusive), times (s) and the sensor's mean
    inclination from vertical during it (deg)."""

    start_index: int
    end_index: int
    start_s: float
    end_s: float
    inclination_deg: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def as_dict(self) -> dict[str, Any]:
        return {
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "duration_s": round(self.duration_s, 3),
            "inclination_deg": round(self.inclination_deg, 2),
        }


def _reference(up_axis: Axis | FloatArray) -> FloatArray:
    if isinstance(up_axis, str):
        return axis_vector("up_axis", up_axis)
    vector = np.asarray(up_axis, dtype=np.float64)
    norm = float(np.linalg.norm(vector)) if vector.shape == (3,) else 0.0
    if not (np.isfinite(norm) and norm > 0):
        raise AnalysisError(
            "up_axis", f"expected a named axis or a non-zero 3-vector, got {up_axis!r}"
        )
    return vector / norm


def _in_g(acc: FloatArray) -> FloatArray:
    a = check_acc(acc)
    return a / float(np.median(np.linalg.norm(a, axis=1)))


def main_direction(acc: FloatArray, /, *, rate_hz: float, max_hz: float = MAX_HZ) -> FloatArray:
    """The accelerometer (in g) low-passed at twice ``max_hz`` and projected onto its first
    principal component, mean removed: one signal that swings with the movement, signed so
    that moving away from the first second's posture (the start of a set) is positive."""
    rate = check_rate(rate_hz)
    a = _in_g(acc)
    cutoff = min(2.0 * max_hz, 0.45 * rate)
    sos = butter(4, cutoff, fs=rate, output="sos")
    low = sosfiltfilt(sos, a, axis=0) if a.shape[0] > 27 else a
    centred = low - low.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    signal = centred @ vt[0]
    # A set starts at rest and each repetition moves away from it: make the way out positive.
    start = signal[: max(1, int(START_S * rate))].mean()
    return np.asarray(signal if start <= np.median(signal) else -signal, dtype=np.float64)


def count_repetitions(
    acc: FloatArray,
    /,
    *,
    rate_hz: float,
    min_hz: float = MIN_HZ,
    max_hz: float = MAX_HZ,
    min_period_s: float = MIN_PERIOD_S,
    prominence: float = PROMINENCE,
    min_range_g: float = MIN_RANGE_G,
) -> Repetitions:
    """Repetitions of a rhythmic exercise from one accelerometer (n, 3), any unit (see the
    module docstring for the method and the meaning of each parameter)."""
    rate = check_rate(rate_hz)
    if not 0 < min_hz < max_hz < rate / 2:
        raise AnalysisError(
            "max_hz", f"need 0 < min_hz < max_hz < {rate / 2:g} Hz, got {min_hz}, {max_hz}"
        )
    if not (np.isfinite(min_period_s) and min_period_s > 0):
        raise AnalysisError(
            "min_period_s", f"must be a positive number of seconds, got {min_period_s}"
        )
    if not (np.isfinite(prominence) and 0 < prominence < 1):
        raise AnalysisError("prominence", f"must be a fraction between 0 and 1, got {prominence}")
    signal = main_direction(acc, rate_hz=rate, max_hz=max_hz)
    text = (
        f"Peaks of the accelerometer's main direction (first principal component, low-passed "
        f"at {min(2 * max_hz, 0.45 * rate):g} Hz), band-passed around its dominant frequency in "
        f"{min_hz:g}–{max_hz:g} Hz, prominence ≥ {prominence:g} of its range, "
        f"≥ {min_period_s:g} s apart."
    )
    spread = float(np.percentile(signal, 95) - np.percentile(signal, 5))
    duration = signal.size / rate
    if spread < min_range_g or duration < 2.0 / max_hz:
        return Repetitions(0, (), float("nan"), float("nan"), text)
    segment = int(min(signal.size, max(4 * rate / min_hz, 256)))
    freqs, power = welch(signal, fs=rate, nperseg=segment)
    band = (freqs >= min_hz) & (freqs <= max_hz)
    if not band.any():
        return Repetitions(0, (), float("nan"), float("nan"), text)
    dominant = float(freqs[band][np.argmax(power[band])])
    low_edge = max(dominant / 2.0, 0.5 * min_hz)
    high_edge = min(dominant * 2.0, 0.45 * rate)
    sos = butter(2, (low_edge, high_edge), btype="bandpass", fs=rate, output="sos")
    # Pad one period of the lowest frequency (odd extension) so that a repetition at either
    # end of the recording is not eaten by the filter's start-up transient.
    pad = min(signal.size - 1, round(rate / low_edge))
    filtered = sosfiltfilt(sos, signal, padlen=pad) if pad > 9 else signal
    extent = float(np.percentile(filtered, 95) - np.percentile(filtered, 5))
    peaks, _ = find_peaks(
        filtered,
        prominence=prominence * extent,
        distance=max(1, round(min_period_s * rate)),
    )
    times = tuple(float(p / rate) for p in peaks)
    period = float(np.median(np.diff(times))) if len(times) > 1 else float("nan")
    return Repetitions(len(times), times, period, dominant, text)


def holds(
    acc: FloatArray,
    /,
    *,
    rate_hz: float,
    max_motion: float = MAX_MOTION_G,
    min_duration_s: float = MIN_HOLD_S,
    up_axis: Axis | FloatArray = "z",
) -> tuple[Hold, ...]:
    """Still spans of at least ``min_duration_s`` where the 0.5 s moving standard deviation of
    each axis stays at or below ``max_motion`` g (see the module docstring). ``up_axis``: a
    named sensor axis or a 3-vector in the sensor frame, the reference of the inclination."""
    rate = check_rate(rate_hz)
    if not (np.isfinite(max_motion) and max_motion > 0):
        raise AnalysisError("max_motion", f"must be a positive number of g, got {max_motion}")
    if not (np.isfinite(min_duration_s) and min_duration_s > 0):
        raise AnalysisError(
            "min_duration_s", f"must be a positive number of seconds, got {min_duration_s}"
        )
    axis = _reference(up_axis)
    a = _in_g(acc)
    size = max(2, round(STILL_WINDOW_S * rate))
    mean = uniform_filter1d(a, size, axis=0, mode="nearest")
    square = uniform_filter1d(a * a, size, axis=0, mode="nearest")
    spread = np.sqrt(np.maximum(square - mean * mean, 0.0)).max(axis=1)
    still = np.concatenate(([False], spread <= max_motion, [False]))
    edges = np.flatnonzero(np.diff(still.astype(np.int8)))
    found = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if (stop - 1 - start) / rate < min_duration_s:
            continue
        gravity = a[start:stop].mean(axis=0)
        cosine = float(gravity @ axis / np.linalg.norm(gravity))
        found.append(
            Hold(
                start_index=int(start),
                end_index=int(stop - 1),
                start_s=float(start / rate),
                end_s=float((stop - 1) / rate),
                inclination_deg=float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))),
            )
        )
    return tuple(found)

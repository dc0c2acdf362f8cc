"""Gap-aware filtering of kinematic signals, offline (zero-phase) and live (causal, O(1)).

Cameras lose landmarks for a few frames at a time (a hand passes the hip, a blink of poor
light). Short gaps are bridged by straight lines; long ones stay missing, because inventing a
second of movement would invent a verdict.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt_zi, sosfiltfilt

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the runs of True in a 1-D mask."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return edges[::2], edges[1::2]


def fill_gaps(values: FloatArray, time: FloatArray, *, max_gap_s: float) -> FloatArray:
    """Linear interpolation across NaN gaps no longer than ``max_gap_s``; longer gaps, and gaps
    at either end, stay NaN. Works column by column on (frames,) or (frames, ...) arrays."""
    if max_gap_s < 0:
        raise AnalysisError("max_gap_s", f"must be 0 or more, got {max_gap_s}")
    data = np.asarray(values, dtype=np.float64)
    if data.shape[:1] != time.shape:
        raise AnalysisError("values", f"expected {time.shape[0]} frames, got {data.shape[0]}")
    flat = data.reshape(data.shape[0], -1).copy()
    for column in range(flat.shape[1]):
        series = flat[:, column]
        missing = ~np.isfinite(series)
        if not missing.any() or missing.all():
            continue
        starts, ends = _runs(missing)
        inner = (starts > 0) & (ends < series.size)
        starts, ends = starts[inner], ends[inner]
        short = (time[ends] - time[starts - 1]) <= max_gap_s + 1e-9
        if not short.any():
            continue
        fill = np.zeros(series.size, dtype=bool)
        for start, end in zip(starts[short], ends[short], strict=True):
            fill[start:end] = True
        known = ~missing
        series[fill] = np.interp(time[fill], time[known], series[known])
    return flat.reshape(data.shape)


def smooth(values: FloatArray, time: FloatArray, *, cutoff_hz: float, order: int = 2) -> FloatArray:
    """Zero-phase Butterworth low-pass, applied to each finite stretch of each column; stretches
    too short for the filter's padding are left as they are. The sampling rate is the median
    frame rate (filters assume even sampling; small jitter of camera clocks is tolerated)."""
    data = np.asarray(values, dtype=np.float64)
    if time.size < 2:
        return data.copy()
    rate = 1.0 / float(np.median(np.diff(time)))
    if not 0 < cutoff_hz < rate / 2:
        raise AnalysisError(
            "cutoff_hz", f"must lie between 0 and half the frame rate ({rate / 2:g} Hz)"
        )
    sos = butter(order, cutoff_hz, fs=rate, output="sos")
    pad = 3 * (2 * sos.shape[0] + 1)  # sosfiltfilt's default padding
    flat = data.reshape(data.shape[0], -1).copy()
    finite = np.isfinite(flat)
    if finite.all() and flat.shape[0] > pad:
        return np.asarray(sosfiltfilt(sos, flat, axis=0)).reshape(data.shape)
    for column in range(flat.shape[1]):
        starts, ends = _runs(finite[:, column])
        for start, end in zip(starts, ends, strict=True):
            if end - start > pad:
                flat[start:end, column] = sosfiltfilt(sos, flat[start:end, column])
    return flat.reshape(data.shape)


class StreamingLowPass:
    """Causal Butterworth low-pass for live frames: O(1) per frame, state carried between
    frames (``sosfilt`` with ``zi``), never re-filtering a window.

    A missing value (NaN) passes through as NaN and leaves the state untouched; the next
    finite value continues from it. The first finite value initialises the state to steady
    state at that value, so the output does not ring up from zero.
    """

    def __init__(self, *, cutoff_hz: float, rate_hz: float, channels: int, order: int = 2):
        if not 0 < cutoff_hz < rate_hz / 2:
            raise AnalysisError("cutoff_hz", "must lie between 0 and half the frame rate")
        self._sos = butter(order, cutoff_hz, fs=rate_hz, output="sos")
        self._unit_zi = sosfilt_zi(self._sos)  # (sections, 2) for a unit step
        self._state = np.zeros((channels, *self._unit_zi.shape))
        self._started = np.zeros(channels, dtype=bool)
        self.channels = channels

    def update(self, sample: FloatArray) -> FloatArray:
        """Filter one frame of ``channels`` values (all channels at once, no Python loop over
        them: each second-order section in transposed direct form II)."""
        values = np.asarray(sample, dtype=np.float64).reshape(self.channels)
        live = np.isfinite(values)
        fresh = live & ~self._started
        if fresh.any():
            self._state[fresh] = self._unit_zi[None, :, :] * values[fresh, None, None]
            self._started |= fresh
        x = np.where(live, values, 0.0)
        state = self._state
        for section in range(self._sos.shape[0]):
            b0, b1, b2, _, a1, a2 = self._sos[section]
            z0 = state[:, section, 0].copy()
            z1 = state[:, section, 1]
            y = b0 * x + z0
            new0 = b1 * x - a1 * y + z1
            new1 = b2 * x - a2 * y
            state[live, section, 0] = new0[live]
            state[live, section, 1] = new1[live]
            x = y
        return np.where(live, x, np.nan)

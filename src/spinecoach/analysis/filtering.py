"""Gap-aware filtering of kinematic signals, offline (zero-phase) and live (causal, O(1)).

Cameras lose landmarks for a few frames at a time (a hand passes the hip, a blink of poor
light). Short gaps are bridged by straight lines; long ones stay missing, because inventing a
second of movement would invent a verdict.

Offline, :func:`fill_gaps` then :func:`smooth`; live, :class:`StreamingLowPass` carries the
filter's state from frame to frame instead of re-filtering a window.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from scipy.signal import butter, sosfilt_zi, sosfiltfilt

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

# Time stamps from camera clocks carry rounding; a gap "equal" to the limit is still short.
_TIME_SLACK_S = 1e-9
MAX_ORDER = 8


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the runs of True in a 1-D mask."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return edges[::2], edges[1::2]


def _frames_and_time(values: Any, time: Any) -> tuple[FloatArray, FloatArray]:
    data = np.asarray(values, dtype=np.float64)
    stamps = np.asarray(time, dtype=np.float64)
    if stamps.ndim != 1:
        raise AnalysisError("time", f"expected a 1-D array of seconds, got shape {stamps.shape}")
    if data.ndim == 0 or data.shape[0] != stamps.shape[0]:
        raise AnalysisError(
            "values", f"expected {stamps.shape[0]} frames along axis 0, got shape {data.shape}"
        )
    return data, stamps


def fill_gaps(values: FloatArray, time: FloatArray, *, max_gap_s: float) -> FloatArray:
    """Linear interpolation across NaN gaps spanning at most ``max_gap_s`` (from the last
    known frame before to the first known frame after); longer gaps, and gaps at either end,
    stay NaN. Each column of a (frames,) or (frames, ...) array is filled on its own, all at
    once (no loop over columns or gaps)."""
    if not np.isfinite(max_gap_s) or max_gap_s < 0:
        raise AnalysisError("max_gap_s", f"must be a number of seconds ≥ 0, got {max_gap_s}")
    data, stamps = _frames_and_time(values, time)
    frames = data.shape[0]
    flat = data.reshape(frames, -1).copy()
    known = np.isfinite(flat)
    if frames == 0 or known.all():
        return flat.reshape(data.shape)
    index = np.arange(frames)[:, None]
    before = np.maximum.accumulate(np.where(known, index, -1), axis=0)
    after = np.minimum.accumulate(np.where(known, index, frames)[::-1], axis=0)[::-1]
    inside = ~known & (before >= 0) & (after < frames)
    lo = np.clip(before, 0, frames - 1)
    hi = np.clip(after, 0, frames - 1)
    span = stamps[hi] - stamps[lo]
    fill = inside & (span <= max_gap_s + _TIME_SLACK_S)
    if not fill.any():
        return flat.reshape(data.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = (stamps[:, None] - stamps[lo]) / span
    start = np.take_along_axis(flat, lo, axis=0)
    stop = np.take_along_axis(flat, hi, axis=0)
    flat[fill] = (start + weight * (stop - start))[fill]
    return flat.reshape(data.shape)


@lru_cache(maxsize=64)
def _design(cutoff_hz: float, rate_hz: float, order: int) -> np.ndarray:
    """Butterworth second-order sections, kept per (cutoff, rate, order) and shared (never
    write to them; scipy's sosfilt needs them writable): a design costs ~0.5 ms, and the live
    path makes one each time a patient's set-up is right again, mostly at the same rate."""
    if not 1 <= order <= MAX_ORDER:
        raise AnalysisError("order", f"must be between 1 and {MAX_ORDER}, got {order}")
    if not np.isfinite(rate_hz) or rate_hz <= 0:
        raise AnalysisError("rate_hz", f"must be a positive frame rate, got {rate_hz}")
    if not 0 < cutoff_hz < rate_hz / 2:
        raise AnalysisError(
            "cutoff_hz",
            f"must lie between 0 and half the frame rate ({rate_hz / 2:g} Hz), got {cutoff_hz}",
        )
    return np.asarray(butter(order, cutoff_hz, fs=rate_hz, output="sos"))


def smooth(values: FloatArray, time: FloatArray, *, cutoff_hz: float, order: int = 2) -> FloatArray:
    """Zero-phase Butterworth low-pass (forwards and backwards, so no lag), applied to each
    finite stretch of each column; stretches too short for the filter's edge padding are left
    as they are, and NaN stays NaN. The sampling rate is the median frame rate (the filter
    assumes even sampling; the small jitter of camera clocks is tolerated). Columns without
    gaps are filtered together in one call."""
    data, stamps = _frames_and_time(values, time)
    if stamps.size < 2:
        return data.copy()
    rate = 1.0 / float(np.median(np.diff(stamps)))
    sos = _design(cutoff_hz, rate, order)
    pad = 3 * (2 * sos.shape[0] + 1)  # sosfiltfilt's default edge padding
    frames = data.shape[0]
    flat = data.reshape(frames, -1).copy()
    finite = np.isfinite(flat)
    whole = finite.all(axis=0)
    if frames > pad and whole.any():
        flat[:, whole] = sosfiltfilt(sos, flat[:, whole], axis=0)
    for column in np.flatnonzero(~whole):
        starts, ends = _runs(finite[:, column])
        for start, end in zip(starts, ends, strict=True):
            if end - start > pad:
                flat[start:end, column] = sosfiltfilt(sos, flat[start:end, column])
    return flat.reshape(data.shape)


class StreamingLowPass:
    """Causal Butterworth low-pass for live frames: O(1) time and memory per frame, the state
    carried between frames (the ``zi`` of ``scipy.signal.sosfilt``), never re-filtering a
    window. Same output as ``sosfilt`` started at steady state on the first value.

    A missing value (NaN) passes through as NaN and leaves its channel's state untouched; the
    next finite value continues from it. A channel's first finite value sets its state to
    steady state at that value, so the output does not ring up from zero.
    """

    def __init__(self, *, cutoff_hz: float, rate_hz: float, channels: int, order: int = 2):
        if channels < 1:
            raise AnalysisError("channels", f"must be 1 or more, got {channels}")
        self._sos = _design(cutoff_hz, rate_hz, order)
        self._unit_zi = np.asarray(sosfilt_zi(self._sos))  # (sections, 2) for a unit step
        from spinecoach.analysis.sos_step import sos_step  # numba: only live analysis pays

        self._step = sos_step
        self.channels = channels
        self.reset()

    def reset(self) -> None:
        """Forget the past: the next finite value of each channel starts it afresh."""
        self._state = np.zeros((self.channels, *self._unit_zi.shape))
        self._started = np.zeros(self.channels, dtype=bool)

    def update(self, sample: FloatArray) -> FloatArray:
        """Filter one frame of ``channels`` values; returns the filtered frame (channels,).
        Transposed direct form II, compiled (:mod:`spinecoach.analysis.sos_step`)."""
        values = np.asarray(sample, dtype=np.float64).reshape(-1)
        if values.size != self.channels:
            raise AnalysisError(
                "sample", f"expected {self.channels} values per frame, got {values.size}"
            )
        out = np.empty(self.channels)
        self._step(self._sos, self._unit_zi, self._state, self._started, values, out)
        return out

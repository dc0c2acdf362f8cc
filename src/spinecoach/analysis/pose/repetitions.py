"""Repetitions and holds from one driving signal.

Repetitions use a two-threshold state machine (hysteresis): a repetition is counted when the
signal rises past ``enter`` and ends when it falls back to ``leave`` (below ``enter``); a
crossing back and forth between the two thresholds - jitter - changes nothing, and a
"repetition" shorter than ``min_duration_s`` is dropped. It starts at the last frame at rest
since the previous repetition ended (within :func:`rest_margin` of the lowest point: where
the movement began), so that its range and duration cover the whole movement.

The offline function is vectorised; :class:`RepetitionCounter` is the same machine frame by
frame for live use, and gives the same repetitions on the same data (a property test checks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

# Thresholds from the signal's own range: its 5th and 95th percentiles stand for rest and the
# top of the movement, robust to a stray frame at either end.
REST_PERCENTILE = 5.0
TOP_PERCENTILE = 95.0


@dataclass(frozen=True)
class Repetition:
    """One repetition: frame indices and times of its start, peak and end."""

    start_index: int
    peak_index: int
    end_index: int
    start_s: float
    peak_s: float
    end_s: float
    peak_value: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Hold:
    """A stretch of frames within a band around a reference value."""

    start_index: int
    end_index: int  # inclusive
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def _check_thresholds(enter: float, leave: float) -> None:
    if not np.isfinite(enter) or not np.isfinite(leave) or not leave < enter:
        raise AnalysisError("leave", f"must be below enter ({enter:g}), got {leave:g}")


def thresholds_from_range(
    signal: FloatArray, *, enter_fraction: float, leave_fraction: float
) -> tuple[float, float] | None:
    """(enter, leave) thresholds as fractions of the way from rest to the top of the signal's
    own range; None when the signal does not move."""
    if not 0 <= leave_fraction < enter_fraction <= 1:
        raise AnalysisError("enter", "need 0 ≤ leave fraction < enter fraction ≤ 1")
    finite = signal[np.isfinite(signal)]
    if finite.size < 2:
        return None
    rest, top = np.percentile(finite, [REST_PERCENTILE, TOP_PERCENTILE])
    if not top > rest:
        return None
    span = float(top - rest)
    return float(rest + enter_fraction * span), float(rest + leave_fraction * span)


def rest_margin(enter: float, leave: float) -> float:
    """How far above its lowest value a signal still counts as at rest: a tenth of the gap
    between the thresholds (2 % of the range with the default 40 % / 20 % thresholds), so that
    noise on a flat rest does not move the start of a repetition back to an early dip."""
    return 0.1 * (enter - leave)


def repetitions(
    signal: FloatArray,
    time: FloatArray,
    *,
    enter: float,
    leave: float,
    min_duration_s: float,
) -> list[Repetition]:
    """Every complete repetition of a rising-and-returning signal (see the module docstring).

    NaN frames hold the machine's state; a repetition still under way at the end is not
    counted.
    """
    _check_thresholds(enter, leave)
    x = np.asarray(signal, dtype=np.float64)
    if x.shape != time.shape:
        raise AnalysisError("signal", f"expected {time.shape[0]} values, got {x.shape}")
    n = x.size
    if n == 0:
        return []
    with np.errstate(invalid="ignore"):
        high = x >= enter
        low = x <= leave
    index = np.arange(n)
    decided = np.where(high | low, index, -1)
    last = np.maximum.accumulate(decided)
    state = np.where(last >= 0, high[np.maximum(last, 0)], False)
    padded = np.concatenate(([False], state, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    entered, left = edges[::2], edges[1::2]
    complete = left < n  # the run ended with a return to rest inside the recording
    found: list[Repetition] = []
    previous_end = 0
    margin = rest_margin(enter, leave)
    for start_entry, end in zip(entered[complete], left[complete], strict=True):
        # The movement began at the last frame at rest: within a small margin of the lowest
        # point since the previous repetition ended.
        before = x[previous_end : start_entry + 1]
        with np.errstate(invalid="ignore"):
            at_rest = np.flatnonzero(before <= np.nanmin(before) + margin)
        start = previous_end + int(at_rest[-1])
        end_index = int(end)
        previous_end = end_index
        if time[end_index] - time[start] < min_duration_s:
            continue
        window = x[start : end_index + 1]
        peak = start + int(np.nanargmax(window))
        found.append(
            Repetition(
                start_index=start,
                peak_index=peak,
                end_index=end_index,
                start_s=float(time[start]),
                peak_s=float(time[peak]),
                end_s=float(time[end_index]),
                peak_value=float(x[peak]),
            )
        )
    return found


class RepetitionCounter:
    """The repetition state machine for live frames: O(1) work and memory per frame."""

    def __init__(self, *, enter: float, leave: float, min_duration_s: float) -> None:
        _check_thresholds(enter, leave)
        self.enter = enter
        self.leave = leave
        self.min_duration_s = min_duration_s
        self.count = 0
        self.moving = False
        self._frame = -1
        self._margin = rest_margin(enter, leave)
        self._lowest = float("inf")  # lowest value since the last repetition ended
        self._rest_at: tuple[int, float] = (0, 0.0)  # last frame at rest: index, time
        self._start: tuple[int, float] = (0, 0.0)
        self._peak: tuple[int, float, float] = (0, 0.0, -np.inf)

    def update(self, value: float, time_s: float) -> Repetition | None:
        """Feed one frame; the repetition it completes, if any."""
        self._frame += 1
        if not np.isfinite(value):
            return None
        if not self.moving:
            self._lowest = min(self._lowest, value)
            if value <= self._lowest + self._margin:
                self._rest_at = (self._frame, time_s)
            if value >= self.enter:
                self.moving = True
                self._start = self._rest_at
                self._peak = (self._frame, time_s, value)
            return None
        if value > self._peak[2]:
            self._peak = (self._frame, time_s, value)
        if value > self.leave:
            return None
        self.moving = False
        self._lowest = value
        self._rest_at = (self._frame, time_s)
        start_frame, start_s = self._start
        if time_s - start_s < self.min_duration_s:
            return None
        self.count += 1
        peak_frame, peak_s, peak_value = self._peak
        return Repetition(
            start_index=start_frame,
            peak_index=peak_frame,
            end_index=self._frame,
            start_s=start_s,
            peak_s=peak_s,
            end_s=time_s,
            peak_value=peak_value,
        )


def holds(
    signal: FloatArray,
    time: FloatArray,
    *,
    centre: float,
    tolerance: float,
    min_duration_s: float,
) -> list[Hold]:
    """Stretches where the signal stays within ``centre ± tolerance`` for at least
    ``min_duration_s`` (NaN frames break a hold: unseen is not held)."""
    if tolerance < 0:
        raise AnalysisError("tolerance", f"must be 0 or more, got {tolerance}")
    with np.errstate(invalid="ignore"):
        inside = np.abs(np.asarray(signal, dtype=np.float64) - centre) <= tolerance
    padded = np.concatenate(([False], inside, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    found = []
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        end = int(stop) - 1
        if time[end] - time[start] >= min_duration_s:
            found.append(Hold(int(start), end, float(time[start]), float(time[end])))
    return found


def symmetry_index(left: float, right: float) -> float:
    """|L − R| / mean(L, R) × 100 (%): 0 for equal sides; NaN when both are 0 or unknown."""
    mean = 0.5 * (abs(left) + abs(right))
    if not np.isfinite(mean) or mean == 0:
        return float("nan")
    return float(abs(left - right) / mean * 100.0)

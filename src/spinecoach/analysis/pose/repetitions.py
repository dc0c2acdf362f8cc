"""Repetitions, holds, tempo, range and symmetry from one driving signal.

Repetitions use a two-threshold state machine (hysteresis): for a signal that rises when the
person moves (``direction="up"``), a repetition is counted when the signal rises past
``enter`` and ends when it falls back to ``leave`` (below ``enter``); a crossing back and
forth between the two thresholds - jitter - changes nothing, and a "repetition" shorter than
``min_duration_s`` is dropped. ``direction="down"`` is the mirror image (e.g. hip height in a
squat: ``enter`` below ``leave``). A repetition starts at the last frame at rest since the
previous one ended (within :func:`rest_margin` of the lowest point: where the movement began),
so that its range and duration cover the whole movement.

The offline function is vectorised over frames (the loop runs over repetitions);
:class:`RepetitionCounter` is the same machine frame by frame for live use, O(1) per frame,
and gives the same repetitions on the same data (a property test checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

Direction = Literal["up", "down"]

# Thresholds from the signal's own range: its 5th and 95th percentiles stand for rest and the
# top of the movement, robust to a stray frame at either end.
REST_PERCENTILE = 5.0
TOP_PERCENTILE = 95.0
# Default share of the way from rest to the top for entering and leaving a repetition.
ENTER_FRACTION = 0.4
LEAVE_FRACTION = 0.2
# The top (or bottom) of a repetition, for tempo: within this share of its range of the peak.
TOP_TOLERANCE_FRACTION = 0.1


@dataclass(frozen=True)
class Repetition:
    """One repetition: frame indices (inclusive) and times of its start, peak and end, and
    the signal's value at the peak (the minimum for a downward movement)."""

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

    @property
    def frames(self) -> slice:
        """The repetition's frames, for indexing a signal."""
        return slice(self.start_index, self.end_index + 1)


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


@dataclass(frozen=True)
class Tempo:
    """Time of each phase of a repetition, seconds: out to the top, at the top (within a
    tolerance of the peak), back to the end. They add up to the repetition's duration."""

    out_s: float
    top_s: float
    back_s: float


def _sign(direction: Direction) -> float:
    if direction == "up":
        return 1.0
    if direction == "down":
        return -1.0
    raise AnalysisError("direction", f"expected 'up' or 'down', got {direction!r}")


def _check_thresholds(enter: float, leave: float, direction: Direction) -> None:
    sign = _sign(direction)
    if not np.isfinite(enter) or not np.isfinite(leave) or not sign * leave < sign * enter:
        where = "below" if direction == "up" else "above"
        raise AnalysisError(
            "leave", f"must be {where} enter ({enter:g}) for direction {direction!r}, got {leave:g}"
        )


def _check_time(values: FloatArray, time: FloatArray) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(values, dtype=np.float64)
    t = np.asarray(time, dtype=np.float64)
    if t.ndim != 1 or x.shape != t.shape:
        raise AnalysisError("signal", f"expected {t.shape[0]} values, got shape {x.shape}")
    return x, t


def thresholds_from_range(
    signal: FloatArray,
    *,
    enter_fraction: float = ENTER_FRACTION,
    leave_fraction: float = LEAVE_FRACTION,
    direction: Direction = "up",
) -> tuple[float, float] | None:
    """(enter, leave) thresholds as fractions of the way from rest to the top of the signal's
    own range (rest = 5th percentile and top = 95th for "up"; the reverse for "down"), for
    when the exercise does not give them; None when the signal does not move."""
    if not 0 <= leave_fraction < enter_fraction <= 1:
        raise AnalysisError("enter_fraction", "need 0 ≤ leave fraction < enter fraction ≤ 1")
    sign = _sign(direction)
    values = np.asarray(signal, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return None
    low, high = np.percentile(finite, [REST_PERCENTILE, TOP_PERCENTILE])
    if not high > low:
        return None
    rest, top = (low, high) if sign > 0 else (high, low)
    span = float(top - rest)
    return float(rest + enter_fraction * span), float(rest + leave_fraction * span)


def rest_margin(enter: float, leave: float) -> float:
    """How far beyond its lowest value a signal still counts as at rest: a tenth of the gap
    between the thresholds (2 % of the range with the default 40 % / 20 % thresholds), so that
    noise on a flat rest does not move the start of a repetition back to an early dip."""
    return 0.1 * abs(enter - leave)


def repetitions(
    signal: FloatArray,
    time: FloatArray,
    *,
    enter: float,
    leave: float,
    min_duration_s: float,
    direction: Direction = "up",
) -> list[Repetition]:
    """Every complete repetition (see the module docstring). NaN frames hold the machine's
    state; a repetition still under way at the end is not counted."""
    _check_thresholds(enter, leave, direction)
    raw, time = _check_time(signal, time)
    sign = _sign(direction)
    x = sign * raw
    enter, leave = sign * enter, sign * leave
    n = x.size
    if n == 0:
        return []
    with np.errstate(invalid="ignore"):
        high = x >= enter
        low = x <= leave
    index = np.arange(n)
    last = np.maximum.accumulate(np.where(high | low, index, -1))
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
        peak = start + int(np.nanargmax(x[start : end_index + 1]))
        found.append(
            Repetition(
                start_index=start,
                peak_index=peak,
                end_index=end_index,
                start_s=float(time[start]),
                peak_s=float(time[peak]),
                end_s=float(time[end_index]),
                peak_value=float(raw[peak]),
            )
        )
    return found


class RepetitionCounter:
    """The repetition state machine for live frames: O(1) work and memory per frame, the same
    repetitions as :func:`repetitions` on the same frames."""

    def __init__(
        self,
        *,
        enter: float,
        leave: float,
        min_duration_s: float,
        direction: Direction = "up",
    ) -> None:
        _check_thresholds(enter, leave, direction)
        self.enter = enter
        self.leave = leave
        self.min_duration_s = min_duration_s
        self.direction = direction
        self._sign = _sign(direction)
        self._enter = self._sign * enter
        self._leave = self._sign * leave
        self._margin = rest_margin(enter, leave)
        self.reset()

    def reset(self) -> None:
        """Start counting afresh (frame indices restart at 0)."""
        self.count = 0
        self.moving = False
        self._frame = -1
        self._lowest = float("inf")  # lowest (oriented) value since the last repetition ended
        self._rest_at: tuple[int, float] = (0, 0.0)  # last frame at rest: index, time
        self._start: tuple[int, float] = (0, 0.0)
        self._peak: tuple[int, float, float] = (0, 0.0, -np.inf)

    @property
    def start_s(self) -> float:
        """When the repetition under way (or the last one) began: its last frame at rest."""
        return self._start[1]

    def update(self, value: float, time_s: float) -> Repetition | None:
        """Feed one frame; the repetition it completes, if any."""
        self._frame += 1
        if not np.isfinite(value):
            return None
        x = self._sign * float(value)
        if not self.moving:
            self._lowest = min(self._lowest, x)
            if x <= self._lowest + self._margin:
                self._rest_at = (self._frame, time_s)
            if x >= self._enter:
                self.moving = True
                self._start = self._rest_at
                self._peak = (self._frame, time_s, x)
            return None
        if x > self._peak[2]:
            self._peak = (self._frame, time_s, x)
        if x > self._leave:
            return None
        self.moving = False
        self._lowest = x
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
            peak_value=self._sign * peak_value,
        )


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (inclusive) indices of the runs of True in a 1-D mask."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return edges[::2], edges[1::2] - 1


def _inside(signal: FloatArray, centre: float, tolerance: float) -> np.ndarray:
    if not np.isfinite(tolerance) or tolerance < 0:
        raise AnalysisError("tolerance", f"must be 0 or more, got {tolerance}")
    if not np.isfinite(centre):
        raise AnalysisError("centre", f"must be a finite number, got {centre}")
    with np.errstate(invalid="ignore"):
        return np.asarray(np.abs(signal - centre) <= tolerance)


def holds(
    signal: FloatArray,
    time: FloatArray,
    *,
    centre: float,
    tolerance: float,
    min_duration_s: float,
    max_break_s: float = 0.0,
) -> list[Hold]:
    """Stretches where the signal stays within ``centre ± tolerance`` for at least
    ``min_duration_s`` (from the first to the last frame inside). NaN frames and frames
    outside the band break a hold (unseen is not held), unless the break lasts at most
    ``max_break_s`` (from the last frame inside to the next one inside)."""
    x, t = _check_time(signal, time)
    inside = _inside(x, centre, tolerance)
    starts, ends = _runs(inside)
    if starts.size and max_break_s > 0:
        joined = t[starts[1:]] - t[ends[:-1]] <= max_break_s
        keep_start = np.concatenate(([True], ~joined))
        keep_end = np.concatenate((~joined, [True]))
        starts, ends = starts[keep_start], ends[keep_end]
    long_enough = t[ends] - t[starts] >= min_duration_s
    return [
        Hold(int(a), int(b), float(t[a]), float(t[b]))
        for a, b in zip(starts[long_enough], ends[long_enough], strict=True)
    ]


def time_within(signal: FloatArray, time: FloatArray, *, centre: float, tolerance: float) -> float:
    """Total time (s) the signal spends within ``centre ± tolerance`` (time in neutral): each
    frame inside counts for the interval to the next frame (the last frame for the median
    interval); NaN frames count as outside."""
    x, t = _check_time(signal, time)
    if t.size == 0:
        return 0.0
    inside = _inside(x, centre, tolerance)
    if t.size == 1:
        return 0.0
    step = np.diff(t)
    weights = np.concatenate((step, [np.median(step)]))
    return float(np.sum(weights[inside]))


def tempo(
    signal: FloatArray,
    time: FloatArray,
    repetition: Repetition,
    *,
    tolerance: float | None = None,
    direction: Direction = "up",
) -> Tempo:
    """Phases of one repetition: out (start to reaching the top), top (the stretch around the
    peak within ``tolerance`` of the peak value; default a tenth of the repetition's range)
    and back (leaving the top to the end). For ``direction="down"`` the top is the bottom."""
    sign = _sign(direction)
    x, t = _check_time(signal, time)
    window = x[repetition.frames]
    if window.size == 0:
        raise AnalysisError("repetition", "its frames lie outside the signal")
    span = range_of_motion(x, repetition)
    if tolerance is None:
        tolerance = TOP_TOLERANCE_FRACTION * span if np.isfinite(span) else 0.0
    with np.errstate(invalid="ignore"):
        top = sign * (window - repetition.peak_value) >= -tolerance
    peak = repetition.peak_index - repetition.start_index
    outside = np.flatnonzero(~top)
    before = outside[outside < peak]
    after = outside[outside > peak]
    first = int(before[-1]) + 1 if before.size else 0
    last = int(after[0]) - 1 if after.size else window.size - 1
    offset = repetition.start_index
    top_start, top_end = float(t[offset + first]), float(t[offset + last])
    return Tempo(
        out_s=top_start - repetition.start_s,
        top_s=top_end - top_start,
        back_s=repetition.end_s - top_end,
    )


def range_of_motion(signal: FloatArray, repetition: Repetition) -> float:
    """Largest minus smallest value of the signal over a repetition (NaN if none is finite)."""
    window = np.asarray(signal, dtype=np.float64)[repetition.frames]
    finite = window[np.isfinite(window)]
    return float(finite.max() - finite.min()) if finite.size else float("nan")


def excursion(signal: FloatArray, start: int, end: int) -> float:
    """Largest |change| of the signal over frames ``start:end`` (end exclusive) from its value
    at ``start`` (the first finite value from there): how far it strayed from where it was,
    whichever way. NaN when no value is finite."""
    if not 0 <= start < end:
        raise AnalysisError("end", f"need 0 ≤ start < end, got start={start}, end={end}")
    window = np.asarray(signal, dtype=np.float64)[start:end]
    finite = window[np.isfinite(window)]
    if finite.size == 0:
        return float("nan")
    return float(np.max(np.abs(finite - finite[0])))


def symmetry_index(left: float, right: float) -> float:
    """|L − R| / mean(L, R) × 100 (%), as the library's ``left_right_asymmetry_pct``: 0 for
    equal sides; NaN when both are 0 or either is unknown (magnitudes are compared)."""
    return float(symmetry_indices(np.asarray(left), np.asarray(right)))


def symmetry_indices(left: FloatArray, right: FloatArray) -> FloatArray:
    """:func:`symmetry_index` element by element (e.g. per repetition pair)."""
    a = np.abs(np.asarray(left, dtype=np.float64))
    b = np.abs(np.asarray(right, dtype=np.float64))
    mean = 0.5 * (a + b)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(mean > 0, np.abs(a - b) / mean * 100.0, np.nan))

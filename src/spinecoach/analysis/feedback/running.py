"""Quality metrics computed incrementally over a repetition or hold, frame by frame.

A :class:`RunningSpan` keeps, for the channels an exercise needs, the start posture (the median
over :data:`~spinecoach.analysis.quality.BASELINE_S` before the movement began, as offline),
the running lowest and highest values, running means and variances (Welford's method) and the
current and longest run inside the neutral band. Each metric of the vocabulary that is an
extreme, a range or a spread is then a few arithmetic operations away, every frame, with the
same definition as :mod:`spinecoach.analysis.quality` (the tests compare the two):

* excursions from the start posture: ``max(high - start, start - low)``;
* pelvic obliquity: ``max(|high|, |low|)``; range of motion: the driver's ``high - low``;
* knee valgus, shoulder elevation: the larger rise ``high - start`` of the left or right side;
* left/right asymmetry from the two sides' ranges; lumbar/hip ratio from two excursions;
* neutral hold: the longest run inside the band; balance sway: the standard deviation of the
  mid-hip's sideways position;
* hold sway: the root-mean-square deviation from the channels' running **means** (offline uses
  their medians, which no constant-memory method gives exactly; for a hold the two are close).

Metrics that depend on the shape of the whole movement (tempo phases, smoothness, trunk lead)
have no running form: :func:`live_metric` returns None for them and the analyzer computes them
once, when the repetition ends, from its ring buffer with the offline functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from spinecoach.analysis.timeseries import FloatArray

TRUNK = ("trunk_sagittal_deg", "trunk_frontal_deg")
_EXCURSIONS = {
    "trunk_sagittal_excursion_deg": "trunk_sagittal_deg",
    "trunk_frontal_excursion_deg": "trunk_frontal_deg",
    "trunk_rotation_excursion_deg": "trunk_rotation_deg",
    "pelvic_tilt_excursion_deg": "pelvic_tilt_deg",
}
_EITHER_SIDE = {
    "knee_valgus_deg": ("knee_valgus_left_deg", "knee_valgus_right_deg"),
    "shoulder_elevation_deg": ("shoulder_elevation_left_deg", "shoulder_elevation_right_deg"),
}
# Below 5° on both sides there is no range worth comparing; below 10° of forward bend no bend
# to share out (the same floors as analysis.quality).
MIN_SYMMETRY_RANGE_DEG = 5.0
MIN_BEND_DEG = 10.0


@dataclass(frozen=True)
class SpanContext:
    """What the metrics need to know about the exercise, besides the frames."""

    neutral_tolerance_deg: float = 5.0
    driver_unit: str = ""
    bilateral: tuple[str, str] | None = None


class RunningSpan:
    """Running statistics of some channels (and the driver) since a repetition or hold began.
    Every update is a few vector operations on arrays of one value per channel."""

    def __init__(
        self,
        channels: tuple[str, ...],
        context: SpanContext,
        *,
        spreads: bool = True,
        neutral: bool = True,
    ) -> None:
        self.channels = channels
        self.context = context
        # Running means and variances cost a little per frame: kept only when a metric asks.
        self.spreads = spreads
        self.column = {name: i for i, name in enumerate(channels)}
        # The neutral band is followed only when asked (holds, a neutral-hold criterion).
        trunk = [self.column[c] for c in TRUNK if c in self.column] if neutral else []
        self._trunk = np.array(trunk, dtype=np.intp)
        self.start(
            np.full(len(channels), np.nan), np.empty((0, len(channels))), np.empty(0), np.empty(0)
        )

    def start(
        self, baseline: FloatArray, values: FloatArray, driver: FloatArray, time: FloatArray
    ) -> None:
        """Begin a span: the start posture, then the frames already in it (rows, in order)."""
        n = len(self.channels)
        self.baseline = baseline
        self.low = np.full(n, np.inf)
        self.high = np.full(n, -np.inf)
        self.count = np.zeros(n)
        self.mean = np.zeros(n)
        self.m2 = np.zeros(n)
        self.driver_low = np.inf
        self.driver_high = -np.inf
        self.frames = 0
        self.first_s = float("nan")
        self.last_s = float("nan")
        # Neutral band: which trunk channels have been seen, the current run, the longest.
        self.trunk_seen = np.zeros(self._trunk.size, dtype=bool)
        self.run_start = float("nan")
        self.longest = 0.0
        if self.spreads or self._trunk.size:  # sequential state: frame by frame
            for row, d, t in zip(values, driver, time, strict=True):
                self.update(row, float(d), float(t))
        elif time.size:  # extremes only: all the frames at once
            np.fmin.reduce(values, axis=0, out=self.low, initial=np.inf)
            np.fmax.reduce(values, axis=0, out=self.high, initial=-np.inf)
            self.count = np.isfinite(values).sum(axis=0).astype(np.float64)
            seen = driver[np.isfinite(driver)]
            if seen.size:
                self.driver_low, self.driver_high = float(seen.min()), float(seen.max())
            self.frames = int(time.size)
            self.first_s, self.last_s = float(time[0]), float(time[-1])

    def update(self, values: FloatArray, driver: float, time_s: float) -> None:
        """Add one frame: ``values`` in :attr:`channels` order, NaN where unseen."""
        finite = np.isfinite(values)
        np.fmin(self.low, values, out=self.low)  # fmin/fmax ignore NaN
        np.fmax(self.high, values, out=self.high)
        self.count += finite
        if self.spreads:  # Welford's update, for the seen channels only
            known = np.where(finite, values, self.mean)
            delta = known - self.mean
            self.mean += delta / np.maximum(self.count, 1.0)
            self.m2 += delta * (known - self.mean)
        if math.isfinite(driver):
            self.driver_low = min(self.driver_low, driver)
            self.driver_high = max(self.driver_high, driver)
        self.frames += 1
        if math.isnan(self.first_s):
            self.first_s = time_s
        self.last_s = time_s
        if self._trunk.size:
            self._neutral(values[self._trunk], time_s)

    def _neutral(self, trunk: FloatArray, time_s: float) -> None:
        """Extend or break the current run inside the neutral band. As offline, a channel seen
        anywhere in the span counts, and its unseen frames are outside the band: so when a
        channel first appears after the first frame, the frames before were all outside and
        no run before now counts."""
        newly = np.isfinite(trunk) & ~self.trunk_seen
        if newly.any():
            self.trunk_seen |= newly
            if self.frames > 1:
                self.longest = 0.0
                self.run_start = float("nan")
        if not self.trunk_seen.any():
            return
        base = self.baseline[self._trunk]
        with np.errstate(invalid="ignore"):
            close = np.abs(trunk - base) <= self.context.neutral_tolerance_deg
        inside = bool(np.all(close[self.trunk_seen]))
        if not inside:
            self.run_start = float("nan")
            return
        if not np.isfinite(self.run_start):
            self.run_start = time_s
        self.longest = max(self.longest, time_s - self.run_start)

    @property
    def neutral_run_s(self) -> float:
        """How long the trunk has now been inside the neutral band (0 when outside)."""
        return self.last_s - self.run_start if np.isfinite(self.run_start) else 0.0

    # -- per-channel values --------------------------------------------------------------
    def index_of(self, channel: str) -> int | None:
        """The channel's column, if it has been seen in this span."""
        i = self.column.get(channel)
        return i if i is not None and self.count[i] > 0 else None

    def excursion(self, channel: str) -> float:
        i = self.index_of(channel)
        if i is None or not np.isfinite(self.baseline[i]):
            return float("nan")
        base = self.baseline[i]
        return float(max(self.high[i] - base, base - self.low[i]))

    def largest(self, channel: str) -> float:
        i = self.index_of(channel)
        return float(self.high[i]) if i is not None else float("nan")

    def smallest(self, channel: str) -> float:
        i = self.index_of(channel)
        return float(self.low[i]) if i is not None else float("nan")

    def spread(self, channel: str) -> float:
        i = self.index_of(channel)
        return float(self.high[i] - self.low[i]) if i is not None else float("nan")

    def rise(self, channel: str) -> float:
        i = self.index_of(channel)
        if i is None or not np.isfinite(self.baseline[i]):
            return float("nan")
        return float(self.high[i] - self.baseline[i])

    def variance(self, channel: str) -> float:
        i = self.index_of(channel)
        return float(self.m2[i] / self.count[i]) if i is not None else float("nan")


LiveMetric = Callable[[RunningSpan], float]


def _nanmax(*values: float) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return max(finite) if finite else float("nan")


def _obliquity(span: RunningSpan) -> float:
    return _nanmax(
        abs(span.largest("pelvic_obliquity_deg")), abs(span.smallest("pelvic_obliquity_deg"))
    )


def _range_of_motion(span: RunningSpan) -> float:
    if span.context.driver_unit != "deg" or not np.isfinite(span.driver_high):
        return float("nan")
    return float(span.driver_high - span.driver_low)


def _asymmetry(span: RunningSpan) -> float:
    pair = span.context.bilateral
    if pair is None:
        return float("nan")
    left, right = span.spread(pair[0]), span.spread(pair[1])
    mean = 0.5 * (left + right)
    if not np.isfinite(mean) or mean < MIN_SYMMETRY_RANGE_DEG:
        return float("nan")
    return float(abs(left - right) / mean * 100.0)


def _lumbar_hip_ratio(span: RunningSpan) -> float:
    bend = span.excursion("lumbar_flexion_deg")
    lean = span.excursion("trunk_sagittal_deg")
    if not (np.isfinite(bend) and np.isfinite(lean)):
        return float("nan")
    total = max(lean, bend)
    return float(np.clip(bend / total, 0.0, 1.0)) if total >= MIN_BEND_DEG else float("nan")


def _neutral_hold(span: RunningSpan) -> float:
    if span.frames < 2 or not span.trunk_seen.any():
        return float("nan")
    return span.longest


def _hold_sway(span: RunningSpan) -> float:
    variances = [span.variance(c) for c in TRUNK]
    seen = [v for v in variances if np.isfinite(v)]
    return float(np.sqrt(sum(seen))) if seen else float("nan")


def _balance_sway(span: RunningSpan) -> float:
    i = span.index_of("pelvis_lateral")
    if i is None or span.count[i] < 2:
        return float("nan")
    return float(np.sqrt(span.m2[i] / span.count[i]) * 100.0)


_NAMED: dict[str, LiveMetric] = {
    "pelvic_obliquity_deg": _obliquity,
    "range_of_motion_deg": _range_of_motion,
    "left_right_asymmetry_pct": _asymmetry,
    "lumbar_hip_ratio": _lumbar_hip_ratio,
    "neutral_hold_s": _neutral_hold,
    "hold_sway_deg": _hold_sway,
    "balance_sway_cm": _balance_sway,
}
_REDUCERS: dict[str, Callable[[RunningSpan, str], float]] = {
    "max": RunningSpan.largest,
    "min": RunningSpan.smallest,
    "range": RunningSpan.spread,
    "excursion": RunningSpan.excursion,
}


def live_metric(name: str) -> LiveMetric | None:
    """The running form of a quality metric (vocabulary name or ``<reducer>:<channel>``), or
    None when it has none."""
    if name in _NAMED:
        return _NAMED[name]
    if name in _EXCURSIONS:
        channel = _EXCURSIONS[name]
        return lambda span: span.excursion(channel)
    if name in _EITHER_SIDE:
        left, right = _EITHER_SIDE[name]
        return lambda span: _nanmax(span.rise(left), span.rise(right))
    reducer, _, channel = name.partition(":")
    if reducer in _REDUCERS and channel:
        reduce = _REDUCERS[reducer]
        return lambda span: reduce(span, channel)
    return None


def metric_channels(name: str, bilateral: tuple[str, str] | None = None) -> tuple[str, ...]:
    """The kinematic channels a metric reads (besides the driver), running or at the end."""
    if name in _EXCURSIONS:
        return (_EXCURSIONS[name],)
    if name in _EITHER_SIDE:
        return _EITHER_SIDE[name]
    channels = {
        "pelvic_obliquity_deg": ("pelvic_obliquity_deg",),
        "left_right_asymmetry_pct": bilateral or (),
        "lumbar_hip_ratio": ("lumbar_flexion_deg", "trunk_sagittal_deg"),
        "neutral_hold_s": TRUNK,
        "hold_sway_deg": TRUNK,
        "balance_sway_cm": ("pelvis_lateral",),
        "trunk_lead_ms": TRUNK,
    }
    if name in channels:
        return channels[name]
    reducer, _, channel = name.partition(":")
    return (channel,) if reducer in _REDUCERS and channel else ()

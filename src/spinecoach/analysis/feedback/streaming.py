"""The streaming analyzer: one frame of landmarks in; state, counters and at most one cue out.

Per frame, in bounded time and memory (no growing arrays, no re-filtering of windows):

1. **Set-up** (:class:`~.setup.SetupCheck`): are the exercise's landmarks visible, does the
   camera see the plane it must see? If not, set-up guidance and nothing about movement.
   The first :data:`SETUP_GRACE_S` are always "setting up": the averages are finding the person
   and the frame rate is being measured.
2. **Signals**: the frame's kinematic signals by the same function as the offline analyzer
   (:func:`~spinecoach.analysis.pose.signals.kinematic_signals`, for the view judged over time
   rather than from the frame), only the channels the exercise needs, through a causal low-pass
   whose state is carried from frame to frame
   (:class:`~spinecoach.analysis.filtering.StreamingLowPass`).
3. **Segmentation**, by the kind of exercise:

   * repetitions: the two-threshold counter of the offline analyzer
     (:class:`~spinecoach.analysis.pose.repetitions.RepetitionCounter`) on the same driving
     signal. Offline, thresholds are fractions of the recording's range; live, the range is
     learned: the rest level over the first :data:`CALIBRATION_S` after set-up, the top from
     each completed repetition (before the first, :data:`DEFAULT_AMPLITUDE`);
   * holds: a hold starts once the trunk has kept still (within the neutral tolerance) for
     :data:`STILL_S`; leaving the neutral band a little (up to :data:`LEAVE_BANDS` times the
     tolerance) for :data:`SAG_S` is a fault to correct, leaving it further for
     :data:`HOLD_BREAK_S` ends the hold; holds shorter than :data:`MIN_HOLD_S` were getting
     into position. Passing quickly through the band on the way out is neither;
   * whole: one span from set-up on.

4. **Criteria**, incrementally (:class:`~.running.RunningSpan`): running extremes from the start
   posture, judged by the same :class:`~spinecoach.analysis.exercise.Criterion` objects as
   offline, so that a criterion broken mid-movement gets its correction at once and the
   finished repetition's verdict agrees with the offline analysis of the same frames. Metrics
   of the movement's shape (tempo, smoothness, trunk lead) are computed when the repetition
   ends, by the offline functions, from a fixed-size ring buffer (:data:`RING_S`).
5. **Cue**: the frame's observation goes to the :class:`~.policy.CueScheduler`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import (
    CUTOFF_HZ,
    MIN_CONFIDENCE,
    AnalyzerSpec,
    Criterion,
    metric_named,
)
from spinecoach.analysis.feedback.cues import Cue, CueBook, CueLevel
from spinecoach.analysis.feedback.frames import FRAME_NAMES, Frame
from spinecoach.analysis.feedback.policy import (
    CuePolicy,
    CueScheduler,
    Observation,
    Outcome,
    fault_key,
)
from spinecoach.analysis.feedback.ring import Ring
from spinecoach.analysis.feedback.running import (
    TRUNK,
    LiveMetric,
    RunningSpan,
    SpanContext,
    live_metric,
    metric_channels,
)
from spinecoach.analysis.feedback.setup import FrameFacts, SetupCheck
from spinecoach.analysis.filtering import StreamingLowPass
from spinecoach.analysis.pose.geometry import View
from spinecoach.analysis.pose.repetitions import REST_PERCENTILE, RepetitionCounter
from spinecoach.analysis.pose.signals import CHANNELS, SIGNALS, kinematic_values
from spinecoach.analysis.quality import BASELINE_S, Span
from spinecoach.analysis.report import CriterionResult, FaultSpan, MetricValue, RepetitionResult
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries, TimeSeries

State = Literal["setting_up", "ready", "moving", "holding", "resting"]

SETUP_GRACE_S = 1.0
# Rest level for counting: learned over the first second of a right set-up.
CALIBRATION_S = 1.0
# Before the first repetition the top of the movement is unknown: assume this much movement
# (by the driver's unit), small enough that a short but real movement is still counted.
DEFAULT_AMPLITUDE = {"deg": 20.0, "leg lengths": 0.15, "trunk lengths": 0.3}
# How much a new repetition moves the learned rest and top levels (running average).
LEARNING_RATE = 0.5
# Ring buffer: long enough for a slow repetition with its rest before it.
RING_S = 30.0
MAX_RATE_HZ = 60.0
# Holds (see the module docstring).
STILL_S = 1.0
SAG_S = 0.5
LEAVE_BANDS = 3.0
HOLD_BREAK_S = 1.0
MIN_HOLD_S = 3.0
# When no frame rate is given, the median of the first intervals decides the filter's rate.
DEFAULT_RATE_HZ = 30.0
_RATE_SAMPLES = 16


def column_medians(rows: FloatArray) -> FloatArray:
    """Median of each column over its finite values (NaN for a column with none), as
    ``np.nanmedian(rows, axis=0)`` but without its warnings and several times faster on the
    few rows of a start posture."""
    ordered = np.sort(rows, axis=0)  # NaN sorts last
    count = np.isfinite(rows).sum(axis=0)
    low = np.maximum((count - 1) // 2, 0)[None]
    high = np.maximum(count // 2, 0)[None]
    if not rows.shape[0]:
        return np.full(rows.shape[1], np.nan)
    middle = 0.5 * (np.take_along_axis(ordered, low, 0) + np.take_along_axis(ordered, high, 0))
    return np.where(count > 0, middle[0], np.nan)


@dataclass(frozen=True)
class Feedback:
    """What the analyzer says about one frame.

    ``live_quality`` is the current repetition's (or hold's) quality so far, by the criteria
    that can be judged as it happens (NaN outside one); ``last_repetition`` the verdict of the
    last completed repetition or hold, shaped as the offline report's repetitions; ``setup``
    the set-up problem while there is one; ``level`` the cue level reached by fading.
    """

    time_s: float
    state: State
    repetitions: int
    holds: int
    hold_s: float
    live_quality: float
    last_repetition: RepetitionResult | None
    cue: Cue | None
    setup: str | None
    level: CueLevel


class StreamingAnalyzer:
    """Live analysis of one exercise (see the module docstring). Frames must come in time
    order, with landmarks in ``names`` order (by default the BlazePose common points, in
    image-height units; any source's names and unit work)."""

    def __init__(
        self,
        spec: AnalyzerSpec,
        *,
        cues: CueBook | None = None,
        policy: CuePolicy | None = None,
        names: tuple[str, ...] = FRAME_NAMES,
        unit: str = "image_height",
        rate_hz: float | None = None,
    ) -> None:
        if rate_hz is not None and not (np.isfinite(rate_hz) and rate_hz > 0):
            raise AnalysisError("rate_hz", f"must be a positive frame rate, got {rate_hz}")
        # A series of one frame checks names and unit once, here, rather than on every frame.
        LandmarkSeries(
            np.zeros(1), np.zeros((1, len(names), 2)), np.ones((1, len(names))), names, unit
        )
        self.spec = spec
        self.names = names
        self.unit = unit
        self.scheduler = CueScheduler(policy or CuePolicy(), cues or CueBook())
        self.setup = SetupCheck(spec, names, unit)
        seg = spec.segmentation
        self._driver_channels = seg.signals if seg is not None else ()
        driver_units = {SIGNALS[name].unit for name in self._driver_channels}
        driver_unit = next(iter(driver_units)) if len(driver_units) == 1 else ""
        bilateral = (
            (seg.signals[0], seg.signals[1])
            if seg is not None and seg.combine == "mean" and len(seg.signals) == 2
            else None
        )
        self.context = SpanContext(spec.neutral_tolerance_deg, driver_unit, bilateral)
        wanted = set(TRUNK) | set(self._driver_channels)
        for criterion in spec.criteria:
            wanted |= set(metric_channels(criterion.metric, bilateral))
        self.channels = tuple(name for name in CHANNELS if name in wanted)
        self._columns = np.array([CHANNELS.index(name) for name in self.channels], dtype=np.intp)
        self._wanted = frozenset(self.channels)
        self._template: LandmarkSeries | None = None
        self._driver_columns = np.array(
            [self.channels.index(name) for name in self._driver_channels], dtype=np.intp
        )
        self._live: list[tuple[Criterion, LiveMetric]] = []
        self._live_memo: tuple[tuple[float, float, int], list[tuple[Criterion, float]]] | None = (
            None
        )
        self._at_end: list[Criterion] = []
        for criterion in spec.criteria:
            found = live_metric(criterion.metric)
            if found is None:
                self._at_end.append(criterion)
            else:
                self._live.append((criterion, found))
        metrics = {criterion.metric for criterion in spec.criteria}
        self.span = RunningSpan(
            self.channels,
            self.context,
            spreads=bool(metrics & {"hold_sway_deg", "balance_sway_cm"}),
            neutral=spec.kind == "hold" or "neutral_hold_s" in metrics,
        )
        self._ring = Ring(int(RING_S * MAX_RATE_HZ), 1 + len(self.channels))
        self._row = np.empty(1 + len(self.channels))
        self._rate_hz = rate_hz
        self._intervals: list[float] = []
        # Designed here when the frame rate is known; else once it has been measured.
        self._filter = None if rate_hz is None else self._low_pass(rate_hz)
        # Session state.
        self._first_s = float("nan")
        self._last_s = float("nan")
        self._ready_since = float("nan")
        self._results: list[RepetitionResult] = []
        self._holds = 0
        self._in_span = False
        # Repetitions: learned levels, the counter, and where the current movement began.
        self._rest = float("nan")
        self._top = float("nan")
        self._counter: RepetitionCounter | None = None
        self._counting_since = float("nan")
        # Holds.
        self._out_since = float("nan")
        self._far_since = float("nan")
        self._last_inside: tuple[float, list[tuple[Criterion, float]]] | None = None
        self._target_said = False

    # -- per frame ----------------------------------------------------------------------
    def update_many(self, frames: Sequence[Frame]) -> list[Feedback]:
        """Analyse several consecutive frames (a live message carries a few): the feedback of
        each, exactly as :meth:`update` frame by frame, with the kinematics and the set-up
        facts of the whole batch worked out in one vectorised call. A frame after the camera
        view changed within the batch is measured on its own, as :meth:`update` would."""
        stacked = self._stacked(frames)
        if stacked is None:
            return [self.update(frame) for frame in frames]
        times, positions, confidence = stacked
        view = self.setup.view  # the view the batch's kinematics are measured in
        raw = self._raw_signals(times, positions, confidence, per_frame=True)
        facts = self.setup.facts(positions, confidence)
        return [
            self._update(frame, facts=facts[k], raw=raw[k], raw_view=view)
            for k, frame in enumerate(frames)
        ]

    def _stacked(self, frames: Sequence[Frame]) -> tuple[FloatArray, FloatArray, FloatArray] | None:
        """Times, positions and confidences of a batch of two or more frames as arrays, or
        None when they do not stack into the analyzer's landmarks (:meth:`update` then judges
        each frame alone and names the fault)."""
        if len(frames) < 2:
            return None
        try:
            positions = np.stack([frame.positions for frame in frames])
            confidence = np.stack([frame.confidence for frame in frames])
        except ValueError:
            return None
        if positions.ndim != 3 or positions.shape[1] != len(self.names):
            return None
        if confidence.shape != positions.shape[:2]:
            return None
        times = np.array([frame.time_s for frame in frames], dtype=np.float64)
        return times, positions, confidence

    def _raw_signals(
        self,
        times: FloatArray,
        positions: FloatArray,
        confidence: FloatArray,
        *,
        per_frame: bool = False,
    ) -> FloatArray:
        """(frames, channels) of the exercise's channels, unsure landmarks dropped (as
        offline), in the camera view judged so far; not yet low-passed."""
        kept = np.where((confidence >= MIN_CONFIDENCE)[..., None], positions, np.nan)
        if self._template is None:  # the first frame is validated in full; the rest reuse it
            self._template = LandmarkSeries(
                times[:1], kept[:1], confidence[:1], self.names, self.unit
            )
        series = self._template.trusted_frames(times, kept, confidence)
        values = kinematic_values(
            series, view=self.setup.view, only=self._wanted, per_frame=per_frame
        )
        return values[:, self._columns]

    def update(self, frame: Frame, *, safety: Cue | None = None) -> Feedback:
        """Analyse one frame. ``safety`` is a message from outside the analysis (the services
        layer) that the cue policy must get through."""
        return self._update(frame, safety=safety)

    def _update(
        self,
        frame: Frame,
        *,
        safety: Cue | None = None,
        facts: FrameFacts | None = None,
        raw: FloatArray | None = None,
        raw_view: View | None = None,
    ) -> Feedback:
        """:meth:`update`, with what :meth:`update_many` worked out for the whole batch: the
        set-up ``facts`` and the ``raw`` signals, measured in ``raw_view``."""
        now = self._check(frame)
        moving = self._in_span and self.spec.kind != "whole"
        problem = self.setup.update(frame, judge_view=not moving, facts=facts)
        if now - self._first_s < SETUP_GRACE_S:
            return self._feedback(
                now, "setting_up", self.scheduler.decide(Observation(now, safety)), problem
            )
        if problem is not None:
            self._lose_setup()
            return self._feedback(
                now, "setting_up", self.scheduler.decide(Observation(now, safety, problem)), problem
            )
        if not np.isfinite(self._ready_since):
            self._regain_setup(now)
        values = self._signals(frame, raw if raw_view == self.setup.view else None)
        driver = self._driver(values)
        self._row[0] = driver
        self._row[1:] = values
        self._ring.push(now, self._row)
        if self.spec.kind == "repetitions":
            state, seen = self._repetitions(values, driver, now)
        elif self.spec.kind == "hold":
            state, seen = self._hold(values, driver, now)
        else:
            state, seen = self._whole(values, driver, now)
        if safety is not None:
            seen = replace(seen, safety=safety)
        return self._feedback(now, state, self.scheduler.decide(seen), None)

    def _check(self, frame: Frame) -> float:
        points = len(self.names)
        if frame.positions.ndim != 2 or frame.positions.shape[0] != points:
            raise AnalysisError(
                "frame.positions", f"expected ({points}, 2 or 3), got {frame.positions.shape}"
            )
        if frame.positions.shape[1] not in (2, 3):
            raise AnalysisError(
                "frame.positions", f"expected 2-D or 3-D points, got {frame.positions.shape}"
            )
        if frame.confidence.shape != (points,):
            raise AnalysisError(
                "frame.confidence", f"expected ({points},), got {frame.confidence.shape}"
            )
        now = float(frame.time_s)
        if not math.isfinite(now) or (math.isfinite(self._last_s) and now <= self._last_s):
            raise AnalysisError(
                "frame.time_s",
                f"must be finite and after the last frame ({self._last_s:g} s), got {now:g}",
            )
        if math.isfinite(self._last_s) and len(self._intervals) < _RATE_SAMPLES:
            self._intervals.append(now - self._last_s)
        if not math.isfinite(self._first_s):
            self._first_s = now
        self._last_s = now
        return now

    def _lose_setup(self) -> None:
        """Set-up broken: a repetition or hold under way is dropped unjudged (its frames were
        not all seen); what was learned about the person's range is kept."""
        self._ready_since = float("nan")
        self._in_span = False
        if self._counter is not None:
            self._counter.reset()

    def _regain_setup(self, now: float) -> None:
        self._ready_since = now
        self._counting_since = now
        if self._filter is None:
            measured = 1.0 / float(np.median(self._intervals)) if self._intervals else 0.0
            self._filter = self._low_pass(measured if measured > 0 else DEFAULT_RATE_HZ)
        else:
            self._filter.reset()  # its state is from before the break

    def _low_pass(self, rate_hz: float) -> StreamingLowPass:
        """The offline analyzer's low-pass, made causal (below 0.4 of the frame rate for slow
        cameras)."""
        cutoff = min(CUTOFF_HZ, 0.4 * rate_hz)
        return StreamingLowPass(cutoff_hz=cutoff, rate_hz=rate_hz, channels=len(self.channels))

    def _signals(self, frame: Frame, raw: FloatArray | None = None) -> FloatArray:
        """The exercise's channels for one frame (``raw``: worked out with its batch, in the
        view still judged), low-passed with carried state."""
        if raw is None:
            raw = self._raw_signals(
                np.array([frame.time_s]), frame.positions[None], frame.confidence[None]
            )[0]
        assert self._filter is not None
        return self._filter.update(raw)

    def _driver(self, values: FloatArray) -> float:
        """The segmentation's driving signal for one frame, oriented so that moving is rising
        (as :meth:`~spinecoach.analysis.exercise.Segmentation.driver`)."""
        seg = self.spec.segmentation
        if seg is None:
            return float("nan")
        return seg.driver_at(values[self._driver_columns])

    # -- repetitions ----------------------------------------------------------------------
    def _repetitions(
        self, values: FloatArray, driver: float, now: float
    ) -> tuple[State, Observation]:
        idle: State = "resting" if self._results else "ready"
        if self._counter is None:
            if now - self._ready_since < CALIBRATION_S:
                return "ready", Observation(now)
            self._calibrate(now)
            if self._counter is None:
                return "ready", Observation(now)
        was_moving = self._counter.moving
        if not was_moving and driver < self._rest:
            # Below the rest level learned so far: the calibration second was not quite at
            # rest. The rest level follows the lowest value, and the thresholds with it.
            self._rest = driver
            self._make_counter()
        counter = self._counter
        if was_moving:
            self.span.update(values, driver, now)
        finished = counter.update(driver, now)
        if counter.moving and not was_moving:
            self._begin(counter.start_s)  # the counter's last frame at rest
        if finished is not None:
            self._in_span = False
            if finished.start_s <= self._counting_since:
                # Under way before counting began: its start was not seen, so not judged.
                self._learn(finished.peak_value, float("nan"))
                return idle, Observation(now)
            _, outcome = self._judge(finished.start_s, finished.end_s, finished.peak_s)
            self._learn(finished.peak_value, self._ring_value(finished.start_s))
            return "resting", Observation(now, finished=outcome)
        if was_moving and not counter.moving:
            self._in_span = False  # too short to be a repetition
        if counter.moving:
            return "moving", Observation(now, broken=self._worst_broken())
        return idle, Observation(now)

    def _calibrate(self, now: float) -> None:
        _, rows = self._ring.since(self._ready_since)
        driver = rows[:, 0]
        driver = driver[np.isfinite(driver)]
        if driver.size == 0:
            self._ready_since = now  # nothing to learn from yet: keep calibrating
            return
        # The rest level as offline (a low percentile): robust to an early start.
        self._rest = float(np.percentile(driver, REST_PERCENTILE))
        self._make_counter()
        self._counting_since = now

    def _make_counter(self) -> None:
        seg = self.spec.segmentation
        assert seg is not None
        if np.isfinite(self._top) and self._top > self._rest:
            span = self._top - self._rest
        else:
            span = DEFAULT_AMPLITUDE.get(self.context.driver_unit, 1.0)
        self._counter = RepetitionCounter(
            enter=self._rest + seg.enter * span,
            leave=self._rest + seg.leave * span,
            min_duration_s=seg.min_duration_s,
        )

    def _learn(self, peak: float, start: float) -> None:
        """Move the learned top and rest towards this repetition's, and re-make the counter."""
        self._top = (
            peak if not np.isfinite(self._top) else self._top + LEARNING_RATE * (peak - self._top)
        )
        if np.isfinite(start):
            self._rest += LEARNING_RATE * (start - self._rest)
        self._make_counter()

    def _ring_value(self, time_s: float) -> float:
        times, rows = self._ring.since(time_s)
        return float(rows[0, 0]) if times.size else float("nan")

    def _begin(self, start_s: float, *, posture_until_s: float | None = None) -> None:
        """A repetition (or hold) began at ``start_s``, and the frames since then are already
        part of it. Its start posture is the median over the
        :data:`~spinecoach.analysis.quality.BASELINE_S` up to ``start_s`` (as offline), or for
        a hold over the still stretch from ``start_s`` to ``posture_until_s``."""
        first = start_s - BASELINE_S if posture_until_s is None else start_s
        last = start_s if posture_until_s is None else posture_until_s
        times, rows = self._ring.since(first)
        baseline = column_medians(rows[times <= last, 1:])
        after = times >= start_s
        self.span.start(baseline, rows[after, 1:], rows[after, 0], times[after])
        self._in_span = True

    def _live_values(self) -> list[tuple[Criterion, float]]:
        """The running metrics of the span so far; worked out once per frame (the worst
        broken criterion and the live quality both read them)."""
        span = self.span
        key = (span.first_s, span.last_s, span.frames)
        if self._live_memo is None or self._live_memo[0] != key:
            self._live_memo = (key, [(criterion, metric(span)) for criterion, metric in self._live])
        return self._live_memo[1]

    def _worst_broken(self) -> Criterion | None:
        """The upper-bound criterion most broken so far in this movement (lower bounds, such
        as a range to reach, can only be judged at the end)."""
        broken = [
            (criterion.score(value), criterion)
            for criterion, value in self._live_values()
            if criterion.at_most is not None and np.isfinite(value) and not criterion.met_by(value)
        ]
        return min(broken, key=lambda pair: pair[0])[1] if broken else None

    def _judge(
        self,
        start_s: float,
        end_s: float,
        peak_s: float | None,
        live: list[tuple[Criterion, float]] | None = None,
    ) -> tuple[RepetitionResult, Outcome]:
        """The verdict of the span that just ended, shaped as the offline report's."""
        values = dict(self._live_values() if live is None else live)
        for criterion in self._at_end:
            values[criterion] = self._at_end_value(criterion, start_s, peak_s)
        measured: list[MetricValue] = []
        results: list[CriterionResult] = []
        faults: list[tuple[float, Criterion]] = []
        scores: list[float] = []
        for criterion in self.spec.criteria:
            value = values[criterion]
            metric = metric_named(criterion.metric)
            finite = bool(np.isfinite(value))
            passed = criterion.met_by(value) if finite else None
            if finite:
                measured.append(MetricValue(metric.name, value, metric.unit, metric.method))
                scores.append(criterion.score(value))
            results.append(
                CriterionResult(
                    criterion.metric,
                    value if finite else None,
                    metric.unit,
                    criterion.at_most,
                    criterion.at_least,
                    passed,
                    criterion.fault,
                )
            )
            if passed is False:
                faults.append((criterion.score(value), criterion))
        faults.sort(key=lambda pair: pair[0])
        result = RepetitionResult(
            index=len(self._results) + 1,
            start_s=start_s,
            end_s=end_s,
            quality=min(scores) if scores else float("nan"),
            correct=bool(scores) and not faults,
            metrics=tuple(measured),
            criteria=tuple(results),
            faults=tuple(
                FaultSpan(fault_key(c), start_s, end_s, metric_named(c.metric).name)
                for _, c in faults
            ),
        )
        self._results.append(result)
        outcome = Outcome(
            faults=tuple(c for _, c in faults),
            correct=result.correct,
            hold=self.spec.kind == "hold",
        )
        return result, outcome

    def _at_end_value(self, criterion: Criterion, start_s: float, peak_s: float | None) -> float:
        """A metric with no running form, by the offline function over the ring buffer."""
        times, rows = self._ring.since(start_s - BASELINE_S)
        if times.size < 2:
            return float("nan")
        signals = TimeSeries(
            times, rows[:, 1:], self.channels, tuple(SIGNALS[c].unit for c in self.channels)
        )
        start = int(np.searchsorted(times, start_s))
        peak = int(np.searchsorted(times, peak_s)) if peak_s is not None else None
        span = Span(
            signals,
            start,
            times.size,
            neutral_tolerance_deg=self.spec.neutral_tolerance_deg,
            tempo_s=self.spec.tempo_s,
            peak=peak,
            driver=rows[:, 0],
            driver_unit=self.context.driver_unit,
            bilateral=self.context.bilateral,
        )
        return float(metric_named(criterion.metric).compute(span))

    # -- holds --------------------------------------------------------------------------
    def _hold(self, values: FloatArray, driver: float, now: float) -> tuple[State, Observation]:
        """A hold, frame by frame: inside the neutral band it counts; out of it but within
        :data:`LEAVE_BANDS` tolerances for :data:`SAG_S` it is a fault to correct (a sag, a
        drift); beyond that for :data:`HOLD_BREAK_S` the person has left the position, and
        the hold is judged up to its last frame inside the band."""
        idle: State = "resting" if self._holds else "ready"
        if not self._in_span:
            start = self._still_since(now)
            if start is None:
                return idle, Observation(now)
            self._begin(start, posture_until_s=now)
            self._out_since = self._far_since = float("nan")
            self._target_said = False
            self._last_inside = None
            return "holding", Observation(now)
        self.span.update(values, driver, now)
        live = self._live_values()
        deviation = self._trunk_deviation(values)
        tolerance = self.spec.neutral_tolerance_deg
        broken: Criterion | None = None
        if deviation <= tolerance:
            self._out_since = self._far_since = float("nan")
            self._last_inside = (now, live)
        elif deviation <= LEAVE_BANDS * tolerance:
            self._far_since = float("nan")
            if np.isnan(self._out_since):
                self._out_since = now
            if now - self._out_since >= SAG_S:
                broken = self._worst_broken()
        elif np.isnan(self._far_since):
            self._far_since = now
        elif now - self._far_since >= HOLD_BREAK_S:
            return self._end_hold(now)
        return "holding", Observation(now, broken=broken, target_reached=self._target_reached(live))

    def _trunk_deviation(self, values: FloatArray) -> float:
        """Largest distance of the trunk's inclinations from the hold's start posture (0 when
        the trunk is not seen: an unseen trunk neither holds nor breaks)."""
        columns = [self.channels.index(c) for c in TRUNK]
        with np.errstate(invalid="ignore"):
            gaps = np.abs(values[columns] - self.span.baseline[columns])
        finite = gaps[np.isfinite(gaps)]
        return float(finite.max()) if finite.size else 0.0

    def _still_since(self, now: float) -> float | None:
        """Start of the last :data:`STILL_S` if the trunk kept within the neutral tolerance
        all that time (and was seen in most of it), else None."""
        start = now - STILL_S
        if start < self._ready_since:
            return None
        times, rows = self._ring.since(start)
        trunk = rows[:, [1 + self.channels.index(c) for c in TRUNK]]
        seen = np.isfinite(trunk).mean(axis=0)
        usable = seen >= 0.8
        if not usable.any():
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.nanmax(trunk[:, usable], axis=0) - np.nanmin(trunk[:, usable], axis=0)
        return float(times[0]) if bool(np.all(spread <= self.spec.neutral_tolerance_deg)) else None

    def _target_reached(self, live: list[tuple[Criterion, float]]) -> bool:
        """The first moment of a hold when every lower bound (a time to hold) is met and no
        upper bound broken: worth a word of praise, once."""
        if self._target_said or not any(c.at_least is not None for c, _ in live):
            return False
        if not all(np.isfinite(v) and c.met_by(v) for c, v in live):
            return False
        self._target_said = True
        return True

    def _end_hold(self, now: float) -> tuple[State, Observation]:
        """The trunk left the neutral band for good: judge the hold up to its last frame in
        the band (getting out of position is not a fault of the hold)."""
        self._in_span = False
        end_s, live = self._last_inside or (now, self._live_values())
        start_s = self.span.first_s
        if end_s - start_s < MIN_HOLD_S:
            return "resting" if self._holds else "ready", Observation(now)
        self._holds += 1
        _, outcome = self._judge(start_s, end_s, None, live)
        return "resting", Observation(now, finished=outcome)

    # -- whole --------------------------------------------------------------------------
    def _whole(self, values: FloatArray, driver: float, now: float) -> tuple[State, Observation]:
        if not self._in_span:
            self._begin(now)
            return "moving", Observation(now)
        self.span.update(values, driver, now)
        return "moving", Observation(now, broken=self._worst_broken())

    # -- output ---------------------------------------------------------------------------
    def _feedback(self, now: float, state: State, cue: Cue | None, problem: str | None) -> Feedback:
        if self._in_span:
            scores = [c.score(v) for c, v in self._live_values() if np.isfinite(v)]
            live_quality = min(scores) if scores else float("nan")
            hold_s = self.span.neutral_run_s if self.spec.kind == "hold" else 0.0
        else:
            live_quality, hold_s = float("nan"), 0.0
        return Feedback(
            time_s=now,
            state=state,
            repetitions=len(self._results) if self.spec.kind != "hold" else 0,
            holds=self._holds,
            hold_s=hold_s,
            live_quality=live_quality,
            last_repetition=self._results[-1] if self._results else None,
            cue=cue,
            setup=problem,
            level=self.scheduler.level,
        )

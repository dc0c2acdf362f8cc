"""The streaming analyzer: one frame of landmarks in, state, counters and at most one cue out.

Per frame, in constant time and memory: is the set-up right (the landmarks the exercise needs
are visible, the camera sees the plane it must see)? If not, set-up guidance and nothing
else. If so: the frame's kinematic signals (the same functions as the offline analyzer),
a causal low-pass with carried state, the repetition state machine on the driving signal,
and running values of the criteria that can be judged as the movement happens (how far the
trunk has moved from the repetition's start posture, how far the joint has gone). A
repetition's verdict uses the same :class:`~spinecoach.analysis.exercise.Criterion` objects,
so it agrees with the offline analysis of the same movement.

Thresholds for counting come from the movement itself: the rest posture is learned during the
first second after set-up, and the top of the movement from each completed repetition (before
the first one, a default amplitude per unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from spinecoach.analysis.exercise import MIN_CONFIDENCE, AnalyzerSpec, Criterion
from spinecoach.analysis.feedback.cues import SETUP_TEXTS, Cue, CueBook, CueGate, CueKind, CuePolicy
from spinecoach.analysis.filtering import StreamingLowPass
from spinecoach.analysis.pose.repetitions import RepetitionCounter
from spinecoach.analysis.pose.signals import (
    FRONT_VIEW_MIN_RATIO,
    SIDE_VIEW_MAX_RATIO,
    SIGNALS,
    kinematic_signals,
)
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries

State = Literal["setting_up", "ready", "moving", "holding", "resting"]

# Set-up is judged on a moving average over about half a second (at 30 fps) so that one
# missed frame neither breaks nor makes it.
SETUP_SMOOTHING = 0.1
SETUP_VISIBLE_SHARE = 0.8
CALIBRATION_S = 1.0
# No set-up advice in the first second: the averages above are still finding the person.
SETUP_GRACE_S = 1.0
CUTOFF_HZ = 6.0
# Before the first repetition the top of the movement is unknown: assume this much movement.
DEFAULT_AMPLITUDE = {"deg": 30.0, "leg lengths": 0.15, "trunk lengths": 0.3}
FEET = ("left_ankle", "right_ankle")
# Criteria judged live: a metric that is a running extreme over the repetition.
_EXCURSION_OF = {
    "trunk_sagittal_excursion_deg": "trunk_sagittal_deg",
    "trunk_frontal_excursion_deg": "trunk_frontal_deg",
    "trunk_rotation_excursion_deg": "trunk_rotation_deg",
    "pelvic_tilt_excursion_deg": "pelvic_tilt_deg",
}


@dataclass(frozen=True)
class Frame:
    """One camera frame's landmarks: (points, dims) positions and (points,) confidence, in the
    order of the analyzer's landmark names."""

    time_s: float
    positions: FloatArray
    confidence: FloatArray


@dataclass(frozen=True)
class RepetitionVerdict:
    index: int
    start_s: float
    end_s: float
    quality: float
    correct: bool
    failed: tuple[str, ...]


@dataclass(frozen=True)
class Feedback:
    state: State
    repetitions: int
    hold_s: float
    live_quality: float
    last_repetition: RepetitionVerdict | None
    cue: Cue | None


class _Running:
    """Running value of one live criterion over the current repetition."""

    def __init__(self, criterion: Criterion, channel: str, mode: str) -> None:
        self.criterion = criterion
        self.channel = channel
        self.mode = mode  # "excursion", "abs", "range", "max", "min"
        self.reset()

    def reset(self) -> None:
        self.start = float("nan")
        self.low = float("inf")
        self.high = float("-inf")
        self.value = float("nan")

    def update(self, x: float) -> None:
        if not np.isfinite(x):
            return
        if not np.isfinite(self.start):
            self.start = x
        self.low, self.high = min(self.low, x), max(self.high, x)
        if self.mode == "excursion":
            self.value = max(self.high - self.start, self.start - self.low)
        elif self.mode == "abs":
            self.value = max(abs(self.high), abs(self.low))
        elif self.mode == "range":
            self.value = self.high - self.low
        elif self.mode == "max":
            self.value = self.high
        else:
            self.value = self.low


def _live_channel(criterion: Criterion, driver: str) -> tuple[str, str] | None:
    """(channel, mode) for a criterion judged live, or None."""
    metric = criterion.metric
    if metric in _EXCURSION_OF:
        return _EXCURSION_OF[metric], "excursion"
    if metric == "pelvic_obliquity_deg":
        return "pelvic_obliquity_deg", "abs"
    if metric == "range_of_motion_deg":
        return driver, "range"
    reducer, _, channel = metric.partition(":")
    if channel in SIGNALS and reducer in ("range", "max", "min", "excursion"):
        return channel, reducer
    return None


class StreamingAnalyzer:
    """Live analysis of one exercise (see the module docstring)."""

    DRIVER = "__driver__"

    def __init__(
        self,
        spec: AnalyzerSpec,
        *,
        names: tuple[str, ...],
        unit: str = "image_height",
        rate_hz: float = 30.0,
        cues: CueBook | None = None,
        policy: CuePolicy | None = None,
    ) -> None:
        self.spec = spec
        self.names = names
        self.unit = unit
        self.cues = cues or CueBook()
        self.gate = CueGate(policy or CuePolicy())
        self.level = (policy or CuePolicy()).level
        seg = spec.segmentation
        self._driver_channels = seg.signals if seg is not None else ()
        self._live: list[_Running] = []
        for criterion in spec.criteria:
            found = _live_channel(criterion, self.DRIVER)
            if found is not None:
                self._live.append(_Running(criterion, *found))
        wanted = {r.channel for r in self._live if r.channel != self.DRIVER}
        wanted |= {"trunk_sagittal_deg", "trunk_frontal_deg"} | set(self._driver_channels)
        self._channels = tuple(sorted(wanted))
        self._column = {name: SIGNALS_INDEX[name] for name in self._channels}
        self._filter = StreamingLowPass(
            cutoff_hz=min(CUTOFF_HZ, 0.45 * rate_hz), rate_hz=rate_hz, channels=len(self._channels)
        )
        self._index = {name: i for i, name in enumerate(names)}
        # The feet are judged on their own, so that the advice can say what to do.
        self._required = [
            self._index[n] for n in spec.required_landmarks if n in self._index and n not in FEET
        ]
        self._feet = [self._index[n] for n in FEET if n in self._index]
        # Nothing counts as seen until it has been seen for a few frames.
        self._visible = 0.0
        self._feet_visible = 0.0
        self._width_ratio = float("nan")
        self._ready_since = float("nan")
        self._rest_sum = 0.0
        self._rest_count = 0
        self._rest = float("nan")
        self._top = float("nan")
        self._counter: RepetitionCounter | None = None
        self._reps: list[RepetitionVerdict] = []
        self._good_streak = 0
        self._last_failed: tuple[str, ...] = ()
        self._hold_s = 0.0
        self._last_time = float("nan")
        self._baseline: dict[str, float] = {}
        self._lowest = float("inf")
        self._start_values: dict[str, float] = {}
        self._first_time = float("nan")

    # -- set-up -------------------------------------------------------------------------
    def _setup_problem(self, frame: Frame) -> str | None:
        seen = frame.confidence >= MIN_CONFIDENCE
        share = float(seen[self._required].mean()) if self._required else 1.0
        self._visible += SETUP_SMOOTHING * (share - self._visible)
        if self._feet and "feet" in self._needs():
            feet = float(seen[self._feet].mean())
            self._feet_visible += SETUP_SMOOTHING * (feet - self._feet_visible)
        if self._visible < SETUP_VISIBLE_SHARE:
            return "body"
        if "feet" in self._needs() and self._feet_visible < SETUP_VISIBLE_SHARE:
            return "feet"
        return self._view_problem(frame)

    def _needs(self) -> tuple[str, ...]:
        return ("feet",) if any("ankle" in n for n in self.spec.required_landmarks) else ()

    def _view_problem(self, frame: Frame) -> str | None:
        if self.unit not in ("image_height", "px") or "any" in self.spec.views:
            return None
        i = self._index
        try:
            ls, rs = frame.positions[i["left_shoulder"]], frame.positions[i["right_shoulder"]]
            lh, rh = frame.positions[i["left_hip"]], frame.positions[i["right_hip"]]
        except KeyError:
            return None
        trunk = float(np.hypot(*((ls[:2] + rs[:2]) / 2 - (lh[:2] + rh[:2]) / 2)))
        ratio = abs(float(ls[0] - rs[0])) / trunk if trunk > 0 else float("nan")
        if np.isfinite(ratio):
            previous = self._width_ratio
            self._width_ratio = (
                ratio if not np.isfinite(previous) else previous + 0.2 * (ratio - previous)
            )
        if not np.isfinite(self._width_ratio):
            return None
        if self._width_ratio >= FRONT_VIEW_MIN_RATIO and "front" not in self.spec.views:
            return "side"
        if self._width_ratio <= SIDE_VIEW_MAX_RATIO and "side" not in self.spec.views:
            return "front"
        return None

    # -- per frame ----------------------------------------------------------------------
    def update(self, frame: Frame) -> Feedback:
        """Analyse one frame."""
        problem = self._setup_problem(frame)
        now = frame.time_s
        if not np.isfinite(self._first_time):
            self._first_time = now
        if problem is not None:
            self._ready_since = float("nan")
            if now - self._first_time < SETUP_GRACE_S:  # still finding the person
                return self._feedback("setting_up", None)
            cue = Cue(CueKind.SETUP, problem, SETUP_TEXTS[problem])
            return self._feedback("setting_up", self.gate.offer(cue, now))
        if not np.isfinite(self._ready_since):
            self._ready_since = now
        values = self._signals(frame)
        driver = self._driver(values)
        if self.spec.kind != "repetitions":
            return self._hold(values, now)
        if now - self._ready_since < CALIBRATION_S or self._counter is None:
            self._calibrate(driver)
            if now - self._ready_since < CALIBRATION_S:
                return self._feedback("ready", None)
        return self._repetition(values, driver, now)

    def _signals(self, frame: Frame) -> dict[str, float]:
        positions = np.where((frame.confidence >= MIN_CONFIDENCE)[:, None], frame.positions, np.nan)
        series = LandmarkSeries(
            np.array([frame.time_s]),
            positions[None],
            frame.confidence[None],
            self.names,
            self.unit,
        )
        row = kinematic_signals(series).values[0]
        raw = np.array([row[self._column[name]] for name in self._channels])
        smoothed = self._filter.update(raw)
        return dict(zip(self._channels, smoothed.tolist(), strict=True))

    def _driver(self, values: dict[str, float]) -> float:
        seg = self.spec.segmentation
        if seg is None:
            return float("nan")
        picked = np.array([values[name] for name in seg.signals])
        if not np.isfinite(picked).any():
            return float("nan")
        if seg.combine == "absmax":
            combined = float(np.nanmax(np.abs(picked)))
        elif seg.combine == "max":
            combined = float(np.nanmax(picked))
        elif seg.combine == "min":
            combined = float(np.nanmin(picked))
        else:
            combined = float(np.nanmean(picked))
        return combined if seg.direction == "rise" else -combined

    def _calibrate(self, driver: float) -> None:
        if np.isfinite(driver):
            self._rest_sum += driver
            self._rest_count += 1
        if self._rest_count:
            self._rest = self._rest_sum / self._rest_count
            self._make_counter()

    def _make_counter(self) -> None:
        seg = self.spec.segmentation
        assert seg is not None
        unit = SIGNALS[seg.signals[0]].unit
        top = self._top if np.isfinite(self._top) else self._rest + DEFAULT_AMPLITUDE.get(unit, 1.0)
        span = max(top - self._rest, 1e-6)
        self._counter = RepetitionCounter(
            enter=self._rest + seg.enter * span,
            leave=self._rest + seg.leave * span,
            min_duration_s=seg.min_duration_s,
        )

    def _repetition(self, values: dict[str, float], driver: float, now: float) -> Feedback:
        assert self._counter is not None
        was_moving = self._counter.moving
        if not was_moving and np.isfinite(driver) and driver <= self._lowest:
            # Where the movement will have started: the posture at the lowest driver value.
            self._lowest = driver
            self._start_values = {**values, self.DRIVER: driver}
        finished = self._counter.update(driver, now)
        moving = self._counter.moving
        if moving and not was_moving:
            for running in self._live:
                running.reset()
                running.update(self._start_values.get(running.channel, float("nan")))
        if moving or finished is not None:
            for running in self._live:
                running.update(
                    driver if running.channel == self.DRIVER else values[running.channel]
                )
        cue: Cue | None = None
        if moving:
            broken = [
                r
                for r in self._live
                if r.criterion.at_most is not None
                and np.isfinite(r.value)
                and not r.criterion.met_by(r.value)
            ]
            if broken:
                worst = min(broken, key=lambda r: r.criterion.score(r.value))
                cue = self._correction(worst.criterion)
        if finished is not None:
            cue = self._finish(finished.peak_value, finished.start_s, finished.end_s)
        return self._feedback("moving" if moving else "resting", self.gate.offer(cue, now))

    def _finish(self, peak: float, start_s: float, end_s: float) -> Cue | None:
        self._top = peak if not np.isfinite(self._top) else 0.5 * (self._top + peak)
        judged = [(r.criterion, r.value) for r in self._live if np.isfinite(r.value)]
        failed = tuple(c.fault or c.metric for c, v in judged if not c.met_by(v))
        quality = min((c.score(v) for c, v in judged), default=float("nan"))
        verdict = RepetitionVerdict(
            len(self._reps) + 1, start_s, end_s, quality, bool(judged) and not failed, failed
        )
        self._reps.append(verdict)
        self._make_counter()
        self._lowest = float("inf")
        previous_failed, self._last_failed = self._last_failed, failed
        if failed:
            self._good_streak = 0
            criterion = next(c for c, v in judged if (c.fault or c.metric) == failed[0])
            if self.level == "none" and failed[0] not in previous_failed:
                return None  # at the faded level, only a fault that repeats is named
            return self._correction(criterion)
        self._good_streak += 1
        praise = (
            self._good_streak == 1
            or self._good_streak % self.gate.policy.praise_every == 0
            or bool(previous_failed)
        )
        if praise and verdict.correct:
            return Cue(CueKind.PRAISE, "praise", self.cues.praise(self.level))
        return None

    def _correction(self, criterion: Criterion) -> Cue | None:
        if self.level == "none" and (criterion.fault or criterion.metric) not in self._last_failed:
            return None
        key = criterion.fault or criterion.metric
        return Cue(CueKind.CORRECTION, key, self.cues.correction(key, criterion.metric, self.level))

    def _hold(self, values: dict[str, float], now: float) -> Feedback:
        dt = now - self._last_time if np.isfinite(self._last_time) else 0.0
        self._last_time = now
        inside = True
        for channel in ("trunk_sagittal_deg", "trunk_frontal_deg"):
            value = values.get(channel, float("nan"))
            if not np.isfinite(value):
                continue
            base = self._baseline.setdefault(channel, value)
            inside &= abs(value - base) <= self.spec.neutral_tolerance_deg
        cue = None
        if inside:
            self._hold_s += dt
        else:
            cue = Cue(
                CueKind.CORRECTION,
                "neutral",
                self.cues.correction("neutral", "trunk_sagittal_excursion_deg", self.level),
            )
        return self._feedback("holding", self.gate.offer(cue, now))

    def _feedback(self, state: State, cue: Cue | None) -> Feedback:
        last = self._reps[-1] if self._reps else None
        live = [r.criterion.score(r.value) for r in self._live if np.isfinite(r.value)]
        return Feedback(
            state=state,
            repetitions=len(self._reps),
            hold_s=self._hold_s,
            live_quality=min(live) if live else float("nan"),
            last_repetition=last,
            cue=cue,
        )


SIGNALS_INDEX = {name: i for i, name in enumerate(SIGNALS)}

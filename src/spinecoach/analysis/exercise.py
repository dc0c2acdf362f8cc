"""Exercise analyzers configured from data: an exercise's quality criteria, not code per exercise.

An :class:`AnalyzerSpec` says how an exercise is segmented (repetitions of a driving signal, one
hold, or the whole recording), which camera views can judge it, and its quality criteria by
metric name. :func:`analyze` turns a landmark series into an :class:`ExerciseReport`.

Scoring, chosen to be explainable:

* a criterion ``metric ≤ b`` scores ``1 / (1 + (value / b)^4)`` and ``metric ≥ b`` scores
  ``1 / (1 + (b / value)^4)``: 0.5 exactly at the bound, ~0.94 at half of an upper bound,
  ~0.06 at twice it. The steepness (4) makes the score a near-verdict close to the bound while
  still ranking clearly good and clearly bad repetitions;
* a repetition's ``quality`` is the score of its **weakest** judged criterion, so
  ``quality ≥ 0.5`` exactly when every judged criterion passes (``correct``);
* the set's quality is the mean of its repetitions'; the set is correct when at least
  :data:`SET_CORRECT_SHARE` of its repetitions are.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.filtering import fill_gaps, smooth
from spinecoach.analysis.pose.repetitions import repetitions, thresholds_from_range
from spinecoach.analysis.pose.signals import SIGNALS, camera_view, kinematic_signals
from spinecoach.analysis.quality import QualityMetric, Span, quality_metrics, signal_metric
from spinecoach.analysis.report import (
    CriterionResult,
    ExerciseReport,
    FaultSpan,
    MetricValue,
    RepetitionResult,
)
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries, TimeSeries

Kind = Literal["repetitions", "hold", "whole"]
View = Literal["front", "side", "any"]

# Steepness of the criterion score around its bound (see the module docstring).
SCORE_STEEPNESS = 4.0
# Share of repetitions that must be correct for the set to be correct: most of a set done well,
# while one slip in a set of five does not condemn it.
SET_CORRECT_SHARE = 0.6
# Landmarks seen with less confidence than this are treated as missing (MediaPipe's own
# default presence threshold is 0.5).
MIN_CONFIDENCE = 0.5
# Gaps up to this long are interpolated; longer ones stay missing (a third of a second is
# shorter than any phase of a controlled repetition).
MAX_GAP_S = 0.3
# Low-pass cut-off for the kinematic signals: voluntary trunk and limb movement in these
# exercises lies well below 6 Hz (Winter, Biomechanics and Motor Control of Human Movement).
CUTOFF_HZ = 6.0

# (start frame, end frame exclusive, peak frame or None)
Frames = tuple[int, int, int | None]

_COMBINE: dict[str, Callable[..., Any]] = {"max": np.nanmax, "min": np.nanmin, "mean": np.nanmean}


@dataclass(frozen=True)
class Criterion:
    """A quality criterion by metric name: ``metric ≤ at_most`` or ``metric ≥ at_least``."""

    metric: str
    at_most: float | None = None
    at_least: float | None = None
    fault: str = ""

    def __post_init__(self) -> None:
        if (self.at_most is None) == (self.at_least is None):
            raise AnalysisError(f"criteria.{self.metric}", "give exactly one of at_most, at_least")
        bound = self.at_most if self.at_most is not None else self.at_least
        if bound is None or not bound > 0:
            raise AnalysisError(f"criteria.{self.metric}", f"bound must be positive, got {bound}")

    def score(self, value: float) -> float:
        """The criterion's score in [0, 1] (0.5 at the bound); NaN when not measured."""
        if not np.isfinite(value):
            return float("nan")
        if self.at_most is not None:
            ratio = max(value, 0.0) / self.at_most
        else:
            assert self.at_least is not None
            ratio = self.at_least / max(value, 1e-9)
        return float(1.0 / (1.0 + ratio**SCORE_STEEPNESS))

    def met_by(self, value: float) -> bool:
        if self.at_most is not None:
            return value <= self.at_most
        assert self.at_least is not None
        return value >= self.at_least


@dataclass(frozen=True)
class Segmentation:
    """How repetitions are cut: the signal that moves, and which way it goes from rest.

    Thresholds are fractions of the signal's own range in the recording above its resting
    level, so that one spec fits people of different mobility: a repetition starts when the
    signal has gone ``enter`` of the way and ends when it is back within ``leave``.
    """

    signals: tuple[str, ...]
    direction: Literal["rise", "fall"]
    # How several signals become one driver: "max" for alternating sides (either arm rising),
    # "absmax" for movements to either side (side-bends, rotations), "mean" for both legs.
    combine: Literal["max", "min", "mean", "absmax"] = "max"
    enter: float = 0.4
    leave: float = 0.2
    min_duration_s: float = 0.6

    def driver(self, signals: TimeSeries) -> FloatArray:
        """The one signal whose repetitions are counted, oriented so that moving is rising."""
        missing = [name for name in self.signals if name not in signals.channels]
        if missing or not self.signals:
            raise AnalysisError("segmentation.signals", f"no signal {', '.join(missing)!r}")
        stacked = np.column_stack([signals.channel(name) for name in self.signals])
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN frames stay NaN
            if self.combine == "absmax":
                combined = np.nanmax(np.abs(stacked), axis=1)
            else:
                combined = _COMBINE[self.combine](stacked, axis=1)
        return np.asarray(combined if self.direction == "rise" else -combined, dtype=np.float64)

    def driver_at(self, values: FloatArray) -> float:
        """:meth:`driver` for one frame, given the values of :attr:`signals` in order (the
        live path); NaN when none is seen. Plain Python on the one or two values: numpy's
        set-up cost per call was most of this on the live path."""
        finite = [float(v) for v in values if math.isfinite(v)]
        if not finite:
            return float("nan")
        if self.combine == "absmax":
            combined = max(abs(v) for v in finite)
        elif self.combine == "max":
            combined = max(finite)
        elif self.combine == "min":
            combined = min(finite)
        else:  # the mean, summed in order as numpy does for so few values
            combined = sum(finite) / len(finite)
        return combined if self.direction == "rise" else -combined


@dataclass(frozen=True)
class AnalyzerSpec:
    """Everything an analyzer needs to judge one exercise, as data."""

    id: str
    name: str
    kind: Kind
    criteria: tuple[Criterion, ...] = ()
    # The library exercise or functional task whose quality criteria this analyzer applies
    # when it declares none of its own (the library stays the one source of thresholds).
    criteria_from: str = ""
    views: tuple[View, ...] = ("any",)
    segmentation: Segmentation | None = None
    tempo_s: tuple[float, float, float] | None = None
    neutral_tolerance_deg: float = 5.0
    # Landmarks that must be visible for the analyzer (and live cues) to say anything.
    required_landmarks: tuple[str, ...] = (
        "left_shoulder",
        "right_shoulder",
        "left_hip",
        "right_hip",
    )
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind == "repetitions" and self.segmentation is None:
            raise AnalysisError(f"{self.id}.segmentation", "a repetition exercise needs one")
        for criterion in self.criteria:
            metric_named(criterion.metric)


def metric_named(name: str) -> QualityMetric:
    """A quality metric of the vocabulary, or a ``<reducer>:<signal>`` metric."""
    known = quality_metrics().get(name) or signal_metric(
        name, {channel: spec.unit for channel, spec in SIGNALS.items()}
    )
    if known is None:
        raise AnalysisError("criteria.metric", f"unknown metric {name!r}")
    return known


def prepare_signals(series: LandmarkSeries) -> TimeSeries:
    """Kinematic signals of a recording: unsure landmarks dropped, short gaps filled, smoothed."""
    raw = kinematic_signals(series.masked(MIN_CONFIDENCE))
    values = fill_gaps(raw.values, raw.time, max_gap_s=MAX_GAP_S)
    if raw.time.size > 1 and series.rate_hz > 2 * CUTOFF_HZ:
        values = smooth(values, raw.time, cutoff_hz=CUTOFF_HZ)
    return TimeSeries(raw.time, values, raw.channels, raw.units, raw.events)


def _spans(spec: AnalyzerSpec, signals: TimeSeries) -> tuple[list[Frames], bool]:
    """(start, end, peak) frame spans of the repetitions, the hold or the whole recording, and
    whether a repetition exercise fell back to the whole recording (no separate repetition)."""
    frames = signals.time.size
    whole: list[Frames] = [(0, frames, None)] if frames else []
    if spec.kind != "repetitions" or frames == 0:
        return whole, False
    found = _repetition_spans(spec, signals)
    # A clip of a single repetition (as in segmented datasets) may never return to rest.
    return (found, False) if found else (whole, True)


def _repetition_spans(spec: AnalyzerSpec, signals: TimeSeries) -> list[Frames]:
    assert spec.segmentation is not None
    seg = spec.segmentation
    oriented = seg.driver(signals)
    thresholds = thresholds_from_range(oriented, enter_fraction=seg.enter, leave_fraction=seg.leave)
    if thresholds is None:
        return []
    enter, leave = thresholds
    found = repetitions(
        oriented, signals.time, enter=enter, leave=leave, min_duration_s=seg.min_duration_s
    )
    spans: list[Frames] = []
    for number, rep in enumerate(found):
        limit = found[number + 1].start_index if number + 1 < len(found) else oriented.size - 1
        spans.append(
            (rep.start_index, _settled(oriented, rep.end_index, limit) + 1, rep.peak_index)
        )
    return spans


def _settled(driver: FloatArray, end: int, limit: int) -> int:
    """The frame where the return has finished: the counter ends a repetition as the signal
    passes its ``leave`` threshold on the way back; the movement goes on falling until it
    stops (offline only - live feedback cannot wait for it)."""
    index = end
    while index < limit and driver[index + 1] < driver[index]:
        index += 1
    return index


def _judge_span(spec: AnalyzerSpec, span: Span, index: int) -> RepetitionResult:
    measured: list[MetricValue] = []
    results: list[CriterionResult] = []
    scores: list[float] = []
    start_s = float(span.signals.time[span.start])
    end_s = float(span.signals.time[span.end - 1])
    faults: list[FaultSpan] = []
    for criterion in spec.criteria:
        metric = metric_named(criterion.metric)
        value = metric.compute(span)
        finite = bool(np.isfinite(value))
        passed = criterion.met_by(value) if finite else None
        if finite:
            measured.append(MetricValue(metric.name, value, metric.unit, metric.method))
            scores.append(criterion.score(value))
        results.append(
            CriterionResult(
                metric=criterion.metric,
                value=value if finite else None,
                unit=metric.unit,
                at_most=criterion.at_most,
                at_least=criterion.at_least,
                passed=passed,
                fault=criterion.fault,
            )
        )
        if passed is False:
            faults.append(
                FaultSpan(criterion.fault or criterion.metric, start_s, end_s, metric.name)
            )
    quality = min(scores) if scores else float("nan")
    correct = bool(scores) and all(r.passed is not False for r in results)
    return RepetitionResult(
        index=index,
        start_s=start_s,
        end_s=end_s,
        quality=quality,
        correct=correct,
        metrics=tuple(measured),
        criteria=tuple(results),
        faults=tuple(faults),
    )


def _visibility_notes(spec: AnalyzerSpec, series: LandmarkSeries, view: str) -> list[str]:
    notes = []
    for name in spec.required_landmarks:
        seen = float(np.mean(series.visibility(name) >= MIN_CONFIDENCE)) if series.frames else 0
        if seen < 0.8:
            notes.append(f"{name.replace('_', ' ')} seen in only {seen:.0%} of frames")
    if "any" not in spec.views and view in ("front", "side") and view not in spec.views:
        wanted = " or ".join(spec.views)
        notes.append(f"filmed from the {view}; this exercise is judged from the {wanted}")
    return notes


def repetition_spans(spec: AnalyzerSpec, signals: TimeSeries) -> tuple[list[Span], bool]:
    """The spans an analyzer judges (repetitions, the hold or the whole recording), ready for
    the quality metrics, and whether a repetition exercise fell back to the whole recording."""
    spans, fell_back = _spans(spec, signals)
    seg = spec.segmentation
    driver = seg.driver(signals) if seg is not None else None
    units = {SIGNALS[name].unit for name in seg.signals} if seg is not None else set()
    driver_unit = next(iter(units)) if len(units) == 1 else ""
    bilateral = (
        (seg.signals[0], seg.signals[1])
        if seg is not None and seg.combine == "mean" and len(seg.signals) == 2
        else None
    )
    built = [
        Span(
            signals,
            start,
            end,
            neutral_tolerance_deg=spec.neutral_tolerance_deg,
            tempo_s=spec.tempo_s,
            peak=peak,
            driver=driver,
            driver_unit=driver_unit,
            bilateral=bilateral,
        )
        for start, end, peak in spans
    ]
    return built, fell_back


def analyze(series: LandmarkSeries, spec: AnalyzerSpec) -> ExerciseReport:
    """Judge a recording of one exercise against its spec: per repetition and for the set."""
    if series.frames < 2:
        raise AnalysisError("recording", f"needs at least 2 frames, got {series.frames}")
    signals = prepare_signals(series)
    view = camera_view(series)
    spans, fell_back = repetition_spans(spec, signals)
    reps = tuple(_judge_span(spec, span, number) for number, span in enumerate(spans, start=1))
    notes = _visibility_notes(spec, series, view)
    judged = [rep for rep in reps if np.isfinite(rep.quality)]
    if fell_back:
        notes.append("no separate repetitions found; the whole recording was judged as one")
    if reps and not judged:
        notes.append("no criterion could be measured from this recording")
    quality = float(np.mean([rep.quality for rep in judged])) if judged else float("nan")
    correct = bool(judged) and (
        sum(rep.correct for rep in judged) >= SET_CORRECT_SHARE * len(judged)
    )
    set_metrics = _set_metrics(reps)
    return ExerciseReport(
        exercise=spec.id,
        exercise_name=spec.name,
        source=series.source,
        frames=series.frames,
        duration_s=series.duration_s,
        view=view,
        quality=quality,
        correct=correct,
        reps=reps,
        faults=tuple(fault for rep in reps for fault in rep.faults),
        metrics=set_metrics,
        criteria=tuple(result for rep in reps[:1] for result in rep.criteria)
        if len(reps) == 1
        else (),
        notes=tuple(notes),
    )


def _set_metrics(reps: tuple[RepetitionResult, ...]) -> tuple[MetricValue, ...]:
    """Per metric, the worst repetition's value (largest for ≤ criteria): the one to work on."""
    worst: dict[str, MetricValue] = {}
    for rep in reps:
        for value in rep.metrics:
            current = worst.get(value.name)
            if current is None or value.value > current.value:
                worst[value.name] = value
    return tuple(worst.values())

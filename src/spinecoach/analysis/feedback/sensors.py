"""Sensor biofeedback: metrics from streaming EMG or IMU in, the cue policy's observations out.

The camera path turns landmark frames into :class:`~.policy.Observation`\\ s; this does the
same for numbers a sensor stream computes every chunk — e.g. the deep abdominal envelope in
% of a reference contraction, the superficial abdominal envelope, or how far the trunk has
tilted since the start — so that one :class:`~.policy.CueScheduler` with the same policy and
fading speaks for both.

A sensor exercise is a series of **holds**. Its criteria are checked every step; the first is
the *engagement* criterion (e.g. "transversus abdominis ≥ 10 % of reference"): while it is not
met the patient is resting and nothing is corrected. Engaged with every criterion met, the
hold timer runs; a criterion broken while engaged is named (e.g. "superficial abdominals
≤ 15 %": the classic over-bracing fault of motor-control training, Richardson & Jull 1995,
Man Ther 1:2). A hold ends when the patient lets go; it is good when it lasted the target
time with every criterion met. Thresholds are the clinician's (the exercise's dosage), not
ours; a state of a few numbers keeps each step O(1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import Criterion
from spinecoach.analysis.feedback.policy import Observation, Outcome


@dataclass(frozen=True)
class SensorTarget:
    """What a sensor-biofeedback exercise asks for: criteria over named metrics, the first one
    meaning "engaged", and the hold time that makes a hold good."""

    criteria: tuple[Criterion, ...]
    hold_s: float

    def __post_init__(self) -> None:
        if not self.criteria:
            raise AnalysisError("target.criteria", "give at least the engagement criterion")
        if not (math.isfinite(self.hold_s) and self.hold_s > 0):
            raise AnalysisError("target.hold_s", f"must be > 0 s, got {self.hold_s}")

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(c.metric for c in self.criteria)


@dataclass(frozen=True)
class HoldSummary:
    """The holds of a session so far."""

    holds: int
    good_holds: int
    longest_s: float
    held_s: float  # total time with every criterion met

    def as_dict(self) -> dict[str, float | int]:
        return {
            "holds": self.holds,
            "good_holds": self.good_holds,
            "longest_s": round(self.longest_s, 2),
            "held_s": round(self.held_s, 2),
        }


class SensorFeedback:
    """Turns each step's metrics into an :class:`Observation` for the cue scheduler."""

    def __init__(self, target: SensorTarget) -> None:
        self.target = target
        self._engaged_since: float | None = None
        self._clean_since: float | None = None  # start of the current all-criteria-met run
        self._best_run = 0.0  # longest all-met run within the current hold
        self._faults: list[Criterion] = []  # broken during the current hold, in order seen
        self._reached = False
        self._last_time = -math.inf
        self._holds = 0
        self._good = 0
        self._longest = 0.0
        self._held = 0.0

    def step(self, time_s: float, metrics: Mapping[str, float]) -> Observation:
        """One step (a chunk's end): the metrics now, by name. A missing or NaN metric is not
        measured: it breaks nothing and meets nothing (a loose electrode is a set-up problem,
        reported by the caller)."""
        if not math.isfinite(time_s) or time_s <= self._last_time:
            raise AnalysisError(
                "time_s", f"must increase from step to step, got {time_s} after {self._last_time}"
            )
        previous, self._last_time = self._last_time, time_s
        engage, *others = self.target.criteria
        engaged_value = metrics.get(engage.metric, math.nan)
        engaged = math.isfinite(engaged_value) and engage.met_by(engaged_value)
        if not engaged:
            finished = self._end_hold(previous) if self._engaged_since is not None else None
            return Observation(time_s=time_s, finished=finished)
        if self._engaged_since is None:
            self._engaged_since = time_s
        broken = _worst_broken(others, metrics)
        if broken is None:
            if self._clean_since is None:
                self._clean_since = time_s
            run = time_s - self._clean_since
            reached = run >= self.target.hold_s and not self._reached
            self._reached = self._reached or reached
            return Observation(time_s=time_s, target_reached=reached)
        self._close_run(previous)  # the run was clean up to the last step
        if broken not in self._faults:
            self._faults.append(broken)
        return Observation(time_s=time_s, broken=broken)

    def summary(self) -> HoldSummary:
        return HoldSummary(self._holds, self._good, self._longest, self._held)

    def _close_run(self, at_s: float) -> None:
        if self._clean_since is not None:
            run = at_s - self._clean_since
            self._best_run = max(self._best_run, run)
            self._held += run
            self._clean_since = None

    def _end_hold(self, at_s: float) -> Outcome:
        """The hold ended at the last engaged step: good when an all-met run reached the
        target; its faults are those named during it that kept it from being good."""
        self._close_run(at_s)
        good = self._best_run >= self.target.hold_s
        self._holds += 1
        self._good += good
        self._longest = max(self._longest, self._best_run)
        faults = () if good else tuple(self._faults)
        if not good and not faults:  # let go too early, nothing else wrong
            faults = (Criterion(metric="hold_s", at_least=self.target.hold_s, fault="hold_short"),)
        self._engaged_since = None
        self._best_run = 0.0
        self._faults = []
        self._reached = False
        return Outcome(faults=faults, correct=good, hold=True)


def _worst_broken(criteria: list[Criterion], metrics: Mapping[str, float]) -> Criterion | None:
    """The broken criterion with the lowest score (furthest beyond its bound), if any."""
    worst: Criterion | None = None
    worst_score = math.inf
    for criterion in criteria:
        value = metrics.get(criterion.metric, math.nan)
        if not math.isfinite(value) or criterion.met_by(value):
            continue
        score = criterion.score(value)
        if score < worst_score:
            worst, worst_score = criterion, score
    return worst

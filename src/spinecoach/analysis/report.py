"""What an exercise analysis says: per repetition and per set, metrics, criteria, faults.

Plain frozen dataclasses so that the CLI, the web app and batch jobs can render or store them
without knowing how they were computed. ``quality`` is in [0, 1], higher is better.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MetricValue:
    """A named measurement with its unit and the one sentence saying how it was computed."""

    name: str
    value: float
    unit: str
    method: str


@dataclass(frozen=True)
class CriterionResult:
    """One quality criterion checked against its measured value.

    ``passed`` is None when the metric could not be measured (not visible from this camera
    view, too few frames): an unmeasurable criterion neither passes nor fails.
    """

    metric: str
    value: float | None
    unit: str
    at_most: float | None
    at_least: float | None
    passed: bool | None
    fault: str = ""  # the fault id this criterion detects, when one is declared

    def describe(self) -> str:
        """``trunk_sagittal_excursion_deg 7.2 deg (≤ 5): fail``."""
        bound = f"≤ {self.at_most:g}" if self.at_most is not None else f"≥ {self.at_least:g}"
        shown = "not measured" if self.value is None else f"{self.value:.1f} {self.unit}"
        verdict = {True: "pass", False: "fail", None: "not judged"}[self.passed]
        return f"{self.metric} {shown} ({bound}): {verdict}"


@dataclass(frozen=True)
class FaultSpan:
    """A fault seen between two moments of the recording."""

    id: str
    start_s: float
    end_s: float
    metric: str = ""


@dataclass(frozen=True)
class RepetitionResult:
    """One repetition (or one hold) and how it went."""

    index: int
    start_s: float
    end_s: float
    quality: float
    correct: bool
    metrics: tuple[MetricValue, ...]
    criteria: tuple[CriterionResult, ...]
    faults: tuple[FaultSpan, ...] = ()


@dataclass(frozen=True)
class ExerciseReport:
    """The analysis of one recording of one exercise."""

    exercise: str
    exercise_name: str
    source: str
    frames: int
    duration_s: float
    view: str
    quality: float
    correct: bool
    reps: tuple[RepetitionResult, ...]
    faults: tuple[FaultSpan, ...]
    metrics: tuple[MetricValue, ...]
    criteria: tuple[CriterionResult, ...]
    notes: tuple[str, ...] = field(default=())  # e.g. "landmarks poorly visible 40 % of frames"

"""Movement analysis use cases: pick the analyzer for an exercise, judge a recording, report it.

The one place where the exercise library (domain) meets the numerical analyzers (analysis): a
library exercise's quality criteria and faults become the analyzer's criteria, so the
thresholds a clinician reads in ``spinecoach library show`` are the ones the camera applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from spinecoach.analysis.exercise import AnalyzerSpec, Criterion, analyze, metric_named
from spinecoach.analysis.feedback import CueBook
from spinecoach.analysis.report import CriterionResult, ExerciseReport, MetricValue
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.library import Exercise, FunctionalTask, Library
from spinecoach.domain.metrics import QUALITY_METRICS

from .schemas import as_input_errors


def library_criteria(item: Exercise | FunctionalTask) -> tuple[Criterion, ...]:
    """The library's criteria as analyzer criteria, each tied to the fault its metric detects
    (functional tasks declare no faults: the metric names the fault)."""
    faults = item.faults if isinstance(item, Exercise) else ()
    fault_of = {fault.metric: fault.id for fault in faults if fault.metric}
    return tuple(
        Criterion(
            metric=c.metric,
            at_most=c.at_most,
            at_least=c.at_least,
            fault=fault_of.get(c.metric, ""),
        )
        for c in item.criteria
    )


def analyzer_spec(
    exercise_id: str, *, library: Library, analyzers: Mapping[str, AnalyzerSpec]
) -> AnalyzerSpec:
    """The analyzer for an exercise id; a library exercise brings its own criteria.

    An analyzer spec without criteria of its own takes the library exercise's by the same id,
    so the library stays the single source of the thresholds.
    """
    spec = analyzers.get(exercise_id)
    if spec is None:
        known = ", ".join(sorted(analyzers))
        raise InvalidInput("--exercise", f"no analyzer for {exercise_id!r}; known: {known}")
    source = spec.criteria_from or exercise_id
    item = library.exercises.get(source) or library.tasks.get(source)
    if not spec.criteria and item is not None:
        spec = replace(spec, criteria=library_criteria(item))
    if not spec.criteria:
        raise InvalidInput("--exercise", f"{exercise_id!r} has no quality criteria to judge")
    return spec


def fault_descriptions(spec: AnalyzerSpec, library: Library) -> dict[str, str]:
    """Fault id -> words for a clinician: the library's "name: how to put it right" where the
    exercise has the fault, else what the criterion's metric measures and its standard."""
    exercise = library.exercises.get(spec.criteria_from or spec.id)
    named = {f.id: f"{f.name}: {f.correction}" for f in exercise.faults} if exercise else {}
    described = {}
    for criterion in spec.criteria:
        key = criterion.fault or criterion.metric
        if key in named:
            described[key] = named[key]
            continue
        vocabulary = QUALITY_METRICS.get(criterion.metric)
        what = vocabulary.description if vocabulary else metric_named(criterion.metric).method
        bound = (
            f"≤ {criterion.at_most:g}"
            if criterion.at_most is not None
            else f"≥ {criterion.at_least:g}"
        )
        unit = vocabulary.unit if vocabulary else metric_named(criterion.metric).unit
        described[key] = f"{key.replace('_', ' ')} — {what} Standard: {bound} {unit}".rstrip()
    return described


def cue_book(spec: AnalyzerSpec, library: Library) -> CueBook:
    """Live cue words from the library: each fault's correction in full, and the exercise's
    first brief cue as the brief form (the analysis layer's defaults cover the rest)."""
    exercise = library.exercises.get(spec.criteria_from or spec.id)
    if exercise is None:
        return CueBook()
    brief = exercise.cues.brief[0] if exercise.cues.brief else ""
    return CueBook(
        corrections={f.id: (f.correction, brief or f.correction) for f in exercise.faults}
    )


def analyze_recording(series: LandmarkSeries, spec: AnalyzerSpec) -> ExerciseReport:
    """Judge a recording; analysis errors become the user's input error at this boundary."""
    with as_input_errors():
        return analyze(series, spec)


def _number(value: float | None, digits: int = 3) -> float | None:
    if value is None or value != value:  # NaN is not JSON
        return None
    return round(float(value), digits)


def _metric(value: MetricValue) -> dict[str, Any]:
    return {"value": _number(value.value), "unit": value.unit, "method": value.method}


def _criterion(result: CriterionResult) -> dict[str, Any]:
    return {
        "metric": result.metric,
        "value": _number(result.value),
        "unit": result.unit,
        "at_most": result.at_most,
        "at_least": result.at_least,
        "passed": result.passed,
        "fault": result.fault or None,
    }


def report_document(report: ExerciseReport) -> dict[str, Any]:
    """The report as one JSON-ready object (documented in docs/analysis.md)."""
    return {
        "exercise": report.exercise,
        "exercise_name": report.exercise_name,
        "source": report.source,
        "frames": report.frames,
        "duration_s": _number(report.duration_s),
        "view": report.view,
        "quality": _number(report.quality),
        "correct": report.correct,
        "reps": [
            {
                "index": rep.index,
                "start_s": _number(rep.start_s),
                "end_s": _number(rep.end_s),
                "quality": _number(rep.quality),
                "correct": rep.correct,
                "metrics": {m.name: _metric(m) for m in rep.metrics},
                "criteria": [_criterion(c) for c in rep.criteria],
                "faults": [fault.id for fault in rep.faults],
            }
            for rep in report.reps
        ],
        "faults": [
            {"id": f.id, "start_s": _number(f.start_s), "end_s": _number(f.end_s)}
            for f in report.faults
        ],
        "metrics": {m.name: _metric(m) for m in report.metrics},
        "notes": list(report.notes),
    }

"""Sensor biofeedback: holds, corrections and the cue scheduler driven by sensor metrics."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import Criterion
from spinecoach.analysis.feedback import CuePolicy
from spinecoach.analysis.feedback.cues import CueBook, CueKind
from spinecoach.analysis.feedback.policy import CueScheduler, Observation
from spinecoach.analysis.feedback.sensors import SensorFeedback, SensorTarget

DEEP = Criterion(metric="deep_pct", at_least=10.0)
SUPERFICIAL = Criterion(metric="superficial_pct", at_most=15.0, fault="over_bracing")
TARGET = SensorTarget(criteria=(DEEP, SUPERFICIAL), hold_s=5.0)
STEP_S = 0.02  # one 20-sample chunk at 1000 Hz


def run(
    feedback: SensorFeedback, start_s: float, seconds: float, deep: float, superficial: float
) -> list[Observation]:
    steps = round(seconds / STEP_S)
    return [
        feedback.step(
            start_s + (i + 1) * STEP_S, {"deep_pct": deep, "superficial_pct": superficial}
        )
        for i in range(steps)
    ]


def test_a_clean_hold_reaches_its_target_once_and_counts_as_good() -> None:
    feedback = SensorFeedback(TARGET)
    seen = run(feedback, 0.0, 6.0, deep=20, superficial=5)
    reached = [o.time_s for o in seen if o.target_reached]
    assert reached == [pytest.approx(0.02 + 5.0)]  # first engaged step + 5 s
    released = run(feedback, 6.0, 0.1, deep=2, superficial=5)
    outcome = released[0].finished
    assert outcome is not None
    assert outcome.correct
    assert outcome.hold
    assert outcome.faults == ()
    assert all(o.finished is None for o in released[1:])  # resting: nothing more
    summary = feedback.summary()
    assert (summary.holds, summary.good_holds) == (1, 1)
    assert summary.longest_s == pytest.approx(5.98)
    assert summary.held_s == pytest.approx(5.98)


def test_over_bracing_while_engaged_is_named_and_spoils_a_short_hold() -> None:
    feedback = SensorFeedback(TARGET)
    run(feedback, 0.0, 2.0, deep=20, superficial=5)
    braced = run(feedback, 2.0, 1.0, deep=25, superficial=40)
    assert all(o.broken == SUPERFICIAL for o in braced)
    run(feedback, 3.0, 2.0, deep=20, superficial=5)
    outcome = run(feedback, 5.0, 0.02, deep=0, superficial=0)[0].finished
    assert outcome is not None
    assert not outcome.correct
    assert outcome.faults == (SUPERFICIAL,)
    assert feedback.summary().held_s == pytest.approx(1.98 + 1.98)  # both clean runs


def test_letting_go_early_is_a_short_hold() -> None:
    feedback = SensorFeedback(TARGET)
    run(feedback, 0.0, 3.0, deep=20, superficial=5)
    outcome = run(feedback, 3.0, 0.02, deep=0, superficial=5)[0].finished
    assert outcome is not None
    assert [f.fault for f in outcome.faults] == ["hold_short"]


def test_resting_is_never_corrected_and_missing_metrics_break_nothing() -> None:
    feedback = SensorFeedback(TARGET)
    resting = run(feedback, 0.0, 2.0, deep=1, superficial=60)
    assert all(o.broken is None and o.finished is None for o in resting)
    unmeasured = feedback.step(2.5, {"deep_pct": 30, "superficial_pct": math.nan})
    assert unmeasured.broken is None


def test_time_must_increase_and_targets_must_be_sensible() -> None:
    feedback = SensorFeedback(TARGET)
    feedback.step(1.0, {"deep_pct": 20})
    with pytest.raises(AnalysisError) as error:
        feedback.step(1.0, {"deep_pct": 20})
    assert error.value.field == "time_s"
    with pytest.raises(AnalysisError):
        SensorTarget(criteria=(), hold_s=5)
    with pytest.raises(AnalysisError):
        SensorTarget(criteria=(DEEP,), hold_s=0)


def test_the_camera_cue_scheduler_speaks_for_the_sensor_path() -> None:
    feedback = SensorFeedback(TARGET)
    scheduler = CueScheduler(CuePolicy(), CueBook())
    cues = [scheduler.decide(o) for o in run(feedback, 0.0, 2.0, deep=20, superficial=40)]
    said = [c for c in cues if c is not None]
    assert said
    assert said[0].kind is CueKind.CORRECTION
    assert said[0].key == "over_bracing"
    cues = [scheduler.decide(o) for o in run(feedback, 2.0, 6.0, deep=20, superficial=5)]
    cues += [scheduler.decide(o) for o in run(feedback, 8.0, 0.1, deep=0, superficial=5)]
    assert any(c is not None and c.kind is CueKind.PRAISE for c in cues)


@given(st.lists(st.tuples(st.floats(0, 40), st.floats(0, 40)), min_size=1, max_size=200))
def test_held_time_never_exceeds_elapsed_and_good_holds_never_exceed_holds(
    values: list[tuple[float, float]],
) -> None:
    feedback = SensorFeedback(TARGET)
    for i, (deep, superficial) in enumerate(values):
        feedback.step((i + 1) * 0.5, {"deep_pct": deep, "superficial_pct": superficial})
    summary = feedback.summary()
    assert 0 <= summary.good_holds <= summary.holds
    assert 0 <= summary.longest_s <= summary.held_s <= len(values) * 0.5

"""Exercise analyzers: criterion scores, verdicts, repetitions and the metric vocabulary."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import (
    AnalyzerSpec,
    Criterion,
    Segmentation,
    analyze,
    metric_named,
)
from spinecoach.analysis.quality import quality_metrics
from spinecoach.analysis.simulate import camera_view_of, repetition_course, simulate_motion
from spinecoach.domain.metrics import QUALITY_METRICS

ARM_RAISE = AnalyzerSpec(
    id="arm_raise",
    name="Arm raise",
    kind="repetitions",
    segmentation=Segmentation(
        signals=("arm_elevation_left_deg", "arm_elevation_right_deg"), direction="rise"
    ),
    criteria=(
        Criterion("trunk_sagittal_excursion_deg", at_most=5.0, fault="back_arches"),
        Criterion("range_of_motion_deg", at_least=120.0),
    ),
)


def arm_raises(lean: float, reps: int = 4, noise: float = 0.0):  # type: ignore[no-untyped-def]
    return simulate_motion(
        duration_s=5.0 * reps + 2,
        arm_elevation_left_deg=lambda t: repetition_course(t, amplitude=150.0, reps=reps),
        trunk_sagittal_deg=lambda t: repetition_course(t, amplitude=lean, reps=reps),
        noise_m=noise,
    )


def test_criterion_score_is_half_at_the_bound_and_steep_around_it() -> None:
    upper = Criterion("trunk_sagittal_excursion_deg", at_most=10.0)
    assert upper.score(10.0) == pytest.approx(0.5)
    assert upper.score(5.0) == pytest.approx(1 / (1 + 0.5**4))
    assert upper.score(20.0) == pytest.approx(1 / (1 + 2.0**4))
    lower = Criterion("range_of_motion_deg", at_least=100.0)
    assert lower.score(100.0) == pytest.approx(0.5)
    assert lower.score(200.0) > 0.9
    assert np.isnan(upper.score(float("nan")))


def test_a_criterion_needs_exactly_one_positive_bound() -> None:
    with pytest.raises(AnalysisError):
        Criterion("range_of_motion_deg")
    with pytest.raises(AnalysisError):
        Criterion("range_of_motion_deg", at_most=0.0)


def test_still_trunk_is_correct_and_every_repetition_is_found() -> None:
    report = analyze(arm_raises(lean=1.0, noise=0.002), ARM_RAISE)
    assert len(report.reps) == 4
    assert report.correct
    assert all(rep.correct for rep in report.reps)
    assert report.quality == pytest.approx(1 / (1 + (120 / 150) ** 4), abs=0.03)  # the ROM
    rom = [m.value for rep in report.reps for m in rep.metrics if m.name == "range_of_motion_deg"]
    assert rom == pytest.approx([150.0] * 4, abs=3.0)


def test_a_trunk_that_leans_with_the_arm_is_a_fault_with_its_time_span() -> None:
    report = analyze(arm_raises(lean=10.0), ARM_RAISE)
    assert not report.correct
    assert report.quality < 0.5
    assert {fault.id for fault in report.faults} == {"back_arches"}
    lean = [m.value for m in report.reps[0].metrics if m.name == "trunk_sagittal_excursion_deg"]
    assert lean[0] == pytest.approx(10.0, abs=0.5)
    assert report.faults[0].start_s < report.faults[0].end_s


def test_quality_ranks_a_small_fault_above_a_big_one() -> None:
    small = analyze(arm_raises(lean=6.0), ARM_RAISE).quality
    big = analyze(arm_raises(lean=15.0), ARM_RAISE).quality
    assert small > big


def test_a_camera_that_cannot_see_the_criterion_does_not_judge_it() -> None:
    front = camera_view_of(arm_raises(lean=10.0), "front")
    report = analyze(front, ARM_RAISE)
    lean = [c for rep in report.reps for c in rep.criteria if c.metric.startswith("trunk_sag")]
    assert lean
    assert all(c.passed is None and c.value is None for c in lean)


def test_a_single_repetition_clip_is_judged_whole_with_a_note() -> None:
    still = simulate_motion(duration_s=3.0)
    report = analyze(still, ARM_RAISE)
    assert len(report.reps) == 1
    assert any("whole recording" in note for note in report.notes)


def test_unknown_metrics_are_refused_and_signal_metrics_are_understood() -> None:
    with pytest.raises(AnalysisError, match="unknown metric"):
        metric_named("wobble_deg")
    assert metric_named("max:knee_flexion_left_deg").unit == "deg"
    assert metric_named("range:hip_height").unit == "leg lengths"


def test_every_metric_the_library_may_name_is_computed_in_its_unit() -> None:
    computed = quality_metrics()
    for name, spec in QUALITY_METRICS.items():
        assert name in computed, name
        assert computed[name].unit == spec.unit, name
        assert computed[name].method.endswith("."), name


def test_neutral_hold_and_sway_of_a_steady_hold() -> None:
    spec = AnalyzerSpec(
        id="hold",
        name="Hold",
        kind="hold",
        criteria=(
            Criterion("neutral_hold_s", at_least=10.0),
            Criterion("hold_sway_deg", at_most=2.0),
        ),
    )
    report = analyze(simulate_motion(duration_s=15.0, noise_m=0.001), spec)
    values = {m.name: m.value for m in report.reps[0].metrics}
    assert values["neutral_hold_s"] == pytest.approx(15.0, abs=0.1)
    assert values["hold_sway_deg"] < 1.0
    assert report.correct

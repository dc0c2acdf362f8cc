"""validate_library on small hand-made libraries: every rule fails when it should."""

from __future__ import annotations

import pytest

from spinecoach.domain.library import (
    ACTIVITY_TAGS,
    Dosage,
    EducationModule,
    EducationTopic,
    Exercise,
    Library,
    Phase,
    QualityCriterion,
    Slot,
    Track,
    validate_library,
)
from spinecoach.domain.metrics import QUALITY_METRICS, CameraView
from spinecoach.domain.profile import FOCUS_CODES, FOCUS_RULES
from tests.library_factory import exercise, task


def library(*exercises: Exercise) -> Library:
    return Library(exercises={e.id: e for e in exercises}, tasks={}, education={})


def problems_about(lib: Library, where: str) -> list[str]:
    return [p.problem for p in validate_library(lib) if p.where.startswith(where)]


def test_a_two_step_chain_into_maintenance_has_no_graph_problems() -> None:
    lib = library(
        exercise("aaa", progressions=("bbb",)),
        exercise("bbb", level=2, phases=(Phase.MAINTENANCE,), regressions=("aaa",)),
    )
    assert problems_about(lib, "exercises.aaa") == []
    assert problems_about(lib, "exercises.bbb") == []


def test_unknown_link_is_named() -> None:
    lib = library(exercise("aaa", progressions=("nope",), phases=(Phase.MAINTENANCE,)))
    assert "unknown exercise 'nope'" in problems_about(lib, "exercises.aaa.progressions")


def test_cross_track_link_is_refused() -> None:
    lib = library(
        exercise("aaa", progressions=("bbb",)),
        exercise(
            "bbb",
            track=Track.MOBILITY,
            slot=Slot.MOBILITY,
            phases=(Phase.MAINTENANCE,),
        ),
    )
    assert any("is in track mobility" in p for p in problems_about(lib, "exercises.aaa"))


def test_cycle_within_a_track_is_found() -> None:
    lib = library(
        exercise("aaa", progressions=("bbb",)),
        exercise("bbb", level=2, progressions=("aaa",), regressions=("aaa",)),
    )
    cycles = [p for p in validate_library(lib) if "cycle" in p.problem]
    assert cycles
    assert "aaa → bbb → aaa" in cycles[0].problem or "bbb → aaa → bbb" in cycles[0].problem


def test_dead_ends_are_refused_both_ways() -> None:
    lib = library(exercise("aaa"), exercise("bbb", level=3, phases=(Phase.MAINTENANCE,)))
    assert any("dead end" in p for p in problems_about(lib, "exercises.aaa.progressions"))
    assert any("dead end" in p for p in problems_about(lib, "exercises.bbb.regressions"))


def test_unreachable_exercise_is_reported() -> None:
    lib = library(
        exercise("aaa", phases=(Phase.MAINTENANCE,)),
        exercise("bbb", level=2, phases=(Phase.MAINTENANCE,), regressions=("aaa",)),
    )
    assert "not reachable by progressions from level 1" in problems_about(lib, "exercises.bbb")


def test_dosage_outside_limits_and_bad_tempo() -> None:
    lib = library(
        exercise(
            "aaa",
            phases=(Phase.MAINTENANCE,),
            dosage=Dosage(sets=5, reps=10, hold_s=10, tempo="3/1/3"),
        )
    )
    found = problems_about(lib, "exercises.aaa.dosage")
    assert "5 is outside the allowed 1–2" in found
    assert any("lower-pause-raise" in p for p in found)


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (QualityCriterion("no_such_metric", CameraView.SIDE, at_most=1), "unknown metric"),
        (QualityCriterion("pelvic_obliquity_deg", CameraView.SIDE, at_most=3), "seen from front"),
        (QualityCriterion("pelvic_obliquity_deg", CameraView.FRONT), "exactly one"),
        (
            QualityCriterion("pelvic_obliquity_deg", CameraView.FRONT, at_most=3, at_least=1),
            "exactly one",
        ),
    ],
)
def test_criteria_rules(criterion: QualityCriterion, expected: str) -> None:
    lib = library(exercise("aaa", phases=(Phase.MAINTENANCE,), criteria=(criterion,)))
    assert any(expected in p for p in problems_about(lib, "exercises.aaa.criteria"))


def test_criterion_bounds_are_inclusive() -> None:
    at_most = QualityCriterion("trunk_sagittal_excursion_deg", CameraView.SIDE, at_most=5)
    at_least = QualityCriterion("neutral_hold_s", CameraView.ANY, at_least=10)
    assert at_most.met_by(5)
    assert not at_most.met_by(5.01)
    assert at_least.met_by(10)
    assert not at_least.met_by(9.99)


def test_coverage_reports_missing_topics_phases_and_size() -> None:
    lib = Library(
        exercises={"aaa": exercise("aaa", phases=(Phase.MAINTENANCE,))},
        tasks={},
        education={
            "m": EducationModule(
                id="mmm",
                title="t",
                topic=EducationTopic.PAIN,
                minutes=3,
                summary="s",
                body="b",
                key_points=("k",),
                try_this="x",
                phases=(Phase.CALM,),
            )
        },
    )
    messages = [str(p) for p in validate_library(lib)]
    assert any("no module on sleep" in m for m in messages)
    assert any("needs at least 60" in m for m in messages)
    assert any("no exercise starts prone" in m for m in messages)
    assert any("required task 'stairs' is missing" in m for m in messages)
    assert any("does not match its key" in m for m in messages)


def test_dosage_time_and_words() -> None:
    held = Dosage(sets=2, reps=10, hold_s=10, rest_s=30)
    assert held.seconds == 2 * 10 * 12 + 30
    assert held.describe() == "2 × 10 × 10 s hold, rest 30 s between sets"
    paced = Dosage(sets=1, reps=8, tempo="3-1-3", per_side=True)
    assert paced.seconds == 8 * 7 * 2
    assert paced.describe() == "1 × 8 at tempo 3-1-3 each side"
    walk = Dosage(sets=1, reps=1, hold_s=600)
    assert walk.describe() == "10 min continuous"


def _module(ident: str, focus: tuple[str, ...]) -> EducationModule:
    return EducationModule(
        id=ident,
        title="t",
        topic=EducationTopic.PAIN,
        minutes=3,
        summary="s",
        body="b",
        key_points=("k",),
        try_this="x",
        phases=(Phase.CALM,),
        focus=focus,
    )


def test_task_activities_come_from_the_fixed_vocabulary() -> None:
    lib = Library(
        exercises={},
        tasks={
            "known_task": task("known_task", ("lifting", "getting_up"), 2),
            "odd_task": task("odd_task", ("lifting", "juggling"), 2),
        },
        education={},
    )
    assert problems_about(lib, "tasks.known_task.activities") == []
    [problem] = problems_about(lib, "tasks.odd_task.activities")
    assert problem.startswith("unknown activity 'juggling'")


def test_the_activity_vocabulary_is_exactly_the_documented_one() -> None:
    assert ACTIVITY_TAGS == (
        "bending", "lifting", "carrying", "twisting", "reaching", "stairs", "sitting",
        "standing", "walking", "kneeling", "getting_up", "lying_down", "driving", "housework",
        "running", "sport", "pushing", "pulling",
    )  # fmt: skip


def test_education_focus_must_be_a_code_a_profile_can_suggest() -> None:
    lib = Library(
        exercises={},
        tasks={},
        education={
            "good_module": _module("good_module", ("focus.psychosocial", "focus.goals")),
            "typo_module": _module("typo_module", ("focus.psycho",)),
        },
    )
    assert problems_about(lib, "education.good_module.focus") == []
    [problem] = problems_about(lib, "education.typo_module.focus")
    assert problem.startswith("unknown focus area 'focus.psycho'")


def test_focus_codes_are_every_rule_plus_safety_and_goals() -> None:
    assert set(FOCUS_CODES) == {rule.code for rule in FOCUS_RULES} | {
        "focus.urgent_referral",
        "focus.red_flag_review",
        "focus.goals",
    }
    assert len(FOCUS_CODES) == len(set(FOCUS_CODES))


def test_criteria_positions_count_from_one() -> None:
    bad = QualityCriterion("no_such_metric", CameraView.SIDE, at_most=1)
    lib = library(exercise("aaa", phases=(Phase.MAINTENANCE,), criteria=(bad,)))
    assert problems_about(lib, "exercises.aaa.criteria[1]")


def test_every_metric_has_plain_words_and_a_criterion_reads_as_a_sentence() -> None:
    assert all(spec.plain and "_" not in spec.plain for spec in QUALITY_METRICS.values())
    upper = QualityCriterion("trunk_sagittal_excursion_deg", CameraView.SIDE, at_most=5.0)
    assert upper.plain() == "back moving forward or back at most 5°"
    lower = QualityCriterion("neutral_hold_s", CameraView.ANY, at_least=10.0, during="in each bout")
    assert lower.plain() == "time held in a neutral back at least 10 s in each bout"
    ratio = QualityCriterion("lumbar_hip_ratio", CameraView.SIDE, at_most=0.4)
    assert ratio.plain() == "low back moving instead of the hips at most 0.4"

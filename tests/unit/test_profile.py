"""The clinical profile: latest values win, statements explain themselves, focus needs
verified evidence, and safety overrides everything."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.profile import derive_profile
from spinecoach.domain.record import (
    Assessment,
    AssessmentKind,
    Consent,
    Intake,
    PainPattern,
    Patient,
    PhysicalDemand,
)
from spinecoach.domain.red_flags import RedFlagScreen, RedFlagState
from spinecoach.domain.scoring import ScoredAssessment, score_assessment

PATIENT = Patient(
    pseudonym="P-7",
    age=50,
    sex=Sex.MALE,
    height_cm=180,
    weight_kg=81,
    occupation="plumber",
    occupation_demand=PhysicalDemand.HEAVY,
    id=1,
)
T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _scored(days: int, identifier: int, **parts: Any) -> ScoredAssessment:
    assessment = Assessment(
        episode_id=1,
        kind=AssessmentKind.BASELINE if days == 0 else AssessmentKind.RECHECK,
        assessed_at=T0 + timedelta(days=days),
        id=identifier,
        **parts,
    )
    return score_assessment(assessment, PATIENT)


CLEAR = RedFlagScreen(present=frozenset())


def test_latest_administration_wins_and_state_comes_from_latest_screen() -> None:
    first = _scored(0, 1, questionnaires={"nprs": (7,)}, red_flags=CLEAR)
    second = _scored(
        30, 2, questionnaires={"nprs": (3,)}, red_flags=RedFlagScreen(frozenset({"thoracic_pain"}))
    )
    profile = derive_profile(PATIENT, [second, first])  # order given does not matter
    assert profile.scores["nprs"].value.score == 3
    assert profile.scores["nprs"].assessment_id == 2
    assert profile.red_flags.state is RedFlagState.CLINICIAN_REVIEW
    assert profile.as_of == T0 + timedelta(days=30)
    assert profile.focus_areas[0].code == "focus.red_flag_review"


def test_no_screen_means_no_exercise() -> None:
    profile = derive_profile(PATIENT, [_scored(0, 1, questionnaires={"nprs": (5,)})])
    assert profile.red_flags.state is RedFlagState.NOT_SCREENED
    assert not profile.exercise_allowed


def test_summary_reads_like_a_chart() -> None:
    profile = derive_profile(PATIENT, [])
    assert profile.summary == "50-year-old male, plumber (heavy physical demand), BMI 25.0"
    assert profile.as_of is None


def test_every_statement_carries_rule_and_inputs() -> None:
    scored = _scored(
        0,
        1,
        red_flags=CLEAR,
        intake=Intake(pain_duration_weeks=30, pain_pattern=PainPattern.CONSTANT),
        questionnaires={"odi": (2, 1, 3, 2, 3, 2, 1, 0, 1, 1)},
        tests={"mcgill": {"flexor": 120, "extensor": 100, "side_left": 60, "side_right": 70}},
    )
    profile = derive_profile(PATIENT, [scored])
    titles = [s.title for s in profile.sections]
    assert titles[:3] == ["Safety", "History", "Pain and disability"]
    assert "Asymmetries" in titles
    for statement in profile.findings:
        assert statement.rule
        assert statement.statement
    odi = next(s for s in profile.findings if s.code == "odi.score")
    assert "32" in odi.statement
    assert "moderate disability" in odi.statement
    assert odi.inputs["score"] == pytest.approx(32.0)


def test_mcgill_imbalance_switches_on_endurance_and_symmetry() -> None:
    scored = _scored(
        0,
        1,
        red_flags=CLEAR,
        tests={"mcgill": {"flexor": 120, "extensor": 100, "side_left": 60, "side_right": 70}},
    )
    codes = [f.code for f in derive_profile(PATIENT, [scored]).focus_areas]
    assert "focus.endurance" in codes
    assert "focus.symmetry" in codes
    balanced = _scored(
        0,
        1,
        red_flags=CLEAR,
        tests={"mcgill": {"flexor": 90, "extensor": 150, "side_left": 92, "side_right": 88}},
    )
    assert derive_profile(PATIENT, [balanced]).focus_areas == ()


def test_mcgill_profile_line_is_the_tests_own_summary() -> None:
    scored = _scored(
        0,
        1,
        red_flags=CLEAR,
        tests={"mcgill": {"flexor": 110, "extensor": 105, "side_left": 58, "side_right": 62}},
    )
    line = next(s for s in derive_profile(PATIENT, [scored]).findings if s.code == "mcgill.result")
    assert line.statement == (
        "McGill torso endurance battery — Flexor 110 s, extensor 105 s, side bridge "
        "L 58 s / R 62 s; flexor/extensor 1.05, side bridge/extensor L 0.55 / R 0.59, "
        "side difference 6.5 % (left weaker)"
    )
    assert line.inputs["flexor"] == 110.0  # inputs stay the measured and derived values


def test_unverified_finding_alone_never_switches_on_a_focus() -> None:
    # Two failed Luomajoki tests: each failure is an observation (verified), the "≥ 2 of 6"
    # screen is [U]. Remove the observations and the screen alone must not drive the focus.
    scored = _scored(
        0,
        1,
        red_flags=CLEAR,
        tests={
            "luomajoki": {
                "waiters_bow": "fail",
                "pelvic_tilt": "pass",
                "one_leg_stance": "pass",
                "sitting_knee_extension": "fail",
                "rocking": "pass",
                "prone_knee_bend": "pass",
            }
        },
    )
    profile = derive_profile(PATIENT, [scored])
    area = next(f for f in profile.focus_areas if f.code == "focus.movement_control")
    assert {t.code for t in area.triggers} == {
        "luomajoki.waiters_bow_failed",
        "luomajoki.sitting_knee_extension_failed",
    }
    assert all(not s.verified for s in area.supporting)
    assert "luomajoki.screen_positive" in {s.code for s in area.supporting}


def test_plank_below_norm_alone_is_only_supporting() -> None:
    scored = _scored(0, 1, red_flags=CLEAR, tests={"plank": {"seconds": 10}})
    profile = derive_profile(PATIENT, [scored])
    plank = [f for f in profile.findings if f.code == "plank.below_norm"]
    assert plank
    assert not plank[0].verified
    assert all(f.code != "focus.endurance" for f in profile.focus_areas)


def test_urgent_referral_replaces_every_suggestion() -> None:
    scored = _scored(
        0,
        1,
        red_flags=RedFlagScreen(frozenset({"bowel_disturbance", "thoracic_pain"})),
        tests={"mcgill": {"flexor": 120, "extensor": 100, "side_left": 60, "side_right": 70}},
    )
    profile = derive_profile(PATIENT, [scored])
    assert [f.code for f in profile.focus_areas] == ["focus.urgent_referral"]
    assert profile.sections[0].title == "Safety"
    assert "URGENT REFERRAL" in profile.sections[0].statements[0].statement


def test_band_resting_on_an_unverified_cut_off_is_marked_unverified() -> None:
    tsk_high = (3,) * 17  # 13 × 3 + 4 reversed × 2 = 47 > 37
    scored = _scored(0, 1, red_flags=CLEAR, questionnaires={"tsk17": tsk_high, "nprs": (4,)})
    statements = {s.code: s for s in derive_profile(PATIENT, [scored]).findings}
    assert "high kinesiophobia" in statements["tsk17.score"].statement
    assert statements["tsk17.score"].verified is False
    assert statements["nprs.score"].verified is True
    # High TSK alone ([U] cut-off) does not switch on the psychosocial focus.
    codes = [f.code for f in derive_profile(PATIENT, [scored]).focus_areas]
    assert "focus.psychosocial" not in codes


def test_older_values_say_when_they_were_measured() -> None:
    first = _scored(0, 1, red_flags=CLEAR, questionnaires={"pcs": (1,) * 13, "nprs": (6,)})
    second = _scored(30, 2, questionnaires={"nprs": (3,)})
    statements = {s.code: s.statement for s in derive_profile(PATIENT, [first, second]).findings}
    assert statements["pcs.score"].endswith("[measured 2026-10-01]")
    assert "measured" not in statements["nprs.score"]


def test_prognostic_cut_offs_from_other_populations_only_support() -> None:
    # FABQ-W > 34 alone (PA 0): prognostic in acute occupational LBP, so it must not switch on
    # the psychosocial focus; with FABQ-PA > 15 it is listed as support.
    work_only = (0, 0, 0, 0, 0, 6, 6, 0, 6, 6, 6, 6, 0, 0, 6, 0)
    scored = _scored(0, 1, red_flags=CLEAR, questionnaires={"fabq": work_only})
    assert all(
        f.code != "focus.psychosocial" for f in derive_profile(PATIENT, [scored]).focus_areas
    )
    both = (0, 5, 5, 5, 5, 6, 6, 0, 6, 6, 6, 6, 0, 0, 6, 0)
    scored = _scored(0, 1, red_flags=CLEAR, questionnaires={"fabq": both})
    area = next(
        f for f in derive_profile(PATIENT, [scored]).focus_areas if f.code == "focus.psychosocial"
    )
    assert {t.code for t in area.triggers} == {"fabq.pa_high"}
    assert {"fabq.w_high", "fabq.w_return_to_work_risk"} <= {s.code for s in area.supporting}


def test_sorensen_prediction_supports_but_never_triggers_endurance() -> None:
    scored = _scored(0, 1, red_flags=CLEAR, tests={"sorensen": {"seconds": 100}})
    assert all(f.code != "focus.endurance" for f in derive_profile(PATIENT, [scored]).focus_areas)


def test_profile_without_consent_blocks_exercise() -> None:
    scored = _scored(0, 1, red_flags=CLEAR)
    profile = derive_profile(PATIENT, [scored])
    assert profile.red_flags.state is RedFlagState.CLEAR
    assert not profile.exercise_allowed
    consenting = replace(PATIENT, consent=Consent(exercise_program=True))
    assert derive_profile(consenting, [scored]).exercise_allowed


FAST_ARM_TIMING = {
    "muscle": "transversus_abdominis",
    "prime_mover": "anterior_deltoid",
    "movement": "arm_flexion",
    "speed": "fast",
    "trials": 10,
    "feedforward_trials": 2,
    "median_latency_ms": 38,
}


def test_absent_feedforward_switches_on_deep_stabiliser_focus_and_reads_as_a_line() -> None:
    scored = _scored(0, 1, red_flags=CLEAR, tests={"feedforward_timing": FAST_ARM_TIMING})
    profile = derive_profile(PATIENT, [scored])
    area = next(f for f in profile.focus_areas if f.code == "focus.load_transfer")
    assert [t.code for t in area.triggers] == ["feedforward_timing.absent"]
    section = next(s for s in profile.sections if s.title.startswith("Muscle timing"))
    assert any("+38 ms" in e.statement and "2/10" in e.statement for e in section.statements)


def test_low_flexion_relaxation_only_supports_movement_control() -> None:
    # No verified FRR cut-off and ~49 % between-session error (clinical-facts §5).
    alone = _scored(0, 1, red_flags=CLEAR, tests={"flexion_relaxation": {"frr": 1.2}})
    assert derive_profile(PATIENT, [alone]).focus_areas == ()
    with_luomajoki = _scored(
        0,
        1,
        red_flags=CLEAR,
        tests={
            "flexion_relaxation": {"frr": 1.2},
            "luomajoki": {
                "waiters_bow": "fail",
                "pelvic_tilt": "pass",
                "one_leg_stance": "pass",
                "sitting_knee_extension": "pass",
                "rocking": "pass",
                "prone_knee_bend": "pass",
            },
        },
    )
    area = next(
        f
        for f in derive_profile(PATIENT, [with_luomajoki]).focus_areas
        if f.code == "focus.movement_control"
    )
    assert "flexion_relaxation.reduced" in {s.code for s in area.supporting}

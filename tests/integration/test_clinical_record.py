"""The clinical record end to end through the service, on fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from spinecoach.domain.errors import CannotScore, InvalidInput
from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.record import Patient
from spinecoach.domain.red_flags import RedFlagState
from spinecoach.services.clinic import ClinicService, NotFound
from spinecoach.services.schemas import AssessmentIn
from tests.fakes import FixedClock

ACTOR = "test:physio"


def _patient(pseudonym: str = "P-0001") -> Patient:
    return Patient(pseudonym=pseudonym, age=45, sex=Sex.FEMALE, height_cm=170, weight_kg=70)


def _baseline(**overrides: Any) -> AssessmentIn:
    document: dict[str, Any] = {
        "kind": "baseline",
        "assessed_at": "2026-11-01T10:00:00+01:00",
        "red_flags": {"present": []},
        "questionnaires": {"nprs": [7], "odi": [2, 1, 3, 2, 3, 2, 1, 0, 1, 1]},
        "tests": {
            "mcgill": {"flexor": 120, "extensor": 100, "side_left": 60, "side_right": 70},
            "sts5": {"seconds": 12.0},
        },
    }
    document.update(overrides)
    return AssessmentIn.model_validate(document)


def test_add_and_list_patients(any_clinic: ClinicService) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient("P-0002"))
    any_clinic.add_patient(actor=ACTOR, patient=_patient("P-0001"))
    listed = any_clinic.list_patients(actor=ACTOR)
    assert [p.pseudonym for p in listed] == ["P-0001", "P-0002"]
    assert all(p.created_at is not None and p.created_at.tzinfo is not None for p in listed)
    record = any_clinic.patient_record(actor=ACTOR, pseudonym="P-0001")
    assert len(record.episodes) == 1
    assert record.episodes[0].ended_at is None


def test_duplicate_pseudonym_is_refused(any_clinic: ClinicService) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    with pytest.raises(InvalidInput, match="already registered"):
        any_clinic.add_patient(actor=ACTOR, patient=_patient())
    assert len(any_clinic.list_patients(actor=ACTOR)) == 1


def test_assessment_is_scored_and_stored_in_utc(any_clinic: ClinicService) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    stored = any_clinic.record_assessment(actor=ACTOR, pseudonym="P-0001", submission=_baseline())
    assert stored.questionnaires["odi"].score == pytest.approx(32.0)
    record = any_clinic.patient_record(actor=ACTOR, pseudonym="P-0001")
    (reloaded,) = record.assessments
    assert reloaded.assessment.assessed_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert reloaded.assessment.assessed_at.tzinfo is not None
    assert reloaded.questionnaires["odi"].score == pytest.approx(32.0)
    assert reloaded.tests["mcgill"].values["flexor_extensor"] == pytest.approx(1.2)
    assert reloaded.assessment.recorded_by == ACTOR


@pytest.mark.parametrize(
    ("override", "error", "field"),
    [
        ({"questionnaires": {"odi": [2, 1, 3, 2, 3, 2, 1, 0, 1, 9]}}, InvalidInput, "odi"),
        ({"questionnaires": {"odi": [2, 1, None, None, 3, 2, 1, 0, 1, 1]}}, CannotScore, "odi"),
        ({"questionnaires": {"xyz": [1]}}, InvalidInput, r"questionnaires\.xyz"),
        ({"tests": {"sts5": {"seconds": -3}}}, InvalidInput, "sts5.seconds"),
        ({"red_flags": {"present": ["not_a_flag"]}}, InvalidInput, "red_flags.not_a_flag"),
        ({"assessed_at": "2099-01-01T00:00:00Z"}, InvalidInput, "assessed_at"),
    ],
)
def test_bad_input_stores_nothing(
    any_clinic: ClinicService, override: dict[str, Any], error: type[Exception], field: str
) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    with pytest.raises(error, match=field):
        any_clinic.record_assessment(
            actor=ACTOR, pseudonym="P-0001", submission=_baseline(**override)
        )
    assert any_clinic.patient_record(actor=ACTOR, pseudonym="P-0001").assessments == []


def test_correction_keeps_the_original(any_clinic: ClinicService, clock: FixedClock) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    original = any_clinic.record_assessment(actor=ACTOR, pseudonym="P-0001", submission=_baseline())
    assert original.assessment.id is not None
    clock.advance(hours=1)
    fixed = _baseline(questionnaires={"nprs": [6], "odi": [2, 1, 3, 2, 3, 2, 1, 0, 1, 2]})
    corrected = any_clinic.correct_assessment(
        actor=ACTOR,
        pseudonym="P-0001",
        assessment_id=original.assessment.id,
        submission=fixed,
        reason="section 10 transcribed wrongly",
    )
    assert corrected.assessment.version == 2
    assert corrected.assessment.supersedes == original.assessment.id
    current = any_clinic.patient_record(actor=ACTOR, pseudonym="P-0001").assessments
    assert [a.assessment.id for a in current] == [corrected.assessment.id]
    assert current[0].questionnaires["odi"].score == pytest.approx(34.0)
    versions = any_clinic.assessment_versions(
        actor=ACTOR, pseudonym="P-0001", assessment_id=original.assessment.id
    )
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].questionnaires["odi"] == (2, 1, 3, 2, 3, 2, 1, 0, 1, 1)
    # A superseded version cannot be corrected again: only the newest can.
    with pytest.raises(NotFound):
        any_clinic.correct_assessment(
            actor=ACTOR,
            pseudonym="P-0001",
            assessment_id=original.assessment.id,
            submission=fixed,
            reason="again",
        )


def test_correction_needs_a_reason(any_clinic: ClinicService) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    original = any_clinic.record_assessment(actor=ACTOR, pseudonym="P-0001", submission=_baseline())
    with pytest.raises(InvalidInput, match="correction_reason"):
        any_clinic.correct_assessment(
            actor=ACTOR,
            pseudonym="P-0001",
            assessment_id=original.assessment.id or 0,
            submission=_baseline(),
            reason=" ",
        )


def test_unknown_patient_is_a_clear_error(any_clinic: ClinicService) -> None:
    with pytest.raises(NotFound, match="P-9999"):
        any_clinic.profile(actor=ACTOR, pseudonym="P-9999")


def test_urgent_referral_overrides_the_profile(any_clinic: ClinicService) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    any_clinic.record_assessment(
        actor=ACTOR,
        pseudonym="P-0001",
        submission=_baseline(red_flags={"present": ["saddle_anaesthesia"]}),
    )
    profile = any_clinic.profile(actor=ACTOR, pseudonym="P-0001")
    assert profile.red_flags.state is RedFlagState.URGENT_REFERRAL
    assert not profile.exercise_allowed
    assert [f.code for f in profile.focus_areas] == ["focus.urgent_referral"]


def test_compare_first_and_latest(any_clinic: ClinicService, clock: FixedClock) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    any_clinic.record_assessment(actor=ACTOR, pseudonym="P-0001", submission=_baseline())
    any_clinic.record_assessment(
        actor=ACTOR,
        pseudonym="P-0001",
        submission=_baseline(
            kind="recheck",
            assessed_at="2026-11-15T10:00:00Z",
            questionnaires={"nprs": [4], "odi": [1, 0, 1, 1, 1, 1, 0, 0, 1, 0]},
        ),
    )
    changes = {c.instrument: c.change for c in any_clinic.compare(actor=ACTOR, pseudonym="P-0001")}
    assert changes["nprs"].delta == -3
    assert changes["nprs"].meets_mcid_points is True
    assert changes["odi"].delta == pytest.approx(12.0 - 32.0)


def test_every_read_and_write_is_audited(sql_clinic: ClinicService, sql_engine: Engine) -> None:
    sql_clinic.add_patient(actor=ACTOR, patient=_patient())
    sql_clinic.record_assessment(actor=ACTOR, pseudonym="P-0001", submission=_baseline())
    sql_clinic.profile(actor="test:other", pseudonym="P-0001")
    with sql_clinic._uow_factory() as uow:
        events = uow.audit.recent()
    actions = [(e.actor, e.action, e.entity) for e in reversed(events)]
    assert actions == [
        (ACTOR, "create", "patient"),
        (ACTOR, "create", "assessment"),
        ("test:other", "read", "patient"),
    ]


def test_a_correction_cannot_silently_drop_a_red_flag_screen(any_clinic: ClinicService) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    urgent = any_clinic.record_assessment(
        actor=ACTOR,
        pseudonym="P-0001",
        submission=_baseline(red_flags={"present": ["bladder_disturbance"]}),
    )
    original_id = urgent.assessment.id or 0
    without_screen = AssessmentIn.model_validate({"questionnaires": {"nprs": [6]}})
    with pytest.raises(InvalidInput, match="must include it again"):
        any_clinic.correct_assessment(
            actor=ACTOR,
            pseudonym="P-0001",
            assessment_id=original_id,
            submission=without_screen,
            reason="NPRS mistyped",
        )
    with pytest.raises(InvalidInput, match="clinician_cleared"):
        any_clinic.correct_assessment(
            actor=ACTOR,
            pseudonym="P-0001",
            assessment_id=original_id,
            submission=_baseline(red_flags={"present": []}),
            reason="wrong patient",
        )
    profile = any_clinic.profile(actor=ACTOR, pseudonym="P-0001")
    assert profile.red_flags.state is RedFlagState.URGENT_REFERRAL


def test_a_correction_keeps_the_visit_date(any_clinic: ClinicService, clock: FixedClock) -> None:
    any_clinic.add_patient(actor=ACTOR, patient=_patient())
    original = any_clinic.record_assessment(actor=ACTOR, pseudonym="P-0001", submission=_baseline())
    clock.advance(days=10)
    no_date = AssessmentIn.model_validate(
        {"red_flags": {"present": []}, "questionnaires": {"nprs": [5]}}
    )
    corrected = any_clinic.correct_assessment(
        actor=ACTOR,
        pseudonym="P-0001",
        assessment_id=original.assessment.id or 0,
        submission=no_date,
        reason="NPRS mistyped",
    )
    assert corrected.assessment.assessed_at == original.assessment.assessed_at

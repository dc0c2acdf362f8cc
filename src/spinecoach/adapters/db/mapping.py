"""Between domain values and table rows / JSON documents."""

from __future__ import annotations

from typing import Any

from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.record import (
    ActivityLevel,
    Assessment,
    AssessmentKind,
    Consent,
    Episode,
    Intake,
    PainDistribution,
    PainPattern,
    Patient,
    PhysicalDemand,
)
from spinecoach.domain.red_flags import RedFlagScreen

from .tables import AssessmentRow, EpisodeRow, PatientRow


def patient_to_row(patient: Patient) -> PatientRow:
    return PatientRow(
        pseudonym=patient.pseudonym,
        age=patient.age,
        sex=patient.sex.value,
        height_cm=patient.height_cm,
        weight_kg=patient.weight_kg,
        occupation=patient.occupation,
        occupation_demand=patient.occupation_demand.value if patient.occupation_demand else None,
        activity_level=patient.activity_level.value if patient.activity_level else None,
        consent_exercise_program=patient.consent.exercise_program,
        consent_camera_analysis=patient.consent.camera_analysis,
        consent_research_use=patient.consent.research_use,
        created_at=patient.created_at,
    )


def patient_from_row(row: PatientRow) -> Patient:
    return Patient(
        id=row.id,
        pseudonym=row.pseudonym,
        age=row.age,
        sex=Sex(row.sex),
        height_cm=row.height_cm,
        weight_kg=row.weight_kg,
        occupation=row.occupation,
        occupation_demand=PhysicalDemand(row.occupation_demand) if row.occupation_demand else None,
        activity_level=ActivityLevel(row.activity_level) if row.activity_level else None,
        consent=Consent(
            exercise_program=row.consent_exercise_program,
            camera_analysis=row.consent_camera_analysis,
            research_use=row.consent_research_use,
        ),
        created_at=row.created_at,
    )


def episode_from_row(row: EpisodeRow) -> Episode:
    return Episode(
        id=row.id,
        patient_id=row.patient_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        reason=row.reason,
    )


def intake_to_json(intake: Intake) -> dict[str, Any]:
    return {
        "pain_duration_weeks": intake.pain_duration_weeks,
        "pain_pattern": intake.pain_pattern.value,
        "pain_distribution": intake.pain_distribution.value,
        "aggravating": list(intake.aggravating),
        "easing": list(intake.easing),
        "prior_injuries": list(intake.prior_injuries),
        "surgery": list(intake.surgery),
        "work_goals": list(intake.work_goals),
        "sport_goals": list(intake.sport_goals),
        "patient_goals": list(intake.patient_goals),
    }


def intake_from_json(data: dict[str, Any]) -> Intake:
    return Intake(
        pain_duration_weeks=int(data["pain_duration_weeks"]),
        pain_pattern=PainPattern(data["pain_pattern"]),
        pain_distribution=PainDistribution(data["pain_distribution"]),
        aggravating=tuple(data["aggravating"]),
        easing=tuple(data["easing"]),
        prior_injuries=tuple(data["prior_injuries"]),
        surgery=tuple(data["surgery"]),
        work_goals=tuple(data["work_goals"]),
        sport_goals=tuple(data["sport_goals"]),
        patient_goals=tuple(data["patient_goals"]),
    )


def red_flags_to_json(screen: RedFlagScreen) -> dict[str, Any]:
    return {
        "present": sorted(screen.present),
        "clinician_cleared": screen.clinician_cleared,
        "clinician_note": screen.clinician_note,
    }


def red_flags_from_json(data: dict[str, Any]) -> RedFlagScreen:
    return RedFlagScreen(
        present=frozenset(data["present"]),
        clinician_cleared=bool(data["clinician_cleared"]),
        clinician_note=str(data["clinician_note"]),
    )


def assessment_to_row(assessment: Assessment) -> AssessmentRow:
    return AssessmentRow(
        episode_id=assessment.episode_id,
        lineage=assessment.lineage,
        version=assessment.version,
        supersedes_id=assessment.supersedes,
        correction_reason=assessment.correction_reason,
        kind=assessment.kind.value,
        assessed_at=assessment.assessed_at,
        recorded_at=assessment.recorded_at,
        recorded_by=assessment.recorded_by,
        questionnaires={k: list(v) for k, v in assessment.questionnaires.items()},
        tests={k: dict(v) for k, v in assessment.tests.items()},
        red_flags=red_flags_to_json(assessment.red_flags) if assessment.red_flags else None,
        intake=intake_to_json(assessment.intake) if assessment.intake else None,
        notes=assessment.notes,
    )


def assessment_from_row(row: AssessmentRow) -> Assessment:
    return Assessment(
        id=row.id,
        episode_id=row.episode_id,
        lineage=row.lineage,
        version=row.version,
        supersedes=row.supersedes_id,
        correction_reason=row.correction_reason,
        kind=AssessmentKind(row.kind),
        assessed_at=row.assessed_at,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        questionnaires={k: tuple(v) for k, v in row.questionnaires.items()},
        tests={k: dict(v) for k, v in row.tests.items()},
        red_flags=red_flags_from_json(row.red_flags) if row.red_flags else None,
        intake=intake_from_json(row.intake) if row.intake else None,
        notes=row.notes,
    )

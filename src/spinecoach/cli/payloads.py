"""JSON views of records for ``--json`` output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from spinecoach.domain.library import EducationModule, Exercise, FunctionalTask
from spinecoach.domain.profile import ClinicalProfile
from spinecoach.domain.record import Assessment, Patient
from spinecoach.domain.scoring import ScoredAssessment
from spinecoach.services.clinic import InstrumentChange


def patient_payload(patient: Patient) -> dict[str, Any]:
    return {
        "pseudonym": patient.pseudonym,
        "age": patient.age,
        "sex": patient.sex.value,
        "height_cm": patient.height_cm,
        "weight_kg": patient.weight_kg,
        "bmi": patient.bmi,
        "occupation": patient.occupation,
        "occupation_demand": patient.occupation_demand.value if patient.occupation_demand else None,
        "activity_level": patient.activity_level.value if patient.activity_level else None,
        "consent": {
            "exercise_program": patient.consent.exercise_program,
            "camera_analysis": patient.consent.camera_analysis,
            "research_use": patient.consent.research_use,
        },
        "created_at": patient.created_at.isoformat() if patient.created_at else None,
    }


def assessment_payload(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.id,
        "kind": assessment.kind.value,
        "assessed_at": assessment.assessed_at.isoformat(),
        "version": assessment.version,
        "supersedes": assessment.supersedes,
        "correction_reason": assessment.correction_reason or None,
        "recorded_by": assessment.recorded_by,
        "recorded_at": assessment.recorded_at.isoformat() if assessment.recorded_at else None,
        "questionnaires": {k: list(v) for k, v in assessment.questionnaires.items()},
        "tests": {k: dict(v) for k, v in assessment.tests.items()},
        "red_flags": sorted(assessment.red_flags.present) if assessment.red_flags else None,
        "notes": assessment.notes,
    }


def scored_payload(scored: ScoredAssessment) -> dict[str, Any]:
    payload = assessment_payload(scored.assessment)
    payload["scores"] = {k: v.as_dict() for k, v in scored.questionnaires.items()}
    payload["test_results"] = {k: v.as_dict() for k, v in scored.tests.items()}
    if scored.red_flags is not None:
        payload["red_flag_state"] = scored.red_flags.state.value
        payload["red_flag_message"] = scored.red_flags.message
    return payload


def profile_payload(profile: ClinicalProfile) -> dict[str, Any]:
    return {
        "pseudonym": profile.pseudonym,
        "summary": profile.summary,
        "as_of": profile.as_of.isoformat() if profile.as_of else None,
        "exercise_allowed": profile.exercise_allowed,
        "red_flag_state": profile.red_flags.state.value,
        "red_flag_message": profile.red_flags.message,
        "intake": plain(profile.intake) if profile.intake else None,
        "sections": [
            {"title": s.title, "statements": [e.as_dict() for e in s.statements]}
            for s in profile.sections
        ],
        "focus_areas": [
            {
                "code": f.code,
                "title": f.title,
                "rule": f.rule,
                "triggers": [e.as_dict() for e in f.triggers],
                "supporting": [e.as_dict() for e in f.supporting],
            }
            for f in profile.focus_areas
        ],
        "scores": {
            k: {**m.value.as_dict(), "assessed_at": m.assessed_at.isoformat()}
            for k, m in profile.scores.items()
        },
        "tests": {
            k: {**m.value.as_dict(), "assessed_at": m.assessed_at.isoformat()}
            for k, m in profile.tests.items()
        },
    }


def change_payload(item: InstrumentChange) -> dict[str, Any]:
    c = item.change
    return {
        "instrument": item.instrument,
        "first_at": item.first_at.isoformat(),
        "latest_at": item.latest_at.isoformat(),
        "before": c.before.score,
        "after": c.after.score,
        "delta": c.delta,
        "improvement": c.improvement,
        "percent_improvement": c.percent_improvement,
        "meets_mcid_points": c.meets_mcid_points,
        "meets_mcid_percent": c.meets_mcid_percent,
        "beyond_mdc": c.beyond_mdc,
        "recovered": c.recovered,
        "direction": c.direction_label,
        "findings": [f.as_dict() for f in c.findings],
        "item_changes": [
            {
                "item": i.number,
                "before": i.before,
                "after": i.after,
                "delta": i.delta,
                "beyond_mdc": i.beyond_mdc,
                "finding": i.finding.as_dict(),
            }
            for i in item.item_changes
        ],
    }


def plain(value: Any) -> Any:
    """A dataclass value as JSON-ready data: enums by value, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list | frozenset | set):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def exercise_payload(exercise: Exercise, *, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = plain(exercise)
    data["dosage_text"] = exercise.dosage.describe()
    data["minutes"] = round(exercise.dosage.seconds / 60, 1)
    if not full:
        keep = ("id", "name", "track", "phases", "slot", "level", "position", "equipment")
        return {k: data[k] for k in (*keep, "dosage_text")}
    return data


def task_payload(task: FunctionalTask) -> dict[str, Any]:
    data: dict[str, Any] = plain(task)
    return data


def education_payload(module: EducationModule, *, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = plain(module)
    if not full:
        return {k: data[k] for k in ("id", "title", "topic", "minutes", "summary")}
    return data

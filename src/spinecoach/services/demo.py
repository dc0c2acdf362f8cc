"""A small demo clinic, seeded into an empty database so a new user sees a real record.

Three invented patients (pseudonyms DEMO-…): one improving after eight weeks, one with high
fear-avoidance and a red flag a clinician has cleared, and one whose screen shows a cauda
equina sign, to show how the safety state overrides everything else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.record import ActivityLevel, Consent, Patient, PhysicalDemand

from .clinic import ClinicService
from .schemas import AssessmentIn

DEMO_ACTOR = "demo-seed"
FEATURED = "DEMO-001"


def _at(now: datetime, weeks_ago: float) -> str:
    return (now - timedelta(weeks=weeks_ago)).isoformat()


def _improving(now: datetime) -> list[dict[str, Any]]:
    baseline = {
        "kind": "baseline",
        "assessed_at": _at(now, 8),
        "red_flags": {"present": []},
        "intake": {
            "pain_duration_weeks": 40,
            "pain_pattern": "intermittent",
            "pain_distribution": "back_only",
            "aggravating": ["sitting over 30 minutes", "bending to load the dishwasher"],
            "easing": ["walking", "lying on the side"],
            "prior_injuries": ["ankle sprain 2019"],
            "work_goals": ["sit through a full working day"],
            "patient_goals": ["lift my grandchild without fear", "walk 5 km"],
        },
        "questionnaires": {
            "nprs": [6],
            "odi": [3, 1, 3, 2, 3, 2, 2, 1, 2, 2],
            "sbst": [0, 1, 1, 1, 0, 1, 0, 0, 2],
            "tsk17": [2, 3, 2, 3, 2, 2, 3, 3, 2, 2, 2, 3, 2, 2, 2, 3, 2],
            "pcs": [2, 2, 1, 1, 2, 1, 1, 2, 2, 1, 1, 1, 1],
            "pseq": [3, 3, 4, 3, 3, 3, 4, 3, 3, 3],
            "psfs": [3, 4, 5],
        },
        "tests": {
            "mcgill": {"flexor": 95, "extensor": 70, "side_left": 38, "side_right": 52},
            "sts5": {"seconds": 12.8},
            "aslr": {"left": 1, "right": 2},
            "luomajoki": {
                "waiters_bow": "fail",
                "waiters_bow_fault": "lumbar flexion before the hips reach 50°",
                "pelvic_tilt": "pass",
                "one_leg_stance": "pass",
                "sitting_knee_extension": "fail",
                "sitting_knee_extension_fault": "posterior pelvic tilt at 30° knee extension",
                "rocking": "fail",
                "rocking_fault": "lumbar flexion when rocking back",
                "prone_knee_bend": "pass",
            },
        },
        "notes": "Guarded forward bending; good understanding of the plan.",
    }
    recheck = {
        "kind": "recheck",
        "assessed_at": _at(now, 1),
        "red_flags": {"present": []},
        "questionnaires": {
            "nprs": [3],
            "odi": [2, 0, 2, 1, 2, 1, 1, 0, 1, 1],
            "sbst": [0, 0, 1, 0, 0, 1, 0, 0, 1],
            "tsk17": [2, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 2, 1, 2, 3, 2],
            "pcs": [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0],
            "pseq": [4, 4, 5, 4, 4, 4, 5, 4, 4, 4],
            "psfs": [6, 7, 7],
        },
        "tests": {
            "mcgill": {"flexor": 110, "extensor": 105, "side_left": 58, "side_right": 62},
            "sts5": {"seconds": 9.6},
            "aslr": {"left": 0, "right": 1},
            "luomajoki": {
                "waiters_bow": "fail",
                "waiters_bow_fault": "slight lumbar flexion at end of range",
                "pelvic_tilt": "pass",
                "one_leg_stance": "pass",
                "sitting_knee_extension": "pass",
                "rocking": "pass",
                "prone_knee_bend": "pass",
            },
        },
        "notes": "Sitting tolerance 60 min; side bridges nearly symmetric.",
    }
    return [baseline, recheck]


def _fearful(now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "kind": "baseline",
            "assessed_at": _at(now, 3),
            "red_flags": {
                "present": ["onset_age_under_20_or_over_55"],
                "clinician_cleared": True,
                "clinician_note": "Same pattern for 6 years, imaging 2024 unremarkable.",
            },
            "intake": {
                "pain_duration_weeks": 320,
                "pain_pattern": "constant",
                "pain_distribution": "above_knee",
                "aggravating": ["lifting boxes", "bending", "long drives"],
                "easing": ["rest", "heat"],
                "work_goals": ["return to full warehouse duties"],
                "patient_goals": ["play with my dog again"],
            },
            "questionnaires": {
                "nprs": [7],
                "odi": [3, 2, 4, 3, 3, 3, 3, 2, 3, 3],
                "sbst": [1, 0, 1, 1, 1, 1, 1, 0, 3],
                "tsk17": [3, 4, 3, 1, 3, 3, 4, 2, 3, 3, 3, 1, 3, 3, 3, 2, 4],
                "fabq": [5, 5, 6, 5, 6, 6, 6, 3, 5, 6, 5, 6, 2, 4, 6, 1],
                "pcs": [3, 3, 2, 3, 3, 2, 3, 3, 3, 3, 3, 3, 2],
                "pseq": [2, 1, 2, 2, 1, 2, 1, 2, 2, 1],
            },
            "tests": {
                "mcgill": {"flexor": 60, "extensor": 45, "side_left": 30, "side_right": 33},
                "sts5": {"seconds": 16.1},
                "pit": {"pain_at_rest": True, "pain_subsides_with_legs_lifted": "substantially"},
            },
            "notes": "Avoids flexion; believes lifting will damage his disc.",
        }
    ]


def _urgent(now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "kind": "baseline",
            "assessed_at": _at(now, 0.1),
            "red_flags": {"present": ["saddle_anaesthesia", "bladder_disturbance"]},
            "questionnaires": {"nprs": [8]},
            "notes": "Reports numbness between the legs since yesterday.",
        }
    ]


DEMO_PATIENTS: tuple[tuple[Patient, Any], ...] = (
    (
        Patient(
            pseudonym=FEATURED,
            age=46,
            sex=Sex.FEMALE,
            height_cm=168,
            weight_kg=66,
            occupation="accountant",
            occupation_demand=PhysicalDemand.SEDENTARY,
            activity_level=ActivityLevel.LIGHT,
            consent=Consent(exercise_program=True, camera_analysis=True),
        ),
        _improving,
    ),
    (
        Patient(
            pseudonym="DEMO-002",
            age=58,
            sex=Sex.MALE,
            height_cm=181,
            weight_kg=94,
            occupation="warehouse operative",
            occupation_demand=PhysicalDemand.HEAVY,
            activity_level=ActivityLevel.SEDENTARY,
            consent=Consent(exercise_program=True),
        ),
        _fearful,
    ),
    (
        Patient(
            pseudonym="DEMO-003",
            age=39,
            sex=Sex.FEMALE,
            occupation="nurse",
            occupation_demand=PhysicalDemand.MEDIUM,
            consent=Consent(exercise_program=True),
        ),
        _urgent,
    ),
)


def seed_demo(clinic: ClinicService, now: datetime) -> bool:
    """Add the demo patients when the database has no patients; True when it seeded."""
    if clinic.list_patients(actor=DEMO_ACTOR):
        return False
    for patient, history in DEMO_PATIENTS:
        clinic.add_patient(actor=DEMO_ACTOR, patient=patient, reason="demo clinic")
        for document in history(now):
            clinic.record_assessment(
                actor=DEMO_ACTOR,
                pseudonym=patient.pseudonym,
                submission=AssessmentIn.model_validate(document),
            )
    return True

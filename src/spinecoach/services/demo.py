"""A small demo clinic, seeded into an empty database so a new user sees a real record.

Three invented patients (pseudonyms DEMO-…): one improving after eight weeks, one with high
fear-avoidance and a red flag a clinician has cleared, and one whose screen shows a cauda
equina sign, to show how the safety state overrides everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from spinecoach.domain.accounts import Role
from spinecoach.domain.engine import SessionLog
from spinecoach.domain.engine.simulator import ARCHETYPES, Script, simulate_patient
from spinecoach.domain.library import Library
from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.record import ActivityLevel, Consent, Patient, PhysicalDemand

from .accounts import AccountService, principal_of
from .care import CareService
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


# -- the web app's demo clinic ---------------------------------------------------------------

DEMO_CLINICIAN = ("dr.demo", "spinecoach-clinic", "Dr Demo (physiotherapist)")
DEMO_ADMIN = ("admin.demo", "spinecoach-admin", "Clinic administrator")
# Patient logins: (pseudonym, account name, password, archetype, scripted flare days).
DEMO_PATIENT_LOGINS: tuple[tuple[str, str, str, str, frozenset[int]], ...] = (
    ("DEMO-001", "patient.improving", "spinecoach-patient", "typical", frozenset()),
    ("DEMO-002", "patient.fearful", "spinecoach-patient", "fearful", frozenset()),
    ("DEMO-004", "patient.flare", "spinecoach-patient", "typical", frozenset({38, 39, 40, 41})),
)
HISTORY_WEEKS = 6


def _flare_patient(now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "kind": "baseline",
            "assessed_at": _at(now, HISTORY_WEEKS + 0.5),
            "red_flags": {"present": []},
            "intake": {
                "pain_duration_weeks": 60,
                "pain_pattern": "intermittent",
                "pain_distribution": "back_only",
                "aggravating": ["bending", "gardening"],
                "easing": ["walking"],
                "patient_goals": ["garden for an hour"],
            },
            "questionnaires": {"nprs": [5], "odi": [2, 1, 2, 2, 2, 1, 2, 1, 2, 1]},
            "tests": {"mcgill": {"flexor": 80, "extensor": 75, "side_left": 40, "side_right": 44}},
            "notes": "Flares after long gardening days.",
        }
    ]


FLARE_PATIENT = Patient(
    pseudonym="DEMO-004",
    age=52,
    sex=Sex.MALE,
    height_cm=176,
    weight_kg=82,
    occupation="gardener",
    occupation_demand=PhysicalDemand.HEAVY,
    activity_level=ActivityLevel.MODERATE,
    consent=Consent(exercise_program=True, camera_analysis=True),
)


@dataclass(frozen=True)
class DemoLogins:
    """Who can sign in to the demo clinic (printed by ``make run``)."""

    staff: tuple[tuple[str, str, str], ...]
    patients: tuple[tuple[str, str, str], ...]


def seed_web_demo(
    clinic: ClinicService,
    care: CareService,
    accounts: AccountService,
    library: Library,
    now: datetime,
) -> DemoLogins | None:
    """The demo clinic for the web app, into a database with no accounts: a clinician caring
    for every demo patient, an administrator, patient accounts (through the real invitation
    flow) and six weeks of practice simulated by the engine's simulator — one patient
    improving, one with high fear, one in a flare (and DEMO-003 with a red flag, no account).
    Returns None when accounts already exist."""
    if accounts.has_accounts():
        return None
    existing = clinic.list_patients(actor=DEMO_ACTOR)
    if any(not p.pseudonym.startswith("DEMO-") for p in existing):
        return None  # a real clinic's record: never mix the demo into it
    seed_demo(clinic, now)
    if not any(p.pseudonym == FLARE_PATIENT.pseudonym for p in existing):
        clinic.add_patient(actor=DEMO_ACTOR, patient=FLARE_PATIENT, reason="demo clinic")
        for document in _flare_patient(now):
            clinic.record_assessment(
                actor=DEMO_ACTOR,
                pseudonym=FLARE_PATIENT.pseudonym,
                submission=AssessmentIn.model_validate(document),
            )
    username, password, name = DEMO_CLINICIAN
    clinician = accounts.create_user(
        principal=None,
        username=username,
        password=password,
        role=Role.CLINICIAN,
        display_name=name,
    )
    admin_name, admin_password, admin_display = DEMO_ADMIN
    admin = accounts.create_user(
        principal=None,
        username=admin_name,
        password=admin_password,
        role=Role.ADMIN,
        display_name=admin_display,
    )
    staff = principal_of(clinician)
    for patient in clinic.list_patients(actor=DEMO_ACTOR):
        assert clinician.id is not None
        care.assign(principal_of(admin), clinician_id=clinician.id, pseudonym=patient.pseudonym)
    start = now.date() - timedelta(weeks=HISTORY_WEEKS)
    patients = []
    for seed, (pseudonym, login, secret, archetype, flares) in enumerate(DEMO_PATIENT_LOGINS):
        simulated = simulate_patient(
            library,
            seed=seed + 11,
            weeks=HISTORY_WEEKS,
            archetype=ARCHETYPES[archetype],
            script=Script(flare_days=flares),
            start=start,
        )
        yesterday = now.date() - timedelta(days=1)
        # The morning after yesterday is this morning: not answered yet (Today asks for it).
        sessions = [
            replace(s, pain_next_morning=None) if s.day == yesterday else s
            for s in simulated.sessions
            if s.day < now.date()
        ]
        log = {
            "started_on": start.isoformat(),
            "constraints": {"minutes_per_day": ARCHETYPES[archetype].minutes_per_day},
            "fears": [
                {"activity": a, "fear": f, "rated_on": start.isoformat()}
                for a, f in ARCHETYPES[archetype].fears
            ],
            "sessions": [_session_json(s) for s in sessions],
        }
        care.import_log(staff, pseudonym, log)
        token = accounts.invite_patient(principal=staff, pseudonym=pseudonym)
        joined = accounts.accept_invite(token=token, username=login, password=secret)
        for entry in _diary_days(sessions):
            care.save_diary(joined.principal, pseudonym, entry)
        patients.append((pseudonym, login, secret))
    return DemoLogins(
        staff=(DEMO_CLINICIAN, DEMO_ADMIN),
        patients=tuple(patients),
    )


DIARY_ACTIVITIES = (
    "worked at the desk, short walk at lunch",
    "shopping and cooking",
    "gardening for half an hour",
    "long drive to visit family",
    "swimming, easy lengths",
)


def _diary_days(sessions: list[SessionLog]) -> list[dict[str, Any]]:
    """A diary entry every third simulated day and on every flare day, from its pain."""
    entries = []
    for number, session in enumerate(sessions):
        if session.pain_before is None or not (session.flare or number % 3 == 0):
            continue
        entries.append(
            {
                "day": session.day.isoformat(),
                "pain": session.pain_before,
                "sleep": max(0, 8 - session.pain_before // 2),
                "activities": DIARY_ACTIVITIES[number % len(DIARY_ACTIVITIES)],
                "flare": session.flare,
                "notes": "Flare after a busy day; kept to the short routine."
                if session.flare
                else "",
            }
        )
    return entries


def _session_json(session: SessionLog) -> dict[str, Any]:
    """A simulated session as the log's JSON (docs/plan-format.md), defaults left out."""
    data: dict[str, Any] = _without_defaults(
        TypeAdapter(SessionLog).dump_python(session, mode="json")
    )
    return data


def _without_defaults(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_defaults(v)
            for k, v in value.items()
            if not (v is None or v is False or v == "" or v == [])
        }
    if isinstance(value, list):
        return [_without_defaults(v) for v in value]
    return value

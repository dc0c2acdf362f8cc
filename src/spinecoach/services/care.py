"""Care use cases for the web app: who may see which patient, what patients record at home,
the program the engine makes from it, and the clinician's caseload.

Authorisation lives here, not in the routes: every method takes the :class:`Principal` it acts
for and refuses a patient that principal may not see with the same "not found" it gives for a
patient that does not exist (no enumeration). Patients see only their own record, clinicians
only patients in their care, administrators no clinical record at all. Every read and write of
patient data goes to the audit log, and every write is checked by building the engine's whole
plan request before it is committed, so nothing half-valid is ever stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from spinecoach.domain.accounts import Principal, Role
from spinecoach.domain.engine import Plan, Status
from spinecoach.domain.engine.inputs import OverrideKind
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import ScoreResult
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import Library
from spinecoach.domain.profile import ClinicalProfile, derive_profile
from spinecoach.domain.record import Patient
from spinecoach.domain.red_flags import RedFlagState
from spinecoach.domain.scoring import ScoredAssessment

from .accounts import AccessDenied
from .clinic import (
    ClinicService,
    InstrumentChange,
    NotFound,
    PatientRecord,
    instrument_changes,
    read_records,
    stored_ids,
)
from .memo import Memo
from .planning import parse_plan_request, plan_from_record
from .ports import CareUnitOfWork, CareUnitOfWorkFactory, Clock, PatientDocument, audit_event
from .schemas import AssessmentIn, first_error

SESSION = "session"  # key: the day; data: a practice log session (docs/plan-format.md)
DIARY = "diary"  # key: the day
PROGRAM = "program"  # key: "settings"; constraints, goals, fears, overrides
MOVEMENT = "movement"  # key: "<day>/<exercise>"; what the camera measured
CHECKIN = "checkin"  # key: a uuid
REVIEW = "review"  # key: "<day>/<rule>/<target>"; a clinician accepted an engine decision
QUESTIONNAIRE = "questionnaire"  # key: "<day>/<instrument>"; answered by the patient at home
# What a patient's course is made of (read together for every page about the patient).
COURSE_KINDS = (SESSION, DIARY, MOVEMENT, CHECKIN, REVIEW, PROGRAM)

# Attention rules of the caseload, most urgent first. Priorities and windows are spinecoach
# design rules (docs/web.md); outcome decline uses each instrument's published MDC.
ATTENTION_PRIORITY = {
    "red_flag": 0,
    "flare": 1,
    "outcome_decline": 2,
    "quality_decline": 2,
    "adherence_falling": 3,
    "reassessment_due": 4,
    "check_in_due": 4,
}
RECENT_DAYS = 7
# A check-in the clinician held up to this many days before the engine's check-in date, or
# after it, answers the engine's request (spinecoach design rule: the caseload's week).
CHECK_IN_WEEK_DAYS = 7
PLAN_CACHE_SIZE = 1024  # plans kept in memory (a plan is a few kB; a big caseload fits)
QUALITY_DROP = 0.15  # share of good repetitions, week against the two weeks before (design rule)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ExerciseResultIn(_Strict):
    """What a patient records after one exercise (camera or manual)."""

    exercise_id: str = Field(min_length=1, max_length=80)
    sets_done: int = Field(default=0, ge=0, le=50)
    reps_done: int = Field(default=0, ge=0, le=1000)
    hold_s_done: int = Field(default=0, ge=0, le=3600)
    quality: float | None = Field(default=None, ge=0, le=1)
    quality_source: str = Field(default="patient", pattern="^(patient|camera)$")
    pain_before: int | None = Field(default=None, ge=0, le=10)
    pain_during: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)
    effort: int | None = Field(default=None, ge=0, le=10)
    fear: int | None = Field(default=None, ge=0, le=100)
    skipped: bool = False
    skip_reason: str = Field(default="", max_length=200)
    faults: list[str] = Field(default_factory=list, max_length=50)


class DiaryIn(_Strict):
    """One day of the pain diary."""

    day: date
    pain: int = Field(ge=0, le=10)
    sleep: int | None = Field(default=None, ge=0, le=10)  # sleep quality, 0 worst – 10 best
    activities: str = Field(default="", max_length=500)
    flare: bool = False
    notes: str = Field(default="", max_length=2000)


class CheckInIn(_Strict):
    """A scheduled check-in with its video-call link."""

    on: date
    link: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=2000)

    @field_validator("link")
    @classmethod
    def _https_link(cls, value: str) -> str:
        """Only a secure web link: the patient's browser opens it (no script, no plain http)."""
        if value and not re.fullmatch(r"https://\S+", value):
            raise ValueError("must be an https:// link, or left empty")
        return value


class OverrideIn(_Strict):
    """A clinician's override of the engine (docs/plan-format.md, ``overrides[]``)."""

    kind: OverrideKind
    target: str = Field(min_length=1, max_length=80)
    reason: str = Field(min_length=1, max_length=500)
    phase: str | None = None
    cue_level: str | None = None
    sets: int | None = Field(default=None, ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_s: int | None = Field(default=None, ge=0, le=600)


def _validated(model: type[_Strict], data: dict[str, Any], prefix: str = "") -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise first_error(error, prefix) from None


@dataclass(frozen=True)
class Attention:
    """Why a patient needs attention today: the rule, in words, with the data it used."""

    code: str
    message: str
    priority: int


@dataclass(frozen=True)
class CaseloadEntry:
    """One row of the caseload."""

    pseudonym: str
    phase: str
    status: str
    reasons: tuple[Attention, ...]
    practised_last_7: int
    last_pain: int | None

    @property
    def priority(self) -> int:
        """The most urgent reason's priority (9 when nothing needs attention)."""
        return min((r.priority for r in self.reasons), default=9)


@dataclass(frozen=True)
class DayPoint:
    """One day of a patient's course, for the charts."""

    day: date
    pain: int | None
    practised: bool
    quality: float | None
    flare: bool


@dataclass(frozen=True)
class Course:
    """What happened between assessments, day by day, and the documents behind it."""

    patient: Patient
    started_on: date
    days: tuple[DayPoint, ...]
    sessions: tuple[dict[str, Any], ...]
    diary: tuple[dict[str, Any], ...]
    movement: tuple[dict[str, Any], ...]
    checkins: tuple[dict[str, Any], ...]
    settings: dict[str, Any] = field(default_factory=dict)
    reviews: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Snapshot:
    """One patient's record, profile, changes, course and plan, read once for one page."""

    record: PatientRecord
    profile: ClinicalProfile
    changes: list[InstrumentChange]
    course: Course
    plan: Plan


class CareService:
    """The web app's use cases; every method names its principal."""

    def __init__(
        self,
        *,
        uow_factory: CareUnitOfWorkFactory,
        clock: Clock,
        clinic: ClinicService,
        library: Callable[[], Library],
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.clinic = clinic
        self._library = library
        self._plans: Memo[tuple[str, date, str], Plan] = Memo(PLAN_CACHE_SIZE)
        # A caseload row by (patient id, record version, day): see caseload().
        self._entries: Memo[tuple[int, tuple[int, ...], date], CaseloadEntry] = Memo(
            PLAN_CACHE_SIZE
        )

    def today(self) -> date:
        """The service's calendar day (UTC)."""
        return self._clock.now().date()

    # -- who sees whom ----------------------------------------------------------------------

    def visible_patients(self, principal: Principal) -> list[Patient]:
        """The patients this principal may see: their own record, or those in their care."""
        with self._uow_factory() as uow:
            patients = self._visible(uow, principal)
            uow.commit()
            return patients

    def own_pseudonym(self, principal: Principal) -> str:
        """A patient's own pseudonym."""
        if principal.role is not Role.PATIENT or principal.patient_id is None:
            raise AccessDenied("role", "this needs a patient account")
        with self._uow_factory() as uow:
            patient = uow.patients.get(principal.patient_id)
            if patient is None:
                raise NotFound("patient", "your record is not available")
            return patient.pseudonym

    def register_patient(self, principal: Principal, patient: Patient) -> Patient:
        """A clinician registers a new patient, who joins their care."""
        _require(principal, Role.CLINICIAN)
        stored = self.clinic.add_patient(actor=principal.label, patient=patient)
        assert stored.id is not None
        with self._uow_factory() as uow:
            uow.care_team.assign(principal.user_id, stored.id, self._clock.now())
            start = {"started_on": self.today().isoformat()}
            self._put(uow, principal, stored.id, PROGRAM, "settings", start)
            self._audit(uow, principal, "assign", "patient", stored.pseudonym)
            uow.commit()
        return stored

    def assign(self, principal: Principal, *, clinician_id: int, pseudonym: str) -> None:
        """Put a patient in a clinician's care (administrators)."""
        _require(principal, Role.ADMIN)
        with self._uow_factory() as uow:
            patient = uow.patients.by_pseudonym(pseudonym)
            clinician = uow.users.get(clinician_id)
            if patient is None or patient.id is None:
                raise NotFound("patient", f"no patient {pseudonym!r}")
            if clinician is None or clinician.role is not Role.CLINICIAN:
                raise NotFound("clinician", "no such clinician")
            uow.care_team.assign(clinician_id, patient.id, self._clock.now())
            self._audit(uow, principal, "assign", "patient", pseudonym, clinician.username)
            uow.commit()

    # -- the record -------------------------------------------------------------------------

    def record(self, principal: Principal, pseudonym: str) -> PatientRecord:
        """The patient's clinical record (the clinic service audits the read)."""
        self._check(principal, pseudonym)
        return self.clinic.patient_record(actor=principal.label, pseudonym=pseudonym)

    def record_assessment(
        self, principal: Principal, pseudonym: str, submission: AssessmentIn
    ) -> ScoredAssessment:
        """A clinician records an assessment of a patient in their care."""
        _require(principal, Role.CLINICIAN)
        self._check(principal, pseudonym)
        return self.clinic.record_assessment(
            actor=principal.label, pseudonym=pseudonym, submission=submission
        )

    # -- what patients record ---------------------------------------------------------------

    def log_exercise(
        self, principal: Principal, pseudonym: str, day: date, result: dict[str, Any]
    ) -> None:
        """Add (or replace) one exercise in the day's practice session."""
        entry = _validated(ExerciseResultIn, result)
        library = self._library()
        if entry.exercise_id not in library.exercises:
            raise InvalidInput("exercise_id", f"unknown exercise {entry.exercise_id!r}")
        if day > self.today():
            raise InvalidInput("day", "is in the future")
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            session = self._doc(uow, patient.id, SESSION, day.isoformat()) or {
                "day": day.isoformat()
            }
            logged = entry.model_dump(exclude={"faults"}, exclude_defaults=True)
            logged["exercise_id"] = entry.exercise_id
            if entry.pain_before is not None and "pain_before" not in session:
                session["pain_before"] = entry.pain_before
            if entry.pain_after is not None:
                session["pain_after"] = entry.pain_after
            others = [
                e for e in session.get("exercises", []) if e["exercise_id"] != entry.exercise_id
            ]
            session["exercises"] = [*others, logged]
            self._check_request(uow, patient.id, {day.isoformat(): session})
            self._put(uow, principal, patient.id, SESSION, day.isoformat(), session)
            if entry.quality_source == "camera":
                measured = {
                    "day": day.isoformat(),
                    "exercise_id": entry.exercise_id,
                    "reps": entry.reps_done,
                    "hold_s": entry.hold_s_done,
                    "quality": entry.quality,
                    "faults": entry.faults,
                }
                key = f"{day.isoformat()}/{entry.exercise_id}"
                self._put(uow, principal, patient.id, MOVEMENT, key, measured)
            uow.commit()

    def log_morning_pain(self, principal: Principal, pseudonym: str, pain: int) -> date:
        """Next-morning pain for yesterday's practice (the one-tap check); returns that day."""
        if not 0 <= pain <= 10:
            raise InvalidInput("pain", f"must be 0–10, got {pain}")
        yesterday = self.today() - timedelta(days=1)
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            session = self._doc(uow, patient.id, SESSION, yesterday.isoformat())
            if session is None:
                raise InvalidInput("pain", "there was no practice yesterday to follow up")
            session["pain_next_morning"] = pain
            self._check_request(uow, patient.id, {yesterday.isoformat(): session})
            self._put(uow, principal, patient.id, SESSION, yesterday.isoformat(), session)
            uow.commit()
            return yesterday

    def save_diary(self, principal: Principal, pseudonym: str, entry: dict[str, Any]) -> None:
        """Store one diary day (a later entry for the same day replaces it)."""
        diary = _validated(DiaryIn, entry)
        if diary.day > self.today():
            raise InvalidInput("day", "is in the future")
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            data = diary.model_dump(mode="json")
            self._check_request(uow, patient.id, diary={data["day"]: data})
            self._put(uow, principal, patient.id, DIARY, data["day"], data)
            uow.commit()

    def rate_fear(self, principal: Principal, pseudonym: str, activity: str, fear: int) -> None:
        """A fear rating (0–100) of an activity; the first rating of each builds the ladder."""
        activity = activity.strip()
        if not activity:
            raise InvalidInput("activity", "name the activity")
        if not 0 <= fear <= 100:
            raise InvalidInput("fear", f"must be 0–100, got {fear}")
        self._update_settings(
            principal,
            pseudonym,
            "fears",
            {"activity": activity[:80], "fear": fear, "rated_on": self.today().isoformat()},
        )

    def add_goal(self, principal: Principal, pseudonym: str, text: str, by: date | None) -> None:
        """A goal in the patient's words, with an optional date."""
        goal: dict[str, Any] = {"text": text.strip()[:200]}
        if by is not None:
            goal["by"] = by.isoformat()
        self._update_settings(principal, pseudonym, "goals", goal)

    def answer_questionnaire(
        self,
        principal: Principal,
        pseudonym: str,
        instrument_id: str,
        answers: list[int | None],
        pack: str,
    ) -> ScoreResult:
        """A patient's answers to a questionnaire at home: scored now (an invalid answer stores
        nothing) and kept for the clinician, who adds them to the record at a re-check."""
        instrument = INSTRUMENTS.get(instrument_id)
        if instrument is None:
            raise InvalidInput("instrument", f"unknown questionnaire {instrument_id!r}")
        result = instrument.score(answers)
        day = self.today().isoformat()
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            document = {
                "day": day,
                "instrument": instrument.id,
                "answers": answers,
                "score": result.score,
                "category": result.category,
                "text_pack": pack,
                "added_to_record": False,
            }
            self._put(uow, principal, patient.id, QUESTIONNAIRE, f"{day}/{instrument.id}", document)
            uow.commit()
        return result

    def questionnaires(self, principal: Principal, pseudonym: str) -> list[dict[str, Any]]:
        """The questionnaires the patient answered at home, newest first."""
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            found = [d.data for d in uow.documents.list(patient.id, QUESTIONNAIRE)]
            self._audit(uow, principal, "read", QUESTIONNAIRE, pseudonym)
            uow.commit()
        return sorted(found, key=lambda d: str(d["day"]), reverse=True)

    def add_answers_to_record(self, principal: Principal, pseudonym: str, key: str) -> None:
        """A clinician adds the patient's home answers to the record as a re-check."""
        _require(principal, Role.CLINICIAN)
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            document = self._doc(uow, patient.id, QUESTIONNAIRE, key)
        if document is None:
            raise NotFound("questionnaire", "no such answers")
        if document.get("added_to_record"):
            raise InvalidInput("questionnaire", "these answers are already in the record")
        submission = AssessmentIn.model_validate(
            {
                "kind": "recheck",
                "questionnaires": {document["instrument"]: document["answers"]},
                "notes": f"Answered by the patient at home on {document['day']} "
                f"(text pack: {document['text_pack']}).",
            }
        )
        self.record_assessment(principal, pseudonym, submission)
        with self._uow_factory() as uow:
            self._put(
                uow,
                principal,
                patient.id,
                QUESTIONNAIRE,
                key,
                {**document, "added_to_record": True},
            )
            uow.commit()

    def live_refusal(self, principal: Principal, exercise_id: str) -> str:
        """Why this patient may not stream landmarks for this exercise now ('' when they may):
        camera analysis needs their recorded consent, and the exercise must be in today's
        routine (full or short)."""
        pseudonym = self.own_pseudonym(principal)
        seen = self.snapshot(principal, pseudonym)
        if not seen.record.patient.consent.camera_analysis:
            return "no consent to camera analysis"
        routines = (seen.plan.routine, seen.plan.short_routine)
        prescribed = {i.exercise.id for r in routines if r is not None for i in r.items}
        if exercise_id not in prescribed:
            return "not in today's routine"
        return ""

    # -- the program ------------------------------------------------------------------------

    def snapshot(self, principal: Principal, pseudonym: str) -> Snapshot:
        """Everything a page about one patient shows, from one read of the record and one of
        the documents (two audit events instead of one per part)."""
        # One transaction for the record and the documents: every BEGIN/COMMIT is a round
        # trip, and a commit an fsync, on PostgreSQL.
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            [read] = self._read_all(uow, principal, [patient])
            uow.commit()
        return self._snapshot_of(*read)

    def _read_all(
        self, uow: CareUnitOfWork, principal: Principal, patients: Sequence[Patient]
    ) -> list[tuple[PatientRecord, Course, dict[str, Any]]]:
        """The record, course and engine log of each patient the principal may see, audited
        in the caller's transaction: three queries however many patients (a caseload)."""
        ids = stored_ids(patients)
        documents = uow.documents.by_kind_for(ids, COURSE_KINDS)
        records = read_records(uow, patients)
        read = []
        for patient, patient_id, record in zip(patients, ids, records, strict=True):
            course, log = self._course_from(patient, documents[patient_id])
            read.append((record, course, log))
        self._audit_reads(uow, principal, patients)
        return read

    def _audit_reads(
        self, uow: CareUnitOfWork, principal: Principal, patients: Sequence[Patient]
    ) -> None:
        """The audit events of reading these patients' records and courses."""
        for patient in patients:
            self._audit(uow, principal, "read", "course", patient.pseudonym)
            self._audit(uow, principal, "read", "patient", patient.pseudonym)

    def _snapshot_of(self, record: PatientRecord, course: Course, log: dict[str, Any]) -> Snapshot:
        plan = self._plan_of(record, log, self.today())
        return Snapshot(
            record=record,
            profile=derive_profile(record.patient, record.assessments),
            changes=instrument_changes(record),
            course=course,
            plan=plan,
        )

    def plan(self, principal: Principal, pseudonym: str, today: date | None = None) -> Plan:
        """The engine's plan today, from the record and everything logged since the start."""
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            log = self._log(uow, patient.id)
            self._audit(uow, principal, "read", "program", pseudonym)
            uow.commit()
        record = self.clinic.patient_record(actor=principal.label, pseudonym=pseudonym)
        return self._plan_of(record, log, today or self.today())

    def _plan_of(self, record: PatientRecord, log: dict[str, Any], today: date) -> Plan:
        """The engine's plan, replayed once per day and input: the replay is deterministic, so
        the same record, log and day give the same plan (a cache keyed by all three)."""
        log_text = json.dumps(log, sort_keys=True)
        versions = [(a.assessment.id, a.assessment.version) for a in record.assessments]
        inputs = json.dumps([repr(record.patient), versions, log_text])
        key = (record.patient.pseudonym, today, hashlib.sha256(inputs.encode()).hexdigest())
        cached = self._plans.get(key)
        if cached is not None:
            return cached
        plan = plan_from_record(record, log_text=log_text, library=self._library(), today=today)
        self._plans.put(key, plan)
        return plan

    def override(self, principal: Principal, pseudonym: str, data: dict[str, Any]) -> None:
        """A clinician overrides the engine (set phase, hold, exclude, dose, cue level …)."""
        _require(principal, Role.CLINICIAN)
        given = _validated(OverrideIn, data)
        override: dict[str, Any] = {
            "on": self.today().isoformat(),
            "by": principal.username,
            "kind": given.kind.value,
            "target": given.target,
            "reason": given.reason,
        }
        if given.phase:
            override["phase"] = given.phase
        if given.cue_level:
            override["cue_level"] = given.cue_level
        dose = {k: v for k in ("sets", "reps", "hold_s") if (v := getattr(given, k)) is not None}
        if dose:
            override["dosage"] = dose
        self._update_settings(principal, pseudonym, "overrides", override)

    def accept_decision(self, principal: Principal, pseudonym: str, key: str) -> None:
        """A clinician accepts an engine decision as it is (recorded, with who and when)."""
        _require(principal, Role.CLINICIAN)
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            accepted = {"decision": key[:64], "by": principal.username}
            self._put(uow, principal, patient.id, REVIEW, key[:64], accepted)
            uow.commit()

    def schedule_check_in(self, principal: Principal, pseudonym: str, data: dict[str, Any]) -> str:
        """A clinician schedules a check-in; returns its id."""
        _require(principal, Role.CLINICIAN)
        given = _validated(CheckInIn, data)
        key = uuid.uuid4().hex
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            document = {**given.model_dump(mode="json"), "done": False, "id": key}
            self._put(uow, principal, patient.id, CHECKIN, key, document)
            uow.commit()
        return key

    def complete_check_in(self, principal: Principal, pseudonym: str, key: str, notes: str) -> None:
        """Mark a check-in done with the clinician's notes."""
        _require(principal, Role.CLINICIAN)
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            document = self._doc(uow, patient.id, CHECKIN, key)
            if document is None:
                raise NotFound("check_in", "no such check-in")
            document.update(done=True, done_on=self.today().isoformat(), notes=notes.strip()[:4000])
            self._put(uow, principal, patient.id, CHECKIN, key, document)
            uow.commit()

    def import_log(self, principal: Principal, pseudonym: str, log: dict[str, Any]) -> int:
        """Replace a patient's program settings and practice sessions with a practice log
        (docs/plan-format.md), checked whole before anything is stored; returns the sessions
        stored. For moving a paper or app log into spinecoach, and for the demo clinic."""
        _require(principal, Role.CLINICIAN)
        sessions = {str(s.get("day")): dict(s) for s in log.get("sessions", [])}
        settings = {k: v for k, v in log.items() if k != "sessions"}
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            stale = {d.key for d in uow.documents.list(patient.id, SESSION)} - set(sessions)
            if stale:
                raise InvalidInput("log.sessions", "would drop days already logged")
            self._check_request(uow, patient.id, sessions, settings=settings)
            self._put(uow, principal, patient.id, PROGRAM, "settings", settings)
            for day, session in sessions.items():
                self._put(uow, principal, patient.id, SESSION, day, session)
            uow.commit()
        return len(sessions)

    # -- views ------------------------------------------------------------------------------

    def course(self, principal: Principal, pseudonym: str) -> Course:
        """Everything logged between assessments, day by day."""
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            course, _ = self._read_course(uow, patient)
            self._audit(uow, principal, "read", "course", pseudonym)
            uow.commit()
        return course

    def _read_course(self, uow: CareUnitOfWork, patient: Patient) -> tuple[Course, dict[str, Any]]:
        """The course and the engine's log from the patient's documents (one query)."""
        assert patient.id is not None
        return self._course_from(patient, uow.documents.by_kind(patient.id, COURSE_KINDS))

    def _course_from(
        self, patient: Patient, found: dict[str, tuple[PatientDocument, ...]]
    ) -> tuple[Course, dict[str, Any]]:
        """The course and the engine's log from the patient's documents of
        :data:`COURSE_KINDS`."""
        docs = {kind: [d.data for d in documents] for kind, documents in found.items()}
        settings = next((dict(d.data) for d in found[PROGRAM] if d.key == "settings"), {})
        log = build_log(
            settings,
            {str(d["day"]): d for d in docs[SESSION]},
            {str(d["day"]): d for d in docs[DIARY]},
            default_start=self.today(),
        )
        started = date.fromisoformat(settings.get("started_on", self.today().isoformat()))
        course = Course(
            patient=patient,
            started_on=started,
            days=_days(started, self.today(), docs[SESSION], docs[DIARY]),
            sessions=tuple(docs[SESSION]),
            diary=tuple(docs[DIARY]),
            movement=tuple(docs[MOVEMENT]),
            checkins=tuple(sorted(docs[CHECKIN], key=lambda c: str(c.get("on")))),
            settings=settings,
            reviews=frozenset(str(r.get("decision")) for r in docs[REVIEW]),
        )
        return course, log

    def caseload(self, principal: Principal) -> list[CaseloadEntry]:
        """The clinician's patients, those needing attention first, each with the reasons.
        One transaction for the whole caseload (who is in their care is asked once, and one
        commit stores every read's audit event). A patient's row is worked out again only when
        their record has changed (its version: ``PatientRepository.versions``) or the day has:
        with hundreds of patients, reading and replaying every record on every view took
        most of a second. Every patient shown is audited as read either way."""
        _require(principal, Role.CLINICIAN)
        today = self.today()
        with self._uow_factory() as uow:
            patients = self._visible(uow, principal)
            ids = dict(zip((p.pseudonym for p in patients), stored_ids(patients), strict=True))
            versions = uow.patients.versions(list(ids.values()))
            keys = {
                name: (patient_id, versions[patient_id], today) for name, patient_id in ids.items()
            }
            kept = {name: self._entries.get(key) for name, key in keys.items()}
            changed = [p for p in patients if kept[p.pseudonym] is None]
            reads = self._read_all(uow, principal, changed)
            self._audit_reads(uow, principal, [p for p in patients if kept[p.pseudonym]])
            uow.commit()
        for read in reads:
            entry = self._caseload_entry(self._snapshot_of(*read))
            self._entries.put(keys[entry.pseudonym], entry)
            kept[entry.pseudonym] = entry
        entries = [entry for entry in kept.values() if entry is not None]
        return sorted(entries, key=lambda e: (e.priority, e.pseudonym))

    def _caseload_entry(self, seen: Snapshot) -> CaseloadEntry:
        pseudonym = seen.record.patient.pseudonym
        course, plan = seen.course, seen.plan
        today = self.today()
        reasons = attention_reasons(seen.profile, plan, seen.changes, course, today)
        recent = [d for d in course.days if d.day > today - timedelta(days=RECENT_DAYS)]
        pains = [d.pain for d in course.days if d.pain is not None]
        return CaseloadEntry(
            pseudonym=pseudonym,
            phase=plan.program.phase.title,
            status=plan.program.status.value,
            reasons=reasons,
            practised_last_7=sum(d.practised for d in recent),
            last_pain=pains[-1] if pains else None,
        )

    # -- helpers ----------------------------------------------------------------------------

    def _visible(self, uow: CareUnitOfWork, principal: Principal) -> list[Patient]:
        """The patients the principal may see, the listing audited in the caller's
        transaction (administrators manage accounts, not clinical records: none)."""
        patients: list[Patient] = []
        if principal.role is Role.PATIENT and principal.patient_id:
            own = uow.patients.get(principal.patient_id)
            patients = [own] if own else []
        elif principal.role is Role.CLINICIAN:
            ids = uow.care_team.patients_of(principal.user_id)
            patients = [p for p in uow.patients.all() if p.id in ids]
        self._audit(uow, principal, "list", "patient", "*", f"{len(patients)} patients")
        return patients

    def _patient(self, uow: CareUnitOfWork, principal: Principal, pseudonym: str) -> Patient:
        patient = uow.patients.by_pseudonym(pseudonym)
        allowed = patient is not None and (
            (principal.role is Role.PATIENT and patient.id == principal.patient_id)
            or (
                principal.role is Role.CLINICIAN
                and patient.id in uow.care_team.patients_of(principal.user_id)
            )
        )
        if patient is None or not allowed:
            self._audit(uow, principal, "denied", "patient", pseudonym[:60])
            uow.commit()
            raise NotFound("patient", f"no patient {pseudonym!r} in your care")
        return patient

    def audit_access(
        self, principal: Principal, pseudonym: str, action: str, entity: str, detail: str = ""
    ) -> None:
        """Check the principal may see the patient and audit what is done with their data, for
        use cases outside this service (analysing an uploaded sensor recording)."""
        with self._uow_factory() as uow:
            self._patient(uow, principal, pseudonym)
            self._audit(uow, principal, action, entity, pseudonym, detail[:200])
            uow.commit()

    def _check(self, principal: Principal, pseudonym: str) -> None:
        with self._uow_factory() as uow:
            self._patient(uow, principal, pseudonym)

    def _doc(
        self, uow: CareUnitOfWork, patient_id: int, kind: str, key: str
    ) -> dict[str, Any] | None:
        found = uow.documents.get(patient_id, kind, key)
        return dict(found.data) if found else None

    def _put(
        self,
        uow: CareUnitOfWork,
        principal: Principal,
        patient_id: int,
        kind: str,
        key: str,
        data: dict[str, Any],
    ) -> None:
        uow.documents.put(
            PatientDocument(
                patient_id=patient_id,
                kind=kind,
                key=key,
                data=data,
                updated_at=self._clock.now(),
                updated_by=principal.label,
            )
        )
        patient = uow.patients.get(patient_id)
        self._audit(uow, principal, "write", kind, patient.pseudonym if patient else "?", key)

    def _update_settings(
        self, principal: Principal, pseudonym: str, list_key: str, item: dict[str, Any]
    ) -> None:
        with self._uow_factory() as uow:
            patient = self._patient(uow, principal, pseudonym)
            assert patient.id is not None
            settings = self._doc(uow, patient.id, PROGRAM, "settings") or {
                "started_on": self.today().isoformat()
            }
            settings[list_key] = [*settings.get(list_key, []), item]
            self._check_request(uow, patient.id, settings=settings)
            self._put(uow, principal, patient.id, PROGRAM, "settings", settings)
            uow.commit()

    def _log(
        self,
        uow: CareUnitOfWork,
        patient_id: int,
        sessions: dict[str, dict[str, Any]] | None = None,
        diary: dict[str, dict[str, Any]] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The engine's log (docs/plan-format.md) from the stored documents, with unsaved
        changes laid over them."""
        stored_settings = settings or self._doc(uow, patient_id, PROGRAM, "settings") or {}
        by_day = {d.key: d.data for d in uow.documents.list(patient_id, SESSION)}
        by_day.update(sessions or {})
        diary_days = {d.key: d.data for d in uow.documents.list(patient_id, DIARY)}
        diary_days.update(diary or {})
        return build_log(stored_settings, by_day, diary_days, default_start=self.today())

    def _check_request(
        self,
        uow: CareUnitOfWork,
        patient_id: int,
        sessions: dict[str, dict[str, Any]] | None = None,
        diary: dict[str, dict[str, Any]] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        log = self._log(uow, patient_id, sessions, diary, settings)
        parse_plan_request(json.dumps(log), default_start=self.today(), library=self._library())

    def _audit(
        self,
        uow: CareUnitOfWork,
        principal: Principal,
        action: str,
        entity: str,
        entity_id: str,
        detail: str = "",
    ) -> None:
        uow.audit.record(
            audit_event(self._clock.now(), principal.label, action, entity, entity_id, detail)
        )


def _require(principal: Principal, role: Role) -> None:
    if principal.role is not role:
        raise AccessDenied("role", f"this needs a {role.value} account")


def build_log(
    settings: dict[str, Any],
    sessions: dict[str, dict[str, Any]],
    diary: dict[str, dict[str, Any]],
    *,
    default_start: date,
) -> dict[str, Any]:
    """The engine's log from program settings, practice sessions and diary days.

    A diary flare marks that day's session as a flare (a day without practice gets a session
    holding only its pain and the flare), so the engine never progresses through a flare the
    patient wrote in the diary instead of the practice form.
    """
    log: dict[str, Any] = {
        k: v
        for k, v in settings.items()
        if k in ("started_on", "constraints", "pain_model", "goals", "fears", "overrides")
    }
    log.setdefault("started_on", default_start.isoformat())
    merged = {day: dict(s) for day, s in sessions.items()}
    for day, entry in diary.items():
        if day < log["started_on"]:
            continue
        session = merged.get(day)
        if session is None and entry.get("flare"):
            merged[day] = {"day": day, "pain_before": entry["pain"], "flare": True}
        elif session is not None and entry.get("flare"):
            session["flare"] = True
    if merged:
        log["sessions"] = [merged[day] for day in sorted(merged)]
    return log


def _days(
    start: date,
    today: date,
    sessions: Sequence[dict[str, Any]],
    diary: Sequence[dict[str, Any]],
) -> tuple[DayPoint, ...]:
    by_session = {s["day"]: s for s in sessions}
    by_diary = {d["day"]: d for d in diary}
    points = []
    day = start
    while day <= today:
        key = day.isoformat()
        session = by_session.get(key, {})
        note = by_diary.get(key, {})
        done = [e for e in session.get("exercises", []) if not e.get("skipped")]
        qualities = [e["quality"] for e in done if e.get("quality") is not None]
        pain = note.get("pain", session.get("pain_before"))
        points.append(
            DayPoint(
                day=day,
                pain=pain,
                practised=bool(done) or bool(session.get("exposures")),
                quality=sum(qualities) / len(qualities) if qualities else None,
                flare=bool(session.get("flare") or note.get("flare")),
            )
        )
        day += timedelta(days=1)
    return tuple(points)


def attention_reasons(
    profile: ClinicalProfile,
    plan: Plan,
    changes: Sequence[InstrumentChange],
    course: Course,
    today: date,
) -> tuple[Attention, ...]:
    """Why this patient needs attention today, each reason with its numbers."""
    found: list[Attention] = []

    def add(code: str, message: str) -> None:
        found.append(Attention(code, message, ATTENTION_PRIORITY[code]))

    state = profile.red_flags.state
    if state in (RedFlagState.URGENT_REFERRAL, RedFlagState.CLINICIAN_REVIEW):
        add("red_flag", f"Red flag: {profile.red_flags.message}")
    recent_start = today - timedelta(days=RECENT_DAYS)
    reported = [
        s for s in course.sessions if s.get("red_flags") and s["day"] > recent_start.isoformat()
    ]
    if reported:
        signs = ", ".join(sorted({f for s in reported for f in s["red_flags"]}))
        add("red_flag", f"Patient reported warning signs at home: {signs.replace('_', ' ')}")
    recent = [d for d in course.days if d.day > recent_start]
    flare_days = [d for d in recent if d.flare]
    if plan.program.status is Status.FLARE or flare_days:
        days = f"{len(flare_days)} flare day{'s' if len(flare_days) != 1 else ''}"
        add("flare", f"Flare: {days} in the last {RECENT_DAYS} days")
    for compared in changes:
        change = compared.change
        if change.beyond_mdc and change.improvement < 0:
            add(
                "outcome_decline",
                f"{change.instrument.upper()} worse by {abs(change.delta):g} points "
                f"({change.before.score:g} → {change.after.score:g}), beyond its MDC",
            )
    before = [d for d in course.days if recent_start - timedelta(days=14) < d.day <= recent_start]
    q_now = [d.quality for d in recent if d.quality is not None]
    q_before = [d.quality for d in before if d.quality is not None]
    if q_now and q_before:
        now_mean, before_mean = sum(q_now) / len(q_now), sum(q_before) / len(q_before)
        if before_mean - now_mean > QUALITY_DROP:
            add(
                "quality_decline",
                f"Movement quality fell from {before_mean:.0%} to {now_mean:.0%} of good "
                "repetitions (last 7 days against the 14 before)",
            )
    if plan.program.status is not Status.STOPPED and course.days:
        planned = _planned_days(course.settings)
        done_now = sum(d.practised for d in recent)
        done_before = sum(
            d.practised
            for d in course.days
            if recent_start - timedelta(days=7) < d.day <= recent_start
        )
        if (
            (today - course.started_on).days >= RECENT_DAYS
            and done_now < planned / 2
            and (done_now < done_before or done_now == 0)
        ):
            add(
                "adherence_falling",
                f"Practised {done_now} of {planned} planned days this week "
                f"(the week before: {done_before})",
            )
    if plan.program.next_recheck <= today and plan.program.status is not Status.STOPPED:
        add("reassessment_due", f"Re-assessment due since {plan.program.next_recheck:%d %b}")
    due_checkins = [
        c for c in course.checkins if not c.get("done") and str(c.get("on")) <= today.isoformat()
    ]
    engine_due = plan.program.next_check_in is not None and plan.program.next_check_in <= today
    if engine_due and plan.program.next_check_in is not None:
        since = (plan.program.next_check_in - timedelta(days=CHECK_IN_WEEK_DAYS)).isoformat()
        held = [str(c.get("done_on") or c.get("on")) for c in course.checkins if c.get("done")]
        engine_due = not any(day >= since for day in held)
    if due_checkins or engine_due:
        when = str(due_checkins[0]["on"]) if due_checkins else f"{plan.program.next_check_in}"
        add("check_in_due", f"Check-in due ({when})")
    return tuple(sorted(found, key=lambda a: a.priority))


def _planned_days(settings: dict[str, Any]) -> int:
    constraints = settings.get("constraints") or {}
    return int(constraints.get("days_per_week", 5))

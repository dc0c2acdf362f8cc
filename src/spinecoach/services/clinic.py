"""Clinical-record use cases: patients, assessments, profiles and change over time.

Every use case is one transaction, records who read or wrote patient data in the audit log,
and stores nothing when any part of the input is invalid.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Answers, ScoreResult
from spinecoach.domain.instruments.registry import get_instrument
from spinecoach.domain.outcomes import Change, ItemChange, compare, compare_items
from spinecoach.domain.physical_tests.base import PersonContext, TestResult
from spinecoach.domain.physical_tests.registry import get_physical_test
from spinecoach.domain.profile import ClinicalProfile, derive_profile
from spinecoach.domain.record import (
    Assessment,
    AssessmentKind,
    Episode,
    Intake,
    PainDistribution,
    PainPattern,
    Patient,
)
from spinecoach.domain.red_flags import CAUDA_EQUINA_SIGNS, RedFlagScreen
from spinecoach.domain.scoring import ScoredAssessment, score_assessment

from .ports import Clock, UnitOfWork, UnitOfWorkFactory, audit_event
from .schemas import AssessmentIn


class NotFound(InvalidInput):
    """The thing asked for does not exist (or is not visible to this actor)."""


@dataclass(frozen=True)
class PatientRecord:
    """A patient with their episodes and the current version of each assessment."""

    patient: Patient
    episodes: list[Episode]
    assessments: list[ScoredAssessment]


@dataclass(frozen=True)
class InstrumentChange:
    """First and latest administration of one instrument, and the change between them."""

    instrument: str
    first_at: datetime
    latest_at: datetime
    change: Change
    item_changes: tuple[ItemChange, ...] = ()


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def read_record(uow: UnitOfWork, patient: Patient) -> PatientRecord:
    """A patient's record with every current assessment scored, read in the caller's
    transaction (the caller checks access and audits)."""
    return read_records(uow, [patient])[0]


def stored_ids(patients: Sequence[Patient]) -> list[int]:
    """The database ids of patients read from it (in order)."""
    ids: list[int] = []
    for patient in patients:
        assert patient.id is not None, "a patient read from the database has an id"
        ids.append(patient.id)
    return ids


def read_records(uow: UnitOfWork, patients: Sequence[Patient]) -> list[PatientRecord]:
    """:func:`read_record` of several patients with one query for their episodes and one for
    their assessments (a caseload reads every patient in a clinician's care)."""
    ids = stored_ids(patients)
    episodes = uow.episodes.for_patients(ids)
    assessments = uow.assessments.current_for_patients(ids)
    return [
        PatientRecord(
            patient=patient,
            episodes=episodes[patient_id],
            assessments=[score_assessment(a, patient) for a in assessments[patient_id]],
        )
        for patient, patient_id in zip(patients, ids, strict=True)
    ]


class ClinicService:
    """The clinical record's use cases. Methods are keyword-only and name their actor."""

    def __init__(self, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def now(self) -> datetime:
        """The service's clock (UTC)."""
        return self._clock.now()

    # -- patients ---------------------------------------------------------------------------

    def add_patient(self, *, actor: str, patient: Patient, reason: str = "") -> Patient:
        """Register a patient and open their first episode of care."""
        with self._uow_factory() as uow:
            taken = {p.pseudonym.casefold(): p.pseudonym for p in uow.patients.all()}
            if patient.pseudonym.casefold() in taken:
                existing = taken[patient.pseudonym.casefold()]
                raise InvalidInput("pseudonym", f"{existing!r} is already registered")
            now = self._clock.now()
            stored = uow.patients.add(_with_created_at(patient, now))
            assert stored.id is not None
            uow.episodes.add(Episode(patient_id=stored.id, started_at=now, reason=reason))
            self._audit(uow, actor, "create", "patient", stored.pseudonym)
            uow.commit()
            return stored

    def list_patients(self, *, actor: str) -> list[Patient]:
        """All patients, by pseudonym."""
        with self._uow_factory() as uow:
            patients = uow.patients.all()
            self._audit(uow, actor, "list", "patient", "*", f"{len(patients)} patients")
            uow.commit()
            return patients

    def patient_record(self, *, actor: str, pseudonym: str) -> PatientRecord:
        """One patient's record with every current assessment scored."""
        with self._uow_factory() as uow:
            record = read_record(uow, self._patient(uow, pseudonym))
            self._audit(uow, actor, "read", "patient", pseudonym)
            uow.commit()
            return record

    # -- assessments ------------------------------------------------------------------------

    def record_assessment(
        self, *, actor: str, pseudonym: str, submission: AssessmentIn
    ) -> ScoredAssessment:
        """Score and store a new assessment in the patient's current episode.

        Everything is scored before anything is written: one invalid answer stores nothing.
        """
        with self._uow_factory() as uow:
            patient = self._patient(uow, pseudonym)
            episode = self._current_episode(uow, patient)
            assert episode.id is not None
            assessment = self._build(submission, episode_id=episode.id, actor=actor)
            scored = score_assessment(assessment, patient)  # raises before any write
            stored = uow.assessments.add(assessment)
            self._audit(uow, actor, "create", "assessment", str(stored.id), pseudonym)
            uow.commit()
            return replace(scored, assessment=stored)

    def correct_assessment(
        self,
        *,
        actor: str,
        pseudonym: str,
        assessment_id: int,
        submission: AssessmentIn,
        reason: str,
    ) -> ScoredAssessment:
        """Store a corrected version; the original stays in the record, unchanged."""
        with self._uow_factory() as uow:
            patient = self._patient(uow, pseudonym)
            original = uow.assessments.get(assessment_id)
            if original is None or original.id not in {
                a.id for a in uow.assessments.current_for_patient(patient.id or -1)
            }:
                raise NotFound(
                    "assessment_id",
                    f"no current assessment {assessment_id} for patient {pseudonym!r} "
                    "(only the newest version can be corrected)",
                )
            _check_correction_keeps_safety(original, submission)
            if submission.assessed_at is None:  # a correction keeps the visit's date
                submission = submission.model_copy(update={"assessed_at": original.assessed_at})
            corrected = self._build(
                submission,
                episode_id=original.episode_id,
                actor=actor,
                lineage=original.lineage,
                version=original.version + 1,
                supersedes=original.id,
                correction_reason=reason,
            )
            scored = score_assessment(corrected, patient)
            stored = uow.assessments.add(corrected)
            self._audit(
                uow, actor, "correct", "assessment", str(stored.id), f"supersedes {original.id}"
            )
            uow.commit()
            return replace(scored, assessment=stored)

    def assessment_versions(
        self, *, actor: str, pseudonym: str, assessment_id: int
    ) -> list[Assessment]:
        """Every version of the assessment, the original first."""
        with self._uow_factory() as uow:
            patient = self._patient(uow, pseudonym)
            found = uow.assessments.get(assessment_id)
            episode_ids = {e.id for e in uow.episodes.for_patient(patient.id or -1)}
            if found is None or found.episode_id not in episode_ids:
                raise NotFound("assessment_id", f"no assessment {assessment_id} for {pseudonym!r}")
            versions = uow.assessments.versions(found.lineage)
            self._audit(uow, actor, "read", "assessment", str(assessment_id), "versions")
            uow.commit()
            return versions

    # -- derived views ----------------------------------------------------------------------

    def profile(self, *, actor: str, pseudonym: str) -> ClinicalProfile:
        """The explainable clinical profile from the current record."""
        record = self.patient_record(actor=actor, pseudonym=pseudonym)
        return derive_profile(record.patient, record.assessments)

    def compare(self, *, actor: str, pseudonym: str) -> list[InstrumentChange]:
        """For each questionnaire given at least twice: first vs latest administration."""
        return instrument_changes(self.patient_record(actor=actor, pseudonym=pseudonym))

    # -- stateless scoring ------------------------------------------------------------------

    @staticmethod
    def score_questionnaire(
        instrument_id: str, answers: Answers, *, max_missing: int | None = None
    ) -> ScoreResult:
        """Score one administration without storing it."""
        return get_instrument(instrument_id).score(answers, max_missing=max_missing)

    @staticmethod
    def evaluate_test(
        test_id: str, values: dict[str, object], *, person: PersonContext | None = None
    ) -> TestResult:
        """Evaluate one physical test without storing it."""
        return get_physical_test(test_id).evaluate(values, person=person)

    # -- helpers ----------------------------------------------------------------------------

    def _patient(self, uow: UnitOfWork, pseudonym: str) -> Patient:
        patient = uow.patients.by_pseudonym(pseudonym)
        if patient is None:
            raise NotFound("patient", f"no patient with pseudonym {pseudonym!r}")
        return patient

    def _current_episode(self, uow: UnitOfWork, patient: Patient) -> Episode:
        episodes = [e for e in uow.episodes.for_patient(patient.id or -1) if e.ended_at is None]
        if not episodes:
            return uow.episodes.add(
                Episode(patient_id=patient.id or -1, started_at=self._clock.now())
            )
        return episodes[-1]

    def _build(
        self,
        submission: AssessmentIn,
        *,
        episode_id: int,
        actor: str,
        lineage: str = "",
        version: int = 1,
        supersedes: int | None = None,
        correction_reason: str = "",
    ) -> Assessment:
        now = self._clock.now()
        assessed_at = submission.assessed_at or now
        if assessed_at.tzinfo is None:
            raise InvalidInput("assessed_at", "must include a time zone, e.g. 2026-11-20T10:00Z")
        if assessed_at > now:
            raise InvalidInput("assessed_at", f"is in the future ({assessed_at.isoformat()})")
        return Assessment(
            episode_id=episode_id,
            kind=AssessmentKind(submission.kind),
            assessed_at=assessed_at.astimezone(UTC),
            questionnaires={k.lower(): tuple(v) for k, v in submission.questionnaires.items()},
            tests={k.lower(): dict(v) for k, v in submission.tests.items()},
            red_flags=_red_flags(submission),
            intake=_intake(submission),
            notes=submission.notes,
            lineage=lineage or str(uuid.uuid4()),
            version=version,
            supersedes=supersedes,
            correction_reason=correction_reason,
            recorded_by=actor,
            recorded_at=now,
        )

    def _audit(
        self,
        uow: UnitOfWork,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        detail: str = "",
    ) -> None:
        uow.audit.record(audit_event(self._clock.now(), actor, action, entity, entity_id, detail))


def _check_correction_keeps_safety(original: Assessment, submission: AssessmentIn) -> None:
    """A correction replaces the whole assessment, so it must not drop safety information.

    It must carry the red-flag screen again when the original had one, and it may remove a
    cauda equina sign only as a recorded exclusion (a clean screen cleared by a clinician).
    """
    if original.red_flags is None:
        return
    if submission.red_flags is None:
        raise InvalidInput(
            "red_flags",
            "the original recorded a red-flag screen; a correction must include it again",
        )
    had_ces = bool(original.red_flags.present & set(CAUDA_EQUINA_SIGNS))
    keeps_ces = bool(set(submission.red_flags.present) & set(CAUDA_EQUINA_SIGNS))
    if had_ces and not keeps_ces and not submission.red_flags.clinician_cleared:
        raise InvalidInput(
            "red_flags.clinician_cleared",
            "removing a cauda equina sign needs a clinician's recorded reason "
            "(clinician_cleared with clinician_note)",
        )


def _with_created_at(patient: Patient, now: datetime) -> Patient:
    return replace(patient, created_at=now)


def _red_flags(submission: AssessmentIn) -> RedFlagScreen | None:
    if submission.red_flags is None:
        return None
    return RedFlagScreen(
        present=frozenset(submission.red_flags.present),
        clinician_cleared=submission.red_flags.clinician_cleared,
        clinician_note=submission.red_flags.clinician_note,
    )


def _intake(submission: AssessmentIn) -> Intake | None:
    data = submission.intake
    if data is None:
        return None
    return Intake(
        pain_duration_weeks=data.pain_duration_weeks,
        pain_pattern=PainPattern(data.pain_pattern),
        pain_distribution=PainDistribution(data.pain_distribution),
        aggravating=tuple(data.aggravating),
        easing=tuple(data.easing),
        prior_injuries=tuple(data.prior_injuries),
        surgery=tuple(data.surgery),
        work_goals=tuple(data.work_goals),
        sport_goals=tuple(data.sport_goals),
        patient_goals=tuple(data.patient_goals),
    )


def answers_from_text(text: str) -> Sequence[int | None]:
    """Parse ``2,1,-,3``: comma-separated whole numbers, ``-`` for a missing answer."""
    answers: list[int | None] = []
    for position, part in enumerate(text.split(","), start=1):
        token = part.strip()
        if token == "-":
            answers.append(None)
            continue
        try:
            answers.append(int(token))
        except ValueError:
            raise InvalidInput(
                f"answers[{position}]", f"must be a whole number or '-', got {token!r}"
            ) from None
    return answers


def instrument_changes(record: PatientRecord) -> list[InstrumentChange]:
    """For each questionnaire given at least twice in the record: first vs latest."""
    history: dict[str, list[tuple[ScoredAssessment, ScoreResult]]] = {}
    for scored in record.assessments:
        for instrument_id, result in scored.questionnaires.items():
            history.setdefault(instrument_id, []).append((scored, result))
    changes = []
    for instrument_id, results in history.items():
        if len(results) < 2:
            continue
        (first_scored, first), (latest_scored, latest) = results[0], results[-1]
        instrument = get_instrument(instrument_id)
        before = first_scored.assessment.questionnaires[instrument_id]
        after = latest_scored.assessment.questionnaires[instrument_id]
        per_item = (
            compare_items(instrument, before, after)
            if instrument.change.item_mdc is not None and len(before) == len(after)
            else ()
        )
        changes.append(
            InstrumentChange(
                instrument=instrument_id,
                first_at=first_scored.assessment.assessed_at,
                latest_at=latest_scored.assessment.assessed_at,
                change=compare(instrument, first, latest),
                item_changes=per_item,
            )
        )
    return changes

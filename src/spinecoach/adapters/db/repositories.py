"""SQLAlchemy repositories and the unit of work (one transaction per use case)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Self

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from spinecoach.domain.record import Assessment, Episode, Patient
from spinecoach.services.ports import AuditEvent

from .mapping import (
    assessment_from_row,
    assessment_to_row,
    episode_from_row,
    patient_from_row,
    patient_to_row,
)
from .tables import AssessmentRow, AuditRow, EpisodeRow, PatientDocumentRow, PatientRow

# Ids in one ``IN (...)`` list: well under SQLite's 32,766 bound parameters and PostgreSQL's
# 65,535, and short enough to plan quickly.
IN_CHUNK = 500


def chunked(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in lists of at most :data:`IN_CHUNK`, without duplicates."""
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), IN_CHUNK):
        yield unique[start : start + IN_CHUNK]


class SqlPatients:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, patient: Patient) -> Patient:
        row = patient_to_row(patient)
        self._session.add(row)
        self._session.flush()
        return patient_from_row(row)

    def get(self, patient_id: int) -> Patient | None:
        row = self._session.get(PatientRow, patient_id)
        return patient_from_row(row) if row else None

    def by_pseudonym(self, pseudonym: str) -> Patient | None:
        row = self._session.scalar(select(PatientRow).where(PatientRow.pseudonym == pseudonym))
        return patient_from_row(row) if row else None

    def all(self) -> list[Patient]:
        rows = self._session.scalars(select(PatientRow).order_by(PatientRow.pseudonym))
        return [patient_from_row(r) for r in rows]

    def versions(self, patient_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        """Per patient: episodes, assessments, documents and the documents' revisions,
        counted. Nothing stored about a patient is deleted, episodes and assessments are only
        added, and a replaced document raises its revision, so every write changes this."""
        counts = {patient_id: [0, 0, 0, 0] for patient_id in patient_ids}
        document = PatientDocumentRow
        for chunk in chunked(patient_ids):
            episodes = (
                select(EpisodeRow.patient_id, func.count())
                .where(EpisodeRow.patient_id.in_(chunk))
                .group_by(EpisodeRow.patient_id)
            )
            assessments = (
                select(EpisodeRow.patient_id, func.count(AssessmentRow.id))
                .join(AssessmentRow, AssessmentRow.episode_id == EpisodeRow.id)
                .where(EpisodeRow.patient_id.in_(chunk))
                .group_by(EpisodeRow.patient_id)
            )
            documents = (
                select(document.patient_id, func.count(), func.sum(document.revision))
                .where(document.patient_id.in_(chunk))
                .group_by(document.patient_id)
            )
            for patient_id, count in self._session.execute(episodes):
                counts[patient_id][0] = int(count)
            for patient_id, count in self._session.execute(assessments):
                counts[patient_id][1] = int(count)
            for patient_id, count, revisions in self._session.execute(documents):
                counts[patient_id][2:] = [int(count), int(revisions)]
        return {patient_id: tuple(found) for patient_id, found in counts.items()}


class SqlEpisodes:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, episode: Episode) -> Episode:
        row = EpisodeRow(
            patient_id=episode.patient_id,
            started_at=episode.started_at,
            ended_at=episode.ended_at,
            reason=episode.reason,
        )
        self._session.add(row)
        self._session.flush()
        return episode_from_row(row)

    def for_patient(self, patient_id: int) -> list[Episode]:
        return self.for_patients([patient_id])[patient_id]

    def for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Episode]]:
        """Each patient's episodes, oldest first, in one query per :data:`IN_CHUNK` patients
        (a caseload reads them all)."""
        found: dict[int, list[Episode]] = {patient_id: [] for patient_id in patient_ids}
        for chunk in chunked(patient_ids):
            rows = self._session.scalars(
                select(EpisodeRow)
                .where(EpisodeRow.patient_id.in_(chunk))
                .order_by(EpisodeRow.started_at, EpisodeRow.id)
            )
            for row in rows:
                found[row.patient_id].append(episode_from_row(row))
        return found


class SqlAssessments:
    """Append-only: rows are inserted, never updated or deleted."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, assessment: Assessment) -> Assessment:
        row = assessment_to_row(assessment)
        self._session.add(row)
        self._session.flush()
        return assessment_from_row(row)

    def get(self, assessment_id: int) -> Assessment | None:
        row = self._session.get(AssessmentRow, assessment_id)
        return assessment_from_row(row) if row else None

    def versions(self, lineage: str) -> list[Assessment]:
        rows = self._session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.lineage == lineage)
            .order_by(AssessmentRow.version)
        )
        return [assessment_from_row(r) for r in rows]

    def current_for_patient(self, patient_id: int) -> list[Assessment]:
        """The newest version of each assessment of the patient, oldest assessment first."""
        return self.current_for_patients([patient_id])[patient_id]

    def current_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Assessment]]:
        """:meth:`current_for_patient` of several patients, in one query per
        :data:`IN_CHUNK` of them."""
        found: dict[int, list[Assessment]] = {patient_id: [] for patient_id in patient_ids}
        newer = aliased(AssessmentRow)
        superseded = select(func.count(newer.id)).where(newer.supersedes_id == AssessmentRow.id)
        for chunk in chunked(patient_ids):
            rows = self._session.execute(
                select(EpisodeRow.patient_id, AssessmentRow)
                .join(EpisodeRow, EpisodeRow.id == AssessmentRow.episode_id)
                .where(EpisodeRow.patient_id.in_(chunk))
                .where(superseded.scalar_subquery() == 0)
                .order_by(AssessmentRow.assessed_at, AssessmentRow.id)
            )
            for patient_id, row in rows:
                found[patient_id].append(assessment_from_row(row))
        return found


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, event: AuditEvent) -> None:
        self._session.add(
            AuditRow(
                at=event.at,
                actor=event.actor,
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                detail=event.detail,
            )
        )

    def recent(self, limit: int = 50) -> list[AuditEvent]:
        rows = self._session.scalars(
            select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
        )
        return [
            AuditEvent(
                at=r.at,
                actor=r.actor,
                action=r.action,
                entity=r.entity,
                entity_id=r.entity_id,
                detail=r.detail,
            )
            for r in rows
        ]


class SqlUnitOfWork:
    """A session and its repositories; rolls back unless :meth:`commit` was called."""

    patients: SqlPatients
    episodes: SqlEpisodes
    assessments: SqlAssessments
    audit: SqlAuditLog

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.patients = SqlPatients(self._session)
        self.episodes = SqlEpisodes(self._session)
        self.assessments = SqlAssessments(self._session)
        self.audit = SqlAuditLog(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._session.rollback()
        self._session.close()

    def commit(self) -> None:
        self._session.commit()

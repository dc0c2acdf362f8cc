"""What services need from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from spinecoach.domain.record import Assessment, Episode, Patient


class PatientRepository(Protocol):
    """Patients by id and pseudonym."""

    def add(self, patient: Patient) -> Patient: ...
    def get(self, patient_id: int) -> Patient | None: ...
    def by_pseudonym(self, pseudonym: str) -> Patient | None: ...
    def all(self) -> list[Patient]: ...


class EpisodeRepository(Protocol):
    """Episodes of care."""

    def add(self, episode: Episode) -> Episode: ...
    def for_patient(self, patient_id: int) -> list[Episode]: ...


class AssessmentRepository(Protocol):
    """Assessments are append-only: there is no update and no delete."""

    def add(self, assessment: Assessment) -> Assessment: ...
    def get(self, assessment_id: int) -> Assessment | None: ...
    def versions(self, lineage: str) -> list[Assessment]: ...
    def current_for_patient(self, patient_id: int) -> list[Assessment]: ...


@dataclass(frozen=True)
class AuditEvent:
    """Who read or wrote which patient data, and when."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    detail: str = ""


class AuditLog(Protocol):
    """Append-only log of every read and write of patient data."""

    def record(self, event: AuditEvent) -> None: ...
    def recent(self, limit: int = 50) -> list[AuditEvent]: ...


class UnitOfWork(Protocol):
    """One use case = one transaction. Leaving without commit() rolls back."""

    @property
    def patients(self) -> PatientRepository: ...
    @property
    def episodes(self) -> EpisodeRepository: ...
    @property
    def assessments(self) -> AssessmentRepository: ...
    @property
    def audit(self) -> AuditLog: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use case."""

    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    """The current time, always timezone-aware UTC."""

    def now(self) -> datetime: ...

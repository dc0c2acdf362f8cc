"""What services need from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from spinecoach.domain.accounts import User
from spinecoach.domain.record import Assessment, Episode, Patient


class PatientRepository(Protocol):
    """Patients by id and pseudonym."""

    def add(self, patient: Patient) -> Patient: ...
    def get(self, patient_id: int) -> Patient | None: ...
    def by_pseudonym(self, pseudonym: str) -> Patient | None: ...
    def all(self) -> list[Patient]: ...
    def versions(self, patient_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        """A value per patient that changes with every write about the patient (a record
        only grows: what is derived from it can be kept until this changes)."""
        ...


class EpisodeRepository(Protocol):
    """Episodes of care."""

    def add(self, episode: Episode) -> Episode: ...
    def for_patient(self, patient_id: int) -> list[Episode]: ...
    def for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Episode]]: ...


class AssessmentRepository(Protocol):
    """Assessments are append-only: there is no update and no delete."""

    def add(self, assessment: Assessment) -> Assessment: ...
    def get(self, assessment_id: int) -> Assessment | None: ...
    def versions(self, lineage: str) -> list[Assessment]: ...
    def current_for_patient(self, patient_id: int) -> list[Assessment]: ...
    def current_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Assessment]]: ...


@dataclass(frozen=True)
class AuditEvent:
    """Who read or wrote which patient data, and when."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    detail: str = ""


def audit_event(
    at: datetime, actor: str, action: str, entity: str, entity_id: str, detail: str = ""
) -> AuditEvent:
    """An audit event with actor and id cut to their column widths (100 and 60)."""
    return AuditEvent(
        at=at,
        actor=actor[:100],
        action=action,
        entity=entity,
        entity_id=entity_id[:60],
        detail=detail,
    )


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


# -- accounts, care team and what patients record between assessments ------------------------


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser (looked up by the hash of its cookie token)."""

    user_id: int
    csrf_token: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Invite:
    """A one-time invitation for a patient to create their account."""

    id: int
    patient_id: int
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class PatientDocument:
    """One JSON document about a patient: ``kind`` says which (``session``, ``diary`` …),
    ``key`` which one of that kind (a day, ``settings``, a check-in id)."""

    patient_id: int
    kind: str
    key: str
    data: dict[str, Any]
    updated_at: datetime
    updated_by: str


class UserRepository(Protocol):
    """Accounts."""

    def add(self, user: User) -> User: ...
    def get(self, user_id: int) -> User | None: ...
    def by_username(self, username: str) -> User | None: ...
    def by_patient(self, patient_id: int) -> User | None: ...
    def all(self) -> list[User]: ...
    def set_active(self, user_id: int, active: bool) -> None: ...


class CareTeamRepository(Protocol):
    """Which clinician cares for which patient."""

    def assign(self, clinician_id: int, patient_id: int, at: datetime) -> None: ...
    def patients_of(self, clinician_id: int) -> set[int]: ...
    def clinicians_of(self, patient_id: int) -> set[int]: ...


class InviteRepository(Protocol):
    """Invitations, by the hash of their token."""

    def add(
        self,
        token_hash: str,
        *,
        patient_id: int,
        created_by: int,
        created_at: datetime,
        expires_at: datetime,
    ) -> None: ...
    def by_token(self, token_hash: str) -> Invite | None: ...
    def mark_used(self, invite_id: int, at: datetime) -> bool: ...


class WebSessionRepository(Protocol):
    """Server-side sessions, by the hash of their cookie token."""

    def add(self, token_hash: str, session: WebSession) -> None: ...
    def get(self, token_hash: str) -> WebSession | None: ...
    def delete(self, token_hash: str) -> None: ...
    def delete_for_user(self, user_id: int) -> None: ...


class LoginFailureRepository(Protocol):
    """Failed sign-ins, by key (account name or client address)."""

    def add(self, key: str, at: datetime) -> None: ...
    def count_since(self, key: str, since: datetime) -> int: ...
    def clear(self, key: str) -> None: ...


class DocumentRepository(Protocol):
    """Patient documents; ``put`` replaces the document with the same (patient, kind, key)."""

    def put(self, document: PatientDocument) -> None: ...
    def get(self, patient_id: int, kind: str, key: str) -> PatientDocument | None: ...
    def list(self, patient_id: int, kind: str) -> list[PatientDocument]: ...
    def by_kind(
        self, patient_id: int, kinds: Sequence[str]
    ) -> dict[str, tuple[PatientDocument, ...]]: ...
    def by_kind_for(
        self, patient_ids: Sequence[int], kinds: Sequence[str]
    ) -> dict[int, dict[str, tuple[PatientDocument, ...]]]: ...


class CareUnitOfWork(UnitOfWork, Protocol):
    """The clinical record's unit of work plus accounts and patient documents."""

    @property
    def users(self) -> UserRepository: ...
    @property
    def care_team(self) -> CareTeamRepository: ...
    @property
    def invites(self) -> InviteRepository: ...
    @property
    def web_sessions(self) -> WebSessionRepository: ...
    @property
    def login_failures(self) -> LoginFailureRepository: ...
    @property
    def documents(self) -> DocumentRepository: ...


class CareUnitOfWorkFactory(Protocol):
    """Makes a fresh care unit of work per use case."""

    def __call__(self) -> CareUnitOfWork: ...


class PasswordHasher(Protocol):
    """Slow, salted password hashing (the adapter uses Argon2id)."""

    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...

"""SQL repositories for accounts, the care team, sessions, invites and patient documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, Self

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from spinecoach.domain.accounts import Role, User
from spinecoach.services.ports import Invite, PatientDocument, WebSession

from .repositories import SqlUnitOfWork, chunked
from .tables import (
    CareAssignmentRow,
    InviteRow,
    LoginFailureRow,
    PatientDocumentRow,
    UserRow,
    WebSessionRow,
)


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        password_hash=row.password_hash,
        patient_id=row.patient_id,
        active=row.active,
        created_at=row.created_at,
    )


class SqlUsers:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, user: User) -> User:
        row = UserRow(
            username=user.username,
            display_name=user.display_name,
            role=user.role.value,
            password_hash=user.password_hash,
            patient_id=user.patient_id,
            active=user.active,
            created_at=user.created_at,
        )
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def get(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return _user(row) if row else None

    def by_username(self, username: str) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.username == username))
        return _user(row) if row else None

    def by_patient(self, patient_id: int) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.patient_id == patient_id))
        return _user(row) if row else None

    def all(self) -> list[User]:
        return [_user(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.username))]

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))


class SqlCareTeam:
    def __init__(self, session: Session) -> None:
        self._session = session

    def assign(self, clinician_id: int, patient_id: int, at: datetime) -> None:
        if patient_id not in self.patients_of(clinician_id):
            self._session.add(
                CareAssignmentRow(clinician_id=clinician_id, patient_id=patient_id, created_at=at)
            )
            self._session.flush()

    def patients_of(self, clinician_id: int) -> set[int]:
        query = select(CareAssignmentRow.patient_id).where(
            CareAssignmentRow.clinician_id == clinician_id
        )
        return set(self._session.scalars(query))

    def clinicians_of(self, patient_id: int) -> set[int]:
        query = select(CareAssignmentRow.clinician_id).where(
            CareAssignmentRow.patient_id == patient_id
        )
        return set(self._session.scalars(query))


class SqlInvites:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        token_hash: str,
        *,
        patient_id: int,
        created_by: int,
        created_at: datetime,
        expires_at: datetime,
    ) -> None:
        self._session.add(
            InviteRow(
                token_hash=token_hash,
                patient_id=patient_id,
                created_by=created_by,
                created_at=created_at,
                expires_at=expires_at,
            )
        )
        self._session.flush()

    def by_token(self, token_hash: str) -> Invite | None:
        row = self._session.scalar(select(InviteRow).where(InviteRow.token_hash == token_hash))
        if row is None:
            return None
        return Invite(
            id=row.id,
            patient_id=row.patient_id,
            created_by=row.created_by,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    def mark_used(self, invite_id: int, at: datetime) -> bool:
        """Mark once: the conditional update makes two racing uses count as one."""
        result = self._session.execute(
            update(InviteRow)
            .where(InviteRow.id == invite_id, InviteRow.used_at.is_(None))
            .values(used_at=at)
        )
        return bool(getattr(result, "rowcount", 0))


class SqlWebSessions:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, token_hash: str, session: WebSession) -> None:
        self._session.add(
            WebSessionRow(
                token_hash=token_hash,
                user_id=session.user_id,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )
        self._session.flush()

    def get(self, token_hash: str) -> WebSession | None:
        row = self._session.scalar(
            select(WebSessionRow).where(WebSessionRow.token_hash == token_hash)
        )
        if row is None:
            return None
        return WebSession(
            user_id=row.user_id,
            csrf_token=row.csrf_token,
            created_at=row.created_at,
            expires_at=row.expires_at,
        )

    def delete(self, token_hash: str) -> None:
        self._session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    def delete_for_user(self, user_id: int) -> None:
        self._session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))


class SqlLoginFailures:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, key: str, at: datetime) -> None:
        self._session.add(LoginFailureRow(key=key, at=at))

    def count_since(self, key: str, since: datetime) -> int:
        query = select(func.count(LoginFailureRow.id)).where(
            LoginFailureRow.key == key, LoginFailureRow.at >= since
        )
        return int(self._session.scalar(query) or 0)

    def clear(self, key: str) -> None:
        self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


class _DocumentFields(Protocol):
    """A stored document's columns: an ORM row, or a plain row selected column by column."""

    patient_id: int
    kind: str
    key: str
    data: dict[str, Any]
    updated_at: datetime
    updated_by: str


def _document(row: _DocumentFields) -> PatientDocument:
    return PatientDocument(
        patient_id=row.patient_id,
        kind=row.kind,
        key=row.key,
        data=dict(row.data),
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class SqlDocuments:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, patient_id: int, kind: str, key: str) -> PatientDocumentRow | None:
        return self._session.scalar(
            select(PatientDocumentRow).where(
                PatientDocumentRow.patient_id == patient_id,
                PatientDocumentRow.kind == kind,
                PatientDocumentRow.key == key,
            )
        )

    def put(self, document: PatientDocument) -> None:
        row = self._row(document.patient_id, document.kind, document.key)
        if row is None:
            row = PatientDocumentRow(
                patient_id=document.patient_id, kind=document.kind, key=document.key
            )
            self._session.add(row)
        else:
            row.revision = row.revision + 1  # how a replacement shows (migration 0003)
        row.data = dict(document.data)
        row.updated_at = document.updated_at
        row.updated_by = document.updated_by
        self._session.flush()

    def get(self, patient_id: int, kind: str, key: str) -> PatientDocument | None:
        row = self._row(patient_id, kind, key)
        return _document(row) if row else None

    def list(self, patient_id: int, kind: str) -> list[PatientDocument]:
        return [*self.by_kind(patient_id, (kind,))[kind]]

    def by_kind(
        self, patient_id: int, kinds: Sequence[str]
    ) -> dict[str, tuple[PatientDocument, ...]]:
        """Several kinds in one query (a page about a patient reads five or six of them)."""
        return self.by_kind_for([patient_id], kinds)[patient_id]

    def by_kind_for(
        self, patient_ids: Sequence[int], kinds: Sequence[str]
    ) -> dict[int, dict[str, tuple[PatientDocument, ...]]]:
        """:meth:`by_kind` for several patients (a caseload), in one query per
        :data:`~.repositories.IN_CHUNK` of them. Plain rows, not ORM objects: documents are
        only read here, and a caseload reads thousands."""
        found: dict[int, dict[str, list[PatientDocument]]] = {
            patient_id: {kind: [] for kind in kinds} for patient_id in patient_ids
        }
        table = PatientDocumentRow
        for chunk in chunked(patient_ids):
            rows = self._session.execute(
                select(
                    table.patient_id,
                    table.kind,
                    table.key,
                    table.data,
                    table.updated_at,
                    table.updated_by,
                )
                .where(table.patient_id.in_(chunk), table.kind.in_(list(kinds)))
                .order_by(table.patient_id, table.kind, table.key)
            )
            for row in rows:
                found[row.patient_id][row.kind].append(_document(row))
        return {
            patient_id: {kind: tuple(documents) for kind, documents in by_kind.items()}
            for patient_id, by_kind in found.items()
        }


class SqlCareUnitOfWork(SqlUnitOfWork):
    """The clinical record's unit of work plus accounts and patient documents."""

    users: SqlUsers
    care_team: SqlCareTeam
    invites: SqlInvites
    web_sessions: SqlWebSessions
    login_failures: SqlLoginFailures
    documents: SqlDocuments

    def __enter__(self) -> Self:
        super().__enter__()
        self.users = SqlUsers(self._session)
        self.care_team = SqlCareTeam(self._session)
        self.invites = SqlInvites(self._session)
        self.web_sessions = SqlWebSessions(self._session)
        self.login_failures = SqlLoginFailures(self._session)
        self.documents = SqlDocuments(self._session)
        return self

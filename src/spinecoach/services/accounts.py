"""Accounts: sign-in with throttling, server-side sessions, invitations, user management.

Tokens (session cookies, invite links) are 256-bit random values; only their SHA-256 is stored,
so a copy of the database does not let anyone sign in. Every sign-in makes a new session token
(no session fixation) and every sign-out deletes it on the server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from spinecoach.domain.accounts import (
    Principal,
    Role,
    User,
    check_new_password,
    check_username,
)
from spinecoach.domain.errors import InvalidInput

from .clinic import NotFound
from .ports import (
    AuditEvent,
    CareUnitOfWork,
    CareUnitOfWorkFactory,
    Clock,
    Invite,
    PasswordHasher,
    audit_event,
)
from .ports import WebSession as StoredSession

SESSION_LIFETIME = timedelta(hours=12)
INVITE_LIFETIME = timedelta(days=7)
# OWASP Authentication Cheat Sheet: throttle repeated failures per account and per source.
# Five failures in fifteen minutes lock that key for the rest of the window (our choice).
THROTTLE_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)


class AccessDenied(InvalidInput):
    """The principal may not do this (shown as "not allowed", never as what exists)."""


class SignInRefused(InvalidInput):
    """Wrong account name or password, a disabled account, or too many attempts."""


@dataclass(frozen=True)
class SignedIn:
    """A new session: the cookie token (given to the browser once) and who it is."""

    token: str
    csrf_token: str
    principal: Principal


@dataclass(frozen=True)
class ActiveSession:
    """A valid session found by its cookie token."""

    principal: Principal
    csrf_token: str


def token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    """The principal an account acts as."""
    assert user.id is not None
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        patient_id=user.patient_id,
        display_name=user.display_name or user.username,
    )


class AccountService:
    """Sign-in, sessions, invitations and user management."""

    def __init__(
        self, *, uow_factory: CareUnitOfWorkFactory, clock: Clock, passwords: PasswordHasher
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._passwords = passwords
        # Verifying against a real hash when the account does not exist keeps the timing of
        # "no such user" and "wrong password" alike (no account enumeration by timing).
        self._decoy_hash = passwords.hash(secrets.token_urlsafe(16))

    # -- sign-in and sessions ---------------------------------------------------------------

    def sign_in(self, *, username: str, password: str, client: str) -> SignedIn:
        """A new session for correct credentials; raises SignInRefused otherwise."""
        name = username.strip().lower()
        now = self._clock.now()
        keys = (f"user:{name}"[:120], f"client:{client}"[:120])
        with self._uow_factory() as uow:
            since = now - THROTTLE_WINDOW
            if any(uow.login_failures.count_since(k, since) >= THROTTLE_FAILURES for k in keys):
                self._audit(uow, name or "?", "sign_in_throttled", "account", name, client)
                uow.commit()
                raise SignInRefused(
                    "username",
                    "too many failed sign-ins; wait 15 minutes and try again",
                )
            user = uow.users.by_username(name)
            valid = self._passwords.verify(
                user.password_hash if user else self._decoy_hash, password
            )
            if user is None or not valid or not user.active:
                for key in keys:
                    uow.login_failures.add(key, now)
                self._audit(uow, name or "?", "sign_in_failed", "account", name, client)
                uow.commit()
                raise SignInRefused("username", "wrong account name or password")
            uow.login_failures.clear(keys[0])
            signed_in = self._new_session(uow, user, now)
            self._audit(uow, principal_of(user).label, "sign_in", "account", name, client)
            uow.commit()
            return signed_in

    def session(self, token: str) -> ActiveSession | None:
        """The session of a cookie token, if it exists, has not expired and its account is
        active."""
        if not token:
            return None
        with self._uow_factory() as uow:
            stored = uow.web_sessions.get(token_hash(token))
            if stored is None or stored.expires_at <= self._clock.now():
                return None
            user = uow.users.get(stored.user_id)
            if user is None or not user.active:
                return None
            return ActiveSession(principal=principal_of(user), csrf_token=stored.csrf_token)

    def sign_out(self, token: str) -> None:
        """Delete the session on the server (the cookie alone is then worthless)."""
        with self._uow_factory() as uow:
            uow.web_sessions.delete(token_hash(token))
            uow.commit()

    # -- users ------------------------------------------------------------------------------

    def has_accounts(self) -> bool:
        """Whether any account exists (a new installation has none)."""
        with self._uow_factory() as uow:
            return bool(uow.users.all())

    def create_user(
        self,
        *,
        principal: Principal | None,
        username: str,
        password: str,
        role: Role,
        display_name: str = "",
    ) -> User:
        """A clinician or admin account (admins only; ``principal=None`` is the installer)."""
        if principal is not None and principal.role is not Role.ADMIN:
            raise AccessDenied("role", "only an administrator creates staff accounts")
        if role is Role.PATIENT:
            raise InvalidInput("role", "patients join through their clinician's invitation")
        name = check_username(username.strip().lower())
        check_new_password(password, username=name)
        with self._uow_factory() as uow:
            if uow.users.by_username(name) is not None:
                raise InvalidInput("username", f"{name!r} is taken")
            user = uow.users.add(
                User(
                    username=name,
                    role=role,
                    password_hash=self._passwords.hash(password),
                    display_name=display_name.strip()[:100],
                    created_at=self._clock.now(),
                )
            )
            actor = principal.label if principal else "installer"
            self._audit(uow, actor, "create", "account", name, role.value)
            uow.commit()
            return user

    def users(self, *, principal: Principal) -> list[User]:
        """Every account (admins only)."""
        self._require(principal, Role.ADMIN)
        with self._uow_factory() as uow:
            users = uow.users.all()
            self._audit(uow, principal.label, "list", "account", "*")
            uow.commit()
            return users

    def set_active(self, *, principal: Principal, username: str, active: bool) -> None:
        """Enable or disable an account (admins only); disabling ends its sessions."""
        self._require(principal, Role.ADMIN)
        with self._uow_factory() as uow:
            user = uow.users.by_username(username)
            if user is None or user.id is None:
                raise NotFound("username", f"no account {username!r}")
            if user.id == principal.user_id and not active:
                raise InvalidInput("username", "you cannot disable your own account")
            uow.users.set_active(user.id, active)
            if not active:
                uow.web_sessions.delete_for_user(user.id)
            action = "enable" if active else "disable"
            self._audit(uow, principal.label, action, "account", username)
            uow.commit()

    def audit_log(self, *, principal: Principal, limit: int = 200) -> list[AuditEvent]:
        """The newest audit events (admins only)."""
        self._require(principal, Role.ADMIN)
        with self._uow_factory() as uow:
            events = uow.audit.recent(limit)
            self._audit(uow, principal.label, "read", "audit_log", "*", f"{len(events)} events")
            uow.commit()
            return events

    # -- invitations ------------------------------------------------------------------------

    def patient_has_account(self, principal: Principal, pseudonym: str) -> bool:
        """Whether a patient in this clinician's care has signed up yet."""
        self._require(principal, Role.CLINICIAN)
        with self._uow_factory() as uow:
            patient_id = self._in_care(uow, principal, pseudonym)
            return uow.users.by_patient(patient_id) is not None

    def invite_patient(self, *, principal: Principal, pseudonym: str) -> str:
        """A one-time token for the patient's invitation link (clinicians in their care)."""
        self._require(principal, Role.CLINICIAN)
        with self._uow_factory() as uow:
            patient_id = self._in_care(uow, principal, pseudonym)
            if uow.users.by_patient(patient_id) is not None:
                raise InvalidInput("patient", f"{pseudonym} already has an account")
            token = secrets.token_urlsafe(32)
            now = self._clock.now()
            uow.invites.add(
                token_hash(token),
                patient_id=patient_id,
                created_by=principal.user_id,
                created_at=now,
                expires_at=now + INVITE_LIFETIME,
            )
            self._audit(uow, principal.label, "invite", "patient", pseudonym)
            uow.commit()
            return token

    def invite_for(self, token: str) -> str:
        """The pseudonym an unused, unexpired invitation is for (NotFound otherwise)."""
        with self._uow_factory() as uow:
            invite = self._usable_invite(uow, token)
            patient = uow.patients.get(invite.patient_id)
            assert patient is not None
            return patient.pseudonym

    def accept_invite(self, *, token: str, username: str, password: str) -> SignedIn:
        """Create the patient's account from the invitation and sign them in; the link then
        stops working."""
        name = check_username(username.strip().lower())
        check_new_password(password, username=name)
        with self._uow_factory() as uow:
            invite = self._usable_invite(uow, token)
            if uow.users.by_username(name) is not None:
                raise InvalidInput("username", f"{name!r} is taken")
            if uow.users.by_patient(invite.patient_id) is not None:
                raise InvalidInput("invite", "this patient already has an account")
            now = self._clock.now()
            if not uow.invites.mark_used(invite.id, now):
                raise NotFound("invite", "this invitation link has already been used")
            user = uow.users.add(
                User(
                    username=name,
                    role=Role.PATIENT,
                    password_hash=self._passwords.hash(password),
                    patient_id=invite.patient_id,
                    created_at=now,
                )
            )
            signed_in = self._new_session(uow, user, now)
            self._audit(uow, principal_of(user).label, "accept_invite", "account", name)
            uow.commit()
            return signed_in

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _in_care(uow: CareUnitOfWork, principal: Principal, pseudonym: str) -> int:
        """The id of a patient in this clinician's care (NotFound otherwise)."""
        patient = uow.patients.by_pseudonym(pseudonym)
        if patient is None or patient.id not in uow.care_team.patients_of(principal.user_id):
            raise NotFound("patient", f"no patient {pseudonym!r} in your care")
        assert patient.id is not None
        return patient.id

    def _usable_invite(self, uow: CareUnitOfWork, token: str) -> Invite:
        invite = uow.invites.by_token(token_hash(token)) if token else None
        if invite is None or invite.used_at is not None or invite.expires_at <= self._clock.now():
            raise NotFound("invite", "this invitation link is not valid (used or expired)")
        return invite

    def _new_session(self, uow: CareUnitOfWork, user: User, now: datetime) -> SignedIn:
        assert user.id is not None
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        uow.web_sessions.add(
            token_hash(token),
            StoredSession(
                user_id=user.id, csrf_token=csrf, created_at=now, expires_at=now + SESSION_LIFETIME
            ),
        )
        return SignedIn(token=token, csrf_token=csrf, principal=principal_of(user))

    @staticmethod
    def _require(principal: Principal, role: Role) -> None:
        if principal.role is not role:
            raise AccessDenied("role", f"this needs a {role.value} account")

    def _audit(
        self,
        uow: CareUnitOfWork,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        detail: str = "",
    ) -> None:
        uow.audit.record(audit_event(self._clock.now(), actor, action, entity, entity_id, detail))


def same_token(given: str, expected: str) -> bool:
    """Constant-time comparison of two tokens (CSRF)."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())

"""Accounts and who may see what: roles, users, and the principal a request acts as.

The record is health data, so access follows least privilege: a patient sees only their own
record, a clinician only the patients in their care, and an administrator manages accounts and
reads the audit log but no clinical record (docs/security.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from spinecoach.domain.errors import InvalidInput

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.@-]{2,63}$")
# NIST SP 800-63B §5.1.1.2: at least 8 characters for memorised secrets chosen by the user,
# at most 64 must be allowed; we ask for 10 because the data behind the login is health data.
PASSWORD_MIN = 10
PASSWORD_MAX = 128


class Role(Enum):
    """What an account is for."""

    PATIENT = "patient"
    CLINICIAN = "clinician"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    """An account. A patient account belongs to exactly one patient record."""

    username: str
    role: Role
    password_hash: str
    patient_id: int | None = None
    display_name: str = ""
    active: bool = True
    id: int | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        check_username(self.username)
        if (self.role is Role.PATIENT) != (self.patient_id is not None):
            raise InvalidInput("role", "a patient account needs its patient record, others none")


@dataclass(frozen=True)
class Principal:
    """The authenticated user a request acts for; every service call names one."""

    user_id: int
    username: str
    role: Role
    patient_id: int | None = None
    display_name: str = ""

    @property
    def label(self) -> str:
        """How the audit log names this actor."""
        return f"{self.role.value}:{self.username}"


def check_username(username: str) -> str:
    """3–64 lower-case letters, digits, '.', '_', '-', '@', starting with a letter or digit."""
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "username",
            "3–64 lower-case letters, digits, '.', '_', '-' or '@', "
            "starting with a letter or digit",
        )
    return username


def check_new_password(password: str, *, username: str) -> str:
    """Length and the obvious: not the username (NIST SP 800-63B §5.1.1.2)."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput("password", f"must be at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("password", f"must be at most {PASSWORD_MAX} characters")
    if password.casefold() == username.casefold() or username.casefold() in password.casefold():
        raise InvalidInput("password", "must not contain the username")
    return password

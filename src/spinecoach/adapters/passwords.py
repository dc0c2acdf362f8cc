"""Argon2id password hashing (argon2-cffi, RFC 9106 parameters).

Argon2id is OWASP's first recommendation for password storage (Password Storage Cheat Sheet);
argon2-cffi's defaults are RFC 9106's low-memory profile (t=3, m=64 MiB, p=4).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Passwords:
    """The services' PasswordHasher port, with Argon2id."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @classmethod
    def fast_for_tests(cls) -> Argon2Passwords:
        """Argon2id with tiny costs: the same code path, milliseconds instead of ~100 ms."""
        return cls(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

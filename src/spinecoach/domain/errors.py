"""Domain errors that name the field, what was expected and what came.

They become a one-line CLI message (exit 2) or a 4xx only at the edge.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause with bad input."""


class InvalidInput(DomainError):
    """A value given by a user is not acceptable.

    ``field`` names the input (``"answers[4]"``, ``"extensor_seconds"``); ``problem`` says what
    was expected and what came.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class CannotScore(DomainError):
    """The answers are valid but too incomplete to score under the missing-item policy."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")

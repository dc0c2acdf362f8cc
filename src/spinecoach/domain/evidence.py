"""Explainable statements: every automated judgement carries its rule, inputs and source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Scalar = float | int | str | bool | None


@dataclass(frozen=True)
class Evidence:
    """One judgement spinecoach makes, with everything needed to check or overrule it.

    ``verified`` is False when the threshold behind the rule is tagged [U] (unverified) in the
    clinical reference: such a statement is shown as a "reference value (unverified)" and must
    never drive a decision on its own.
    """

    code: str
    statement: str
    rule: str
    inputs: Mapping[str, Scalar] = field(default_factory=lambda: MappingProxyType({}))
    reference: str = ""
    verified: bool = True

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "code": self.code,
            "statement": self.statement,
            "rule": self.rule,
            "inputs": dict(self.inputs),
            "reference": self.reference,
            "verified": self.verified,
        }


def format_number(value: float, decimals: int = 2) -> str:
    """A number for a sentence, without trailing zeros: ``6.5``, ``32``."""
    text = f"{value:.{decimals}f}"
    if decimals > 0:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text

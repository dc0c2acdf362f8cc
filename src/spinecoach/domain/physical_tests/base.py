"""Shared shape of every physical test: named numeric inputs in, explained result out."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence


class Sex(Enum):
    """Sex as recorded for norm look-up (norms are published per sex)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


@dataclass(frozen=True)
class PersonContext:
    """What norms need to know about the person tested (both optional)."""

    age: int | None = None
    sex: Sex | None = None


@dataclass(frozen=True)
class InputSpec:
    """One named input of a test: unit, allowed range, and whether it is a whole number,
    a yes/no value, one of a fixed set of codes (``choices``) or a short free-text note
    (``"text"``, at most ``max_length`` characters, e.g. the fault a physiotherapist saw)."""

    name: str
    unit: str
    minimum: float = 0.0
    maximum: float = math.inf
    kind: str = "number"  # "number" | "integer" | "boolean" | "choice" | "text"
    choices: tuple[str, ...] = ()
    required: bool = True
    help: str = ""
    max_length: int = 200  # only for kind "text"


@dataclass(frozen=True)
class TestResult:
    """A scored physical test. ``values`` holds measured and derived numbers (unrounded),
    ``units`` their units, ``category`` the band if the test has one, ``findings`` every
    flag with its rule, inputs and source, ``reference`` norms shown for context, and
    ``summary`` one chart-ready line written by the test itself (rounded, with units; empty
    when the test does not provide one)."""

    test: str
    values: Mapping[str, float | bool | str]
    units: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    category: str | None = None
    findings: tuple[Evidence, ...] = ()
    reference: tuple[Evidence, ...] = ()
    summary: str = ""

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "test": self.test,
            "values": dict(self.values),
            "units": dict(self.units),
            "category": self.category,
            "findings": [f.as_dict() for f in self.findings],
            "reference": [r.as_dict() for r in self.reference],
            "summary": self.summary,
        }


Evaluator = Callable[[Mapping[str, float | bool | str], PersonContext], TestResult]


@dataclass(frozen=True)
class PhysicalTest:
    """A test definition: id, name, inputs, citation and its evaluation function."""

    id: str
    name: str
    inputs: tuple[InputSpec, ...]
    citations: tuple[str, ...]
    evaluator: Evaluator

    def evaluate(
        self, values: Mapping[str, object], /, *, person: PersonContext | None = None
    ) -> TestResult:
        """Validate ``values`` against :attr:`inputs` and evaluate.

        Raises :class:`InvalidInput` naming the first unknown, missing or out-of-range input.
        """
        clean = validate_inputs(self, values)
        return self.evaluator(clean, person or PersonContext())


def validate_inputs(
    test: PhysicalTest, values: Mapping[str, object]
) -> dict[str, float | bool | str]:
    """Check names, types and ranges; return the values in canonical types."""
    known = {spec.name: spec for spec in test.inputs}
    for name in values:
        if name not in known:
            raise InvalidInput(
                f"{test.id}.{name}", f"unknown input; expected one of: {', '.join(known)}"
            )
    clean: dict[str, float | bool | str] = {}
    for spec in test.inputs:
        field_name = f"{test.id}.{spec.name}"
        raw = values.get(spec.name)
        if raw is None:
            if spec.required:
                raise InvalidInput(field_name, f"is required ({expected_value(spec)})")
            continue
        clean[spec.name] = _coerce(spec, field_name, raw)
    return clean


def expected_value(spec: InputSpec) -> str:
    """What an input takes, in words: ``pass or fail``, ``true or false``, ``s``, ``text``."""
    if spec.kind == "choice" and spec.choices:
        *rest, last = spec.choices
        return f"{', '.join(rest)} or {last}" if rest else last
    if spec.kind == "boolean":
        return "true or false"
    return spec.unit or spec.kind


def _coerce(spec: InputSpec, field_name: str, raw: object) -> float | bool | str:
    if spec.kind == "boolean":
        if isinstance(raw, bool):
            return raw
        raise InvalidInput(field_name, f"must be true or false, got {raw!r}")
    if spec.kind == "choice":
        if isinstance(raw, str) and raw in spec.choices:
            return raw
        raise InvalidInput(field_name, f"must be one of {', '.join(spec.choices)}, got {raw!r}")
    if spec.kind == "text":
        if not isinstance(raw, str):
            raise InvalidInput(field_name, f"must be text, got {type(raw).__name__}")
        if len(raw) > spec.max_length:
            raise InvalidInput(
                field_name, f"must be at most {spec.max_length} characters, got {len(raw)}"
            )
        return raw.strip()
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidInput(field_name, f"must be a number ({spec.unit}), got {raw!r}")
    number = float(raw)
    if math.isnan(number) or math.isinf(number):
        raise InvalidInput(field_name, f"must be a finite number, got {raw!r}")
    if spec.kind == "integer" and not number.is_integer():
        raise InvalidInput(field_name, f"must be a whole number, got {raw!r}")
    if not spec.minimum <= number <= spec.maximum:
        upper = "" if math.isinf(spec.maximum) else f"–{spec.maximum:g}"
        raise InvalidInput(
            field_name, f"must be {spec.minimum:g}{upper} {spec.unit}".rstrip() + f", got {raw!r}"
        )
    return number

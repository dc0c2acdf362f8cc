"""Shared helpers for the physical-test unit tests."""

from __future__ import annotations

from collections.abc import Mapping

from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import PersonContext, Sex, TestResult
from spinecoach.domain.physical_tests.registry import get_physical_test

MAN = PersonContext(age=40, sex=Sex.MALE)
WOMAN = PersonContext(age=40, sex=Sex.FEMALE)


def run(
    test_id: str, values: Mapping[str, object], person: PersonContext | None = None
) -> TestResult:
    return get_physical_test(test_id).evaluate(values, person=person)


def codes(result: TestResult) -> set[str]:
    return {f.code for f in result.findings}


def reference_codes(result: TestResult) -> set[str]:
    return {r.code for r in result.reference}


def finding(result: TestResult, code: str) -> Evidence:
    matches = [f for f in result.findings if f.code == code]
    assert len(matches) == 1, f"expected one {code}, got {codes(result)}"
    return matches[0]

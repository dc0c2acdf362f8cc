"""Scoring a whole assessment: every questionnaire, every physical test, the red-flag screen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from spinecoach.domain.errors import CannotScore, InvalidInput
from spinecoach.domain.instruments.base import ScoreResult
from spinecoach.domain.instruments.registry import get_instrument
from spinecoach.domain.physical_tests.base import PersonContext, TestResult
from spinecoach.domain.physical_tests.registry import get_physical_test
from spinecoach.domain.record import Assessment, Patient
from spinecoach.domain.red_flags import RedFlagOutcome, evaluate_red_flags


@dataclass(frozen=True)
class ScoredAssessment:
    """An assessment with everything derived from it."""

    assessment: Assessment
    questionnaires: Mapping[str, ScoreResult] = field(default_factory=lambda: MappingProxyType({}))
    tests: Mapping[str, TestResult] = field(default_factory=lambda: MappingProxyType({}))
    red_flags: RedFlagOutcome | None = None


def _under(where: str, field: str) -> str:
    """A questionnaire error's field under its key: ``answers[3]`` → ``questionnaires.odi[3]``."""
    if field == "instrument":
        return where
    return where + field.removeprefix("answers") if field.startswith("answers") else where


def person_context(patient: Patient) -> PersonContext:
    """What norms need to know about the patient."""
    return PersonContext(age=patient.age, sex=patient.sex)


def score_assessment(assessment: Assessment, patient: Patient) -> ScoredAssessment:
    """Score everything; the first invalid or unscorable entry raises with its field path.

    Raising (rather than skipping) is deliberate: a form that cannot be scored must be fixed
    before it is stored, so nothing half-valid enters the record.
    """
    scores: dict[str, ScoreResult] = {}
    for instrument_id, answers in assessment.questionnaires.items():
        where = f"questionnaires.{instrument_id}"
        try:
            instrument = get_instrument(instrument_id)
            scores[instrument.id] = instrument.score(answers)
        except (InvalidInput, CannotScore) as error:
            raise type(error)(_under(where, error.field), error.problem) from None
    results: dict[str, TestResult] = {}
    person = person_context(patient)
    for test_id, values in assessment.tests.items():
        try:
            test = get_physical_test(test_id)
            results[test.id] = test.evaluate(values, person=person)
        except InvalidInput as error:
            field = f"tests.{test_id}" if error.field == "physical_test" else f"tests.{error.field}"
            raise InvalidInput(field, error.problem) from None
    return ScoredAssessment(
        assessment=assessment,
        questionnaires=MappingProxyType(scores),
        tests=MappingProxyType(results),
        red_flags=evaluate_red_flags(assessment.red_flags) if assessment.red_flags else None,
    )

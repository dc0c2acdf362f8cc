"""Record values validate themselves and name the field."""

from __future__ import annotations

from datetime import datetime

import pytest

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.record import (
    Assessment,
    AssessmentKind,
    Intake,
    PainPattern,
    Patient,
)
from spinecoach.services.clinic import answers_from_text
from spinecoach.services.schemas import parse_assessment_json


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pseudonym": "Jane Doe"}, "pseudonym"),
        ({"pseudonym": "x"}, "pseudonym"),
        ({"age": 15}, "age"),
        ({"age": 111}, "age"),
        ({"height_cm": 20.0}, "height_cm"),
        ({"weight_kg": 400.0}, "weight_kg"),
    ],
)
def test_patient_rejects_bad_values(kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"pseudonym": "P-1", "age": 40, "sex": Sex.MALE, **kwargs}
    with pytest.raises(InvalidInput) as raised:
        Patient(**values)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_patient_boundaries_and_bmi() -> None:
    assert Patient(pseudonym="P1", age=16, sex=Sex.OTHER).bmi is None
    patient = Patient(pseudonym="P1", age=110, sex=Sex.FEMALE, height_cm=160, weight_kg=64)
    assert patient.bmi == pytest.approx(25.0)


def test_chronic_means_more_than_twelve_weeks() -> None:
    assert not Intake(pain_duration_weeks=12, pain_pattern=PainPattern.CONSTANT).is_chronic
    assert Intake(pain_duration_weeks=13, pain_pattern=PainPattern.CONSTANT).is_chronic


def test_assessment_needs_an_aware_time_and_a_correction_reason() -> None:
    with pytest.raises(InvalidInput, match="assessed_at"):
        Assessment(episode_id=1, kind=AssessmentKind.BASELINE, assessed_at=datetime(2026, 1, 1))


def test_answers_text_with_missing_items() -> None:
    assert list(answers_from_text("2, 1,-,3")) == [2, 1, None, 3]
    with pytest.raises(InvalidInput, match=r"answers\[3\]"):
        answers_from_text("1,2,x")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{", "file: not valid JSON"),
        ("[]", "file: must be a JSON object"),
        ('{"kind": "weekly"}', "kind: Input should be"),
        ('{"questionnaires": {"odi": [1, "a"]}}', "questionnaires.odi[2]"),
        ('{"tests": {"sts5": {"seconds": [1]}}}', "tests.sts5.seconds"),
        ('{"intake": {"pain_pattern": "constant"}}', "intake.pain_duration_weeks: Field required"),
        ('{"surprise": 1}', "surprise: Extra inputs are not permitted"),
    ],
)
def test_assessment_file_errors_name_the_field(document: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_assessment_json(document)
    assert str(raised.value).startswith(message)

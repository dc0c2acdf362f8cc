"""Cross-cutting: the registry and input validation of every test."""

from __future__ import annotations

import math

import pytest

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.base import InputSpec, PhysicalTest
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS, get_physical_test

EXPECTED_IDS = {
    "mcgill",
    "sorensen",
    "plank",
    "bridge",
    "sts5",
    "chair_stand_30s",
    "aslr",
    "pit",
    "luomajoki",
    "single_leg_stance",
    "muscle_grades",
}

NUMERIC = [
    (test, spec)
    for test in PHYSICAL_TESTS.values()
    for spec in test.inputs
    if spec.kind in {"number", "integer"}
]


def valid_values(test: PhysicalTest) -> dict[str, object]:
    """A minimal valid input set for any test."""
    values: dict[str, object] = {}
    for spec in test.inputs:
        optional_but_needed = test.id == "muscle_grades" or spec.name == "one_leg_stance"
        if not spec.required and not optional_but_needed:
            continue
        values[spec.name] = sample(spec)
    return values


def sample(spec: InputSpec) -> object:
    if spec.kind == "boolean":
        return False
    if spec.kind == "choice":
        return spec.choices[0]
    if spec.kind == "text":
        return "note"
    return 4 if spec.kind == "integer" else 10.0


def test_registry_ids() -> None:
    assert set(PHYSICAL_TESTS) == EXPECTED_IDS
    assert all(test.id == key for key, test in PHYSICAL_TESTS.items())
    assert all(test.citations for test in PHYSICAL_TESTS.values())


def test_get_physical_test_is_case_insensitive() -> None:
    assert get_physical_test(" McGill ") is PHYSICAL_TESTS["mcgill"]


def test_unknown_test_lists_known_ids() -> None:
    with pytest.raises(InvalidInput) as error:
        get_physical_test("side_plank")
    assert error.value.field == "physical_test"
    assert "mcgill" in error.value.problem
    assert "sts5" in error.value.problem


@pytest.mark.parametrize("test", PHYSICAL_TESTS.values(), ids=lambda t: t.id)
def test_minimal_valid_values_evaluate_and_serialise(test: PhysicalTest) -> None:
    result = test.evaluate(valid_values(test))
    assert result.test == test.id
    data = result.as_dict()
    assert data["test"] == test.id
    assert result.summary  # every test writes its own chart line
    assert data["summary"] == result.summary
    for key, unit in result.units.items():
        assert unit is not None
        assert key
    for evidence in result.findings + result.reference:
        assert evidence.code.startswith(f"{test.id}.")
        assert evidence.statement
        assert evidence.rule
        assert evidence.reference


@pytest.mark.parametrize("test", PHYSICAL_TESTS.values(), ids=lambda t: t.id)
def test_unknown_input_is_named(test: PhysicalTest) -> None:
    with pytest.raises(InvalidInput) as error:
        test.evaluate(valid_values(test) | {"bogus": 1})
    assert error.value.field == f"{test.id}.bogus"


REQUIRED = [
    (test, spec) for test in PHYSICAL_TESTS.values() for spec in test.inputs if spec.required
]


@pytest.mark.parametrize(("test", "spec"), REQUIRED, ids=lambda x: getattr(x, "name", None))
def test_missing_required_input_is_named(test: PhysicalTest, spec: InputSpec) -> None:
    values = valid_values(test)
    del values[spec.name]
    with pytest.raises(InvalidInput) as error:
        test.evaluate(values)
    assert error.value.field == f"{test.id}.{spec.name}"


@pytest.mark.parametrize(("test", "spec"), NUMERIC, ids=lambda x: getattr(x, "name", None))
def test_numeric_inputs_reject_out_of_range_and_wrong_type(
    test: PhysicalTest, spec: InputSpec
) -> None:
    field = f"{test.id}.{spec.name}"
    assert math.isfinite(spec.maximum), f"{field} needs an upper limit"
    for bad in (-1, spec.maximum + 1, "10", True, math.nan, math.inf, [1]):
        with pytest.raises(InvalidInput) as error:
            test.evaluate(valid_values(test) | {spec.name: bad})
        assert error.value.field == field, bad
    # both ends of the range are accepted
    for good in (spec.minimum, spec.maximum):
        values = valid_values(test) | {spec.name: good}
        if test.id == "luomajoki" and good > 2:
            values["one_leg_stance"] = "fail"
        test.evaluate(values)


@pytest.mark.parametrize(
    ("test_id", "name", "maximum"),
    [
        ("mcgill", "flexor", 600),
        ("sorensen", "seconds", 240),
        ("sts5", "seconds", 120),
        ("chair_stand_30s", "stands", 60),
        ("single_leg_stance", "left_seconds", 120),
        ("aslr", "left", 5),
        ("muscle_grades", "abdominals", 5),
    ],
)
def test_documented_ranges(test_id: str, name: str, maximum: float) -> None:
    spec = next(s for s in PHYSICAL_TESTS[test_id].inputs if s.name == name)
    assert (spec.minimum, spec.maximum) == (0, maximum)


def test_integer_inputs_reject_fractions() -> None:
    with pytest.raises(InvalidInput) as error:
        get_physical_test("chair_stand_30s").evaluate({"stands": 10.5})
    assert error.value.field == "chair_stand_30s.stands"

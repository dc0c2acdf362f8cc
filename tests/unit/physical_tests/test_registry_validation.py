"""Cross-cutting: the registry and input validation of every test."""

from __future__ import annotations

import math
from typing import NoReturn

import pytest

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.base import (
    InputSpec,
    PersonContext,
    PhysicalTest,
    Sex,
)
from spinecoach.domain.physical_tests.luomajoki import MOVEMENTS
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS, get_physical_test

from .helpers import MAN, WOMAN

EXPECTED_IDS = {
    "mcgill",
    "sorensen",
    "plank",
    "bridge",
    "sts5",
    "chair_stand_30s",
    "aslr",
    "pit",
    "feedforward_timing",
    "flexion_relaxation",
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
    for test_id, test in PHYSICAL_TESTS.items():
        assert get_physical_test(test_id.upper()) is test


def test_registry_keys_are_lower_case_and_lookups_ignore_case() -> None:
    assert all(key == key.lower() for key in PHYSICAL_TESTS)
    # the CLI indexes the registry directly with the id the user typed
    assert PHYSICAL_TESTS["MCGILL"] is PHYSICAL_TESTS["mcgill"]
    assert "Chair_Stand_30S" in PHYSICAL_TESTS
    assert PHYSICAL_TESTS.get("STS5") is PHYSICAL_TESTS["sts5"]
    assert PHYSICAL_TESTS.get("side_plank") is None


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


@pytest.mark.parametrize(
    ("test_id", "name", "expected"),
    [
        ("luomajoki", "waiters_bow", "is required (pass or fail)"),
        ("pit", "pain_at_rest", "is required (true or false)"),
        ("sts5", "seconds", "is required (s)"),
    ],
)
def test_required_message_says_what_to_give(test_id: str, name: str, expected: str) -> None:
    test = PHYSICAL_TESTS[test_id]
    values = valid_values(test)
    del values[name]
    with pytest.raises(InvalidInput) as error:
        test.evaluate(values)
    assert error.value.problem == expected


def test_required_choice_lists_three_or_more_choices() -> None:
    spec = InputSpec(name="x", unit="", kind="choice", choices=("a", "b", "c"))
    test = PhysicalTest(id="t", name="t", inputs=(spec,), citations=("c",), evaluator=_never)
    with pytest.raises(InvalidInput) as error:
        test.evaluate({})
    assert error.value.problem == "is required (a, b or c)"


def _never(values: object, person: object) -> NoReturn:
    raise AssertionError("not reached")


# Inputs that make every test produce its findings and reference statements.
USER_FACING_CASES: list[tuple[str, dict[str, object], PersonContext]] = [
    ("mcgill", {"flexor": 120, "extensor": 100, "side_left": 60, "side_right": 90}, MAN),
    ("mcgill", {"flexor": 90, "extensor": 150, "side_left": 88, "side_right": 92}, WOMAN),
    ("sorensen", {"seconds": 100}, MAN),
    ("sorensen", {"seconds": 210}, MAN),
    ("sorensen", {"seconds": 100}, WOMAN),
    ("plank", {"seconds": 10}, MAN),
    ("plank", {"seconds": 10}, PersonContext()),
    ("bridge", {"seconds": 30}, PersonContext()),
    ("sts5", {"seconds": 16}, PersonContext(age=65)),
    (
        "feedforward_timing",
        {
            "muscle": "internal_oblique",
            "prime_mover": "anterior_deltoid",
            "movement": "arm_flexion",
            "speed": "fast",
            "trials": 10,
            "feedforward_trials": 3,
            "median_latency_ms": 62,
        },
        MAN,
    ),
    ("flexion_relaxation", {"frr": 1.8, "err": 2.5, "side": "right"}, WOMAN),
    ("chair_stand_30s", {"stands": 5}, PersonContext(age=70, sex=Sex.FEMALE)),
    ("chair_stand_30s", {"stands": 5}, PersonContext()),
    ("aslr", {"left": 1, "right": 0}, PersonContext()),
    ("pit", {"pain_at_rest": True, "pain_subsides_with_legs_lifted": "substantially"}, MAN),
    (
        "luomajoki",
        {name: "fail" for name, _ in MOVEMENTS} | {"one_leg_stance_shift_difference_cm": 3},
        PersonContext(),
    ),
    ("single_leg_stance", {"left_seconds": 10, "right_seconds": 30}, PersonContext()),
    ("muscle_grades", {"gluteus_medius_left": 3, "gluteus_medius_right": 5}, PersonContext()),
]


def test_user_facing_cases_cover_every_test() -> None:
    assert {test_id for test_id, _, _ in USER_FACING_CASES} == EXPECTED_IDS


@pytest.mark.parametrize(("test_id", "values", "person"), USER_FACING_CASES)
def test_user_facing_strings_cite_published_sources_not_internal_files(
    test_id: str, values: dict[str, object], person: PersonContext
) -> None:
    """clinical-facts.md is an internal file, not shipped: users see the paper itself."""
    test = PHYSICAL_TESTS[test_id]
    result = test.evaluate(values, person=person)
    assert result.findings or result.reference
    texts = [*test.citations, *(spec.help for spec in test.inputs), result.summary]
    for evidence in (*result.findings, *result.reference):
        texts += [evidence.statement, evidence.rule, evidence.reference]
    for text in texts:
        assert "clinical-facts" not in text, text
        assert "clinical facts" not in text.lower(), text


@pytest.mark.parametrize(("test", "spec"), NUMERIC, ids=lambda x: getattr(x, "name", None))
def test_numeric_inputs_reject_out_of_range_and_wrong_type(
    test: PhysicalTest, spec: InputSpec
) -> None:
    field = f"{test.id}.{spec.name}"
    assert math.isfinite(spec.maximum), f"{field} needs an upper limit"
    others = valid_values(test)
    if test.id == "feedforward_timing":  # feed-forward trials may not exceed trials
        others |= {"trials": 200, "feedforward_trials": 0}
    for bad in (spec.minimum - 1, spec.maximum + 1, "10", True, math.nan, math.inf, [1]):
        with pytest.raises(InvalidInput) as error:
            test.evaluate(others | {spec.name: bad})
        assert error.value.field == field, bad
    # both ends of the range are accepted
    for good in (spec.minimum, spec.maximum):
        values = others | {spec.name: good}
        if test.id == "luomajoki" and good > 2:
            values["one_leg_stance"] = "fail"
        test.evaluate(values)


@pytest.mark.parametrize(
    ("test_id", "name", "maximum"),
    [
        ("mcgill", "flexor", 600),
        ("sorensen", "seconds", 240),
        ("chair_stand_30s", "stands", 60),
        ("single_leg_stance", "left_seconds", 120),
        ("aslr", "left", 5),
        ("muscle_grades", "abdominals", 5),
    ],
)
def test_documented_ranges(test_id: str, name: str, maximum: float) -> None:
    """0 is a legitimate result here: a hold that could not be held, no stand, grade 0."""
    spec = next(s for s in PHYSICAL_TESTS[test_id].inputs if s.name == name)
    assert (spec.minimum, spec.maximum) == (0, maximum)


def test_sts5_minimum_is_a_plausibility_bound() -> None:
    spec = next(s for s in PHYSICAL_TESTS["sts5"].inputs if s.name == "seconds")
    assert (spec.minimum, spec.maximum) == (2, 120)


def test_only_sts5_has_a_minimum_above_zero() -> None:
    raised = {f"{test.id}.{spec.name}" for test, spec in NUMERIC if spec.minimum > 0}
    assert raised == {"sts5.seconds", "feedforward_timing.trials"}  # at least one trial


def test_integer_inputs_reject_fractions() -> None:
    with pytest.raises(InvalidInput) as error:
        get_physical_test("chair_stand_30s").evaluate({"stands": 10.5})
    assert error.value.field == "chair_stand_30s.stands"

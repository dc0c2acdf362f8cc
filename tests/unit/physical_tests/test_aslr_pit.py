from __future__ import annotations

import pytest

from spinecoach.domain.errors import InvalidInput

from .helpers import codes, finding, run


@pytest.mark.parametrize(
    ("left", "right", "total", "positive"),
    [(0, 0, 0, False), (1, 0, 1, True), (0, 1, 1, True), (5, 5, 10, True), (2, 3, 5, True)],
)
def test_aslr_total_and_cut_off(left: int, right: int, total: int, positive: bool) -> None:
    result = run("aslr", {"left": left, "right": right})
    assert result.values["total"] == total
    assert result.values["positive"] is positive
    assert result.category == ("positive" if positive else "negative")
    assert ("aslr.positive" in codes(result)) is positive


def test_aslr_mentions_pelvic_girdle_pain_and_reports_symmetry() -> None:
    result = run("aslr", {"left": 1, "right": 3})
    assert "pelvic girdle pain" in finding(result, "aslr.positive").statement
    assert result.values["symmetry_index"] == pytest.approx(100 * 2 / 3)
    assert codes(result) == {"aslr.positive"}  # no asymmetry flag on an ordinal scale


@pytest.mark.parametrize(
    ("left", "right", "summary"),
    [
        (0, 1, "Left 0, right 1 (total 1/10): positive"),
        (0, 0, "Left 0, right 0 (total 0/10): negative"),
        (5, 3, "Left 5, right 3 (total 8/10): positive"),
    ],
)
def test_aslr_summary(left: int, right: int, summary: str) -> None:
    assert run("aslr", {"left": left, "right": right}).summary == summary


@pytest.mark.parametrize("bad", [2.5, 6, -1])
def test_aslr_scores_are_whole_numbers_0_to_5(bad: float) -> None:
    with pytest.raises(InvalidInput) as error:
        run("aslr", {"left": bad, "right": 0})
    assert error.value.field == "aslr.left"


@pytest.mark.parametrize(
    ("values", "positive"),
    [
        ({"pain_at_rest": True, "pain_subsides_with_legs_lifted": "substantially"}, True),
        ({"pain_at_rest": True, "pain_subsides_with_legs_lifted": "mildly"}, False),
        ({"pain_at_rest": True, "pain_subsides_with_legs_lifted": "no"}, False),
        ({"pain_at_rest": False}, False),
    ],
)
def test_pit_positive_only_with_pain_at_rest_that_subsides_substantially(
    values: dict[str, object], positive: bool
) -> None:
    result = run("pit", values)
    assert result.values["positive"] is positive
    assert result.category == ("positive" if positive else "negative")
    assert ("pit.positive" in codes(result)) is positive


@pytest.mark.parametrize(
    ("values", "summary"),
    [
        (
            {"pain_at_rest": True, "pain_subsides_with_legs_lifted": "substantially"},
            "Pain at rest, subsides substantially with legs lifted: positive",
        ),
        (
            {"pain_at_rest": True, "pain_subsides_with_legs_lifted": "mildly"},
            "Pain at rest, subsides mildly with legs lifted: negative",
        ),
        (
            {"pain_at_rest": True, "pain_subsides_with_legs_lifted": "no"},
            "Pain at rest, does not subside with legs lifted: negative",
        ),
        ({"pain_at_rest": False}, "No pain at rest: negative"),
    ],
)
def test_pit_summary(values: dict[str, object], summary: str) -> None:
    assert run("pit", values).summary == summary


def test_pit_needs_the_easing_answer_when_there_is_pain_at_rest() -> None:
    with pytest.raises(InvalidInput) as error:
        run("pit", {"pain_at_rest": True})
    assert error.value.field == "pit.pain_subsides_with_legs_lifted"


@pytest.mark.parametrize("easing", ["substantially", "mildly", "no"])
def test_pit_easing_without_pain_at_rest_is_a_contradiction(easing: str) -> None:
    with pytest.raises(InvalidInput) as error:
        run("pit", {"pain_at_rest": False, "pain_subsides_with_legs_lifted": easing})
    assert error.value.field == "pit.pain_subsides_with_legs_lifted"
    assert "pain_at_rest is false" in error.value.problem


def test_pit_reference_likelihood_ratios() -> None:
    statement = run("pit", {"pain_at_rest": False}).reference[0].statement
    assert "+LR 1.7" in statement
    assert "−LR 0.48" in statement


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"pain_at_rest": "yes"}, "pit.pain_at_rest"),
        ({"pain_at_rest": 1}, "pit.pain_at_rest"),
        ({"pain_at_rest": True, "pain_subsides_with_legs_lifted": "a lot"}, None),
    ],
)
def test_pit_type_errors(values: dict[str, object], field: str | None) -> None:
    with pytest.raises(InvalidInput) as error:
        run("pit", values)
    assert error.value.field == (field or "pit.pain_subsides_with_legs_lifted")

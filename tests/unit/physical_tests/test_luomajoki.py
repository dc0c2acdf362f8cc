from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.luomajoki import MOVEMENTS

from .helpers import codes, finding, run

NAMES = [name for name, _ in MOVEMENTS]


def all_pass() -> dict[str, object]:
    return dict.fromkeys(NAMES, "pass")


def test_six_movements_in_published_order() -> None:
    assert NAMES == [
        "waiters_bow",
        "pelvic_tilt",
        "one_leg_stance",
        "sitting_knee_extension",
        "rocking",
        "prone_knee_bend",
    ]


def test_all_pass_scores_zero() -> None:
    result = run("luomajoki", all_pass())
    assert result.values["failed_count"] == 0
    assert result.values["failed_tests"] == ""
    assert result.findings == ()
    assert "2.21" in result.reference[0].statement
    assert result.summary == "0 of 6 tests failed"


def test_one_failure_is_listed_but_not_screen_positive() -> None:
    values = all_pass() | {"rocking": "fail", "rocking_fault": "  lumbar flexion going back "}
    result = run("luomajoki", values)
    assert result.values["failed_count"] == 1
    assert result.values["failed_tests"] == "rocking"
    assert result.values["rocking_fault"] == "lumbar flexion going back"
    assert codes(result) == {"luomajoki.rocking_failed"}
    assert finding(result, "luomajoki.rocking_failed").statement == (
        "Movement control impaired in rocking in four-point kneeling: lumbar flexion going back"
    )
    assert result.summary == (
        "1 of 6 tests failed: rocking in four-point kneeling (lumbar flexion going back)"
    )


def test_summary_uses_chart_names_and_the_fault_seen() -> None:
    values = all_pass() | {
        "waiters_bow": "fail",
        "waiters_bow_fault": "slight lumbar flexion at end of range",
    }
    assert run("luomajoki", values).summary == (
        "1 of 6 tests failed: waiter's bow (slight lumbar flexion at end of range)"
    )


def test_two_failures_make_the_unverified_screen_positive() -> None:
    values = all_pass() | {"waiters_bow": "fail", "prone_knee_bend": "fail"}
    result = run("luomajoki", values)
    assert result.values["failed_count"] == 2
    assert result.values["failed_tests"] == "waiters_bow,prone_knee_bend"
    screen = finding(result, "luomajoki.screen_positive")
    assert screen.verified is False
    assert "waiter's bow, prone active knee bend" in screen.statement
    assert result.summary == "2 of 6 tests failed: waiter's bow, prone knee bend"


@given(st.lists(st.booleans(), min_size=6, max_size=6))
def test_failed_count_matches_the_failures(fails: list[bool]) -> None:
    values = {name: "fail" if f else "pass" for name, f in zip(NAMES, fails, strict=True)}
    result = run("luomajoki", values)
    assert result.values["failed_count"] == sum(fails)
    assert ("luomajoki.screen_positive" in codes(result)) is (sum(fails) >= 2)


@pytest.mark.parametrize(("shift", "rating"), [(2.0, "pass"), (2.1, "fail"), (0.0, "pass")])
def test_one_leg_stance_from_shift_difference(shift: float, rating: str) -> None:
    values = all_pass()
    del values["one_leg_stance"]
    values["one_leg_stance_shift_difference_cm"] = shift
    result = run("luomajoki", values)
    assert result.values["one_leg_stance"] == rating
    assert ("luomajoki.one_leg_stance_failed" in codes(result)) is (rating == "fail")
    assert result.summary == (
        f"1 of 6 tests failed: one-leg stance (umbilicus shift difference {shift:g} cm)"
        if rating == "fail"
        else "0 of 6 tests failed"
    )


def test_shift_over_2_cm_contradicting_a_pass_is_rejected() -> None:
    values = all_pass() | {"one_leg_stance_shift_difference_cm": 3}
    with pytest.raises(InvalidInput) as error:
        run("luomajoki", values)
    assert error.value.field == "luomajoki.one_leg_stance"


def test_rated_fail_with_small_shift_stays_failed() -> None:
    values = all_pass() | {"one_leg_stance": "fail", "one_leg_stance_shift_difference_cm": 1}
    assert run("luomajoki", values).values["one_leg_stance"] == "fail"


def test_one_leg_stance_needs_rating_or_shift() -> None:
    values = all_pass()
    del values["one_leg_stance"]
    with pytest.raises(InvalidInput) as error:
        run("luomajoki", values)
    assert error.value.field == "luomajoki.one_leg_stance"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"rocking": "incorrect"}, "luomajoki.rocking"),
        ({"rocking_fault": "x" * 201}, "luomajoki.rocking_fault"),
        ({"rocking_fault": 3}, "luomajoki.rocking_fault"),
    ],
)
def test_luomajoki_invalid_inputs(extra: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        run("luomajoki", all_pass() | extra)
    assert error.value.field == field


def test_fault_of_exactly_200_characters_is_accepted() -> None:
    result = run("luomajoki", all_pass() | {"rocking_fault": "x" * 200})
    assert result.values["rocking_fault"] == "x" * 200

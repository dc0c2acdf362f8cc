from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.domain.physical_tests.base import PersonContext, Sex

if TYPE_CHECKING:
    from spinecoach.domain.physical_tests.base import TestResult

from .helpers import MAN, WOMAN, codes, finding, reference_codes, run


def mcgill(
    flexor: float, extensor: float, right: float, left: float, person: PersonContext | None = None
) -> TestResult:
    return run(
        "mcgill",
        {"flexor": flexor, "extensor": extensor, "side_right": right, "side_left": left},
        person,
    )


def test_worked_example_m1() -> None:
    result = mcgill(120, 100, 70, 60)
    v = result.values
    assert v["flexor_extensor"] == pytest.approx(1.20)
    assert v["right_left"] == pytest.approx(1.167, abs=5e-4)
    assert v["side_asymmetry"] == pytest.approx(0.143, abs=5e-4)
    assert v["side_symmetry_index"] == pytest.approx(14.29, abs=5e-3)
    assert v["side_right_extensor"] == pytest.approx(0.70)
    assert v["side_left_extensor"] == pytest.approx(0.60)
    assert v["weaker_side"] == "left"
    assert codes(result) == {"mcgill.flexor_extensor_high", "mcgill.side_asymmetry"}
    flag = finding(result, "mcgill.flexor_extensor_high")
    assert flag.statement.startswith("Flexor/extensor endurance ratio 1.20")
    assert "> 1.0" in flag.statement
    assert flag.verified is True
    assert flag.inputs == {"flexor": 120.0, "extensor": 100.0}
    assert result.summary == (
        "Flexor 120 s, extensor 100 s, side bridge L 60 s / R 70 s; flexor/extensor 1.20, "
        "side bridge/extensor L 0.60 / R 0.70, side difference 14.3 % (left weaker)"
    )


def test_worked_example_m2() -> None:
    result = mcgill(90, 150, 88, 92)
    v = result.values
    assert v["flexor_extensor"] == pytest.approx(0.60)
    assert v["right_left"] == pytest.approx(0.957, abs=5e-4)
    assert v["side_asymmetry"] == pytest.approx(0.043, abs=5e-4)
    assert v["side_right_extensor"] == pytest.approx(0.587, abs=5e-4)
    assert v["side_left_extensor"] == pytest.approx(0.613, abs=5e-4)
    assert result.findings == ()
    assert result.summary == (
        "Flexor 90 s, extensor 150 s, side bridge L 92 s / R 88 s; flexor/extensor 0.60, "
        "side bridge/extensor L 0.61 / R 0.59, side difference 4.3 % (right weaker)"
    )


def test_summary_rounds_ratios_to_two_decimals_and_percent_to_one() -> None:
    assert mcgill(110, 105, 62, 58).summary == (
        "Flexor 110 s, extensor 105 s, side bridge L 58 s / R 62 s; flexor/extensor 1.05, "
        "side bridge/extensor L 0.55 / R 0.59, side difference 6.5 % (left weaker)"
    )
    assert mcgill(100, 100, 50, 50).summary.endswith("side difference 0 %")


@pytest.mark.parametrize(("flexor", "flagged"), [(100, False), (100.5, True), (99.5, False)])
def test_flexor_extensor_boundary_is_strict(flexor: float, flagged: bool) -> None:
    result = mcgill(flexor, 100, 50, 50)
    assert ("mcgill.flexor_extensor_high" in codes(result)) is flagged


@pytest.mark.parametrize(
    ("right", "left", "flagged"),
    [(100, 95, False), (95, 100, False), (100, 94.9, True), (94.9, 100, True), (60, 60, False)],
)
def test_side_asymmetry_boundary_by_larger_side(right: float, left: float, flagged: bool) -> None:
    # R/L = 100/95 = 1.0526 lies outside 0.95–1.05, but |R − L| / max = 0.05 is not > 0.05.
    result = mcgill(50, 200, right, left)
    assert ("mcgill.side_asymmetry" in codes(result)) is flagged


@pytest.mark.parametrize(("side", "flagged"), [(75, False), (76, True), (74, False)])
def test_side_extensor_boundary_is_strict(side: float, flagged: bool) -> None:
    result = mcgill(50, 100, side, side)
    assert ("mcgill.side_right_extensor_high" in codes(result)) is flagged
    assert ("mcgill.side_left_extensor_high" in codes(result)) is flagged


def test_only_the_side_over_075_is_flagged() -> None:
    result = mcgill(50, 100, 80, 70)
    assert "mcgill.side_right_extensor_high" in codes(result)
    assert "mcgill.side_left_extensor_high" not in codes(result)


def test_zero_extensor_hold_leaves_ratios_out_but_still_flags() -> None:
    result = mcgill(30, 0, 20, 20)
    assert "flexor_extensor" not in result.values
    assert "side_right_extensor" not in result.values
    assert codes(result) == {
        "mcgill.flexor_extensor_high",
        "mcgill.side_right_extensor_high",
        "mcgill.side_left_extensor_high",
    }
    assert "undefined" in finding(result, "mcgill.flexor_extensor_high").statement
    assert result.summary == (
        "Flexor 30 s, extensor 0 s, side bridge L 20 s / R 20 s; "
        "ratios to extensor undefined (extensor 0 s), side difference 0 %"
    )


def test_all_zero_holds_flag_nothing() -> None:
    result = mcgill(0, 0, 0, 0)
    assert result.findings == ()
    assert result.values["side_asymmetry"] == 0.0
    assert "right_left" not in result.values


def test_norm_means_are_unverified_reference_per_sex() -> None:
    men = mcgill(120, 100, 70, 60, MAN)
    women = mcgill(120, 100, 70, 60, WOMAN)
    assert reference_codes(men) == {"mcgill.norm_male"}
    assert reference_codes(women) == {"mcgill.norm_female"}
    assert all(not r.verified for r in men.reference + women.reference)
    assert "161 s" in men.reference[0].statement
    assert "185 s" in women.reference[0].statement
    assert "unverified" in men.reference[0].statement
    assert mcgill(120, 100, 70, 60).reference == ()
    assert mcgill(120, 100, 70, 60, PersonContext(sex=Sex.OTHER)).reference == ()


hold = st.floats(min_value=0, max_value=600, allow_nan=False)
SWAP = {
    "mcgill.side_right_extensor_high": "mcgill.side_left_extensor_high",
    "mcgill.side_left_extensor_high": "mcgill.side_right_extensor_high",
}


@given(hold, hold, hold, hold)
def test_flags_do_not_depend_on_which_side_is_named_first(
    flexor: float, extensor: float, right: float, left: float
) -> None:
    original = codes(mcgill(flexor, extensor, right, left))
    swapped = codes(mcgill(flexor, extensor, left, right))
    assert {SWAP.get(c, c) for c in swapped} == original
    assert ("mcgill.side_asymmetry" in original) == ("mcgill.side_asymmetry" in swapped)

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.domain.physical_tests.symmetry import (
    relative_difference,
    symmetry_index,
    timed_hold_asymmetry,
    weaker_side,
)

sides = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (100, 100, 0.0),
        (0, 0, 0.0),
        (60, 70, 100 * 10 / 70),
        (70, 60, 100 * 10 / 70),
        (0, 5, 100.0),
        (90, 100, 10.0),
        (3, 4, 25.0),
    ],
)
def test_symmetry_index_known_answers(left: float, right: float, expected: float) -> None:
    assert symmetry_index(left, right) == pytest.approx(expected)


@given(sides, sides)
def test_symmetry_index_is_symmetric_and_bounded(left: float, right: float) -> None:
    index = symmetry_index(left, right)
    assert index == symmetry_index(right, left)
    assert 0.0 <= index <= 100.0


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_equal_sides_are_perfectly_symmetric(value: float) -> None:
    assert symmetry_index(value, value) == 0.0


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_symmetry_rejects_impossible_sides(bad: float) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        relative_difference(bad, 10.0)
    with pytest.raises(ValueError, match="non-negative"):
        symmetry_index(10.0, bad)


def test_weaker_side() -> None:
    assert weaker_side(10, 12) == "left"
    assert weaker_side(12, 10) == "right"
    assert weaker_side(10, 10) == "equal"


def test_timed_hold_asymmetry_threshold_is_strictly_above_10_percent() -> None:
    assert timed_hold_asymmetry("x", 90, 100) is None  # exactly 10 %
    flag = timed_hold_asymmetry("x", 89, 100)
    assert flag is not None
    assert flag.code == "x.asymmetry"
    assert flag.verified is False
    assert "left side shorter" in flag.statement

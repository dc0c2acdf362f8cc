from __future__ import annotations

import pytest

from spinecoach.domain.errors import InvalidInput

from .helpers import codes, finding, run


@pytest.mark.parametrize(
    ("left", "right", "index", "flagged"),
    [
        (30, 30, 0.0, False),
        (27, 30, 10.0, False),
        (26.9, 30, 100 * 3.1 / 30, True),
        (0, 0, 0, False),
    ],
)
def test_single_leg_stance_symmetry(left: float, right: float, index: float, flagged: bool) -> None:
    result = run("single_leg_stance", {"left_seconds": left, "right_seconds": right})
    assert result.values["symmetry_index"] == pytest.approx(index)
    assert ("single_leg_stance.asymmetry" in codes(result)) is flagged
    assert all(not f.verified for f in result.findings)
    assert result.category is None


def test_single_leg_stance_names_the_shorter_side_either_way() -> None:
    a = run("single_leg_stance", {"left_seconds": 10, "right_seconds": 20})
    b = run("single_leg_stance", {"left_seconds": 20, "right_seconds": 10})
    assert a.values["symmetry_index"] == b.values["symmetry_index"] == pytest.approx(50.0)
    assert a.values["weaker_side"] == "left"
    assert b.values["weaker_side"] == "right"
    assert a.summary == "Left 10 s, right 20 s; side difference 50 % (left shorter)"
    assert b.summary == "Left 20 s, right 10 s; side difference 50 % (right shorter)"


@pytest.mark.parametrize(
    ("left", "right", "summary"),
    [
        (20, 30, "Left 20 s, right 30 s; side difference 33.3 % (left shorter)"),
        (26.9, 30, "Left 26.9 s, right 30 s; side difference 10.3 % (left shorter)"),
        (30, 30, "Left 30 s, right 30 s; side difference 0 %"),
    ],
)
def test_single_leg_stance_summary(left: float, right: float, summary: str) -> None:
    result = run("single_leg_stance", {"left_seconds": left, "right_seconds": right})
    assert result.summary == summary


def test_muscle_grades_weakness_and_side_difference() -> None:
    result = run(
        "muscle_grades",
        {
            "gluteus_medius_left": 3,
            "gluteus_medius_right": 5,
            "hip_flexors_left": 4,
            "hip_flexors_right": 4,
            "abdominals": 4,
        },
    )
    assert codes(result) == {
        "muscle_grades.gluteus_medius_left_weak",
        "muscle_grades.gluteus_medius_side_difference",
    }
    assert result.values["gluteus_medius_side_difference"] == 2
    assert result.values["gluteus_medius_symmetry_index"] == pytest.approx(40.0)
    assert result.values["hip_flexors_side_difference"] == 0
    assert "hip_extensors_side_difference" not in result.values
    diff = finding(result, "muscle_grades.gluteus_medius_side_difference")
    assert "left side weaker by 2 grades" in diff.statement
    assert diff.reference.startswith("design rule (spinecoach)")
    assert result.summary == "Gluteus medius L 3 / R 5, hip flexors L 4 / R 4, abdominals 4"


def test_muscle_grades_summary_lists_only_what_was_graded() -> None:
    values = {"gluteus_medius_left": 4, "gluteus_medius_right": 3, "abdominals": 4}
    assert run("muscle_grades", values).summary == "Gluteus medius L 4 / R 3, abdominals 4"
    assert run("muscle_grades", {"hip_extensors_right": 5}).summary == "Hip extensors R 5"


@pytest.mark.parametrize(("grade", "weak"), [(3, True), (4, False), (0, True), (5, False)])
def test_muscle_grade_weakness_boundary(grade: int, weak: bool) -> None:
    result = run("muscle_grades", {"abdominals": grade})
    assert ("muscle_grades.abdominals_weak" in codes(result)) is weak


@pytest.mark.parametrize(("left", "right", "flagged"), [(4, 5, True), (5, 5, False), (5, 4, True)])
def test_muscle_side_difference_boundary(left: int, right: int, flagged: bool) -> None:
    result = run("muscle_grades", {"hip_extensors_left": left, "hip_extensors_right": right})
    assert ("muscle_grades.hip_extensors_side_difference" in codes(result)) is flagged


def test_muscle_grades_need_at_least_one_grade() -> None:
    with pytest.raises(InvalidInput) as error:
        run("muscle_grades", {})
    assert error.value.field == "muscle_grades"


@pytest.mark.parametrize("bad", [3.5, 6, -1, "4+", True])
def test_muscle_grades_are_whole_numbers_0_to_5(bad: object) -> None:
    with pytest.raises(InvalidInput) as error:
        run("muscle_grades", {"hip_flexors_right": bad})
    assert error.value.field == "muscle_grades.hip_flexors_right"

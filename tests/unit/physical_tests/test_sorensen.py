from __future__ import annotations

import pytest

from spinecoach.domain.physical_tests.base import PersonContext, Sex

from .helpers import MAN, WOMAN, codes, reference_codes, run


@pytest.mark.parametrize(
    ("seconds", "category", "flags"),
    [
        (175, "higher risk", {"sorensen.men_below_176"}),
        (175.9, "higher risk", {"sorensen.men_below_176"}),
        (176, "indeterminate", set()),
        (198, "indeterminate", set()),
        (198.1, "lower risk", {"sorensen.men_above_198"}),
        (240, "lower risk", {"sorensen.men_above_198"}),
    ],
)
def test_men_cut_offs_both_sides(seconds: float, category: str, flags: set[str]) -> None:
    result = run("sorensen", {"seconds": seconds}, MAN)
    assert result.category == category
    assert codes(result) == flags
    assert "sorensen.no_prediction" not in reference_codes(result)


@pytest.mark.parametrize("person", [WOMAN, PersonContext(), PersonContext(sex=Sex.OTHER)])
@pytest.mark.parametrize("seconds", [30, 176, 239])
def test_no_prognosis_unless_male(person: PersonContext, seconds: float) -> None:
    result = run("sorensen", {"seconds": seconds}, person)
    assert result.category is None
    assert result.findings == ()
    assert "sorensen.no_prediction" in reference_codes(result)


def test_women_are_told_there_is_no_predictive_validity() -> None:
    result = run("sorensen", {"seconds": 100}, WOMAN)
    note = next(r for r in result.reference if r.code == "sorensen.no_prediction")
    assert "no predictive validity in women" in note.statement


def test_sem_reference_and_ceiling() -> None:
    result = run("sorensen", {"seconds": 240}, WOMAN)
    sem = next(r for r in result.reference if r.code == "sorensen.sem")
    assert "11.6 s" in sem.statement
    assert result.values["reached_ceiling"] is True
    assert run("sorensen", {"seconds": 239.9}).values["reached_ceiling"] is False

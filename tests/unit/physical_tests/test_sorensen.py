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


@pytest.mark.parametrize(
    ("person", "seconds", "summary"),
    [
        (MAN, 175.9, "175.9 s: higher risk of low back pain within a year (men < 176 s)"),
        (MAN, 176, "176 s: indeterminate (men 176–198 s)"),
        (MAN, 198.1, "198.1 s: lower risk of low back pain within a year (men > 198 s)"),
        (
            MAN,
            240,
            "240 s (test ceiling): lower risk of low back pain within a year (men > 198 s)",
        ),
        (WOMAN, 100, "100 s: no prognostic reading (not predictive in women)"),
        (PersonContext(), 100, "100 s: no prognostic reading (cut-offs apply to men only)"),
    ],
)
def test_sorensen_summary(person: PersonContext, seconds: float, summary: str) -> None:
    assert run("sorensen", {"seconds": seconds}, person).summary == summary


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

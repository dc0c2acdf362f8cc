from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.base import PersonContext, Sex
from spinecoach.domain.physical_tests.sit_to_stand import (
    STS5_CATEGORIES,
    STS5_MIN_PLAUSIBLE_S,
    sts5_category,
)

from .helpers import codes, finding, reference_codes, run


@pytest.mark.parametrize(
    ("seconds", "category"),
    [
        (9.9, "none"),
        (10.4, "none"),
        (10.45, "mild"),
        (10.5, "mild"),
        (15.2, "mild"),
        (15.25, "moderate"),
        (15.3, "moderate"),
        (22.0, "moderate"),
        (22.05, "severe"),
        (22.1, "severe"),
        (2, "none"),  # the plausibility bound itself is accepted
        (120, "severe"),
    ],
)
def test_sts5_klukowska_bands(seconds: float, category: str) -> None:
    result = run("sts5", {"seconds": seconds})
    assert result.category == category
    assert ("sts5.functional_impairment" in codes(result)) is (category != "none")


@pytest.mark.parametrize(
    ("seconds", "summary"),
    [
        (9.6, "9.6 s: no functional impairment (≤ 10.4 s)"),
        (10.4, "10.4 s: no functional impairment (≤ 10.4 s)"),
        (10.45, "10.45 s: mild functional impairment"),
        (15.2, "15.2 s: mild functional impairment"),
        (15.25, "15.25 s: moderate functional impairment"),
        (16.1, "16.1 s: moderate functional impairment"),
        (22.0, "22 s: moderate functional impairment"),
        (22.05, "22.05 s: severe functional impairment"),
    ],
)
def test_sts5_summary_at_the_band_boundaries(seconds: float, summary: str) -> None:
    assert run("sts5", {"seconds": seconds}).summary == summary


def test_sts5_impairment_statement() -> None:
    flag = finding(run("sts5", {"seconds": 16.0}), "sts5.functional_impairment")
    assert flag.statement == (
        "Five-times sit-to-stand 16 s: moderate objective functional impairment"
    )
    assert flag.verified is True


@pytest.mark.parametrize("seconds", [0, 1, 1.99])
def test_sts5_implausibly_fast_times_are_refused(seconds: float) -> None:
    """Five full stands cannot take under 2 s: a plausibility bound, not a norm."""
    assert STS5_MIN_PLAUSIBLE_S == 2.0
    with pytest.raises(InvalidInput) as error:
        run("sts5", {"seconds": seconds})
    assert error.value.field == "sts5.seconds"
    assert "2–120 s" in error.value.problem


@given(
    st.floats(min_value=STS5_MIN_PLAUSIBLE_S, max_value=120, allow_nan=False),
    st.floats(min_value=STS5_MIN_PLAUSIBLE_S, max_value=120, allow_nan=False),
)
def test_sts5_category_is_monotone_in_time(a: float, b: float) -> None:
    faster, slower = sorted((a, b))
    assert STS5_CATEGORIES.index(sts5_category(faster)) <= STS5_CATEGORIES.index(
        sts5_category(slower)
    )


@pytest.mark.parametrize(
    ("age", "seconds", "flagged"),
    [
        (59, 30.0, False),  # no Bohannon value under 60
        (60, 11.4, False),
        (60, 11.5, True),
        (69, 11.5, True),
        (70, 12.6, False),
        (75, 12.7, True),
        (80, 14.8, False),
        (89, 14.9, True),
        (90, 30.0, False),  # no Bohannon value from 90
    ],
)
def test_sts5_bohannon_age_means(age: int, seconds: float, flagged: bool) -> None:
    result = run("sts5", {"seconds": seconds}, PersonContext(age=age))
    assert ("sts5.slower_than_age_mean" in codes(result)) is flagged


def test_sts5_upper_limits_of_normal_are_reference() -> None:
    result = run("sts5", {"seconds": 11.0})
    assert reference_codes(result) == {"sts5.uln_lumbar", "sts5.uln_healthy"}
    lumbar = next(r for r in result.reference if r.code == "sts5.uln_lumbar")
    healthy = next(r for r in result.reference if r.code == "sts5.uln_healthy")
    assert "10.35 s" in lumbar.statement
    assert "above" in lumbar.statement
    assert "12.39 s" in healthy.statement
    assert "within" in healthy.statement


WOMAN_70 = PersonContext(age=70, sex=Sex.FEMALE)
MAN_67 = PersonContext(age=67, sex=Sex.MALE)


@pytest.mark.parametrize(
    ("person", "stands", "category", "flags"),
    [
        (WOMAN_70, 9, "below normal range", {"chair_stand_30s.below_normal_range"}),
        (WOMAN_70, 10, "within normal range", set()),
        (WOMAN_70, 15, "within normal range", set()),
        (WOMAN_70, 16, "above normal range", set()),
        (MAN_67, 11, "below normal range", {"chair_stand_30s.below_normal_range"}),
        (MAN_67, 12, "within normal range", set()),
        (MAN_67, 18, "within normal range", set()),
        (MAN_67, 19, "above normal range", set()),
        (
            PersonContext(age=94, sex=Sex.MALE),
            6,
            "below normal range",
            {"chair_stand_30s.below_normal_range", "chair_stand_30s.fewer_than_8"},
        ),
        (
            PersonContext(age=90, sex=Sex.FEMALE),
            4,
            "within normal range",
            {"chair_stand_30s.fewer_than_8"},
        ),
    ],
)
def test_chair_stand_rikli_jones_ranges(
    person: PersonContext, stands: int, category: str, flags: set[str]
) -> None:
    result = run("chair_stand_30s", {"stands": stands}, person)
    assert result.category == category
    assert codes(result) == flags
    assert "chair_stand_30s.norm" in reference_codes(result)


@pytest.mark.parametrize(
    ("person", "stands", "summary"),
    [
        (WOMAN_70, 9, "9 stands in 30 s: below normal range for women aged 70 (10–15)"),
        (MAN_67, 12, "12 stands in 30 s: within normal range for men aged 67 (12–18)"),
        (
            PersonContext(age=94, sex=Sex.MALE),
            6,
            "6 stands in 30 s: below normal range for men aged 94 (7–12); "
            "fewer than 8 (lower functional ability)",
        ),
        (
            PersonContext(age=45),
            1,
            "1 stand in 30 s (no age/sex norm); fewer than 8 (lower functional ability)",
        ),
        (PersonContext(), 12, "12 stands in 30 s (no age/sex norm)"),
    ],
)
def test_chair_stand_summary(person: PersonContext, stands: int, summary: str) -> None:
    assert run("chair_stand_30s", {"stands": stands}, person).summary == summary


@pytest.mark.parametrize(
    "person",
    [
        PersonContext(age=59, sex=Sex.FEMALE),
        PersonContext(age=95, sex=Sex.MALE),
        PersonContext(age=70),
        PersonContext(age=70, sex=Sex.OTHER),
        PersonContext(),
    ],
)
def test_chair_stand_without_norm_says_so(person: PersonContext) -> None:
    result = run("chair_stand_30s", {"stands": 12}, person)
    assert result.category is None
    assert result.findings == ()
    assert reference_codes(result) == {"chair_stand_30s.norm_unavailable"}


@pytest.mark.parametrize(("stands", "flagged"), [(7, True), (8, False), (0, True)])
def test_chair_stand_fewer_than_8_applies_at_any_age(stands: int, flagged: bool) -> None:
    result = run("chair_stand_30s", {"stands": stands}, PersonContext(age=45))
    assert ("chair_stand_30s.fewer_than_8" in codes(result)) is flagged


# Rikli & Jones 25th–75th percentile table, copied independently from clinical-facts.md §2.4.
RIKLI_JONES_TABLE = """
60 64 12 17 14 19
65 69 11 16 12 18
70 74 10 15 12 17
75 79 10 15 11 17
80 84 9 14 10 15
85 89 8 13 8 14
90 94 4 11 7 12
"""


@pytest.mark.parametrize("row", RIKLI_JONES_TABLE.strip().splitlines())
def test_chair_stand_table_matches_clinical_facts(row: str) -> None:
    age_from, age_to, w_low, w_high, m_low, m_high = map(int, row.split())
    for age in (age_from, age_to):
        for sex, low, high in ((Sex.FEMALE, w_low, w_high), (Sex.MALE, m_low, m_high)):
            person = PersonContext(age=age, sex=sex)
            assert run("chair_stand_30s", {"stands": low}, person).category == (
                "within normal range"
            )
            assert run("chair_stand_30s", {"stands": high}, person).category == (
                "within normal range"
            )
            assert run("chair_stand_30s", {"stands": low - 1}, person).category == (
                "below normal range"
            )
            assert run("chair_stand_30s", {"stands": high + 1}, person).category == (
                "above normal range"
            )

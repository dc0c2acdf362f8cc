"""NPRS, ODI and RMDQ: worked examples N1–N3 (scores), O1–O4, R1 and their boundaries.

Change examples (N1–N3, O5, R2, R3) are in tests/unit/test_outcomes.py.
"""

from __future__ import annotations

import pytest

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.registry import get_instrument

NPRS = get_instrument("nprs")
ODI = get_instrument("odi")
RMDQ = get_instrument("rmdq")


@pytest.mark.parametrize("rating", [0, 4, 7, 10])
def test_nprs_score_is_the_rating(rating: int) -> None:
    result = NPRS.score([rating])
    assert result.score == rating
    assert result.category is None  # no bands in our reference
    assert result.findings == ()


@pytest.mark.parametrize("max_missing", [None, 1])
def test_nprs_missing_rating_is_never_scored(max_missing: int | None) -> None:
    with pytest.raises(CannotScore):
        NPRS.score([None], max_missing=max_missing)


def test_o1_all_sections() -> None:
    result = ODI.score([2, 1, 3, 2, 3, 2, 1, 0, 1, 1])
    assert result.score == pytest.approx(32.0)
    assert result.category == "moderate disability"
    assert (result.answered, result.missing) == (10, 0)


def test_o2_one_section_missing_uses_the_answered_maximum() -> None:
    result = ODI.score([2, 1, 3, 2, 3, 2, 1, None, 1, 1])
    assert result.score == pytest.approx(16 / 45 * 100)
    assert result.score != 36  # stored unrounded, unlike awell-score
    assert result.category == "moderate disability"
    assert (result.answered, result.missing) == (9, 1)


def test_o3_float_noise_still_severe() -> None:
    result = ODI.score([3, 2, 4, 3, 3, 3, 2, 2, 3, 3])
    assert result.score == pytest.approx(56.0)
    assert result.category == "severe disability"


def test_o4_two_missing_is_refused_by_default_and_scored_when_allowed() -> None:
    answers = [2, 1, 3, 2, None, None, 1, 1, 1, 1]
    with pytest.raises(CannotScore, match="2 item"):
        ODI.score(answers)
    assert ODI.score(answers, max_missing=2).score == pytest.approx(30.0)


def test_odi_with_every_section_missing_cannot_be_scored() -> None:
    with pytest.raises(CannotScore, match="no item answered"):
        ODI.score([None] * 10, max_missing=10)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (20.0, "minimal disability"),
        (20.000000001, "moderate disability"),
        (40.0, "moderate disability"),
        (40.00000000000001, "moderate disability"),  # float noise is not a band change
        (40.01, "severe disability"),
        (56.00000000000001, "severe disability"),
        (60.0, "severe disability"),
        (60.5, "crippled"),
        (80.0, "crippled"),
        (81.0, "bed-bound or exaggerating symptoms"),
    ],
)
def test_odi_bands_are_half_open(score: float, band: str) -> None:
    assert ODI.category_for(score) == band


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ([1] * 10, "minimal disability"),  # 20.0
        ([2] + [1] * 9, "moderate disability"),  # 22.0
        ([1] * 9 + [None], "minimal disability"),  # 9/45 = 20.0
        ([2] + [1] * 8 + [None], "moderate disability"),  # 10/45 = 22.2
    ],
)
def test_odi_boundary_20_from_answers(answers: list[int | None], band: str) -> None:
    assert ODI.score(answers).category == band


def test_r1_count_of_ticked_items() -> None:
    result = RMDQ.score([1] * 11 + [0] * 13)
    assert result.score == 11
    assert result.category is None


def test_rmdq_missing_item_refused_by_default_prorated_when_allowed() -> None:
    answers: list[int | None] = [1] * 11 + [0] * 12 + [None]
    with pytest.raises(CannotScore):
        RMDQ.score(answers)
    result = RMDQ.score(answers, max_missing=1)
    assert result.score == pytest.approx(11 * 24 / 23)
    assert result.missing == 1


def test_rmdq_change_criteria_match_the_reference() -> None:
    change = RMDQ.change
    assert (change.mcid_points, change.mcid_percent) == (5.0, 30.0)  # Ostelo 2008
    assert change.mdc == 5.0  # Stratford 1996: 4–5, conservative end
    assert change.recovered_at_or_below == 2.0  # Kamper 2010

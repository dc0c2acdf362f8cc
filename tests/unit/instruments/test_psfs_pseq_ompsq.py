"""PSFS, PSEQ and ÖMPSQ-10: worked examples PS1–PS3, E1, E3, Ö1–Ö3 and their boundaries.

Change examples (PS2, E2) are in tests/unit/test_outcomes.py.
"""

from __future__ import annotations

import pytest

from spinecoach.domain.errors import CannotScore, InvalidInput
from spinecoach.domain.instruments.registry import get_instrument

PSFS = get_instrument("psfs")
PSEQ = get_instrument("pseq")
OMPSQ = get_instrument("ompsq")


@pytest.mark.parametrize(
    ("ratings", "mean"),
    [([3, 5, 4], 4.0), ([6, 7, 5], 6.0), ([2, 8], 5.0), ([7], 7.0), ([0, 10, 5, 5, 5], 5.0)],
)
def test_psfs_mean(ratings: list[int], mean: float) -> None:
    result = PSFS.score(ratings)
    assert result.score == pytest.approx(mean)
    assert (result.answered, result.missing) == (len(ratings), 0)


@pytest.mark.parametrize("count", [0, 6])
def test_psfs_takes_one_to_five_activities(count: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        PSFS.score([5] * count)
    assert caught.value.field == "answers"


def test_psfs_has_no_missing_answers() -> None:
    with pytest.raises(InvalidInput) as caught:
        PSFS.score([3, None, 4], max_missing=1)
    assert caught.value.field == "answers[2]"


def test_e1_pseq_sum_and_band() -> None:
    result = PSEQ.score([4, 3, 3, 2, 4, 3, 2, 3, 4, 2])
    assert result.score == 30
    assert result.category == "moderate"
    (finding,) = result.findings
    assert finding.code == "pseq.low_self_efficacy"
    assert finding.statement.startswith("PSEQ 30/60: low pain self-efficacy")


def pseq_with_total(total: int) -> list[int | None]:
    answers: list[int | None] = []
    for _ in range(10):
        answers.append(min(6, total))
        total -= min(6, total)
    return answers


@pytest.mark.parametrize(
    ("total", "band", "low"),
    [
        (0, "severe", True),
        (19, "severe", True),  # E3
        (20, "moderate", True),  # E3
        (30, "moderate", True),
        (31, "mild", False),
        (40, "mild", False),
        (41, "minimal", False),
        (60, "minimal", False),
    ],
)
def test_pseq_band_boundaries(total: int, band: str, low: bool) -> None:
    result = PSEQ.score(pseq_with_total(total))
    assert result.score == total
    assert result.category == band
    assert bool(result.findings) is low


def test_pseq_missing_refused_then_prorated() -> None:
    answers = pseq_with_total(27)  # 6, 6, 6, 6, 3, 0, ...
    answers[9] = None
    with pytest.raises(CannotScore):
        PSEQ.score(answers)
    assert PSEQ.score(answers, max_missing=1).score == pytest.approx(27 * 10 / 9)  # 30.0


# Official item order: 1 duration, 3 light work (rev), 4 sleep (rev), 8 work in 3 months (rev).
O1 = [7, 6, 4, 5, 5, 4, 7, 3, 8, 6]


def test_o1_ompsq_at_risk() -> None:
    result = OMPSQ.score(O1)
    assert result.score == 61
    assert result.category == "at risk (≥ 50)"
    (finding,) = result.findings
    assert finding.code == "ompsq.at_risk"
    assert finding.statement == "ÖMPSQ-10 61/100: at risk of developing disability (≥ 50)"


def test_o2_minimum_is_1() -> None:
    result = OMPSQ.score([1, 0, 10, 10, 0, 0, 0, 10, 0, 0])
    assert result.score == 1
    assert result.findings == ()


def test_o3_maximum_is_100() -> None:
    assert OMPSQ.score([10, 10, 0, 0, 10, 10, 10, 0, 10, 10]).score == 100


def test_ompsq_reversed_items_are_3_4_8() -> None:
    assert {i.number for i in OMPSQ.items if i.reverse} == {3, 4, 8}
    base = OMPSQ.score(O1).score
    for n in range(2, 11):
        answers = list(O1)
        answers[n - 1] += 1
        expected = base - 1 if n in (3, 4, 8) else base + 1
        assert OMPSQ.score(answers).score == expected, n


def test_ompsq_duration_is_coded_1_to_10() -> None:
    with pytest.raises(InvalidInput) as caught:
        OMPSQ.score([0, *O1[1:]])
    assert caught.value.field == "answers[1]"


def ompsq_with_total(total: int) -> list[int | None]:
    """Duration 1, reversed items at 10 (score 0), other items filled to reach ``total``."""
    answers: list[int | None] = [1, 0, 10, 10, 0, 0, 0, 10, 0, 0]
    remaining = total - 1
    for n in (2, 5, 6, 7, 9, 10):
        answers[n - 1] = min(10, remaining)
        remaining -= min(10, remaining)
    return answers


@pytest.mark.parametrize(("total", "at_risk"), [(49, False), (50, True)])
def test_ompsq_boundary_50(total: int, at_risk: bool) -> None:
    result = OMPSQ.score(ompsq_with_total(total))
    assert result.score == total
    assert bool(result.findings) is at_risk
    assert result.category == ("at risk (≥ 50)" if at_risk else "below cut-off (< 50)")


@pytest.mark.parametrize(("answered_sum", "expected"), [(44, 49.4), (45, 50.5)])
def test_ompsq_prorating_uses_each_items_range(answered_sum: int, expected: float) -> None:
    """Without the 1–10 duration item: 1 + sum × 99/90, so the score stays within 1–100."""
    answers = ompsq_with_total(answered_sum + 1)  # then drop the duration item (1 point)
    answers[0] = None
    with pytest.raises(CannotScore):
        OMPSQ.score(answers)
    result = OMPSQ.score(answers, max_missing=1)
    assert result.score == pytest.approx(expected)
    assert bool(result.findings) is (expected >= 50)


def test_ompsq_prorated_minimum_stays_1() -> None:
    answers: list[int | None] = [None, 0, 10, 10, 0, 0, 0, 10, 0, 0]
    assert OMPSQ.score(answers, max_missing=1).score == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (49.99, "below cut-off (< 50)"),
        (49.99999999999999, "at risk (≥ 50)"),  # float noise below 1e-9 is ignored
        (50.0, "at risk (≥ 50)"),
    ],
)
def test_ompsq_band_boundary(score: float, band: str) -> None:
    assert OMPSQ.category_for(score) == band

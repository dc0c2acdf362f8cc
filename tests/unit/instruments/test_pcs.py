"""PCS: worked examples P1–P3, subscales, the ≥ 30 boundary and missing items."""

from __future__ import annotations

import pytest

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.registry import get_instrument

PCS = get_instrument("pcs")
P3 = [3, 2, 3, 2, 3, 2, 2, 2, 3, 2, 2, 2, 2]


def test_p1_total_and_subscales() -> None:
    result = PCS.score([3, 3, 2, 2, 3, 2, 2, 3, 3, 3, 3, 2, 2])
    assert result.score == 33
    assert dict(result.subscales) == {"rumination": 12, "magnification": 6, "helplessness": 15}
    (finding,) = result.findings
    assert finding.code == "pcs.catastrophizing_relevant"
    assert finding.statement == "PCS 33/52: clinically relevant catastrophizing (≥ 30)"
    assert finding.verified is False  # manual text [U]


def test_p2_all_twos() -> None:
    result = PCS.score([2] * 13)
    assert result.score == 26
    assert dict(result.subscales) == {"rumination": 8, "magnification": 6, "helplessness": 12}
    assert result.findings == ()
    assert result.category == "below clinical cut-off (< 30)"


def test_p3_exactly_30_is_relevant() -> None:
    result = PCS.score(P3)
    assert result.score == 30
    assert dict(result.subscales) == {"rumination": 9, "magnification": 6, "helplessness": 15}
    assert result.category == "clinically relevant catastrophizing (≥ 30)"
    assert [f.code for f in result.findings] == ["pcs.catastrophizing_relevant"]


def test_29_is_not_relevant() -> None:
    answers = list(P3)
    answers[0] = 2
    result = PCS.score(answers)
    assert result.score == 29
    assert result.findings == ()


@pytest.mark.parametrize(
    ("item_sum", "relevant"),
    [(27, False), (28, True)],  # prorated: 27 × 13/12 = 29.25; 28 × 13/12 = 30.33
)
def test_prorated_boundary(item_sum: int, relevant: bool) -> None:
    answers: list[int | None] = [None] + [2] * 12
    for index in range(1, 1 + item_sum - 24):
        answers[index] = 3
    result = PCS.score(answers, max_missing=1)
    assert result.score == pytest.approx(item_sum * 13 / 12)
    assert bool(result.findings) is relevant
    assert (result.category or "").startswith("clinically") is relevant


def test_missing_refused_by_default_and_subscales_prorated_when_allowed() -> None:
    answers: list[int | None] = [2] * 13
    answers[0] = None  # helplessness item
    with pytest.raises(CannotScore):
        PCS.score(answers)
    result = PCS.score(answers, max_missing=1)
    assert result.score == pytest.approx(26.0)
    assert result.subscales["helplessness"] == pytest.approx(12.0)


def test_subscale_with_no_answered_item_is_refused() -> None:
    answers: list[int | None] = [2] * 13
    for n in (6, 7, 13):  # all of magnification
        answers[n - 1] = None
    with pytest.raises(CannotScore, match="magnification"):
        PCS.score(answers, max_missing=3)

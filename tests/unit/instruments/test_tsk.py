"""TSK-17 and TSK-11: worked examples T1–T4, the > 37 boundary, reversal and missing items."""

from __future__ import annotations

import pytest

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.registry import get_instrument

TSK17 = get_instrument("tsk17")
TSK11 = get_instrument("tsk11")
T3 = [3, 3, 3, 4, 3, 3, 3, 4, 3, 2, 2, 4, 2, 2, 2, 4, 2]


def test_t1_all_twos_is_38_high() -> None:
    result = TSK17.score([2] * 17)
    assert result.score == 38  # 13 × 2 + 4 × (5 − 2)
    assert result.category == "high kinesiophobia (> 37)"
    (finding,) = result.findings
    assert finding.code == "tsk17.kinesiophobia_high"
    assert finding.statement == "TSK-17 38/68: high fear of movement (> 37)"
    assert finding.inputs["score"] == 38
    assert finding.verified is False  # Vlaeyen 1995 cut-off is [U]


def test_t2_all_ones_is_29_not_the_minimum() -> None:
    assert TSK17.score([1] * 17).score == 29


def test_t3_exactly_37_is_not_high() -> None:
    result = TSK17.score(T3)
    assert result.score == 37
    assert result.category == "not high (≤ 37)"
    assert result.findings == ()  # awell's ≥ 37 would flag this; we follow "> 37"


def test_bounds_17_and_68() -> None:
    lowest = [4 if n in (4, 8, 12, 16) else 1 for n in range(1, 18)]
    highest = [1 if n in (4, 8, 12, 16) else 4 for n in range(1, 18)]
    assert TSK17.score(lowest).score == 17
    assert TSK17.score(highest).score == 68


def test_reversed_items_are_4_8_12_16() -> None:
    assert {i.number for i in TSK17.items if i.reverse} == {4, 8, 12, 16}
    base = TSK17.score([2] * 17).score
    for n in range(1, 18):
        answers = [2] * 17
        answers[n - 1] = 3
        expected = base - 1 if n in (4, 8, 12, 16) else base + 1
        assert TSK17.score(answers).score == expected, n


def test_tsk17_missing_refused_then_prorated() -> None:
    answers: list[int | None] = [2] * 17
    answers[3] = None  # a reversed item
    with pytest.raises(CannotScore):
        TSK17.score(answers)
    result = TSK17.score(answers, max_missing=1)
    assert result.score == pytest.approx((13 * 2 + 3 * 3) * 17 / 16)  # 37.1875
    assert [f.code for f in result.findings] == ["tsk17.kinesiophobia_high"]


def test_prorated_finding_mentions_missing_items() -> None:
    answers: list[int | None] = [3] * 17
    answers[0] = None
    (finding,) = TSK17.score(answers, max_missing=1).findings
    assert "(1 item(s) missing)" in finding.statement


def test_t4_tsk11_plain_sum() -> None:
    result = TSK11.score([3, 3, 2, 2, 3, 2, 3, 3, 2, 3, 2])
    assert result.score == 28
    assert result.findings == ()
    assert result.category is None


def test_tsk11_has_no_reversed_items_and_names_its_tsk17_items() -> None:
    assert not any(i.reverse for i in TSK11.items)
    originals = [int(i.label.split("TSK-17 item ")[1].rstrip(")")) for i in TSK11.items]
    assert originals == [1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17]
    assert TSK11.score([1] * 11).score == 11
    assert TSK11.score([4] * 11).score == 44


def test_tsk_mic_is_4_points() -> None:
    assert TSK17.change.mcid_points == 4.0
    assert TSK11.change.mcid_points == 4.0

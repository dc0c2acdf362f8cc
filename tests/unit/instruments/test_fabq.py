"""FABQ: worked examples F1–F2, each cut-off on both sides, unscored and missing items."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.registry import get_instrument

FABQ = get_instrument("fabq")
F1 = [3, 4, 5, 4, 3, 5, 6, 2, 5, 4, 6, 5, 1, 3, 6, 0]
F2 = [0, 3, 4, 4, 3, 4, 5, 0, 4, 3, 4, 3, 0, 0, 4, 0]


def with_pa(pa_items: tuple[int, int, int, int], w: int = 0) -> list[int | None]:
    """Items 2–5 as given; W items (6, 7, 9, 10, 11, 12, 15) summing to ``w``."""
    answers: list[int | None] = [0] * 16
    answers[1:5] = pa_items
    remaining = w
    for n in (6, 7, 9, 10, 11, 12, 15):
        answers[n - 1] = min(6, remaining)
        remaining -= min(6, remaining)
    return answers


def codes(answers: Sequence[int | None]) -> set[str]:
    return {f.code for f in FABQ.score(answers).findings}


def test_f1() -> None:
    result = FABQ.score(F1)
    assert result.score == 16  # score is FABQ-PA
    assert dict(result.subscales) == {"pa": 16, "w": 37}
    assert codes(F1) == {
        "fabq.pa_above_14",
        "fabq.pa_high",
        "fabq.w_return_to_work_risk",
        "fabq.w_high",
    }
    statements = {f.code: f.statement for f in result.findings}
    assert statements["fabq.pa_high"] == (
        "FABQ-PA 16/24: high fear-avoidance of physical activity (> 15)"
    )
    assert all(f.verified for f in result.findings)  # [V] and [V2]


def test_f2_no_cutoff_crossed() -> None:
    result = FABQ.score(F2)
    assert dict(result.subscales) == {"pa": 14, "w": 27}
    assert result.findings == ()


def test_pa_above_14_carries_the_george_caveat() -> None:
    (finding,) = FABQ.score(with_pa((4, 4, 4, 3))).findings
    assert finding.code == "fabq.pa_above_14"
    assert "did not predict" in finding.rule


@pytest.mark.parametrize(
    ("pa", "expected"),
    [
        ((4, 4, 3, 3), set()),  # 14
        ((4, 4, 4, 3), {"fabq.pa_above_14"}),  # 15
        ((4, 4, 4, 4), {"fabq.pa_above_14", "fabq.pa_high"}),  # 16
    ],
)
def test_pa_boundaries(pa: tuple[int, int, int, int], expected: set[str]) -> None:
    assert codes(with_pa(pa)) == expected


@pytest.mark.parametrize(
    ("w", "expected"),
    [
        (29, set()),
        (30, {"fabq.w_return_to_work_risk"}),
        (34, {"fabq.w_return_to_work_risk"}),
        (35, {"fabq.w_return_to_work_risk", "fabq.w_high"}),
    ],
)
def test_w_boundaries(w: int, expected: set[str]) -> None:
    answers = with_pa((0, 0, 0, 0), w)
    assert FABQ.score(answers).subscales["w"] == w
    assert codes(answers) == expected


def test_unscored_items_do_not_change_the_scores() -> None:
    changed = list(F2)
    for n in (1, 8, 13, 14, 16):
        changed[n - 1] = 6
    assert dict(FABQ.score(changed).subscales) == {"pa": 14, "w": 27}


def test_unscored_items_may_be_missing_by_default() -> None:
    answers: list[int | None] = list(F2)
    for n in (1, 8, 13, 14, 16):
        answers[n - 1] = None
    result = FABQ.score(answers)
    assert dict(result.subscales) == {"pa": 14, "w": 27}
    assert (result.answered, result.missing) == (11, 5)


def test_item_11_is_scored_in_w() -> None:  # one clinic page wrongly calls it a distractor
    answers: list[int | None] = list(F2)
    answers[10] = None
    with pytest.raises(CannotScore, match="1 scored item"):
        FABQ.score(answers)


def test_missing_scored_item_prorated_when_allowed() -> None:
    answers: list[int | None] = list(F2)
    answers[1] = None  # PA item 2; remaining 4 + 4 + 3 = 11
    result = FABQ.score(answers, max_missing=1)
    assert result.subscales["pa"] == pytest.approx(11 * 4 / 3)  # 14.67 > 14
    assert result.subscales["w"] == 27
    assert {f.code for f in result.findings} == {"fabq.pa_above_14"}


def test_whole_subscale_missing_is_refused() -> None:
    answers: list[int | None] = list(F2)
    answers[1:5] = [None] * 4
    with pytest.raises(CannotScore, match="'pa'"):
        FABQ.score(answers, max_missing=4)

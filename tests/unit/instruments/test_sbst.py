"""Keele STarT Back: worked examples S1–S4, item 9 coding, both sides of each rule."""

from __future__ import annotations

import pytest

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.registry import get_instrument

SBST = get_instrument("sbst")
NOT_AT_ALL, SLIGHTLY, MODERATELY, VERY_MUCH, EXTREMELY = range(5)


@pytest.mark.parametrize(
    ("items", "bother", "total", "psychosocial", "risk"),
    [
        ([1, 1, 0, 1, 0, 0, 0, 0], MODERATELY, 3, 0, "low"),  # S1
        ([1, 1, 1, 1, 1, 0, 0, 0], SLIGHTLY, 5, 1, "medium"),  # S2
        ([0, 0, 0, 0, 1, 1, 1, 0], VERY_MUCH, 4, 4, "high"),  # S3
        ([0, 0, 0, 0, 1, 1, 0, 0], EXTREMELY, 3, 3, "low"),  # S4: total ≤ 3 comes first
    ],
)
def test_worked_examples(
    items: list[int], bother: int, total: int, psychosocial: int, risk: str
) -> None:
    result = SBST.score([*items, bother])
    assert result.score == total
    assert dict(result.subscales) == {"psychosocial": psychosocial}
    assert result.category == risk
    (finding,) = result.findings
    assert finding.code == f"sbst.{risk}_risk"
    assert finding.statement.startswith(f"STarT Back {total}/9, psychosocial {psychosocial}/5")


@pytest.mark.parametrize(("bother", "scored"), [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1)])
def test_item_9_scores_only_very_much_or_extremely(bother: int, scored: int) -> None:
    result = SBST.score([0] * 8 + [bother])
    assert result.score == scored
    assert result.subscales["psychosocial"] == scored


def test_total_3_low_and_4_medium() -> None:
    assert SBST.score([1, 1, 1, 0, 0, 0, 0, 0, 0]).category == "low"
    assert SBST.score([1, 1, 1, 1, 0, 0, 0, 0, 0]).category == "medium"


def test_psychosocial_3_medium_and_4_high() -> None:
    assert SBST.score([1, 0, 0, 0, 1, 1, 1, 0, 0]).category == "medium"  # total 4, psy 3
    assert SBST.score([1, 0, 0, 0, 1, 1, 1, 1, 0]).category == "high"  # total 5, psy 4


def test_psychosocial_items_are_5_to_9_not_the_other_numbering() -> None:
    # "1, 4, 7, 8, 9" belongs to another item order; items 1 and 4 are physical here.
    result = SBST.score([1, 0, 0, 1, 0, 0, 1, 1, EXTREMELY])
    assert result.subscales["psychosocial"] == 3


@pytest.mark.parametrize("max_missing", [None, 0, 1, 9])
def test_incomplete_forms_are_never_scored(max_missing: int | None) -> None:
    with pytest.raises(CannotScore, match="item\\(s\\) 9 missing"):
        SBST.score([1, 1, 1, 1, 1, 0, 0, 0, None], max_missing=max_missing)

"""Hypothesis properties that must hold for every instrument."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.base import Direction, Instrument, Item
from spinecoach.domain.instruments.registry import INSTRUMENTS

ALL = list(INSTRUMENTS.values())
IDS = list(INSTRUMENTS)
EPS = 1e-9


def answers_for(instrument: Instrument) -> st.SearchStrategy[list[int | None]]:
    """Complete, valid answers (1 to 5 activities for the PSFS)."""
    values = [st.integers(i.minimum, i.maximum) for i in instrument.items]
    if instrument.variable_length:
        return st.integers(1, len(values)).flatmap(lambda n: st.tuples(*values[:n]).map(list))
    return st.tuples(*values).map(list)


def within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] - EPS <= value <= bounds[1] + EPS


def worse_raw(instrument: Instrument, item: Item, raw: int) -> range:
    """Raw answers that are "worse" than ``raw`` for this item, honouring reversal."""
    higher_raw_is_worse = (instrument.direction is Direction.HIGHER_IS_WORSE) != item.reverse
    return range(raw + 1, item.maximum + 1) if higher_raw_is_worse else range(item.minimum, raw)


def not_better(instrument: Instrument, old: float, new: float) -> bool:
    if instrument.direction is Direction.HIGHER_IS_WORSE:
        return new >= old - EPS
    return new <= old + EPS


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_scores_stay_in_range(instrument: Instrument) -> None:
    @given(answers_for(instrument))
    def check(answers: list[int | None]) -> None:
        result = instrument.score(answers)
        assert within(result.score, instrument.score_range)
        for name, value in result.subscales.items():
            assert within(value, instrument.range_of(name))
        labels = {b.label for b in instrument.bands}
        if labels:
            assert result.category in labels
        assert result.answered + result.missing == len(answers)

    check()


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_a_worse_answer_never_gives_a_better_score(instrument: Instrument) -> None:
    @given(answers_for(instrument), st.data())
    def check(answers: list[int | None], data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(answers) - 1))
        item = instrument.items[index]
        raw = answers[index]
        assert raw is not None
        options = worse_raw(instrument, item, raw)
        assume(len(options) > 0)
        changed = list(answers)
        changed[index] = data.draw(st.sampled_from(options))
        before, after = instrument.score(answers), instrument.score(changed)
        assert not_better(instrument, before.score, after.score)
        for name, value in before.subscales.items():
            assert not_better(instrument, value, after.subscales[name])

    check()


def scored_indexes(instrument: Instrument) -> set[int]:
    """0-based indexes of items that count (FABQ leaves five unscored)."""
    if instrument.id == "fabq":
        return {n - 1 for numbers in instrument.subscales.values() for n in numbers}
    return set(range(len(instrument.items)))


PRORATING = [i for i in ALL if i.missing.method == "prorate" and len(i.items) > 1]


@pytest.mark.parametrize("instrument", PRORATING, ids=lambda i: i.id)
def test_prorated_scores_stay_in_range(instrument: Instrument) -> None:
    @given(answers_for(instrument), st.data())
    def check(answers: list[int | None], data: st.DataObject) -> None:
        dropped = data.draw(
            st.sets(st.integers(0, len(answers) - 1), min_size=1, max_size=len(answers) - 1)
        )
        holed = [None if i in dropped else a for i, a in enumerate(answers)]
        if dropped & scored_indexes(instrument):
            with pytest.raises(CannotScore):
                instrument.score(holed)  # the default policy refuses
        try:
            result = instrument.score(holed, max_missing=len(dropped))
        except CannotScore:
            # allowed only when a whole subscale is missing
            assert any(
                all(n - 1 in dropped for n in numbers) for numbers in instrument.subscales.values()
            )
            return
        assert within(result.score, instrument.score_range)
        for name, value in result.subscales.items():
            assert within(value, instrument.range_of(name))

    check()


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_cutoff_findings_agree_with_their_thresholds(instrument: Instrument) -> None:
    @given(answers_for(instrument))
    def check(answers: list[int | None]) -> None:
        result = instrument.score(answers)
        emitted = {f.code for f in result.findings}
        for cutoff in instrument.cutoffs:
            value = result.score if cutoff.scale == "score" else result.subscales[cutoff.scale]
            crossed = {
                ">": value > cutoff.threshold,
                ">=": value >= cutoff.threshold,
                "<": value < cutoff.threshold,
                "<=": value <= cutoff.threshold,
            }[cutoff.operator]
            assert (cutoff.code in emitted) is crossed

    check()

"""Repetitions (offline and streaming), holds and the symmetry index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.pose.repetitions import (
    RepetitionCounter,
    holds,
    repetitions,
    symmetry_index,
    thresholds_from_range,
)
from spinecoach.analysis.simulate import repetition_course

TIME = np.arange(0, 30, 1 / 30)


def test_five_repetitions_with_jitter_count_exactly_five() -> None:
    signal = repetition_course(TIME, amplitude=100.0, reps=5)
    signal = signal + np.random.default_rng(1).normal(0, 3.0, TIME.size)
    found = repetitions(signal, TIME, enter=40.0, leave=20.0, min_duration_s=0.5)
    assert len(found) == 5
    assert all(3.0 < rep.duration_s < 4.5 for rep in found)
    assert all(rep.peak_value > 95 for rep in found)


def test_jitter_across_one_threshold_is_not_a_repetition() -> None:
    signal = 30.0 + 15.0 * np.sign(np.sin(2 * np.pi * 3 * TIME))  # 15 ↔ 45 around enter=40
    assert repetitions(signal, TIME, enter=50.0, leave=20.0, min_duration_s=0.2) == []


def test_a_too_short_movement_is_dropped() -> None:
    signal = np.zeros(TIME.size)
    signal[100:105] = 100.0  # 1/6 s
    assert repetitions(signal, TIME, enter=50.0, leave=10.0, min_duration_s=0.5) == []


def test_a_repetition_starts_where_the_movement_began() -> None:
    signal = repetition_course(TIME, amplitude=100.0, reps=1, start_s=2.0)
    (rep,) = repetitions(signal, TIME, enter=60.0, leave=30.0, min_duration_s=0.5)
    # The last frame within 2 % of the range of rest: 0.13 s into a 1.5 s half-cosine rise.
    assert rep.start_s == pytest.approx(2.0 + 1.5 * np.arccos(1 - 2 * 0.02) / np.pi, abs=1 / 30)
    assert rep.peak_value == pytest.approx(100.0)


def test_an_unfinished_repetition_is_not_counted() -> None:
    signal = np.minimum(TIME * 10, 100.0)
    assert repetitions(signal, TIME, enter=50.0, leave=10.0, min_duration_s=0.5) == []


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(AnalysisError, match="leave"):
        repetitions(TIME, TIME, enter=1.0, leave=2.0, min_duration_s=0.1)


def test_thresholds_from_the_signals_own_range() -> None:
    signal = repetition_course(TIME, amplitude=100.0, reps=3)
    enter, leave = thresholds_from_range(signal, enter_fraction=0.4, leave_fraction=0.2) or (0, 0)
    assert enter == pytest.approx(40.0, abs=1.0)
    assert leave == pytest.approx(20.0, abs=1.0)
    assert thresholds_from_range(np.ones(10), enter_fraction=0.4, leave_fraction=0.2) is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.floats(-10, 110), st.just(float("nan"))), min_size=2, max_size=300),
    st.floats(0.0, 0.5),
)
def test_streaming_counter_finds_the_same_repetitions(values: list[float], min_s: float) -> None:
    signal = np.array(values)
    time = np.arange(signal.size) / 30.0
    offline = repetitions(signal, time, enter=60.0, leave=30.0, min_duration_s=min_s)
    counter = RepetitionCounter(enter=60.0, leave=30.0, min_duration_s=min_s)
    live = [r for v, t in zip(signal, time, strict=True) if (r := counter.update(v, t))]
    assert live == offline
    assert counter.count == len(offline)


def test_holds_within_a_band() -> None:
    signal = np.where((TIME >= 5) & (TIME < 17), 1.0, 20.0)
    found = holds(signal, TIME, centre=0.0, tolerance=2.0, min_duration_s=3.0)
    assert len(found) == 1
    assert found[0].duration_s == pytest.approx(12.0, abs=0.05)
    assert holds(signal, TIME, centre=0.0, tolerance=2.0, min_duration_s=13.0) == []


def test_symmetry_index_worked_example() -> None:
    assert symmetry_index(90.0, 110.0) == pytest.approx(20.0)  # |90-110| / 100 × 100
    assert symmetry_index(50.0, 50.0) == 0.0
    assert np.isnan(symmetry_index(0.0, 0.0))

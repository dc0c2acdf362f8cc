"""Repetitions (offline and streaming), holds and the symmetry index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.pose.repetitions import (
    RepetitionCounter,
    excursion,
    holds,
    range_of_motion,
    repetitions,
    symmetry_index,
    symmetry_indices,
    tempo,
    thresholds_from_range,
    time_within,
)
from spinecoach.analysis.pose.signals import kinematic_signals
from spinecoach.analysis.simulate import hold_course, repetition_course, simulate_motion

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


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_five_repetitions_with_any_jitter_count_exactly_five(seed: int) -> None:
    signal = repetition_course(TIME, amplitude=100.0, reps=5)
    signal = signal + np.random.default_rng(seed).normal(0, 3.0, TIME.size)
    assert len(repetitions(signal, TIME, enter=40.0, leave=20.0, min_duration_s=0.5)) == 5


def test_a_downward_movement_counts_with_the_thresholds_reversed() -> None:
    depth = 1.0 - repetition_course(TIME, amplitude=0.3, reps=4)  # hip height in a squat
    enter, leave = thresholds_from_range(depth, direction="down") or (0.0, 0.0)
    assert enter == pytest.approx(0.88, abs=0.01)
    assert leave == pytest.approx(0.94, abs=0.01)
    found = repetitions(depth, TIME, enter=enter, leave=leave, min_duration_s=0.5, direction="down")
    assert len(found) == 4
    assert all(rep.peak_value == pytest.approx(0.7) for rep in found)
    with pytest.raises(AnalysisError, match="leave"):
        repetitions(depth, TIME, enter=0.9, leave=0.8, min_duration_s=0.5, direction="down")


def _trapezoid(time: np.ndarray) -> np.ndarray:
    """0 until 1 s, up to 100 by 2 s, held until 4 s, down to 0 by 5 s."""
    return np.asarray(np.interp(time, [0, 1, 2, 4, 5, 30], [0, 0, 100, 100, 0, 0]))


def test_tempo_range_and_excursion_of_a_known_repetition() -> None:
    signal = _trapezoid(TIME)
    (rep,) = repetitions(signal, TIME, enter=40.0, leave=20.0, min_duration_s=0.5)
    assert rep.start_s == pytest.approx(1.0, abs=1 / 30)
    assert rep.end_s == pytest.approx(4.8, abs=1 / 30)
    phases = tempo(signal, TIME, rep)  # top = within 10 of the peak: 1.9 s to 4.1 s
    assert phases.out_s == pytest.approx(0.9, abs=1 / 15)  # within a frame either side
    assert phases.top_s == pytest.approx(2.2, abs=1 / 15)
    assert phases.back_s == pytest.approx(0.7, abs=1 / 15)
    assert phases.out_s + phases.top_s + phases.back_s == pytest.approx(rep.duration_s)
    assert range_of_motion(signal, rep) == pytest.approx(100.0)
    assert excursion(signal, rep.start_index, rep.end_index + 1) == pytest.approx(100.0)


def test_tempo_of_a_downward_repetition() -> None:
    signal = -_trapezoid(TIME)
    (rep,) = repetitions(
        signal, TIME, enter=-40.0, leave=-20.0, min_duration_s=0.5, direction="down"
    )
    phases = tempo(signal, TIME, rep, direction="down")
    assert phases.top_s == pytest.approx(2.2, abs=1 / 15)


def test_excursion_is_the_largest_change_either_way_from_the_start() -> None:
    signal = np.array([np.nan, 5.0, 7.0, -1.0, 4.0])
    assert excursion(signal, 0, 5) == pytest.approx(6.0)
    assert excursion(signal, 1, 3) == pytest.approx(2.0)
    assert np.isnan(excursion(signal, 0, 1))
    with pytest.raises(AnalysisError, match="end"):
        excursion(signal, 3, 3)


def test_a_twelve_second_lean_held_on_a_simulated_skeleton_is_a_twelve_second_hold() -> None:
    series = simulate_motion(
        duration_s=20.0,
        trunk_sagittal_deg=lambda t: hold_course(t, value=20.0, start_s=2.0, hold_s=12.0),
    )
    signals = kinematic_signals(series)
    lean = signals.channel("trunk_sagittal_deg")
    (hold,) = holds(lean, signals.time, centre=20.0, tolerance=0.01, min_duration_s=5.0)
    assert hold.duration_s == pytest.approx(12.0, abs=2 / 30)
    neutral = time_within(lean, signals.time, centre=0.0, tolerance=0.01)
    assert neutral == pytest.approx(20.0 - 12.0 - 2.0, abs=0.2)  # all but the hold and ramps


def test_short_breaks_can_be_bridged_within_a_hold() -> None:
    signal = np.where((TIME >= 5) & (TIME < 17), 1.0, 20.0)
    signal[300] = 20.0  # one frame out of the band at 10 s
    signal[330] = np.nan  # and one unseen frame at 11 s
    assert len(holds(signal, TIME, centre=0.0, tolerance=2.0, min_duration_s=0.5)) == 3
    (bridged,) = holds(signal, TIME, centre=0.0, tolerance=2.0, min_duration_s=0.5, max_break_s=0.1)
    assert bridged.duration_s == pytest.approx(12.0, abs=0.05)


def test_time_within_a_band_counts_each_frame_interval() -> None:
    time = np.array([0.0, 1.0, 2.0, 4.0])
    assert time_within(np.array([0.0, 5.0, 0.0, 0.0]), time, centre=0, tolerance=1) == 1 + 2 + 1
    assert time_within(np.array([]), np.array([]), centre=0, tolerance=1) == 0.0


def test_symmetry_indices_element_by_element() -> None:
    np.testing.assert_allclose(
        symmetry_indices(np.array([90.0, 50.0, 0.0]), np.array([110.0, 50.0, 0.0])),
        [20.0, 0.0, np.nan],
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.floats(-10, 110), st.just(float("nan"))), min_size=2, max_size=300),
    st.floats(0.0, 0.5),
)
def test_streaming_counter_finds_the_same_downward_repetitions(
    values: list[float], min_s: float
) -> None:
    signal = np.array(values)
    time = np.arange(signal.size) / 30.0
    offline = repetitions(
        signal, time, enter=30.0, leave=60.0, min_duration_s=min_s, direction="down"
    )
    counter = RepetitionCounter(enter=30.0, leave=60.0, min_duration_s=min_s, direction="down")
    live = [r for v, t in zip(signal, time, strict=True) if (r := counter.update(v, t))]
    assert live == offline
    counter.reset()
    assert counter.count == 0
    assert not counter.moving

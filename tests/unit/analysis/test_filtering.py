"""Gap filling, zero-phase smoothing and the streaming low-pass."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import butter, sosfilt, sosfilt_zi

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.filtering import StreamingLowPass, fill_gaps, smooth

TIME = np.arange(20) / 10.0  # 10 Hz


def test_short_gap_is_bridged_by_a_straight_line() -> None:
    values = TIME * 2.0
    values[5:7] = np.nan  # 0.3 s from the last known to the next known frame
    filled = fill_gaps(values, TIME, max_gap_s=0.3)
    np.testing.assert_allclose(filled, TIME * 2.0)


def test_long_gap_and_gaps_at_the_ends_stay_missing() -> None:
    values = TIME.copy()
    values[0] = np.nan
    values[5:10] = np.nan  # 0.6 s
    filled = fill_gaps(values, TIME, max_gap_s=0.3)
    assert np.isnan(filled[0])
    assert np.isnan(filled[5:10]).all()
    np.testing.assert_allclose(filled[10:], TIME[10:])


def test_fill_gaps_works_per_column() -> None:
    values = np.column_stack([TIME, -TIME])
    values[3, 0] = np.nan
    values[12:19, 1] = np.nan
    filled = fill_gaps(values, TIME, max_gap_s=0.2)
    assert filled[3, 0] == pytest.approx(TIME[3])
    assert np.isnan(filled[12:19, 1]).all()


def test_smoothing_keeps_a_slow_signal_and_removes_fast_noise() -> None:
    time = np.arange(0, 10, 1 / 30)
    slow = np.sin(2 * np.pi * 0.5 * time)
    noisy = slow + 0.2 * np.sin(2 * np.pi * 12 * time)
    smoothed = smooth(noisy, time, cutoff_hz=4.0)
    assert np.abs(smoothed - slow)[30:-30].max() < 0.03


def test_smoothing_filters_each_finite_stretch_and_keeps_gaps() -> None:
    time = np.arange(0, 10, 1 / 30)
    values = np.sin(time)
    values[100:110] = np.nan
    smoothed = smooth(values, time, cutoff_hz=4.0)
    assert np.isnan(smoothed[100:110]).all()
    assert np.isfinite(smoothed[:100]).all()


def test_cutoff_above_nyquist_is_refused() -> None:
    with pytest.raises(AnalysisError, match="cutoff_hz"):
        smooth(np.zeros(50), np.arange(50) / 10.0, cutoff_hz=6.0)


def test_streaming_low_pass_equals_scipy_with_carried_state() -> None:
    rng = np.random.default_rng(3)
    samples = rng.normal(size=(300, 4)).cumsum(axis=0)
    live = StreamingLowPass(cutoff_hz=5.0, rate_hz=30.0, channels=4)
    out = np.array([live.update(row) for row in samples])
    sos = butter(2, 5.0, fs=30.0, output="sos")
    zi = sosfilt_zi(sos)
    expected = np.column_stack(
        [sosfilt(sos, samples[:, c], zi=zi * samples[0, c])[0] for c in range(4)]
    )
    np.testing.assert_allclose(out, expected, atol=1e-9)


def test_streaming_low_pass_passes_missing_values_through_without_losing_state() -> None:
    live = StreamingLowPass(cutoff_hz=5.0, rate_hz=30.0, channels=1)
    for _ in range(30):
        live.update(np.array([1.0]))
    assert np.isnan(live.update(np.array([np.nan]))[0])
    assert live.update(np.array([1.0]))[0] == pytest.approx(1.0)


def test_a_gap_exactly_as_long_as_the_limit_is_filled_and_one_frame_longer_is_not() -> None:
    values = TIME * 3.0
    values[3:5] = np.nan  # 0.3 s from frame 2 to frame 5
    values[10:13] = np.nan  # 0.4 s from frame 9 to frame 13
    filled = fill_gaps(values, TIME, max_gap_s=0.3)
    np.testing.assert_allclose(filled[3:5], TIME[3:5] * 3.0)
    assert np.isnan(filled[10:13]).all()


def test_fill_gaps_keeps_the_shape_of_landmark_arrays() -> None:
    positions = np.repeat(TIME[:, None, None], 4, axis=1).repeat(3, axis=2)
    positions[6, 2, :] = np.nan
    filled = fill_gaps(positions, TIME, max_gap_s=0.2)
    assert filled.shape == positions.shape
    np.testing.assert_allclose(filled[6, 2], TIME[6])


def test_fill_gaps_refuses_mismatched_frames() -> None:
    with pytest.raises(AnalysisError, match="values"):
        fill_gaps(np.zeros(5), TIME, max_gap_s=0.1)
    with pytest.raises(AnalysisError, match="max_gap_s"):
        fill_gaps(TIME, TIME, max_gap_s=-1.0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.booleans(), min_size=2, max_size=80),
    st.floats(0.0, 1.0),
)
def test_filling_never_changes_a_known_value_and_fills_lines_exactly(
    missing: list[bool], max_gap_s: float
) -> None:
    time = np.arange(len(missing)) / 10.0
    line = 2.0 * time - 1.0
    values = np.where(missing, np.nan, line)
    filled = fill_gaps(values, time, max_gap_s=max_gap_s)
    known = ~np.array(missing)
    np.testing.assert_array_equal(filled[known], line[known])
    done = np.isfinite(filled)
    np.testing.assert_allclose(filled[done], line[done], atol=1e-12)


def test_smoothing_a_short_stretch_leaves_it_as_it_is() -> None:
    time = np.arange(0, 10, 1 / 30)
    values = np.sin(5 * time)
    values[5] = np.nan  # frames 0-4: too short to filter
    smoothed = smooth(values, time, cutoff_hz=2.0)
    np.testing.assert_array_equal(smoothed[:5], values[:5])


def test_streaming_low_pass_reset_and_wrong_sizes() -> None:
    live = StreamingLowPass(cutoff_hz=5.0, rate_hz=30.0, channels=2)
    for _ in range(10):
        live.update(np.array([1.0, 2.0]))
    live.reset()
    np.testing.assert_allclose(live.update(np.array([7.0, -3.0])), [7.0, -3.0])
    with pytest.raises(AnalysisError, match="sample"):
        live.update(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(AnalysisError, match="cutoff_hz"):
        StreamingLowPass(cutoff_hz=20.0, rate_hz=30.0, channels=1)

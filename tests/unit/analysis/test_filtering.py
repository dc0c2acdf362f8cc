"""Gap filling, zero-phase smoothing and the streaming low-pass."""

from __future__ import annotations

import numpy as np
import pytest
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

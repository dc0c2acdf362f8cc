"""Co-contraction index and median-frequency fatigue."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spinecoach.analysis.emg import co_contraction_index, fatigue_slope, median_frequency
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import TimeSeries


def test_cci_known_values() -> None:
    a = np.array([1.0, 2.0, 3.0, 0.0])
    assert co_contraction_index(a, a) == pytest.approx(100.0)
    assert co_contraction_index(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 0.0
    # min sums to 2, total to 6: 2·2/6
    assert co_contraction_index(np.array([1.0, 1.0]), np.array([3.0, 1.0])) == pytest.approx(
        200 * 2 / 6
    )


@settings(max_examples=50)
@given(
    a=arrays(np.float64, 20, elements=st.floats(0.01, 100)),
    b=arrays(np.float64, 20, elements=st.floats(0.01, 100)),
)
def test_cci_is_symmetric_and_bounded(a: np.ndarray, b: np.ndarray) -> None:
    value = co_contraction_index(a, b)
    assert value == pytest.approx(co_contraction_index(b, a))
    assert 0.0 <= value <= 100.0 + 1e-9


def test_cci_bad_input() -> None:
    with pytest.raises(AnalysisError, match="b_env"):
        co_contraction_index(np.ones(3), np.ones(4))
    with pytest.raises(AnalysisError, match="a_env"):
        co_contraction_index(-np.ones(3), np.ones(3))


def test_median_frequency_of_a_falling_tone() -> None:
    rate = 1000.0
    time = np.arange(0, 20, 1 / rate)
    frequency = 120.0 - 2.0 * time  # falls 2 Hz per second
    phase = 2 * np.pi * np.cumsum(frequency) / rate
    ts = TimeSeries(time, np.column_stack([np.sin(phase), np.sin(phase)]), ("a", "b"), ("uV", "uV"))
    mf = median_frequency(ts, window_s=1.0, step_s=0.5)
    assert mf.units == ("Hz", "Hz")
    expected = 120.0 - 2.0 * mf.time
    np.testing.assert_allclose(mf.values[:, 0], expected, atol=1.5)
    slope = fatigue_slope(mf)
    assert slope["a"] == pytest.approx(-2.0, abs=0.05)
    relative = fatigue_slope(mf, relative=True)
    assert relative["b"] == pytest.approx(-2.0 / 120.0 * 100, rel=0.05)


def test_median_frequency_window_too_long() -> None:
    ts = TimeSeries(np.arange(100) / 1000, np.zeros((100, 1)), ("a",), ("uV",))
    with pytest.raises(AnalysisError, match="window_s"):
        median_frequency(ts, window_s=1.0)

"""Onset detection on simulated bursts with known onsets, all three methods."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.emg import clean, clean_for_onsets, onsets, simulate_emg, teager_kaiser
from spinecoach.analysis.errors import AnalysisError

METHODS = ("sd", "tkeo", "double")
TRUE_ONSETS = [[1.5, 4.0, 7.2], [2.2, 5.5], [3.1, 6.0, 8.4]]


@pytest.fixture(scope="module")
def recording():  # type: ignore[no-untyped-def]
    ts, truth = simulate_emg(TRUE_ONSETS, duration_s=10.0, snr_db=20.0, seed=11, hum_uv=10.0)
    return clean_for_onsets(ts), truth


@pytest.mark.parametrize("method", METHODS)
def test_each_true_onset_found_within_10_ms(recording, method: str) -> None:  # type: ignore[no-untyped-def]
    cleaned, truth = recording
    found = onsets(cleaned, method=method)  # type: ignore[arg-type]
    assert found.method == method
    for channel, expected in truth.onsets_s.items():
        detected = found.onsets_s(channel)
        assert len(detected) == len(expected), (channel, detected)
        np.testing.assert_allclose(detected, expected, atol=0.010)


@pytest.mark.parametrize("method", METHODS)
def test_offsets_near_burst_ends(recording, method: str) -> None:  # type: ignore[no-untyped-def]
    cleaned, truth = recording
    found = onsets(cleaned, method=method)  # type: ignore[arg-type]
    for channel, ends in truth.offsets_s.items():
        offsets = [burst.offset_s for burst in found.bursts[channel]]
        assert all(o is not None for o in offsets)
        # forward filters ring on after a burst: offsets may come late, never much early
        late = np.array(offsets, dtype=float) - np.array(ends)
        assert np.all((late > -0.02) & (late < 0.1)), late


@pytest.mark.parametrize("method", METHODS)
def test_multichannel_equals_per_channel(recording, method: str) -> None:  # type: ignore[no-untyped-def]
    cleaned, _ = recording
    together = onsets(cleaned, method=method)  # type: ignore[arg-type]
    for channel in cleaned.channels:
        alone = onsets(cleaned.select([channel]), method=method)  # type: ignore[arg-type]
        assert alone.bursts[channel] == together.bursts[channel]
        assert alone.threshold[channel] == pytest.approx(together.threshold[channel])


def test_given_baseline_is_used_and_said(recording) -> None:  # type: ignore[no-untyped-def]
    cleaned, truth = recording
    found = onsets(cleaned, baseline_s=(0.2, 1.2))
    assert "given by the user" in found.method_text
    assert all(window == (0.2, 1.2) for window in found.baseline_s.values())
    automatic = onsets(cleaned)
    assert "found automatically" in automatic.method_text
    for channel, expected in truth.onsets_s.items():
        np.testing.assert_allclose(found.onsets_s(channel), expected, atol=0.010)


def test_first_onset_and_as_dict(recording) -> None:  # type: ignore[no-untyped-def]
    cleaned, _ = recording
    found = onsets(cleaned)
    assert found.first_onset("emg1", after_s=3.0) == pytest.approx(4.0, abs=0.01)
    assert found.first_onset("emg1", after_s=8.0) is None
    assert found.first_onset("emg1", before_s=1.0) is None
    data = found.as_dict()
    assert data["method"] == "sd"
    assert len(data["channels"]["emg2"]["bursts"]) == 2
    with pytest.raises(AnalysisError, match="channel"):
        found.first_onset("deltoid")


def test_quiet_recording_has_no_bursts() -> None:
    ts, _ = simulate_emg([[], []], duration_s=5.0, seed=4)
    found = onsets(clean(ts), min_duration_s=0.05)
    assert all(bursts == () for bursts in found.bursts.values())


def test_burst_running_to_the_end_has_no_offset() -> None:
    ts, _ = simulate_emg([[4.5]], duration_s=5.0, burst_s=0.5, seed=5, snr_db=25)
    cut = replace(ts, time=ts.time[:4800], values=ts.values[:4800])
    found = onsets(clean(cut))
    assert found.bursts["emg1"][-1].offset_s is None


@settings(max_examples=10, deadline=None)
@given(shift=st.floats(min_value=-100.0, max_value=1000.0))
def test_onsets_move_with_the_clock(shift: float) -> None:
    ts, _ = simulate_emg([[1.0, 3.0]], duration_s=4.0, seed=6)
    cleaned = clean(ts)
    moved = replace(cleaned, time=cleaned.time + shift)
    for method in METHODS:
        before = onsets(cleaned, method=method)  # type: ignore[arg-type]
        after = onsets(moved, method=method)  # type: ignore[arg-type]
        np.testing.assert_allclose(
            np.array(after.onsets_s("emg1")) - shift, before.onsets_s("emg1"), atol=1e-6
        )


def test_teager_kaiser_of_a_sine_is_constant() -> None:
    n = np.arange(200)
    omega = 0.3
    energy = teager_kaiser((2.0 * np.sin(omega * n))[:, None])
    np.testing.assert_allclose(energy, 4.0 * np.sin(omega) ** 2, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "wavelet"}, "method"),
        ({"threshold_sd": 0.0}, "threshold_sd"),
        ({"min_duration_s": -1.0}, "min_duration_s"),
        ({"baseline_s": (20.0, 21.0)}, "baseline_s"),
        ({"baseline_window_s": 50.0}, "baseline_window_s"),
        ({"false_alarm": 1.5}, "false_alarm"),
        ({"m_of_n": (30, 25)}, "m_of_n"),
        ({"lowpass_hz": 900.0}, "cutoff_hz"),
    ],
)
def test_bad_parameters_name_the_field(recording, kwargs: dict, field: str) -> None:  # type: ignore[no-untyped-def,type-arg]
    cleaned, _ = recording
    with pytest.raises(AnalysisError) as raised:
        onsets(cleaned, **kwargs)
    assert raised.value.field == field


def test_too_short_recording_is_refused() -> None:
    ts, _ = simulate_emg([[]], duration_s=0.02, burst_s=0.01)
    with pytest.raises(AnalysisError) as raised:
        onsets(ts)
    assert raised.value.field == "ts"


@pytest.mark.parametrize("method", METHODS)
def test_runs_shorter_than_the_minimum_duration_are_dropped(method: str) -> None:
    ts, _ = simulate_emg([[2.0]], duration_s=4.0, burst_s=0.03, ramp_s=0.005, snr_db=25, seed=8)
    forwards = clean_for_onsets(ts)
    assert onsets(forwards, method=method, min_duration_s=0.1).bursts["emg1"] == ()  # type: ignore[arg-type]
    kept = onsets(forwards, method=method, min_duration_s=0.01)  # type: ignore[arg-type]
    assert kept.first_onset("emg1", after_s=1.9, before_s=2.1) is not None

"""EMG conditioning: band-pass and notch, envelopes, normalisation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from spinecoach.analysis.emg import (
    clean,
    clean_for_onsets,
    envelope,
    normalise,
    reference_amplitude,
    simulate_emg,
)
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import TimeSeries

RATE = 1000.0


def series(values: np.ndarray, rate: float = RATE) -> TimeSeries:
    values = values.reshape(len(values), -1)
    names = tuple(f"c{i}" for i in range(values.shape[1]))
    return TimeSeries(np.arange(len(values)) / rate, values, names, ("uV",) * len(names))


def test_clean_removes_drift_and_hum_and_keeps_the_emg_band() -> None:
    time = np.arange(5000) / RATE
    emg = np.sin(2 * np.pi * 120 * time)
    raw = emg + 50 + 20 * np.sin(2 * np.pi * 2 * time) + 10 * np.sin(2 * np.pi * 50 * time)
    cleaned = clean(series(raw)).values[:, 0]
    middle = slice(1000, 4000)
    assert np.abs(cleaned[middle] - emg[middle]).max() < 0.05


def test_causal_clean_has_no_transient_from_a_dc_offset() -> None:
    ts, _ = simulate_emg([[1.0]], duration_s=3.0, seed=1)
    offset = replace(ts, values=ts.values + 30000.0)  # raw ADC counts sit on a large offset
    for causal in (clean(offset, zero_phase=False), clean_for_onsets(offset)):
        assert causal.units == ts.units
        assert np.abs(causal.values[:500]).max() < 40.0  # baseline noise is 5 µV SD


def test_forward_cleaning_does_not_move_energy_before_a_burst() -> None:
    ts, _ = simulate_emg([[2.0]], duration_s=4.0, snr_db=40.0, ramp_s=0.0, seed=2)
    before = slice(1800, 1995)
    forwards = clean_for_onsets(ts).values[before, 0]
    both_ways = clean(ts).values[before, 0]
    assert np.std(forwards) < 7.0  # just the baseline noise
    assert np.std(both_ways) > np.std(forwards)  # the zero-phase filters ring before the onset


def test_lowpass_envelope_of_a_constant_amplitude_sine() -> None:
    time = np.arange(4000) / RATE
    amplitude = 3.0
    env = envelope(series(amplitude * np.sin(2 * np.pi * 97.3 * time))).values[500:-500, 0]
    # mean of |A sin| is 2A/π
    np.testing.assert_allclose(env, 2 * amplitude / np.pi, rtol=0.02)


def test_rms_envelope_of_a_sine() -> None:
    time = np.arange(4000) / RATE
    env = envelope(series(2.0 * np.sin(2 * np.pi * 97.3 * time)), method="rms").values
    np.testing.assert_allclose(env[100:-100, 0], 2.0 / np.sqrt(2), rtol=0.02)


def test_envelope_works_on_all_channels_alike() -> None:
    ts, _ = simulate_emg([[1.0], [2.0], [3.0]], duration_s=5.0, seed=2)
    together = envelope(clean(ts)).values
    for i, name in enumerate(ts.channels):
        alone = envelope(clean(ts.select([name]))).values[:, 0]
        np.testing.assert_allclose(together[:, i], alone, atol=1e-9)


def test_normalise_to_reference_amplitude() -> None:
    time = np.arange(3000) / RATE
    values = np.column_stack([np.full(3000, 2.0), np.full(3000, 4.0)])
    values[1000:1600] *= 5  # a 0.6 s maximal contraction
    ts = TimeSeries(time, values, ("a", "b"), ("uV", "uV"))
    reference = reference_amplitude(ts, window_s=0.5)
    assert reference == pytest.approx({"a": 10.0, "b": 20.0})
    normalised = normalise(ts, reference=reference)
    assert normalised.units == ("%MVC", "%MVC")
    assert normalised.values[0] == pytest.approx([20.0, 20.0])


def test_normalise_needs_a_positive_reference_for_every_channel() -> None:
    ts = series(np.ones((100, 2)))
    with pytest.raises(AnalysisError, match="reference"):
        normalise(ts, reference={"c0": 1.0})
    with pytest.raises(AnalysisError, match="reference"):
        normalise(ts, reference={"c0": 1.0, "c1": 0.0})


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: clean(series(np.ones(1000), rate=10.0)), "rate_hz"),
        (lambda: clean(series(np.ones(1000)), notch_hz=600.0), "notch_hz"),
        (lambda: clean(series(np.ones(1000)), band_hz=(300.0, 100.0)), "band_hz"),
        (lambda: clean(series(np.ones(10))), "ts"),
        (lambda: clean(np.ones((100, 2))), "ts"),  # type: ignore[arg-type]
        (lambda: envelope(series(np.ones(1000)), method="mean"), "method"),  # type: ignore[arg-type]
        (lambda: envelope(series(np.ones(1000)), cutoff_hz=600.0), "cutoff_hz"),
        (lambda: reference_amplitude(series(np.ones(100)), window_s=1.0), "window_s"),
    ],
)
def test_bad_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(AnalysisError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.field == field


def test_nan_is_refused() -> None:
    values = np.ones(1000)
    values[10] = np.nan
    with pytest.raises(AnalysisError, match="finite"):
        clean(series(values))


def test_band_edge_is_clipped_below_nyquist() -> None:
    ts, _ = simulate_emg([[1.0]], duration_s=3.0, rate_hz=600.0, seed=3)
    cleaned = clean(ts)  # 450 Hz is above the 300 Hz Nyquist: clipped, no error
    assert np.all(np.isfinite(cleaned.values))

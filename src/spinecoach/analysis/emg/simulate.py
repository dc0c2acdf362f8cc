"""Simulated surface EMG with known onsets, for tests, evaluations and benchmarks.

A burst is Gaussian noise band-limited to 20–250 Hz (where most surface-EMG power lies;
Merletti & Parker 2004, Electromyography, ch. 4) whose amplitude rises linearly over a short
ramp, holds, and falls over the same ramp; the baseline is white Gaussian amplifier noise.
The signal-to-noise ratio is the burst power over the baseline power, in dB. Mains hum is
optional. Deterministic for a given seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfilt

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import TimeSeries

BURST_BAND_HZ = (20.0, 250.0)
BASELINE_UV = 5.0  # SD of the baseline noise, µV


@dataclass(frozen=True)
class EmgTruth:
    """What the simulation put in: onset and offset times per channel (seconds; the onset is
    the start of the amplitude ramp, the offset the end of the falling ramp)."""

    onsets_s: dict[str, tuple[float, ...]]
    offsets_s: dict[str, tuple[float, ...]]
    snr_db: float


def simulate_emg(
    onsets_s: Sequence[Sequence[float]],
    /,
    *,
    rate_hz: float = 1000.0,
    duration_s: float = 10.0,
    burst_s: float = 0.5,
    snr_db: float = 20.0,
    ramp_s: float = 0.005,
    hum_uv: float = 0.0,
    hum_hz: float = 50.0,
    seed: int = 0,
    names: Sequence[str] | None = None,
) -> tuple[TimeSeries, EmgTruth]:
    """One channel per entry of ``onsets_s`` (each a list of burst onsets in seconds), in µV."""
    channels = len(onsets_s)
    if channels < 1:
        raise AnalysisError("onsets_s", "give at least one channel of onsets")
    if rate_hz < 2 * BURST_BAND_HZ[1] / 0.95:
        raise AnalysisError("rate_hz", f"must be at least 527 Hz for the burst band, got {rate_hz}")
    if burst_s < 2 * ramp_s or ramp_s < 0:
        raise AnalysisError("burst_s", "must be at least twice ramp_s (ramps up and down)")
    labels = tuple(names) if names is not None else tuple(f"emg{i + 1}" for i in range(channels))
    if len(labels) != channels:
        raise AnalysisError("names", f"expected {channels} names, got {len(labels)}")
    frames = round(duration_s * rate_hz)
    time = np.arange(frames) / rate_hz
    rng = np.random.default_rng(seed)
    sos = butter(4, BURST_BAND_HZ, btype="bandpass", fs=rate_hz, output="sos")
    carrier = sosfilt(sos, rng.standard_normal((frames + 500, channels)), axis=0)[500:]
    carrier /= carrier.std(axis=0)
    amplitude = np.zeros((frames, channels))
    for column, starts in enumerate(onsets_s):
        for onset in starts:
            if not 0 <= onset <= duration_s - burst_s:
                raise AnalysisError(
                    "onsets_s", f"onset {onset} s leaves no room for a {burst_s} s burst"
                )
            rise = np.clip((time - onset) / max(ramp_s, 1e-12), 0, 1)
            fall = np.clip((onset + burst_s - time) / max(ramp_s, 1e-12), 0, 1)
            amplitude[:, column] = np.maximum(amplitude[:, column], np.minimum(rise, fall))
    gain = BASELINE_UV * 10 ** (snr_db / 20)
    values = BASELINE_UV * rng.standard_normal((frames, channels)) + gain * amplitude * carrier
    if hum_uv:
        phase = rng.uniform(0, 2 * np.pi, channels)
        values += hum_uv * np.sin(2 * np.pi * hum_hz * time[:, None] + phase)
    series = TimeSeries(time, values, labels, ("uV",) * channels)
    truth = EmgTruth(
        onsets_s={
            name: tuple(float(t) for t in starts)
            for name, starts in zip(labels, onsets_s, strict=True)
        },
        offsets_s={
            name: tuple(float(t) + burst_s for t in starts)
            for name, starts in zip(labels, onsets_s, strict=True)
        },
        snr_db=snr_db,
    )
    return series, truth

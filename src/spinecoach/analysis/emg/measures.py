"""Co-contraction and spectral fatigue of EMG."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from spinecoach.analysis.emg.filters import signal_rate
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray, TimeSeries


def co_contraction_index(a_env: FloatArray, b_env: FloatArray, /) -> float:
    """Co-contraction of two muscles' envelopes, in %: 2·Σ min(A, B) ÷ Σ (A + B) × 100, the
    common area over the total (Falconer & Winter 1985, Electromyogr Clin Neurophysiol
    25:135-149). 100 % when the two envelopes are identical, 0 when never active together.
    Both should be normalised (%MVC) or at least filtered alike."""
    a = np.asarray(a_env, dtype=np.float64)
    b = np.asarray(b_env, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise AnalysisError(
            "b_env", f"expected two 1-D envelopes of equal length, got {a.shape} and {b.shape}"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))) or a.min() < 0 or b.min() < 0:
        raise AnalysisError("a_env", "envelopes must be finite and non-negative")
    total = float(np.sum(a + b))
    if total == 0:
        raise AnalysisError("a_env", "both envelopes are zero throughout")
    return 200.0 * float(np.sum(np.minimum(a, b))) / total


def median_frequency(
    ts: TimeSeries, /, *, window_s: float = 1.0, step_s: float = 0.5
) -> TimeSeries:
    """Median frequency (Hz) of each channel's power spectrum in Hann-windowed windows of
    ``window_s`` every ``step_s``, stamped at the window centres. It falls as a muscle tires
    during a sustained contraction (De Luca 1997, J Appl Biomech 13:135-163), e.g. in a
    Biering-Sørensen hold. Input: a cleaned, not enveloped, EMG."""
    rate = signal_rate(ts)
    window = round(window_s * rate)
    step = round(step_s * rate)
    if window < 16 or window > ts.frames:
        raise AnalysisError(
            "window_s",
            f"must span 16 samples to the whole recording ({ts.frames / rate:g} s), got {window_s}",
        )
    if step < 1:
        raise AnalysisError("step_s", f"must span at least one sample, got {step_s}")
    segments = sliding_window_view(ts.values, window, axis=0)[::step]  # (windows, ch, window)
    segments = segments - segments.mean(axis=2, keepdims=True)
    power = np.abs(np.fft.rfft(segments * np.hanning(window), axis=2)) ** 2
    silent = np.all(power.sum(axis=2) == 0, axis=0)
    if silent.any():
        flat = ", ".join(name for name, dead in zip(ts.channels, silent, strict=True) if dead)
        raise AnalysisError("ts", f"no signal at all in {flat}: a median frequency needs power")
    cumulative = np.cumsum(power, axis=2)
    half = cumulative[..., -1:] / 2
    index = np.argmax(cumulative >= half, axis=2)
    frequencies = np.fft.rfftfreq(window, 1 / rate)
    starts = np.arange(segments.shape[0]) * step
    centre = ts.time[starts] + (window - 1) / (2 * rate)
    return TimeSeries(centre, frequencies[index], ts.channels, ("Hz",) * len(ts.channels))


def fatigue_slope(mf_ts: TimeSeries, /, *, relative: bool = False) -> dict[str, float]:
    """Least-squares slope of the median frequency over time per channel: Hz/s, or with
    ``relative`` %/s of the fitted initial value (comparable between muscles and people)."""
    if mf_ts.frames < 2:
        raise AnalysisError("mf_ts", f"need at least two windows, got {mf_ts.frames}")
    slope, intercept = np.polyfit(mf_ts.time - mf_ts.time[0], mf_ts.values, 1)
    if relative and np.any(intercept <= 0):
        raise AnalysisError("mf_ts", "a relative slope needs a positive initial median frequency")
    if relative:
        slope = slope / intercept * 100.0
    return {name: float(value) for name, value in zip(mf_ts.channels, slope, strict=True)}

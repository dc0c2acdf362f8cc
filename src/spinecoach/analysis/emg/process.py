"""The whole offline EMG pipeline a command line calls: clean, onsets, timing, envelope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spinecoach.analysis.emg.filters import clean, clean_for_onsets, envelope, signal_rate
from spinecoach.analysis.emg.onsets import OnsetMethod, Onsets, onsets
from spinecoach.analysis.emg.timing import AnticipatoryTiming, anticipatory_timing, trial_onsets
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import TimeSeries


@dataclass(frozen=True, eq=False)
class EmgReport:
    channels: tuple[str, ...]
    rate_hz: float
    onsets: Onsets
    timing: AnticipatoryTiming | None
    envelope: TimeSeries
    method_text: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary: onsets, timing and per-channel envelope peak and mean (the
        envelope itself stays out: it is as long as the recording)."""
        values = self.envelope.values
        return {
            "channels": list(self.channels),
            "rate_hz": self.rate_hz,
            "method_text": self.method_text,
            "onsets": self.onsets.as_dict(),
            "timing": None if self.timing is None else self.timing.as_dict(),
            "envelope": {
                name: {
                    "unit": unit,
                    "peak": float(values[:, i].max()),
                    "mean": float(values[:, i].mean()),
                }
                for i, (name, unit) in enumerate(
                    zip(self.channels, self.envelope.units, strict=True)
                )
            },
        }


def process(
    ts: TimeSeries,
    /,
    *,
    prime_mover: str | None = None,
    method: OnsetMethod = "sd",
    notch_hz: float | None = 50.0,
    baseline_s: tuple[float, float] | None = None,
    band_hz: tuple[float, float] = (20.0, 450.0),
    envelope_cutoff_hz: float = 6.0,
    window_ms: tuple[float, float] = (-100.0, 50.0),
) -> EmgReport:
    """Clean every channel (band-pass, notch), find onsets, then — when a prime mover (e.g.
    the anterior deltoid) is named — the anticipatory timing of every other channel, one
    trial per prime-mover burst; and the linear envelope for display."""
    rate = signal_rate(ts)
    if prime_mover is not None and prime_mover not in ts.channels:
        raise AnalysisError(
            "prime_mover", f"no channel {prime_mover!r}; have {', '.join(ts.channels)}"
        )
    cleaned = clean(ts, band_hz=band_hz, notch_hz=notch_hz)
    forwards = clean_for_onsets(ts, band_hz=band_hz, notch_hz=notch_hz)
    found = onsets(forwards, method=method, baseline_s=baseline_s)
    timing = None
    texts = [
        f"EMG band-passed {band_hz[0]:g}–{min(band_hz[1], 0.475 * rate):g} Hz (4th-order "
        "Butterworth)"
        + ("" if notch_hz is None else f" with a {notch_hz:g} Hz notch")
        + "; for onsets every filter ran forwards only (no ringing before an onset), for the "
        f"linear envelope the band-pass ran forwards and backwards, then a {envelope_cutoff_hz:g}"
        " Hz low-pass.",
        found.method_text,
    ]
    if prime_mover is not None and len(ts.channels) > 1:
        prime, trunk = trial_onsets(found, prime_mover)
        if prime:
            timing = anticipatory_timing(trunk, prime, window_ms=window_ms)
            texts.append(
                f"Trials: each {prime_mover} burst, paired with each muscle's nearest onset "
                f"within 0.5 s. {timing.method_text}"
            )
    return EmgReport(
        channels=ts.channels,
        rate_hz=float(np.round(rate, 6)),
        onsets=found,
        timing=timing,
        envelope=envelope(cleaned, cutoff_hz=envelope_cutoff_hz),
        method_text=" ".join(texts),
    )

"""Limb movement onsets from a kinematic signal, for when the prime mover is not an EMG.

Labs without a deltoid electrode time the arm with an accelerometer on the wrist or upper arm
(the rapid-arm-movement paradigm times trunk EMG against the limb's first movement as well as
against the deltoid; Hodges & Richardson 1997 used both). The onset is found the way Hodges &
Bui (1996) find an EMG onset, on the limb's deviation from rest instead of the rectified EMG:
every channel is low-passed (zero-phase), its rest level removed, the channels combined into
one magnitude, and an onset is where that magnitude rises above the rest mean + k·SD and stays
there for a minimum time. Movements closer together than ``min_gap_s`` are one movement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinecoach.analysis.emg.filters import apply_sos, lowpass_sos
from spinecoach.analysis.emg.onsets import _baseline, _tidy_runs
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import TimeSeries


@dataclass(frozen=True)
class MovementOnsets:
    """Onset times (s) of the limb's movements and how they were found."""

    onsets_s: tuple[float, ...]
    threshold: float
    method_text: str


def movement_onsets(
    ts: TimeSeries,
    /,
    *,
    threshold_sd: float = 5.0,
    lowpass_hz: float = 20.0,
    min_duration_s: float = 0.05,
    min_gap_s: float = 0.5,
    baseline_s: tuple[float, float] | None = None,
) -> MovementOnsets:
    """Onsets of a limb's movements from one or more kinematic channels (an accelerometer's
    axes, a joint angle); rest is the given window, else the median and MAD (× 1.4826, the
    SD of normal noise) of the whole recording."""
    if ts.frames < 2 or not ts.channels:
        raise AnalysisError("ts", "need at least two samples of one channel")
    rate = ts.uniform_rate_hz()
    if not (np.isfinite(threshold_sd) and threshold_sd > 0):
        raise AnalysisError("threshold_sd", f"must be > 0, got {threshold_sd}")
    cutoff = min(lowpass_hz, 0.45 * rate)
    smooth = apply_sos(lowpass_sos(cutoff, rate, order=2), ts.values, zero_phase=True)
    # Rest level per channel: the median is robust to the movements themselves.
    deviation = np.linalg.norm(smooth - np.median(smooth, axis=0), axis=1)[:, None]
    if baseline_s is not None:
        mean, sd, _, _ = _baseline(deviation, ts.time, rate, baseline_s, 0.0)
        level, spread = float(mean[0]), float(sd[0])
    else:
        # A limb is at rest most of a rapid-movement recording: the median and MAD of the
        # whole deviation estimate rest robustly (the quietest window under-estimates it and
        # lets noise through, as found on simulated still recordings).
        level = float(np.median(deviation))
        spread = 1.4826 * float(np.median(np.abs(deviation - level)))
    threshold = level + threshold_sd * max(spread, 1e-12)
    _, start, _ = _tidy_runs(
        deviation > threshold, max(1, round(min_duration_s * rate)), round(min_gap_s * rate)
    )
    where = (
        "the given rest window"
        if baseline_s is not None
        else "the whole recording (median and 1.4826 × MAD, robust to the movements)"
    )
    text = (
        f"Limb movement onsets from {', '.join(ts.channels)}: low-passed at {cutoff:g} Hz "
        f"(zero-phase), deviation from rest combined over channels; onset where it rose above "
        f"the rest level + {threshold_sd:g} SD of {where} and stayed there ≥ "
        f"{min_duration_s * 1000:.0f} ms (after Hodges & Bui 1996); movements < "
        f"{min_gap_s:g} s apart are one."
    )
    return MovementOnsets(tuple(float(ts.time[i]) for i in start), threshold, text)

"""Muscle activity onsets (and offsets) in a cleaned surface EMG, three published detectors.

* ``"sd"``: after Hodges & Bui 1996 (Electroencephalogr Clin Neurophysiol 101:511-519), who
  compared computer onset detectors of this family (low-pass cut-off, SD multiple, window)
  with visually found onsets: rectify, low-pass at 50 Hz, onset where every sample stays
  above the baseline mean + k·SD for a minimum time. The defaults (k = 3, 25 ms) are our
  settings, checked on simulated bursts (docs/emg.md), not a value taken from the paper.
* ``"tkeo"``: the same threshold on the Teager–Kaiser energy ψ(n) = x(n)² − x(n−1)·x(n+1),
  which grows with amplitude *and* frequency, so that the sharp start of a motor-unit burst
  stands out from slow baseline noise (Li, Zhou & Aruin 2007, Clin Neurophysiol 118:2656;
  Solnik et al. 2010, Eur J Appl Physiol 110:489-498: rectify and low-pass after ψ).
* ``"double"``: Bonato, D'Alessio & Knaflitz 1998 (IEEE Trans Biomed Eng 45:287-299): each
  sample's energy over two samples, divided by the baseline variance, is compared with a
  threshold set by a false-alarm probability (χ² with 2 degrees of freedom for Gaussian
  noise: ζ = −2 ln p); a sample is active where at least r of the last n samples exceed it.

The baseline is either a quiet window the user gives (the same for every channel) or, per
channel, the quietest ``baseline_window_s`` of the recording (lowest mean of the detector's
conditioned signal). Runs shorter than ``min_duration_s`` are dropped, then bursts closer
than ``min_gap_s`` are merged. Everything is computed for all channels at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from spinecoach.analysis.emg.filters import apply_sos, lowpass_sos, signal_rate
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray, TimeSeries

OnsetMethod = Literal["sd", "tkeo", "double"]
_MIN_BASELINE_SAMPLES = 20


@dataclass(frozen=True)
class Burst:
    """One period of activity: onset and offset in seconds (offset None when the recording
    ends while the muscle is still active)."""

    onset_s: float
    offset_s: float | None

    @property
    def duration_s(self) -> float | None:
        return None if self.offset_s is None else self.offset_s - self.onset_s


@dataclass(frozen=True, eq=False)
class Onsets:
    """Bursts per channel, with the thresholds and baselines that found them."""

    bursts: Mapping[str, tuple[Burst, ...]]
    method: str
    method_text: str
    threshold: Mapping[str, float]  # in the detector's conditioned units (see method_text)
    baseline_s: Mapping[str, tuple[float, float]]

    def onsets_s(self, channel: str, /) -> tuple[float, ...]:
        """Every onset of a channel, in seconds."""
        return tuple(burst.onset_s for burst in self._of(channel))

    def first_onset(
        self, channel: str, /, *, after_s: float = -np.inf, before_s: float = np.inf
    ) -> float | None:
        """The first onset with ``after_s <= onset <= before_s``, or None."""
        for burst in self._of(channel):
            if after_s <= burst.onset_s <= before_s:
                return burst.onset_s
        return None

    def _of(self, channel: str) -> tuple[Burst, ...]:
        try:
            return self.bursts[channel]
        except KeyError:
            raise AnalysisError(
                "channel", f"no channel {channel!r}; have {', '.join(self.bursts)}"
            ) from None

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "method_text": self.method_text,
            "channels": {
                name: {
                    "threshold": self.threshold[name],
                    "baseline_s": list(self.baseline_s[name]),
                    "bursts": [
                        {"onset_s": burst.onset_s, "offset_s": burst.offset_s} for burst in bursts
                    ],
                }
                for name, bursts in self.bursts.items()
            },
        }


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Channel, start and end (exclusive) sample of every run of True in an (n, ch) mask,
    ordered by channel then time; one pass over the flattened, padded mask."""
    frames, channels = mask.shape
    padded = np.zeros((channels, frames + 2), dtype=np.int8)
    padded[:, 1:-1] = mask.T
    edges = np.diff(padded.reshape(-1))
    rises = np.flatnonzero(edges == 1)
    falls = np.flatnonzero(edges == -1)
    width = frames + 2
    return rises // width, rises % width, falls % width


def _tidy_runs(
    mask: np.ndarray, min_samples: int, gap_samples: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of at least ``min_samples``, then merged across gaps shorter than ``gap_samples``."""
    channel, start, end = _runs(mask)
    keep = end - start >= min_samples
    channel, start, end = channel[keep], start[keep], end[keep]
    if start.size == 0:
        return channel, start, end
    joined = (channel[1:] == channel[:-1]) & (start[1:] - end[:-1] < gap_samples)
    first = np.concatenate(([True], ~joined))
    last = np.concatenate((~joined, [True]))
    return channel[first], start[first], end[last]


def _baseline(
    signal: FloatArray,
    time: FloatArray,
    rate: float,
    baseline_s: tuple[float, float] | None,
    window_s: float,
) -> tuple[FloatArray, FloatArray, np.ndarray, int]:
    """Mean and SD of each channel over its baseline window, the window's first sample per
    channel and its length in samples."""
    frames, channels = signal.shape
    if baseline_s is not None:
        start_s, end_s = (float(baseline_s[0]), float(baseline_s[1]))
        inside = np.flatnonzero((time >= start_s) & (time <= end_s))
        if not start_s < end_s or inside.size < _MIN_BASELINE_SAMPLES:
            raise AnalysisError(
                "baseline_s",
                f"expected a window of at least {_MIN_BASELINE_SAMPLES} samples inside the "
                f"recording ({time[0]:g}–{time[-1]:g} s), got {baseline_s}",
            )
        part = signal[inside]
        return part.mean(axis=0), part.std(axis=0), np.full(channels, inside[0]), inside.size
    window = round(window_s * rate)
    if not _MIN_BASELINE_SAMPLES <= window <= frames // 2:
        raise AnalysisError(
            "baseline_window_s",
            f"must span {_MIN_BASELINE_SAMPLES} samples to half the recording "
            f"({frames / 2 / rate:g} s), got {window_s}",
        )
    zero = np.zeros((1, channels))
    total = np.concatenate((zero, np.cumsum(signal, axis=0)))
    squares = np.concatenate((zero, np.cumsum(signal**2, axis=0)))
    means = (total[window:] - total[:-window]) / window
    first = np.argmin(means, axis=0)
    columns = np.arange(channels)
    mean = means[first, columns]
    power = (squares[first + window, columns] - squares[first, columns]) / window
    return mean, np.sqrt(np.maximum(power - mean**2, 0.0)), first, window


@dataclass(frozen=True)
class _Settings:
    rate: float
    time: FloatArray
    baseline_s: tuple[float, float] | None
    baseline_window_s: float
    threshold_sd: float
    lowpass_hz: float
    false_alarm: float
    m_of_n: tuple[int, int]
    min_samples: int
    gap_samples: int


_Detected = tuple[np.ndarray, np.ndarray, np.ndarray, FloatArray, np.ndarray, int, str]


def _threshold_detect(conditioned: FloatArray, s: _Settings, what: str) -> _Detected:
    mean, sd, first, window = _baseline(
        conditioned, s.time, s.rate, s.baseline_s, s.baseline_window_s
    )
    threshold = mean + s.threshold_sd * sd
    channel, start, end = _tidy_runs(conditioned > threshold, s.min_samples, s.gap_samples)
    text = (
        f"onset where {what} rose above the baseline mean + {s.threshold_sd:g} SD and stayed "
        f"there for at least {s.min_samples / s.rate * 1000:.0f} ms"
    )
    return channel, start, end, threshold, first, window, text


def _sd(values: FloatArray, s: _Settings) -> _Detected:
    sos = lowpass_sos(s.lowpass_hz, s.rate, order=2)
    conditioned = apply_sos(sos, np.abs(values), zero_phase=True)
    what = f"the rectified EMG low-passed at {s.lowpass_hz:g} Hz (Hodges & Bui 1996)"
    return _threshold_detect(conditioned, s, what)


def teager_kaiser(values: FloatArray, /) -> FloatArray:
    """Teager–Kaiser energy ψ(n) = x(n)² − x(n−1)·x(n+1) along axis 0 (Kaiser 1990, Proc
    IEEE ICASSP 381-384); the two end samples repeat their neighbour."""
    energy = np.empty_like(values)
    energy[1:-1] = values[1:-1] ** 2 - values[:-2] * values[2:]
    energy[0] = energy[1]
    energy[-1] = energy[-2]
    return energy


def _tkeo(values: FloatArray, s: _Settings) -> _Detected:
    sos = lowpass_sos(s.lowpass_hz, s.rate, order=2)
    conditioned = apply_sos(sos, np.abs(teager_kaiser(values)), zero_phase=True)
    what = (
        "the rectified Teager–Kaiser energy low-passed at "
        f"{s.lowpass_hz:g} Hz (Li et al. 2007; Solnik et al. 2010)"
    )
    return _threshold_detect(conditioned, s, what)


def _double(values: FloatArray, s: _Settings) -> _Detected:
    active_needed, length = s.m_of_n
    squares = values**2
    variance, _, first, window = _baseline(
        squares, s.time, s.rate, s.baseline_s, s.baseline_window_s
    )
    variance = np.where(variance > 0, variance, np.finfo(float).tiny)
    pairs = squares.copy()
    pairs[1:] += squares[:-1]
    zeta = -2.0 * np.log(s.false_alarm)
    exceeds = pairs / variance > zeta
    counts = np.cumsum(exceeds, axis=0, dtype=np.int64)
    counts[length:] -= counts[:-length].copy()
    channel, start, end = _tidy_runs(counts >= active_needed, s.min_samples, s.gap_samples)
    # The trailing window flags a sample once r of the last n samples exceed. Within a burst
    # nearly every sample exceeds, so the onset is the first exceedance among the last r
    # samples before the trigger (the first of the whole window would often be one of the
    # baseline's false alarms, p·n of them per window).
    frames = values.shape[0]
    index = np.arange(frames)[:, None]
    next_hit = np.minimum.accumulate(np.where(exceeds, index, frames)[::-1], axis=0)[::-1]
    last_hit = np.maximum.accumulate(np.where(exceeds, index, -1), axis=0)
    start = np.minimum(next_hit[np.maximum(start - active_needed + 1, 0), channel], start)
    end = np.where(end < frames, last_hit[np.maximum(end - 1, 0), channel] + 1, end)
    text = (
        f"a sample was active where at least {active_needed} of the last {length} two-sample "
        f"energies exceeded ζ = {zeta:.2f} × the baseline variance (false-alarm probability "
        f"{s.false_alarm:g}; double threshold of Bonato et al. 1998), onset at the first such "
        f"sample of a run of activity lasting at least {s.min_samples / s.rate * 1000:.0f} ms"
    )
    return channel, start, end, zeta * variance, first, window, text


_METHODS: dict[str, Callable[[FloatArray, _Settings], _Detected]] = {
    "sd": _sd,
    "tkeo": _tkeo,
    "double": _double,
}


def onsets(
    ts: TimeSeries,
    /,
    *,
    method: OnsetMethod = "sd",
    baseline_s: tuple[float, float] | None = None,
    threshold_sd: float = 3.0,
    min_duration_s: float = 0.025,
    min_gap_s: float = 0.05,
    lowpass_hz: float = 50.0,
    baseline_window_s: float = 0.5,
    false_alarm: float = 0.05,
    m_of_n: tuple[int, int] = (8, 25),
) -> Onsets:
    """Bursts of activity in every channel of a cleaned (band-passed, not enveloped) EMG,
    preferably cleaned by :func:`clean_for_onsets` (forwards filters cannot ring before an
    onset and pull it early).

    ``threshold_sd`` and ``lowpass_hz`` apply to ``"sd"`` and ``"tkeo"``; ``false_alarm`` and
    ``m_of_n`` (r active of the last n samples) to ``"double"``. See the module docstring for
    the sources and the baseline rule; ``method_text`` says which was used."""
    rate = signal_rate(ts, min_frames=2 * _MIN_BASELINE_SAMPLES)
    try:
        detect = _METHODS[method]
    except KeyError:
        raise AnalysisError(
            "method", f"expected one of {', '.join(_METHODS)}, got {method!r}"
        ) from None
    if not np.isfinite(threshold_sd) or threshold_sd <= 0:
        raise AnalysisError("threshold_sd", f"must be a positive number, got {threshold_sd}")
    if not np.isfinite(min_duration_s) or min_duration_s < 0:
        raise AnalysisError("min_duration_s", f"must be ≥ 0 seconds, got {min_duration_s}")
    if not np.isfinite(min_gap_s) or min_gap_s < 0:
        raise AnalysisError("min_gap_s", f"must be ≥ 0 seconds, got {min_gap_s}")
    if not 0 < false_alarm < 1:
        raise AnalysisError("false_alarm", f"must lie between 0 and 1, got {false_alarm}")
    if not 1 <= m_of_n[0] <= m_of_n[1]:
        raise AnalysisError("m_of_n", f"expected (r, n) with 1 ≤ r ≤ n, got {m_of_n}")
    settings = _Settings(
        rate=rate,
        time=ts.time,
        baseline_s=baseline_s,
        baseline_window_s=baseline_window_s,
        threshold_sd=threshold_sd,
        lowpass_hz=lowpass_hz,
        false_alarm=false_alarm,
        m_of_n=(int(m_of_n[0]), int(m_of_n[1])),
        min_samples=max(1, round(min_duration_s * rate)),
        gap_samples=round(min_gap_s * rate),
    )
    channel, start, end, threshold, first, window, text = detect(ts.values, settings)
    frames = ts.frames
    time = ts.time
    bursts: dict[str, list[Burst]] = {name: [] for name in ts.channels}
    for c, a, b in zip(channel.tolist(), start.tolist(), end.tolist(), strict=True):
        offset = float(time[b]) if b < frames else None
        bursts[ts.channels[c]].append(Burst(float(time[a]), offset))
    if baseline_s is None:
        where = f"the quietest {window / rate:g} s of each channel (found automatically)"
    else:
        where = f"the quiet window {baseline_s[0]:g}–{baseline_s[1]:g} s given by the user"
    method_text = (
        f"Muscle onsets: {text}; baseline {where}; bursts less than "
        f"{settings.gap_samples / rate * 1000:.0f} ms apart merged."
    )
    return Onsets(
        bursts={name: tuple(found) for name, found in bursts.items()},
        method=method,
        method_text=method_text,
        threshold={name: float(value) for name, value in zip(ts.channels, threshold, strict=True)},
        baseline_s={
            name: (float(time[i]), float(time[min(i + window, frames) - 1]))
            for name, i in zip(ts.channels, first.tolist(), strict=True)
        },
    )

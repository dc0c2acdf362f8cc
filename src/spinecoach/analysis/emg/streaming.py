"""Live EMG: causal band-pass, notch and envelope carried from chunk to chunk, with onsets.

Each chunk goes through ``scipy.signal.sosfilt`` with the filter state (``zi``) of the end of
the previous chunk (the first chunk starts at steady state on its first sample), so a
recording fed in chunks of any size gives exactly the offline causal result
(``clean(..., zero_phase=False)`` then ``envelope(..., zero_phase=False)``), at a cost that
depends on the chunk, not on the session's length.

Onsets live are found on a faster detection signal than the display envelope: the rectified
EMG low-passed at 50 Hz (2nd order, as Hodges & Bui 1996), because a 6 Hz envelope lags a
sharp onset by tens of ms. A channel's onset is reported when that signal has stayed above
its threshold
for ``min_duration_s`` (the sample where it crossed is the onset time, so it arrives
``min_duration_s`` late); the channel must then stay below for ``min_gap_s`` before another
onset can be reported. Thresholds come from :meth:`StreamingEmg.calibrate` on a quiet
stretch (baseline mean + k·SD of the detection signal) or are given (in its units, those of
the input).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.signal import sosfilt, sosfilt_zi

from spinecoach.analysis.emg.filters import band_sos, lowpass_sos, notch_sos
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray


@dataclass(frozen=True)
class StreamingEmgStep:
    """One chunk's output: its envelope (n, channels), the last envelope value per channel,
    and the onsets reported in this chunk as (channel index, onset time in s)."""

    envelope: FloatArray
    latest: FloatArray
    onsets: tuple[tuple[int, float], ...]


class StreamingEmg:
    """Causal EMG conditioning and onset detection for ``channels`` channels at ``rate_hz``."""

    def __init__(
        self,
        channels: int,
        rate_hz: float,
        *,
        band_hz: tuple[float, float] = (20.0, 450.0),
        notch_hz: float | None = 50.0,
        envelope_cutoff_hz: float = 6.0,
        detection_cutoff_hz: float = 50.0,
        threshold: Sequence[float] | None = None,
        order: int = 4,
        min_duration_s: float = 0.025,
        min_gap_s: float = 0.05,
        start_s: float = 0.0,
    ) -> None:
        if channels < 1:
            raise AnalysisError("channels", f"must be 1 or more, got {channels}")
        if not np.isfinite(rate_hz) or rate_hz <= 0:
            raise AnalysisError("rate_hz", f"must be a positive sampling rate, got {rate_hz}")
        sections = [band_sos(band_hz, rate_hz, order=order)]
        if notch_hz is not None:
            sections.append(notch_sos(notch_hz, rate_hz))
        self._band = np.vstack(sections)
        self._low = lowpass_sos(envelope_cutoff_hz, rate_hz)
        self._band_unit = np.asarray(sosfilt_zi(self._band))
        self._low_unit = np.asarray(sosfilt_zi(self._low))
        self._detect = lowpass_sos(detection_cutoff_hz, rate_hz, order=2)
        self._detect_unit = np.asarray(sosfilt_zi(self._detect))
        self.channels = channels
        self.rate_hz = float(rate_hz)
        self.start_s = start_s
        self._min_samples = max(1, round(min_duration_s * rate_hz))
        self._gap_samples = max(1, round(min_gap_s * rate_hz))
        self.threshold: FloatArray | None = None
        if threshold is not None:
            self.set_threshold(threshold)
        self.reset()

    def reset(self) -> None:
        """Forget the past: the next chunk starts the filters afresh (steady state on its
        first sample), the sample count and the onset state."""
        self._started = False
        self._band_zi = np.zeros((self._band.shape[0], 2, self.channels))
        self._low_zi = np.zeros((self._low.shape[0], 2, self.channels))
        self._detect_zi = np.zeros((self._detect.shape[0], 2, self.channels))
        self._samples = 0
        self._above = np.zeros(self.channels, dtype=np.int64)
        self._below = np.full(self.channels, self._gap_samples, dtype=np.int64)
        self._armed = np.ones(self.channels, dtype=bool)

    def set_threshold(self, threshold: Sequence[float] | FloatArray) -> None:
        values = np.asarray(threshold, dtype=np.float64).reshape(-1)
        if values.size != self.channels or not np.all(np.isfinite(values)):
            raise AnalysisError(
                "threshold", f"expected {self.channels} finite thresholds, got {values.size}"
            )
        self.threshold = values

    def _filter(self, chunk: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The chunk's display envelope and onset-detection signal."""
        values = np.asarray(chunk, dtype=np.float64)
        if values.ndim != 2 or values.shape[1] != self.channels or values.shape[0] == 0:
            raise AnalysisError(
                "chunk", f"expected shape (samples, {self.channels}), got {values.shape}"
            )
        if not self._started:  # steady state on the first sample, like the offline filter
            self._band_zi = self._band_unit[:, :, None] * values[:1][None, :, :]
        clean, self._band_zi = sosfilt(self._band, values, axis=0, zi=self._band_zi)
        rectified = np.abs(clean)
        if not self._started:
            self._low_zi = self._low_unit[:, :, None] * rectified[:1][None, :, :]
            self._detect_zi = self._detect_unit[:, :, None] * rectified[:1][None, :, :]
            self._started = True
        envelope, self._low_zi = sosfilt(self._low, rectified, axis=0, zi=self._low_zi)
        detection, self._detect_zi = sosfilt(self._detect, rectified, axis=0, zi=self._detect_zi)
        return np.asarray(envelope), np.asarray(detection)

    def calibrate(
        self, baseline_chunk: FloatArray, /, *, threshold_sd: float = 3.0, settle_s: float = 0.2
    ) -> FloatArray:
        """Feed a quiet stretch (the filters run on, no onsets are reported) and set each
        channel's threshold to the mean + ``threshold_sd`` SD of its detection signal, leaving out
        the first ``settle_s`` while the filters settle from rest."""
        _, detection = self._filter(baseline_chunk)
        skip = round(settle_s * self.rate_hz) if self._samples == 0 else 0
        self._samples += detection.shape[0]
        usable = detection[skip:]
        if usable.shape[0] < 20:
            raise AnalysisError(
                "baseline_chunk",
                f"need at least 20 samples after the first {settle_s:g} s settling",
            )
        threshold: FloatArray = usable.mean(axis=0) + threshold_sd * usable.std(axis=0)
        self.set_threshold(threshold)
        return threshold

    def feed(self, chunk: FloatArray, /) -> StreamingEmgStep:
        """Filter one chunk (n, channels) and report the onsets completed in it."""
        envelope, detection = self._filter(chunk)
        frames = envelope.shape[0]
        first = self._samples
        self._samples += frames
        found: list[tuple[int, float]] = []
        if self.threshold is not None:
            above = detection > self.threshold
            index = np.arange(frames)[:, None]
            run_above = index - np.maximum.accumulate(
                np.where(above, -1 - self._above, index), axis=0
            )
            run_below = index - np.maximum.accumulate(
                np.where(above, index, -1 - self._below), axis=0
            )
            onset = run_above == self._min_samples
            rearm = run_below == self._gap_samples
            if onset.any() or rearm.any():
                rows, cols = np.nonzero(onset | rearm)
                for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
                    if rearm[row, col]:
                        self._armed[col] = True
                    elif self._armed[col]:
                        self._armed[col] = False
                        sample = first + row - self._min_samples + 1
                        found.append((col, self.start_s + sample / self.rate_hz))
            self._above = run_above[-1].copy()
            self._below = run_below[-1].copy()
        return StreamingEmgStep(envelope=envelope, latest=envelope[-1].copy(), onsets=tuple(found))

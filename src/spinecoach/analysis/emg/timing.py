"""Anticipatory (feed-forward) timing of trunk muscles relative to a prime mover.

In the rapid-arm-raise paradigm (Hodges & Richardson 1997, Ergonomics 40:1220-1230) the trunk
muscles of healthy people switch on before or with the anterior deltoid. A trial counts as
feed-forward when the trunk onset falls within −100 ms to +50 ms of the deltoid onset (Silfies
et al. 2009, Arch Phys Med Rehabil 90:1159-1169). Latency = trunk onset − prime-mover onset,
so **negative means the trunk muscle came first**. Both window edges are inclusive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from spinecoach.analysis.emg.onsets import Onsets
from spinecoach.analysis.errors import AnalysisError

FEEDFORWARD_WINDOW_MS = (-100.0, 50.0)


@dataclass(frozen=True)
class MuscleTiming:
    """One trunk muscle over the trials: latencies in ms (None: no onset in that trial)."""

    muscle: str
    latencies_ms: tuple[float | None, ...]
    trials: int
    feedforward_trials: int
    median_ms: float | None
    q1_ms: float | None
    q3_ms: float | None
    fraction_feedforward: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "muscle": self.muscle,
            "latencies_ms": list(self.latencies_ms),
            "trials": self.trials,
            "feedforward_trials": self.feedforward_trials,
            "median_ms": self.median_ms,
            "q1_ms": self.q1_ms,
            "q3_ms": self.q3_ms,
            "fraction_feedforward": self.fraction_feedforward,
        }


@dataclass(frozen=True)
class AnticipatoryTiming:
    muscles: tuple[MuscleTiming, ...]
    window_ms: tuple[float, float]
    method_text: str

    def muscle(self, name: str, /) -> MuscleTiming:
        for timing in self.muscles:
            if timing.muscle == name:
                return timing
        raise AnalysisError("muscle", f"no muscle {name!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "window_ms": list(self.window_ms),
            "method_text": self.method_text,
            "muscles": [timing.as_dict() for timing in self.muscles],
        }


def anticipatory_timing(
    trunk: Mapping[str, Sequence[float | None]],
    prime_onsets_s: Sequence[float],
    /,
    *,
    window_ms: tuple[float, float] = FEEDFORWARD_WINDOW_MS,
) -> AnticipatoryTiming:
    """Per muscle and trial, latency = trunk onset − prime-mover onset (ms); feed-forward when
    ``window_ms[0] <= latency <= window_ms[1]``; a trial without a trunk onset is not
    feed-forward. Median and quartiles (linear interpolation) are over trials with an onset."""
    prime = np.asarray(prime_onsets_s, dtype=np.float64)
    if prime.ndim != 1 or prime.size == 0 or not np.all(np.isfinite(prime)):
        raise AnalysisError("prime_onsets_s", "expected one finite onset (s) per trial")
    low, high = (float(window_ms[0]), float(window_ms[1]))
    if not low < high:
        raise AnalysisError(
            "window_ms", f"expected (earliest, latest) with earliest < latest, got {window_ms}"
        )
    results = []
    for muscle, onsets_s in trunk.items():
        if len(onsets_s) != prime.size:
            raise AnalysisError(
                "trunk",
                f"{muscle}: expected {prime.size} onsets (one per trial), got {len(onsets_s)}",
            )
        raw = np.array([np.nan if t is None else float(t) for t in onsets_s])
        # rounded to the nanosecond: 49.90 − 50.00 s must be −100 ms, not −100.0000000003
        latency = np.round((raw - prime) * 1000.0, 6)
        present = np.isfinite(latency)
        inside = present & (latency >= low) & (latency <= high)
        if present.any():
            q1, median, q3 = (float(v) for v in np.percentile(latency[present], [25, 50, 75]))
        else:
            q1 = median = q3 = None  # type: ignore[assignment]
        results.append(
            MuscleTiming(
                muscle=muscle,
                latencies_ms=tuple(
                    float(v) if ok else None for v, ok in zip(latency, present, strict=True)
                ),
                trials=int(prime.size),
                feedforward_trials=int(inside.sum()),
                median_ms=median,
                q1_ms=q1,
                q3_ms=q3,
                fraction_feedforward=float(inside.sum() / prime.size),
            )
        )
    text = (
        f"Latency = trunk-muscle onset − prime-mover onset (negative: trunk first); a trial is "
        f"feed-forward when it lies within {low:g} to +{high:g} ms inclusive (Silfies et al. "
        f"2009); trials without a trunk onset count as not feed-forward; median and quartiles "
        f"over trials with an onset."
    )
    return AnticipatoryTiming(muscles=tuple(results), window_ms=(low, high), method_text=text)


def trial_onsets(
    onsets: Onsets,
    prime_channel: str,
    /,
    *,
    search_before_s: float = 0.5,
    search_after_s: float = 0.5,
) -> tuple[list[float], dict[str, list[float | None]]]:
    """Trials from a recording of repeated movements: each prime-mover burst is a trial, and
    each other channel's onset nearest to it within [prime − before, prime + after] is that
    muscle's onset in the trial (None when it has none there)."""
    prime = list(onsets.onsets_s(prime_channel))
    others = [channel for channel in onsets.bursts if channel != prime_channel]
    trunk = pair_trials(
        onsets,
        prime,
        channels=others,
        search_before_s=search_before_s,
        search_after_s=search_after_s,
    )
    return prime, trunk


def pair_trials(
    onsets: Onsets,
    prime_onsets_s: Sequence[float],
    /,
    *,
    channels: Sequence[str] | None = None,
    search_before_s: float = 0.5,
    search_after_s: float = 0.5,
) -> dict[str, list[float | None]]:
    """Each channel's onset nearest to each prime-mover onset within [prime − before, prime +
    after] (None when it has none there). The prime onsets may come from anywhere: a deltoid
    burst, or a limb accelerometer (:func:`~.movement.movement_onsets`)."""
    if search_before_s < 0 or search_after_s < 0:
        raise AnalysisError("search_before_s", "the search window must not be negative")
    trunk: dict[str, list[float | None]] = {}
    for channel in onsets.bursts if channels is None else channels:
        times = np.asarray(onsets.onsets_s(channel))
        picks: list[float | None] = []
        for start in prime_onsets_s:
            near = times[(times >= start - search_before_s) & (times <= start + search_after_s)]
            picks.append(float(near[np.argmin(np.abs(near - start))]) if near.size else None)
        trunk[channel] = picks
    return trunk

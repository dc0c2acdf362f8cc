"""The quality metrics, by the names the exercise library uses, computed over a span of frames.

The vocabulary (names, units, views) is declared in ``spinecoach.domain.metrics`` so that the
library can be validated without numerical code; this module computes exactly those names
(a test checks that the two lists agree). Each function gets a :class:`Span` - the kinematic
signals of the whole recording and the frames of one repetition or hold - and returns one
number, or NaN when the signals it needs are not visible from this source or camera view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from spinecoach.analysis.pose.repetitions import symmetry_index
from spinecoach.analysis.timeseries import FloatArray, TimeSeries

# The start posture of a repetition is the median of the frames just before it: one noisy
# frame must not become the reference every excursion is measured from.
BASELINE_S = 0.25


@dataclass(frozen=True)
class Span:
    """The frames ``start:end`` (end exclusive) of a recording's kinematic signals."""

    signals: TimeSeries
    start: int
    end: int
    neutral_tolerance_deg: float = 5.0
    # Prescribed (out, pause, back) durations in seconds, when the exercise has a tempo.
    tempo_s: tuple[float, float, float] | None = None
    # Frame of the peak of the driving movement within the span, when there is one.
    peak: int | None = None
    # The driving signal of the whole recording, oriented so that moving is rising, its unit,
    # and the left/right channels it was made from when the movement is bilateral.
    driver: FloatArray | None = None
    driver_unit: str = ""
    bilateral: tuple[str, str] | None = None

    def driven(self) -> FloatArray:
        """The driver over the span (all NaN without one)."""
        if self.driver is None:
            return np.full(self.end - self.start, np.nan)
        return self.driver[self.start : self.end]

    def values(self, channel: str) -> FloatArray:
        """The channel's values over the span (all NaN when the source lacks it)."""
        if channel not in self.signals.channels:
            return np.full(self.end - self.start, np.nan)
        return self.signals.channel(channel)[self.start : self.end]

    @property
    def time(self) -> FloatArray:
        return self.signals.time[self.start : self.end]

    def baseline(self, channel: str) -> float:
        """The channel's start posture: its median over the :data:`BASELINE_S` seconds up to
        the first frame of the span (the rest just before the movement)."""
        if channel not in self.signals.channels or self.end <= self.start:
            return float("nan")
        time = self.signals.time
        first = int(np.searchsorted(time, time[self.start] - BASELINE_S))
        head = self.signals.channel(channel)[first : self.start + 1]
        head = head[np.isfinite(head)]
        return float(np.median(head)) if head.size else float("nan")


def _largest(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else float("nan")


def excursion_from_start(span: Span, channel: str) -> float:
    """Largest absolute change of a channel from its start posture over the span."""
    return _largest(np.abs(span.values(channel) - span.baseline(channel)))


MetricFunction = Callable[[Span], float]


@dataclass(frozen=True)
class QualityMetric:
    """How one named quality metric is computed, in one sentence, and its unit."""

    name: str
    unit: str
    method: str
    compute: MetricFunction


def _excursion(channel: str) -> MetricFunction:
    return lambda span: excursion_from_start(span, channel)


_REGISTERED: dict[str, QualityMetric] = {}


def register(name: str, unit: str, method: str) -> Callable[[MetricFunction], MetricFunction]:
    """Declare a quality metric's computation (used as a decorator)."""

    def add(function: MetricFunction) -> MetricFunction:
        _REGISTERED[name] = QualityMetric(name, unit, method, function)
        return function

    return add


for _name, _channel, _plane in (
    ("trunk_sagittal_excursion_deg", "trunk_sagittal_deg", "forward/backward inclination"),
    ("trunk_frontal_excursion_deg", "trunk_frontal_deg", "side-bend"),
    ("trunk_rotation_excursion_deg", "trunk_rotation_deg", "shoulder-line-to-pelvis-line angle"),
    ("pelvic_tilt_excursion_deg", "pelvic_tilt_deg", "sagittal pelvis proxy angle"),
):
    register(
        _name,
        "deg",
        f"Largest absolute change of the trunk's {_plane} from its median over the "
        f"{BASELINE_S:g} s before the repetition.",
    )(_excursion(_channel))


@register(
    "pelvic_obliquity_deg",
    "deg",
    "Largest absolute angle between the line joining the hips and the horizontal, in the "
    "frontal plane, over the repetition.",
)
def _pelvic_obliquity(span: Span) -> float:
    return _largest(np.abs(span.values("pelvic_obliquity_deg")))


@register(
    "hold_sway_deg",
    "deg",
    "Root-mean-square deviation of the trunk's sagittal and frontal inclination from their "
    "medians over the hold.",
)
def _hold_sway(span: Span) -> float:
    deviations = []
    for channel in ("trunk_sagittal_deg", "trunk_frontal_deg"):
        values = span.values(channel)
        finite = values[np.isfinite(values)]
        if finite.size:
            deviations.append(finite - np.median(finite))
    if not deviations:
        return float("nan")
    squared = np.concatenate(deviations) ** 2
    return float(np.sqrt(squared.mean() * len(deviations)))


@register(
    "neutral_hold_s",
    "s",
    "Longest continuous time the trunk's sagittal and frontal inclination stay within the "
    "neutral tolerance of their start posture.",
)
def _neutral_hold(span: Span) -> float:
    time = span.time
    if time.size < 2:
        return float("nan")
    inside = np.ones(time.size, dtype=bool)
    seen = False
    for channel in ("trunk_sagittal_deg", "trunk_frontal_deg"):
        values = span.values(channel)
        if not np.isfinite(values).any():
            continue
        seen = True
        inside &= np.abs(values - span.baseline(channel)) <= span.neutral_tolerance_deg
    if not seen:
        return float("nan")
    return _longest_true_run_s(inside, time)


def _longest_true_run_s(mask: FloatArray | np.ndarray, time: FloatArray) -> float:
    """Duration of the longest run of True in ``mask`` (frame to frame), vectorised."""
    flags = np.concatenate(([False], np.asarray(mask, dtype=bool), [False]))
    edges = np.flatnonzero(np.diff(flags.astype(np.int8)))
    starts, ends = edges[::2], edges[1::2] - 1
    if starts.size == 0:
        return 0.0
    return float((time[ends] - time[starts]).max())


@register(
    "range_of_motion_deg",
    "deg",
    "Difference between the largest and smallest value of the exercise's driving angle "
    "(the joint it moves) over the repetition.",
)
def _range_of_motion(span: Span) -> float:
    if span.driver_unit != "deg":
        return float("nan")
    values = span.driven()
    finite = values[np.isfinite(values)]
    return float(np.ptp(finite)) if finite.size else float("nan")


@register(
    "lumbar_hip_ratio",
    "ratio",
    "Largest spine bending (upper-trunk minus lower-trunk inclination) divided by the largest "
    "forward inclination of the upper trunk, both from the start posture; needs a mid-spine "
    "point (depth cameras, lab systems).",
)
def _lumbar_hip_ratio(span: Span) -> float:
    bend = excursion_from_start(span, "lumbar_flexion_deg")
    lean = excursion_from_start(span, "trunk_sagittal_deg")
    if not np.isfinite(bend) or not np.isfinite(lean):
        return float("nan")
    total = max(lean, bend)
    # Below 10° of forward bend there is no bend to share out.
    return float(np.clip(bend / total, 0.0, 1.0)) if total >= 10.0 else float("nan")


@register(
    "knee_valgus_deg",
    "deg",
    "Largest inward angle of either knee from its hip-ankle line in the frontal plane over "
    "the repetition, minus its start posture.",
)
def _knee_valgus(span: Span) -> float:
    return _largest_rise_either_side(span, "knee_valgus_{}_deg")


def _largest_rise_either_side(span: Span, pattern: str) -> float:
    """Largest rise above its start posture of the left or the right channel of a pair."""
    rises = [
        span.values(pattern.format(side)) - span.baseline(pattern.format(side))
        for side in ("left", "right")
    ]
    return _largest(np.concatenate(rises))


@register(
    "shoulder_elevation_deg",
    "deg",
    "Largest rise of either clavicle line (neck to shoulder) above its start angle: a shrug.",
)
def _shoulder_elevation(span: Span) -> float:
    return _largest_rise_either_side(span, "shoulder_elevation_{}_deg")


@register(
    "left_right_asymmetry_pct",
    "%",
    "Symmetry index |L - R| / mean(L, R) × 100 of the ranges of motion of the left and right "
    "driving angles over the repetition, for movements done with both sides together.",
)
def _asymmetry(span: Span) -> float:
    if span.bilateral is None:
        return float("nan")
    ranges = []
    for channel in span.bilateral:
        values = span.values(channel)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return float("nan")
        ranges.append(float(np.ptp(finite)))
    # A movement of less than 5° on both sides has no range worth comparing.
    if 0.5 * (ranges[0] + ranges[1]) < 5.0:
        return float("nan")
    return symmetry_index(ranges[0], ranges[1])


@register(
    "tempo_deviation_s",
    "s",
    "Mean absolute difference between the prescribed and the performed durations of the "
    "movement out, the pause at the top (speed below 5 % of its peak) and the way back.",
)
def _tempo_deviation(span: Span) -> float:
    if span.tempo_s is None:
        return float("nan")
    phases = tempo_phases(span)
    if phases is None:
        return float("nan")
    return float(np.mean(np.abs(np.subtract(phases, span.tempo_s))))


def tempo_phases(span: Span) -> tuple[float, float, float] | None:
    """(out, pause, back) durations of the driven movement in seconds, or None.

    The movement out ends when its speed has fallen below :data:`TEMPO_STILL_SHARE` of its
    fastest after the fastest moment on the way out; the way back begins at the last such
    still moment before the fastest moment on the way back.
    """
    values = span.driven()
    time = span.time
    if values.size < 5 or not np.isfinite(values).all():
        return None
    speed = np.gradient(values, time)
    rise, fall = int(np.argmax(speed)), int(np.argmin(speed))
    if not (speed[rise] > 0 > speed[fall]) or fall <= rise:
        return None
    still_out = np.flatnonzero(speed[rise:fall] < TEMPO_STILL_SHARE * speed[rise])
    still_back = np.flatnonzero(speed[rise:fall] > TEMPO_STILL_SHARE * speed[fall])
    if still_out.size == 0 or still_back.size == 0:
        return None
    top_start, top_end = rise + int(still_out[0]), rise + int(still_back[-1])
    if top_end < top_start:
        top_end = top_start
    return (
        float(time[top_start] - time[0]),
        float(time[top_end] - time[top_start]),
        float(time[-1] - time[top_end]),
    )


# The movement is "still" at the top once its speed is below a twentieth of its peak speed.
TEMPO_STILL_SHARE = 0.05
# Onsets: the first frame after which a signal stays more than this far from its start
# posture (degrees for the trunk, share of its range for the limb).
TRUNK_ONSET_DEG = 2.0
LIMB_ONSET_SHARE = 0.1


@register(
    "trunk_lead_ms",
    "ms",
    "Limb onset (driving signal past a tenth of its range) minus trunk onset (trunk "
    "inclination 2° from its start posture), in ms: positive when the trunk moves or sets "
    "before the limb.",
)
def _trunk_lead(span: Span) -> float:
    limb = span.driven()
    if not np.isfinite(limb).any():
        return float("nan")
    rest = float(np.nanmin(limb[: max(1, limb.size // 5)]))
    top = float(np.nanmax(limb))
    limb_onset = _first_index(limb > rest + LIMB_ONSET_SHARE * (top - rest))
    trunk_onsets = []
    for channel in ("trunk_sagittal_deg", "trunk_frontal_deg"):
        deviation = np.abs(span.values(channel) - span.baseline(channel))
        trunk_onsets.append(_first_index(deviation > TRUNK_ONSET_DEG))
    found = [i for i in trunk_onsets if i is not None]
    if limb_onset is None or not found:
        return float("nan")
    time = span.time
    return float((time[limb_onset] - time[min(found)]) * 1000.0)


def _first_index(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


@register(
    "balance_sway_cm",
    "cm",
    "Root-mean-square sideways deviation of the mid-hip from its mean over the span; camera "
    "units are scaled to metres by an assumed trunk length of 0.49 m.",
)
def _balance_sway(span: Span) -> float:
    sway = span.values("pelvis_lateral")
    finite = sway[np.isfinite(sway)]
    if finite.size < 2:
        return float("nan")
    return float(np.sqrt(np.mean((finite - finite.mean()) ** 2)) * 100.0)


@register(
    "jerk_log_dimensionless",
    "",
    "Log of the dimensionless jerk of the driving signal over the repetition, ln(T^5 / A^2 × "
    "∫ jerk^2 dt), with T its duration and A its range (Hogan & Sternad 2009, J Mot Behav "
    "41:529): lower is smoother; a single smooth out-and-back is about 8.",
)
def _smoothness(span: Span) -> float:
    values = span.driven()
    time = span.time
    finite = np.isfinite(values)
    if finite.sum() < 8 or not finite.all():
        return float("nan")
    amplitude = float(np.ptp(values))
    duration = float(time[-1] - time[0])
    if amplitude <= 0 or duration <= 0:
        return float("nan")
    jerk = np.gradient(np.gradient(np.gradient(values, time), time), time)
    squared = jerk**2
    integral = float(np.sum(0.5 * (squared[1:] + squared[:-1]) * np.diff(time)))
    return float(np.log(duration**5 / amplitude**2 * integral)) if integral > 0 else float("nan")


_REDUCERS: dict[str, tuple[str, Callable[[Span, str], float]]] = {
    "max": ("Largest value of {c} over the repetition.", lambda s, c: _largest(s.values(c))),
    "min": ("Smallest value of {c} over the repetition.", lambda s, c: -_largest(-s.values(c))),
    "range": (
        "Largest minus smallest value of {c} over the repetition.",
        lambda s, c: _largest(s.values(c)) + _largest(-s.values(c)),
    ),
    "excursion": (
        "Largest absolute change of {c} from its start posture over the repetition.",
        excursion_from_start,
    ),
}


def signal_metric(name: str, units: Mapping[str, str]) -> QualityMetric | None:
    """A metric named ``<reducer>:<channel>`` (max, min, range, excursion of any kinematic
    signal), so that an analyzer can judge what the vocabulary does not name; None when
    ``name`` is not of that form or names no known channel."""
    reducer, _, channel = name.partition(":")
    if reducer not in _REDUCERS or channel not in units:
        return None
    method, compute = _REDUCERS[reducer]
    return QualityMetric(
        name, units[channel], method.format(c=channel), lambda span: compute(span, channel)
    )


def quality_metrics() -> MappingProxyType[str, QualityMetric]:
    """Every registered quality metric by name."""
    return MappingProxyType(_REGISTERED)

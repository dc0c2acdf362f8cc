"""Live sensor biofeedback: EMG or IMU chunks in, levels, a hold timer and one cue out.

The camera path (:mod:`.live`) judges movement from landmarks; this path judges what a camera
cannot see. A sensor bridge (the lab's acquisition software, or a small script beside it)
sends chunks of samples; each chunk goes through the streaming EMG conditioning or the
streaming orientation filter with their state carried over, becomes a few named metrics,
and the same :class:`~spinecoach.analysis.feedback.CueScheduler` with the same policy and
fading as the camera decides whether to speak (via :class:`SensorFeedback`).

Two exercises are offered:

* **deep activation** (EMG): the deep channel's envelope in % of a reference contraction must
  reach ``deep_at_least_pct`` while the superficial channel stays under
  ``superficial_at_most_pct`` — precise deep activation without over-bracing (phase 1 of the
  motor-control approach, Hodges 2007 manual, clinical-facts.md §3.2); a good hold lasts
  ``hold_s`` (default 10 s: the abdominal drawing-in dose of 10 s × 10 in a published
  protocol, §3.2);
* **still trunk** (IMU): while a limb moves, the trunk sensor's inclination may change by at
  most ``max_trunk_motion_deg`` from where the hold started.

The percentages and degrees are the clinician's settings per patient (defaults below are our
starting values, not published cut-offs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from spinecoach.analysis import emg
from spinecoach.analysis.emg import StreamingEmg
from spinecoach.analysis.exercise import Criterion
from spinecoach.analysis.feedback import CuePolicy
from spinecoach.analysis.feedback.cues import CueBook, CueLevel
from spinecoach.analysis.feedback.policy import CueScheduler, Observation
from spinecoach.analysis.feedback.sensors import SensorFeedback, SensorTarget
from spinecoach.analysis.timeseries import TimeSeries
from spinecoach.domain.errors import InvalidInput

from .schemas import as_input_errors

DEFAULT_HOLD_S = 10.0  # ADIM 10 s holds (clinical-facts.md §3.2, one published protocol)
DEFAULT_DEEP_PCT = 10.0  # design default; the clinician sets it per patient
DEFAULT_SUPERFICIAL_PCT = 20.0  # design default
DEFAULT_TRUNK_MOTION_DEG = 5.0  # design default
MAX_CHUNK_SAMPLES = 2000
# Our own words for the sensor faults (the exercise library has none for them).
SENSOR_CUES = CueBook(
    corrections={
        "over_bracing": (
            "Ease off the outer tummy muscles: a gentle draw-in, not a brace.",
            "Softer.",
        ),
        "trunk_moved": ("Keep your trunk still while the limb moves.", "Trunk still."),
        "hold_short": ("Try to hold the gentle draw-in a little longer.", "Hold longer."),
    }
)


def _checked_reference(reference: Mapping[str, float], roles: Sequence[str]) -> dict[str, float]:
    """Each used channel's reference amplitude, positive and finite."""
    checked = {}
    for name in roles:
        amplitude = _finite_number(reference.get(name))
        if amplitude is None or amplitude <= 0:
            raise InvalidInput("reference", f"{name}: give a positive reference amplitude")
        checked[name] = amplitude
    return checked


def _chunk(
    message: Mapping[str, Any], width: int, *, limit: int = MAX_CHUNK_SAMPLES
) -> tuple[float, np.ndarray]:
    """The chunk's start time and its (n, width) samples, checked."""
    start = _finite_number(message.get("t"))
    if start is None:
        raise InvalidInput("t", "must be the chunk's start time in seconds")
    samples = message.get("samples")
    if not isinstance(samples, list) or not samples or len(samples) > limit:
        raise InvalidInput("samples", f"must be a list of 1–{limit} sample rows")
    try:
        values = np.asarray(samples, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput("samples", "must hold numbers only") from None
    if values.ndim != 2 or values.shape[1] != width:
        raise InvalidInput("samples", f"each row must have {width} values")
    if not np.isfinite(values).all():
        raise InvalidInput("samples", "must be finite numbers")
    return start, values


def _reply(seen: Observation, scheduler: CueScheduler, feedback: SensorFeedback) -> dict[str, Any]:
    cue = scheduler.decide(seen)
    return {
        "t": round(seen.time_s, 3),
        "cue": None if cue is None else {"kind": cue.kind.value, "key": cue.key, "text": cue.text},
        "level": scheduler.level,
        **feedback.summary().as_dict(),
    }


class LiveDeepActivation:
    """Live EMG biofeedback of precise deep activation (see the module docstring)."""

    def __init__(
        self,
        *,
        rate_hz: float,
        channels: Sequence[str],
        deep: str,
        superficial: str | None,
        reference: Mapping[str, float] | None,
        deep_at_least_pct: float = DEFAULT_DEEP_PCT,
        superficial_at_most_pct: float = DEFAULT_SUPERFICIAL_PCT,
        hold_s: float = DEFAULT_HOLD_S,
        notch_hz: float | None = 50.0,
        cue_level: CueLevel = "full",
    ) -> None:
        names = list(channels)
        for role, name in (("deep", deep), ("superficial", superficial)):
            if name is not None and name not in names:
                raise InvalidInput(role, f"no channel {name!r}; have {', '.join(names)}")
        roles = [deep] + ([superficial] if superficial else [])
        self._index = {name: names.index(name) for name in roles}
        self._channels = tuple(names)
        self._notch = notch_hz
        self._reference: dict[str, float] | None = None
        if reference is not None:
            self._reference = _checked_reference(reference, roles)
        self._superficial = superficial
        criteria = [Criterion(metric="deep_pct", at_least=deep_at_least_pct)]
        if superficial is not None:
            criteria.append(
                Criterion(
                    metric="superficial_pct", at_most=superficial_at_most_pct, fault="over_bracing"
                )
            )
        with as_input_errors():
            self._stream = StreamingEmg(len(names), rate_hz, notch_hz=notch_hz)
            target = SensorTarget(criteria=tuple(criteria), hold_s=hold_s)
        self._width = len(names)
        self._rate = rate_hz
        self.feedback = SensorFeedback(target)
        self.scheduler = CueScheduler(CuePolicy(level=cue_level), SENSOR_CUES)

    def set_reference(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """A reference contraction ``{"type": "reference", "samples": [[…], …]}`` (1–10 s of
        a maximal or a standard contraction): each used channel's reference amplitude is the
        largest 0.5 s mean of its envelope (``analysis.emg.reference_amplitude``)."""
        _, values = _chunk({**message, "t": 0.0}, self._width, limit=round(10 * self._rate))
        if values.shape[0] < self._rate:
            raise InvalidInput("samples", "a reference contraction needs at least 1 s of samples")
        series = TimeSeries(
            np.arange(values.shape[0]) / self._rate,
            values,
            self._channels,
            ("uV",) * self._width,
        )
        with as_input_errors():
            envelope = emg.envelope(emg.clean(series, notch_hz=self._notch))
            amplitudes = emg.reference_amplitude(envelope)
        self._reference = _checked_reference(amplitudes, list(self._index))
        return {
            "type": "reference",
            "reference": {k: round(v, 3) for k, v in self._reference.items()},
        }

    def feed(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """One chunk ``{"t": start_s, "samples": [[ch1, ch2, …], …]}`` → the reply."""
        if self._reference is None:
            raise InvalidInput("type", "send a reference contraction first (or give reference)")
        start, values = _chunk(message, self._width)
        step = self._stream.feed(values)
        levels = {
            name: 100.0 * float(step.latest[i]) / self._reference[name]
            for name, i in self._index.items()
        }
        metrics = {"deep_pct": next(iter(levels.values()))}
        if self._superficial is not None:
            metrics["superficial_pct"] = levels[self._superficial]
        end = start + (values.shape[0] - 1) / self._rate
        with as_input_errors():
            seen = self.feedback.step(end, metrics)
        reply = _reply(seen, self.scheduler, self.feedback)
        reply["levels_pct"] = {name: round(value, 1) for name, value in levels.items()}
        return reply


class LiveStillTrunk:
    """Live IMU biofeedback: keep the trunk still while a limb moves."""

    def __init__(
        self,
        *,
        rate_hz: float,
        max_trunk_motion_deg: float = DEFAULT_TRUNK_MOTION_DEG,
        hold_s: float = DEFAULT_HOLD_S,
        cue_level: CueLevel = "full",
    ) -> None:
        with as_input_errors():
            # imported here: the IMU package loads numba, which the web app's start-up need not
            from spinecoach.analysis.imu import StreamingOrientation

            self._stream = StreamingOrientation(rate_hz)
            target = SensorTarget(
                criteria=(
                    Criterion(metric="engaged", at_least=0.5),
                    Criterion(
                        metric="trunk_motion_deg", at_most=max_trunk_motion_deg, fault="trunk_moved"
                    ),
                ),
                hold_s=hold_s,
            )
        self._rate = rate_hz
        self._start: float | None = None
        self.feedback = SensorFeedback(target)
        self.scheduler = CueScheduler(CuePolicy(level=cue_level), SENSOR_CUES)

    def feed(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """One chunk ``{"t": start_s, "samples": [[gx, gy, gz, ax, ay, az], …], "active":
        true}``: gyroscope in rad/s, accelerometer in any unit; ``active`` says the patient
        is doing the exercise (a button or the limb sensor), else they rest."""
        start, values = _chunk(message, 6)
        with as_input_errors():
            sample = self._stream.feed(values[:, :3], values[:, 3:])
        active = bool(message.get("active", True))
        if not active:
            self._start = None
        elif self._start is None:
            self._start = sample.inclination_deg
        motion = abs(sample.inclination_deg - self._start) if self._start is not None else 0.0
        end = start + (values.shape[0] - 1) / self._rate
        with as_input_errors():
            seen = self.feedback.step(
                end, {"engaged": 1.0 if active else 0.0, "trunk_motion_deg": motion}
            )
        reply = _reply(seen, self.scheduler, self.feedback)
        reply["trunk_motion_deg"] = round(motion, 2)
        return reply


LiveSensorSession = LiveDeepActivation | LiveStillTrunk


def _finite_number(value: object) -> float | None:
    """A JSON number as a finite float, else None (booleans, text, huge integers, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return number if math.isfinite(number) else None


def _positive(config: Mapping[str, Any], key: str, default: float | None = None) -> float:
    value = config.get(key, default)
    number = _finite_number(value)
    if number is None or number <= 0:
        raise InvalidInput(key, f"must be a positive number, got {str(value)[:40]}")
    return number


def start_live_sensors(config: Mapping[str, Any]) -> LiveSensorSession:
    """A live sensor session from the bridge's first message (docs/sensors-in-the-clinic.md):
    ``{"type": "start", "kind": "emg" | "imu", "rate_hz": …, …}``; every problem is named."""
    kind = config.get("kind")
    rate = _positive(config, "rate_hz")
    hold = _positive(config, "hold_s", DEFAULT_HOLD_S)
    if kind == "imu":
        motion = _positive(config, "max_trunk_motion_deg", DEFAULT_TRUNK_MOTION_DEG)
        return LiveStillTrunk(rate_hz=rate, max_trunk_motion_deg=motion, hold_s=hold)
    if kind != "emg":
        raise InvalidInput("kind", f"must be emg or imu, got {kind!r}")
    channels = config.get("channels")
    if (
        not isinstance(channels, list)
        or not channels
        or not all(isinstance(c, str) and c for c in channels)
    ):
        raise InvalidInput("channels", "must list the channel names in sample order")
    deep, superficial = config.get("deep"), config.get("superficial")
    if not isinstance(deep, str):
        raise InvalidInput("deep", "must name the deep muscle's channel")
    if superficial is not None and not isinstance(superficial, str):
        raise InvalidInput("superficial", "must name a channel or be left out")
    reference = config.get("reference")
    if reference is not None and not isinstance(reference, dict):
        raise InvalidInput("reference", "give each used channel's amplitude, or send one later")
    # null or 0 turns the mains notch off; anything else must be a frequency
    raw_notch = config.get("notch_hz", 50.0)
    notch = None if raw_notch in (None, 0) else _positive(config, "notch_hz", 50.0)
    return LiveDeepActivation(
        rate_hz=rate,
        channels=channels,
        deep=deep,
        superficial=superficial,
        reference=None if reference is None else {str(k): v for k, v in reference.items()},
        deep_at_least_pct=_positive(config, "deep_at_least_pct", DEFAULT_DEEP_PCT),
        superficial_at_most_pct=_positive(
            config, "superficial_at_most_pct", DEFAULT_SUPERFICIAL_PCT
        ),
        hold_s=hold,
        notch_hz=notch,
    )

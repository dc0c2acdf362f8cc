"""What to say, and when: cue texts at fading levels and the policy that rations them.

Motor learning favours few, well-timed cues whose amount fades as performance improves
(the guidance hypothesis: constant feedback makes learners depend on it - Salmoni, Schmidt &
Walter 1984, Psychol Bull 95:355). So: one cue at a time, a pause between cues, no nagging
with the same cue, praise for good repetitions now and then, and less talk as the cue level
fades. Set-up guidance comes first: judging movement the camera cannot see would be noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Literal

CueLevel = Literal["full", "brief", "none"]


class CueKind(Enum):
    SETUP = "setup"
    CORRECTION = "correction"
    PRAISE = "praise"


@dataclass(frozen=True)
class Cue:
    """One thing to say: its kind, what it is about (a fault, a metric or a set-up problem)
    and the words."""

    kind: CueKind
    key: str
    text: str


# Our own default words, (full, brief), used when the exercise library gives none.
DEFAULT_CORRECTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "trunk_sagittal_excursion_deg": ("Keep your back still as you move.", "Still back."),
        "trunk_frontal_excursion_deg": ("Stay upright; don't lean to the side.", "Stay upright."),
        "trunk_rotation_excursion_deg": (
            "Keep your chest facing forwards; no twisting.",
            "No twist.",
        ),
        "pelvic_obliquity_deg": ("Keep your hips level.", "Level hips."),
        "pelvic_tilt_excursion_deg": (
            "Keep your pelvis still; don't let your back arch or round.",
            "Still pelvis.",
        ),
        "range_of_motion_deg": (
            "Move a little further, if it feels comfortable.",
            "A bit further.",
        ),
        "knee_valgus_deg": ("Keep your knees in line with your toes.", "Knees over toes."),
        "shoulder_elevation_deg": ("Let your shoulders relax down.", "Shoulders down."),
    }
)
GENERIC_CORRECTION = ("Slow down and move with control.", "Slow and steady.")
PRAISE = ("That was a good one. Keep it just like that.", "Good.")
SETUP_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "feet": "Step back so your feet are visible.",
        "body": "Make sure your whole body is in the picture.",
        "side": "Turn side-on to the camera.",
        "front": "Face the camera.",
    }
)


@dataclass(frozen=True)
class CueBook:
    """Correction texts by fault id or metric name, (full, brief); the services layer fills it
    from the exercise library, the defaults cover the rest."""

    corrections: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def correction(self, key: str, metric: str, level: CueLevel) -> str:
        full, brief = (
            self.corrections.get(key)
            or self.corrections.get(metric)
            or DEFAULT_CORRECTIONS.get(metric)
            or GENERIC_CORRECTION
        )
        return full if level == "full" else brief

    @staticmethod
    def praise(level: CueLevel) -> str:
        return PRAISE[0] if level == "full" else PRAISE[1]


@dataclass(frozen=True)
class CuePolicy:
    """How often to speak. Defaults: a cue takes 1–2 s to say and act on, so 4 s apart leaves
    room to respond; the same correction waits 12 s (about two repetitions) before repeating."""

    level: CueLevel = "full"
    min_interval_s: float = 4.0
    repeat_interval_s: float = 12.0
    praise_every: int = 3  # after the first good repetition, every n-th good one in a row


class CueGate:
    """Applies a :class:`CuePolicy` to candidate cues; remembers only what it last said."""

    def __init__(self, policy: CuePolicy) -> None:
        self.policy = policy
        self._last_time = float("-inf")
        self._last_key = ""
        self._last_key_time = float("-inf")

    def offer(self, cue: Cue | None, now_s: float) -> Cue | None:
        """The cue to say now, or None (too soon, or the same cue again too soon)."""
        if cue is None or now_s - self._last_time < self.policy.min_interval_s:
            return None
        if (
            cue.key == self._last_key
            and now_s - self._last_key_time < self.policy.repeat_interval_s
        ):
            return None
        self._last_time = now_s
        self._last_key = cue.key
        self._last_key_time = now_s
        return cue

"""What a live cue says: its kind, what it is about, and its words at each cue level.

The words come from the exercise library when it has them (the services layer hands them in as
a :class:`CueBook`: the analysis layer cannot import the library); our own default words below
cover set-up, praise and every quality metric of the vocabulary, so that a cue never goes
unsaid for want of text. Full texts say what to do and how; brief texts are two or three words
for when the learner already knows the full cue (see :mod:`.policy` for when each is used).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Literal

from spinecoach.analysis.exercise import Criterion

# How much is said: the full cue, a brief reminder, or nothing (faded).
CueLevel = Literal["full", "brief", "none"]
LEVELS: tuple[CueLevel, ...] = ("full", "brief", "none")


class CueKind(Enum):
    """Why a cue is said, in the order of precedence when several are due at once."""

    SAFETY = "safety"
    SETUP = "setup"
    CORRECTION = "correction"
    PRAISE = "praise"


@dataclass(frozen=True)
class Cue:
    """One thing to say: its kind, what it is about (a set-up problem, a fault id or metric
    name, a kind of praise), the level it was chosen at, and the words."""

    kind: CueKind
    key: str
    text: str
    level: CueLevel = "full"


# Set-up problems (keys used by :mod:`.setup`) and their words. Always said in full: a person
# who cannot be seen needs the whole instruction.
NO_PERSON = "no_person"
BODY_NOT_VISIBLE = "body_not_visible"
FEET_NOT_VISIBLE = "feet_not_visible"
LOW_LIGHT = "low_light"
TURN_SIDE_ON = "turn_side_on"
FACE_CAMERA = "face_camera"
DEFAULT_SETUP: Mapping[str, str] = MappingProxyType(
    {
        NO_PERSON: "Step into the picture so the camera can see you.",
        BODY_NOT_VISIBLE: "Make sure your whole body is in the picture.",
        FEET_NOT_VISIBLE: "Step back so your feet are visible.",
        LOW_LIGHT: "Move into better light so the camera can see you clearly.",
        TURN_SIDE_ON: "Turn side-on to the camera.",
        FACE_CAMERA: "Face the camera.",
    }
)

# Praise: after a good repetition, after a fault was put right, after a hold held to its target.
GOOD = "good"
CORRECTED = "corrected"
HELD = "held"
DEFAULT_PRAISE: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        GOOD: ("That's it - smooth and steady. Keep it just like that.", "Good."),
        CORRECTED: ("Better - that's the way to do it.", "Better."),
        HELD: ("Well held. Keep breathing easily.", "Well held."),
    }
)

# Corrections by metric name of the vocabulary (spinecoach.domain.metrics), (full, brief).
DEFAULT_CORRECTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "trunk_sagittal_excursion_deg": ("Keep your back still while you move.", "Still back."),
        "trunk_frontal_excursion_deg": ("Stay upright - don't lean to the side.", "Stay upright."),
        "trunk_rotation_excursion_deg": (
            "Keep your chest facing the same way - no twisting.",
            "No twisting.",
        ),
        "pelvic_obliquity_deg": ("Keep your hips level.", "Level hips."),
        "pelvic_tilt_excursion_deg": (
            "Keep your pelvis still - don't let your back arch or round.",
            "Still pelvis.",
        ),
        "lumbar_hip_ratio": ("Bend from your hips and keep your back long.", "Hinge at the hips."),
        "neutral_hold_s": ("Find your start position again and hold it there.", "Back to start."),
        "hold_sway_deg": ("Hold steady - let the position settle.", "Steady."),
        "tempo_deviation_s": ("Move with the count - smooth and even.", "With the count."),
        "knee_valgus_deg": ("Keep your knees in line with your toes.", "Knees over toes."),
        "left_right_asymmetry_pct": ("Move both sides the same amount.", "Even sides."),
        "trunk_lead_ms": ("Set your trunk gently first, then move.", "Set first."),
        "balance_sway_cm": ("Keep your hips steady over your feet.", "Steady hips."),
        "range_of_motion_deg": (
            "Move a little further, if it feels comfortable.",
            "A bit further.",
        ),
        "shoulder_elevation_deg": (
            "Let your shoulders relax down, away from your ears.",
            "Shoulders down.",
        ),
        "jerk_log_dimensionless": ("Move smoothly, without rushing.", "Smoothly."),
    }
)
# A ``<reducer>:<channel>`` metric whose channel a named metric already speaks about.
_SAME_AS = {
    "excursion:trunk_sagittal_deg": "trunk_sagittal_excursion_deg",
    "excursion:trunk_frontal_deg": "trunk_frontal_excursion_deg",
    "excursion:trunk_rotation_deg": "trunk_rotation_excursion_deg",
    "excursion:pelvic_tilt_deg": "pelvic_tilt_excursion_deg",
    "excursion:pelvic_obliquity_deg": "pelvic_obliquity_deg",
    "max:pelvic_obliquity_deg": "pelvic_obliquity_deg",
}
FURTHER = ("Move a little further, if it feels comfortable.", "A bit further.")
LESS_FAR = ("Not quite so far - stay in the range you control.", "Not so far.")
GENERIC_CORRECTION = ("Slow down and move with control.", "Slow and steady.")


def default_correction(criterion: Criterion) -> tuple[str, str]:
    """Our own words for a broken criterion: by its metric, else by which way it was broken
    (not far enough for a lower bound, too far for an upper bound on a joint's range)."""
    metric = _SAME_AS.get(criterion.metric, criterion.metric)
    if metric in DEFAULT_CORRECTIONS:
        return DEFAULT_CORRECTIONS[metric]
    if criterion.at_least is not None:
        return FURTHER
    if criterion.metric.partition(":")[0] in ("max", "range"):
        return LESS_FAR
    return GENERIC_CORRECTION


def _pick(texts: tuple[str, str], level: CueLevel) -> str:
    return texts[0] if level == "full" else texts[1]


@dataclass(frozen=True)
class CueBook:
    """Cue words for one exercise: corrections by fault id or metric name, (full, brief), from
    the exercise library; set-up and praise words may be replaced too. Whatever is missing
    falls back to our defaults."""

    corrections: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    setup: Mapping[str, str] = field(default_factory=dict)
    praise: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def correction_for(self, criterion: Criterion, level: CueLevel) -> str:
        """Words for a broken criterion: the book's by fault id, then by metric, else ours
        (which may depend on the way the criterion was broken)."""
        texts = (
            self.corrections.get(criterion.fault)
            or self.corrections.get(criterion.metric)
            or default_correction(criterion)
        )
        return _pick(texts, level)

    def correction(self, key: str, metric: str, level: CueLevel) -> str:
        """Words for a fault id or metric name: the book's by ``key``, then by ``metric``, else
        our words for the metric."""
        texts = (
            self.corrections.get(key)
            or self.corrections.get(metric)
            or DEFAULT_CORRECTIONS.get(_SAME_AS.get(metric, metric))
            or GENERIC_CORRECTION
        )
        return _pick(texts, level)

    def setup_text(self, problem: str) -> str:
        """Words for a set-up problem (always the full instruction)."""
        return self.setup.get(problem) or DEFAULT_SETUP.get(problem) or DEFAULT_SETUP[NO_PERSON]

    def praise_text(self, kind: str, level: CueLevel) -> str:
        texts = self.praise.get(kind) or DEFAULT_PRAISE.get(kind) or DEFAULT_PRAISE[GOOD]
        return _pick(texts, level)

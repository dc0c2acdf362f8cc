"""The movement-quality metrics an exercise may name in its quality criteria.

The exercise library declares *what* good quality is ("trunk excursion during the leg movement
≤ 5°") by metric name; the movement-analysis engine (``spinecoach.analysis``) computes the
metrics by the same names from camera landmarks or lab skeletons, and a patient can rate the
same criteria by eye when there is no camera. Keeping the vocabulary here, in the domain, lets
the library be validated without the numerical code and keeps both sides honest.

Thresholds are set per exercise in the library, not here; this module only says what each
metric measures, in which unit, and from which camera view it can be seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType


class CameraView(Enum):
    """Where the camera must stand to see a metric."""

    FRONT = "front"
    SIDE = "side"
    ANY = "any"


@dataclass(frozen=True)
class MetricSpec:
    """One named metric: what it measures, its unit, the views that can see it."""

    name: str
    unit: str
    description: str
    views: tuple[CameraView, ...]
    # A few plain words for patients (goals, the practice page); ``name`` stays the key.
    plain: str = ""
    # True when a larger value is better (hold time); False when smaller is better (sway).
    higher_is_better: bool = False


_METRICS = (
    MetricSpec(
        "trunk_sagittal_excursion_deg",
        "deg",
        "Largest change of trunk inclination in the sagittal plane (forward/backward) from the "
        "start position of the repetition: how much the spine moves while the limbs move.",
        (CameraView.SIDE,),
        plain="back moving forward or back",
    ),
    MetricSpec(
        "trunk_frontal_excursion_deg",
        "deg",
        "Largest change of trunk side-bend (frontal plane) from the start position.",
        (CameraView.FRONT,),
        plain="back bending to the side",
    ),
    MetricSpec(
        "trunk_rotation_excursion_deg",
        "deg",
        "Largest change of the angle between the shoulder line and the pelvis line, seen from "
        "the front or from above: trunk rotation during the repetition.",
        (CameraView.FRONT,),
        plain="trunk twisting",
    ),
    MetricSpec(
        "pelvic_obliquity_deg",
        "deg",
        "Largest tilt of the line joining the hips from level: a dropping or hitching pelvis.",
        (CameraView.FRONT,),
        plain="pelvis dipping to one side",
    ),
    MetricSpec(
        "pelvic_tilt_excursion_deg",
        "deg",
        "Largest change of the sagittal pelvis proxy (hip-to-knee and hip-to-shoulder lines) "
        "from the start: posterior or anterior tipping of the pelvis.",
        (CameraView.SIDE,),
        plain="pelvis tilting forward or back",
    ),
    MetricSpec(
        "lumbar_hip_ratio",
        "ratio",
        "Share of the forward bend taken by the trunk rather than the hips in a hinge or a lift "
        "(0 = all hip, 1 = all spine): the squat-versus-stoop strategy.",
        (CameraView.SIDE,),
        plain="low back moving instead of the hips",
    ),
    MetricSpec(
        "neutral_hold_s",
        "s",
        "Longest continuous time the trunk stays within the neutral band of the start position.",
        (CameraView.ANY,),
        higher_is_better=True,
        plain="time held in a neutral back",
    ),
    MetricSpec(
        "hold_sway_deg",
        "deg",
        "Root-mean-square wobble of the trunk angle during a hold: steadiness of the position.",
        (CameraView.ANY,),
        plain="trunk sway while holding",
    ),
    MetricSpec(
        "tempo_deviation_s",
        "s",
        "Mean absolute difference between the prescribed and the performed duration of each "
        "phase of the repetition (lowering, pause, raising).",
        (CameraView.ANY,),
        plain="off the set pace",
    ),
    MetricSpec(
        "knee_valgus_deg",
        "deg",
        "Largest inward deviation of the knee from the hip-ankle line, seen from the front.",
        (CameraView.FRONT,),
        plain="knee drifting inward",
    ),
    MetricSpec(
        "left_right_asymmetry_pct",
        "%",
        "Symmetry index between the left and right sides of the same movement "
        "(|L - R| / mean(L, R) × 100) for range, time or count.",
        (CameraView.FRONT, CameraView.SIDE),
        plain="difference between left and right",
    ),
    MetricSpec(
        "trunk_lead_ms",
        "ms",
        "How long before the limb starts moving the trunk has set (stops drifting); positive "
        "when the trunk is ready first. A camera proxy for anticipatory postural control.",
        (CameraView.FRONT, CameraView.SIDE),
        higher_is_better=True,
        plain="trunk moving before the limb",
    ),
    MetricSpec(
        "balance_sway_cm",
        "cm",
        "Root-mean-square sideways sway of the mid-hip point while standing or stepping.",
        (CameraView.FRONT,),
        plain="balance sway",
    ),
    MetricSpec(
        "range_of_motion_deg",
        "deg",
        "Range reached by the joint the exercise moves (hip flexion in a hinge, thoracic "
        "rotation, hip extension in a lunge).",
        (CameraView.FRONT, CameraView.SIDE),
        higher_is_better=True,
        plain="range of movement",
    ),
    MetricSpec(
        "shoulder_elevation_deg",
        "deg",
        "Rise of the shoulder line relative to the trunk: shrugging and upper-trap bracing.",
        (CameraView.FRONT,),
        plain="shoulder hitching up",
    ),
)

QUALITY_METRICS: MappingProxyType[str, MetricSpec] = MappingProxyType({m.name: m for m in _METRICS})

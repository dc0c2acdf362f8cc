"""The clinical record: patient, episode of care, intake history and assessments.

Records are values. Nothing is ever overwritten: an assessment or intake that needs a
correction gets a new version that points to the one it supersedes (the original is kept), so
a chart always shows what was known when.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.red_flags import RedFlagScreen

PSEUDONYM_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$")


class ActivityLevel(Enum):
    """Habitual physical activity, as the patient reports it."""

    SEDENTARY = "sedentary"
    LIGHT = "light"
    MODERATE = "moderate"
    VIGOROUS = "vigorous"


class PhysicalDemand(Enum):
    """Physical demand of the occupation (the usual five-level job-demand scale)."""

    SEDENTARY = "sedentary"
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    VERY_HEAVY = "very_heavy"


class AssessmentKind(Enum):
    """Why the assessment was taken."""

    BASELINE = "baseline"
    RECHECK = "recheck"
    DISCHARGE = "discharge"


@dataclass(frozen=True)
class Consent:
    """What the patient agreed to. Camera analysis runs on their device only."""

    exercise_program: bool = False
    camera_analysis: bool = False
    research_use: bool = False


@dataclass(frozen=True)
class Patient:
    """A patient known by a pseudonym: no name, address or birth date is stored."""

    pseudonym: str
    age: int
    sex: Sex
    height_cm: float | None = None
    weight_kg: float | None = None
    occupation: str = ""
    occupation_demand: PhysicalDemand | None = None
    activity_level: ActivityLevel | None = None
    consent: Consent = field(default_factory=Consent)
    id: int | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if not PSEUDONYM_PATTERN.match(self.pseudonym):
            raise InvalidInput(
                "pseudonym",
                "2–40 letters, digits, '.', '_' or '-', starting with a letter or digit; "
                f"got {self.pseudonym!r}",
            )
        # Adults only: the instruments and norms here are validated in adults.
        if not 16 <= self.age <= 110:
            raise InvalidInput("age", f"must be 16–110 years, got {self.age}")
        if self.height_cm is not None and not 100 <= self.height_cm <= 250:
            raise InvalidInput("height_cm", f"must be 100–250 cm, got {self.height_cm:g}")
        if self.weight_kg is not None and not 25 <= self.weight_kg <= 350:
            raise InvalidInput("weight_kg", f"must be 25–350 kg, got {self.weight_kg:g}")

    @property
    def bmi(self) -> float | None:
        """Body-mass index, when height and weight are known."""
        if self.height_cm is None or self.weight_kg is None:
            return None
        return self.weight_kg / (self.height_cm / 100) ** 2


class PainPattern(Enum):
    """How the pain behaves over time."""

    CONSTANT = "constant"
    INTERMITTENT = "intermittent"
    EPISODIC = "episodic"


class PainDistribution(Enum):
    """Where the pain reaches (back only, or referred into the leg)."""

    BACK_ONLY = "back_only"
    ABOVE_KNEE = "above_knee"
    BELOW_KNEE = "below_knee"


@dataclass(frozen=True)
class Intake:
    """Intake history for an episode of care."""

    pain_duration_weeks: int
    pain_pattern: PainPattern
    pain_distribution: PainDistribution = PainDistribution.BACK_ONLY
    aggravating: tuple[str, ...] = ()
    easing: tuple[str, ...] = ()
    prior_injuries: tuple[str, ...] = ()
    surgery: tuple[str, ...] = ()
    work_goals: tuple[str, ...] = ()
    sport_goals: tuple[str, ...] = ()
    patient_goals: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.pain_duration_weeks <= 52 * 80:
            raise InvalidInput(
                "intake.pain_duration_weeks",
                f"must be 0–4160 weeks, got {self.pain_duration_weeks}",
            )

    @property
    def is_chronic(self) -> bool:
        """Chronic low back pain: pain for more than 12 weeks (Costa 2009 inclusion rule)."""
        return self.pain_duration_weeks > 12


@dataclass(frozen=True)
class Episode:
    """An episode of care: from first visit to discharge."""

    patient_id: int
    started_at: datetime
    reason: str = ""
    ended_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Assessment:
    """One assessment as entered: raw answers and test inputs, never scores alone.

    ``questionnaires`` maps instrument id to item-ordered answers (None = missing);
    ``tests`` maps physical-test id to its named inputs. Scores are derived from these.
    ``lineage`` groups the versions of one assessment; ``supersedes`` is the id of the version
    this one corrects, with ``correction_reason``.
    """

    episode_id: int
    kind: AssessmentKind
    assessed_at: datetime
    questionnaires: Mapping[str, tuple[int | None, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    tests: Mapping[str, Mapping[str, float | bool | str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    red_flags: RedFlagScreen | None = None
    intake: Intake | None = None
    notes: str = ""
    lineage: str = ""
    version: int = 1
    supersedes: int | None = None
    correction_reason: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.assessed_at.tzinfo is None:
            raise InvalidInput("assessed_at", "must carry a time zone (stored in UTC)")
        if self.supersedes is not None and not self.correction_reason.strip():
            raise InvalidInput(
                "correction_reason", "a correction must say what was wrong with the original"
            )

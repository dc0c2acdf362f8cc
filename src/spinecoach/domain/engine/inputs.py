"""What the program engine reads: the patient picture, constraints, the practice log, overrides.

All values are plain and immutable; every date is a calendar ``date`` (the engine thinks in
days). Validation here names the field and the problem, so the same messages reach the CLI,
the web app and JSON files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from types import MappingProxyType
from typing import Any, ClassVar

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.library import (
    Contraindication,
    CueLevel,
    Dosage,
    Equipment,
    Phase,
    Place,
    Position,
)
from spinecoach.domain.record import Intake
from spinecoach.domain.red_flags import CAUDA_EQUINA_SIGNS, GENERAL_RED_FLAGS, RedFlagState

EXERCISE_STATES = frozenset(s.value for s in RedFlagState if s.exercise_allowed)

# Unknown keys in a JSON log are errors, not silently ignored typos (see domain/library.py).
_STRICT: dict[str, Any] = {"extra": "forbid"}


def _in_range(name: str, value: float | None, low: float, high: float) -> None:
    if value is not None and not low <= value <= high:
        raise InvalidInput(name, f"must be {low:g}–{high:g}, got {value:g}")


@dataclass(frozen=True)
class Score:
    """The latest score of one questionnaire, as the profile reports it."""

    score: float
    category: str | None = None


@dataclass(frozen=True)
class PatientPicture:
    """The parts of the clinical profile the engine uses.

    Built from a :class:`~spinecoach.domain.profile.ClinicalProfile` (stored patients) or from
    the JSON that ``spinecoach profile --json`` prints, so both give the same plan.
    """

    pseudonym: str
    exercise_allowed: bool
    red_flag_state: str
    red_flag_message: str
    focus: tuple[str, ...] = ()
    findings: tuple[Evidence, ...] = ()
    scores: Mapping[str, Score] = field(default_factory=lambda: MappingProxyType({}))
    intake: Intake | None = None
    as_of: date | None = None

    @property
    def screen_allows_exercise(self) -> bool:
        """The red-flag state itself allows exercise (clear, or cleared by a clinician)."""
        return self.red_flag_state in EXERCISE_STATES

    @property
    def stop_reason(self) -> str:
        """Why exercise is not allowed ('' when it is). The red-flag state is authoritative:
        a profile claiming exercise is allowed with an open flag is still stopped."""
        if not self.screen_allows_exercise:
            message = self.red_flag_message.strip().rstrip(".")
            state = f"red-flag state {self.red_flag_state.replace('_', ' ')}"
            return f"{state} ({message})" if message else state
        if not self.exercise_allowed:
            return "no consent to the exercise programme is recorded"
        return ""


@dataclass(frozen=True)
class PainModel:
    """Pain-monitoring thresholds (Silbernagel 2007 model; clinical-facts §4.1).

    Defaults follow the model as commonly described [V2]: pain during activity may reach 5/10,
    must settle by the next morning, and must not rise week to week. Clinics use different
    traffic lights, so every threshold is configurable. ``flare_rise`` (next-morning pain this
    many points above the pre-session level, or a self-reported flare) is a spinecoach design
    rule, as is ``weekly_rise`` (the smallest weekly rise that counts as a trend).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    during_max: int = 5
    flare_rise: int = 2
    weekly_rise: float = 1.0
    name: str = "silbernagel"

    def __post_init__(self) -> None:
        _in_range("pain_model.during_max", self.during_max, 0, 10)
        _in_range("pain_model.flare_rise", self.flare_rise, 1, 10)
        _in_range("pain_model.weekly_rise", self.weekly_rise, 0, 10)


PAIN_MODELS: Mapping[str, PainModel] = MappingProxyType(
    {
        # Silbernagel model as commonly described: ≤ 5 during, settled by next morning [V2].
        "silbernagel": PainModel(),
        # Stricter clinic traffic light: green 0–3 (providephysiotherapy, connectrehab) [V2].
        "strict": PainModel(during_max=3, name="strict"),
    }
)


@dataclass(frozen=True)
class Constraints:
    """What the patient has: time, days, equipment, places, positions they can take."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    minutes_per_day: int = 20
    days_per_week: int = 5
    equipment: frozenset[Equipment] = frozenset()
    places: frozenset[Place] = frozenset({Place.HOME})
    unavailable_positions: frozenset[Position] = frozenset()
    intolerances: frozenset[Contraindication] = frozenset()

    def __post_init__(self) -> None:
        _in_range("constraints.minutes_per_day", self.minutes_per_day, 5, 120)
        _in_range("constraints.days_per_week", self.days_per_week, 1, 7)
        if not self.places:
            raise InvalidInput("constraints.places", "name at least one place to practise")


@dataclass(frozen=True)
class FearRating:
    """How harmful or frightening an activity feels, 0–100 (PHODA-style thermometer, §4.2)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    activity: str
    fear: int
    rated_on: date | None = None

    def __post_init__(self) -> None:
        _in_range(f"fears[{self.activity}].fear", self.fear, 0, 100)


@dataclass(frozen=True)
class ExerciseLog:
    """One exercise in one session: what was done, how well, and how it felt."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    exercise_id: str
    sets_done: int = 0
    reps_done: int = 0
    hold_s_done: int = 0
    quality: float | None = None  # share of repetitions that met the criteria, 0–1
    quality_source: str = "patient"  # "patient" (self-rated) or "camera" (measured)
    pain_before: int | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    effort: int | None = None  # 0–10 rating of perceived exertion
    fear: int | None = None  # 0–100, for exposure tasks
    skipped: bool = False
    skip_reason: str = ""

    def check(self, where: str) -> None:
        """Validate, naming the entry as ``where`` (its session knows the date)."""
        _in_range(f"{where}.quality", self.quality, 0, 1)
        for name in ("pain_before", "pain_during", "pain_after", "effort"):
            _in_range(f"{where}.{name}", getattr(self, name), 0, 10)
        _in_range(f"{where}.fear", self.fear, 0, 100)
        for name in ("sets_done", "reps_done", "hold_s_done"):
            _in_range(f"{where}.{name}", getattr(self, name), 0, 10_000)
        if self.quality_source not in ("patient", "camera"):
            raise InvalidInput(f"{where}.quality_source", "must be 'patient' or 'camera'")
        if self.skipped and (self.quality is not None or self.reps_done or self.hold_s_done):
            raise InvalidInput(where, "a skipped exercise has no quality or dose done")


@dataclass(frozen=True)
class ExposureLog:
    """One practice of a graded-exposure task, with fear rated before and after."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    task_id: str
    fear_before: int
    fear_after: int
    pain_before: int | None = None
    pain_after: int | None = None

    def check(self, where: str) -> None:
        """Validate, naming the entry as ``where`` (its session knows the date)."""
        _in_range(f"{where}.fear_before", self.fear_before, 0, 100)
        _in_range(f"{where}.fear_after", self.fear_after, 0, 100)
        _in_range(f"{where}.pain_before", self.pain_before, 0, 10)
        _in_range(f"{where}.pain_after", self.pain_after, 0, 10)


@dataclass(frozen=True)
class SessionLog:
    """One day's practice. ``pain_next_morning`` is filled in the next day.

    A day with no session is simply absent from the log; a session with every exercise
    skipped still counts as a day the patient engaged.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    day: date
    pain_before: int | None = None
    pain_after: int | None = None
    pain_next_morning: int | None = None
    flare: bool = False
    exercises: tuple[ExerciseLog, ...] = ()
    exposures: tuple[ExposureLog, ...] = ()
    red_flags: tuple[str, ...] = ()  # warning signs the patient reported (red_flags keys)
    notes: str = ""

    def __post_init__(self) -> None:
        where = f"sessions[{self.day.isoformat()}]"
        for name in ("pain_before", "pain_after", "pain_next_morning"):
            _in_range(f"{where}.{name}", getattr(self, name), 0, 10)
        for e in self.exercises:
            e.check(f"{where}.exercises[{e.exercise_id}]")
        for x in self.exposures:
            x.check(f"{where}.exposures[{x.task_id}]")
        known = set(CAUDA_EQUINA_SIGNS) | set(GENERAL_RED_FLAGS)
        for flag in self.red_flags:
            if flag not in known:
                raise InvalidInput(
                    f"{where}.red_flags",
                    f"unknown red flag {flag!r}; known: {', '.join(sorted(known))}",
                )

    @property
    def practised(self) -> bool:
        """At least one exercise or exposure task was done (not skipped)."""
        return any(not e.skipped for e in self.exercises) or bool(self.exposures)


@dataclass(frozen=True)
class Recheck:
    """A re-assessment score compared with the baseline of the same questionnaire."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    instrument: str
    before: float
    after: float
    on: date


class OverrideKind(Enum):
    """What a clinician may decide instead of the engine."""

    SET_PHASE = "set_phase"  # target: a phase id
    HOLD = "hold"  # target: an exercise id or "program"; no automatic progression
    RELEASE = "release"  # target: as for hold; ends an earlier hold
    EXCLUDE = "exclude"  # target: an exercise id; never prescribe it
    PRESCRIBE = "prescribe"  # target: an exercise id; add it to the program
    SET_DOSAGE = "set_dosage"  # target: an exercise id; dosage given
    SET_CUE_LEVEL = "set_cue_level"  # target: an exercise id; cue_level given
    END_FLARE = "end_flare"  # target: "program"; the clinician judges the flare settled


@dataclass(frozen=True)
class Override:
    """A clinician's decision; recorded in the plan's decisions and respected from ``on``.

    Overrides cannot lift a red-flag stop: that needs a clinician-cleared screen in the record.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    on: date
    by: str
    kind: OverrideKind
    target: str
    reason: str
    phase: Phase | None = None
    dosage: Dosage | None = None
    cue_level: CueLevel | None = None

    def __post_init__(self) -> None:
        where = f"overrides[{self.on.isoformat()} {self.kind.value}]"
        if not self.by.strip():
            raise InvalidInput(f"{where}.by", "name the clinician who overrides")
        if not self.reason.strip():
            raise InvalidInput(f"{where}.reason", "an override must give its reason")
        if (
            self.kind in (OverrideKind.SET_PHASE, OverrideKind.END_FLARE)
            and self.target != "program"
        ):
            raise InvalidInput(f"{where}.target", f"{self.kind.value} applies to 'program'")
        if self.kind is OverrideKind.SET_PHASE and self.phase is None:
            raise InvalidInput(f"{where}.phase", "set_phase needs a phase")
        if self.kind is OverrideKind.SET_DOSAGE and self.dosage is None:
            raise InvalidInput(f"{where}.dosage", "set_dosage needs a dosage")
        if self.kind is OverrideKind.SET_CUE_LEVEL and self.cue_level is None:
            raise InvalidInput(f"{where}.cue_level", "set_cue_level needs a cue_level")


@dataclass(frozen=True)
class Goal:
    """A goal the patient or clinician states, in their words, with an optional date."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    text: str
    by: date | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InvalidInput("goals[].text", "a goal needs words")


@dataclass(frozen=True)
class PlanRequest:
    """Everything besides the profile: constraints, goals, fears, log, rechecks, overrides."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    started_on: date
    constraints: Constraints = field(default_factory=Constraints)
    pain_model: PainModel = field(default_factory=PainModel)
    goals: tuple[Goal, ...] = ()
    fears: tuple[FearRating, ...] = ()
    sessions: tuple[SessionLog, ...] = ()
    rechecks: tuple[Recheck, ...] = ()
    overrides: tuple[Override, ...] = ()
    # False when no practice log was given at all: adherence is then unknown, not zero.
    practice_logged: bool = True

    def __post_init__(self) -> None:
        days = [s.day for s in self.sessions]
        for goal in self.goals:
            if goal.by is not None and goal.by < self.started_on:
                raise InvalidInput(f"goals[{goal.text[:30]}].by", "is before the program started")
        twice = sorted(d for d, n in Counter(days).items() if n > 1)
        if twice:
            raise InvalidInput(
                f"sessions[{twice[0].isoformat()}]", "appears twice; give one session per day"
            )
        for s in self.sessions:
            if s.day < self.started_on:
                raise InvalidInput(
                    f"sessions[{s.day.isoformat()}]",
                    f"is before the program started ({self.started_on.isoformat()})",
                )

"""The content schema: exercises, functional tasks broken into micro-steps, education modules.

The content itself is our own text in ``spinecoach/content/`` (YAML), read by
``adapters.catalog``. These types are plain values so the engine and the validator stay pure.
The ``__pydantic_config__`` attributes are plain dictionaries read by the catalog loader (which
validates YAML against these dataclasses): they make an unknown key an error instead of a
silently ignored typo. The domain does not import pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from spinecoach.domain.metrics import QUALITY_METRICS, CameraView
from spinecoach.domain.profile import FOCUS_CODES

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,59}$")
TEMPO_PATTERN = re.compile(r"^\d{1,2}-\d{1,2}-\d{1,2}$")
_STRICT: dict[str, Any] = {"extra": "forbid"}


class Phase(Enum):
    """Phases of motor control retraining, entered and left on criteria, not on dates.

    Order follows Hodges' two-phase manual (identify and correct, then progress to function;
    clinical-facts §3.2) split into the steps clinicians teach.
    """

    CALM = "calm"
    ACTIVATION = "activation"
    STATIC = "static_control"
    DYNAMIC = "dynamic_control"
    PERTURBATION = "perturbation"
    FUNCTIONAL = "functional"
    LOADING = "loading"
    MAINTENANCE = "maintenance"

    @property
    def order(self) -> int:
        """0 for the first phase, 7 for maintenance."""
        return list(Phase).index(self)

    @property
    def title(self) -> str:
        """The phase's human name."""
        return PHASE_TITLES[self]


PHASE_TITLES: Mapping[Phase, str] = {
    Phase.CALM: "Calm and understand",
    Phase.ACTIVATION: "Deep-stabiliser activation with breathing",
    Phase.STATIC: "Static neutral control",
    Phase.DYNAMIC: "Dynamic control with limb load",
    Phase.PERTURBATION: "Perturbation and anticipatory control",
    Phase.FUNCTIONAL: "Functional integration",
    Phase.LOADING: "Loading and return to high demand",
    Phase.MAINTENANCE: "Maintenance",
}


class Track(Enum):
    """Parallel streams of a program; motor control is the main one."""

    MOTOR_CONTROL = "motor_control"
    MOBILITY = "mobility"
    ENDURANCE = "endurance"
    EDUCATION = "education"
    EXPOSURE = "exposure"


EXERCISE_TRACKS = (Track.MOTOR_CONTROL, Track.MOBILITY, Track.ENDURANCE)


class Slot(Enum):
    """Where an exercise sits in a home routine; routines run in this order."""

    BREATHING = "breathing"
    ACTIVATION = "activation"
    CONTROL = "control"
    FUNCTION = "function"
    LOAD = "load"
    MOBILITY = "mobility"

    @property
    def order(self) -> int:
        """Routine order: breathing → activation → control → function → load → mobility."""
        return list(Slot).index(self)


class Position(Enum):
    """Start position of an exercise."""

    SUPINE = "supine"
    CROOK_LYING = "crook_lying"
    PRONE = "prone"
    SIDE_LYING = "side_lying"
    QUADRUPED = "quadruped"
    SITTING = "sitting"
    STANDING = "standing"
    KNEELING = "kneeling"


class Place(Enum):
    """Where an exercise or task can be done."""

    HOME = "home"
    WORK = "work"
    GYM = "gym"
    OUTDOORS = "outdoors"


class Equipment(Enum):
    """Equipment an exercise needs. Nothing listed means body weight and floor space only."""

    MAT = "mat"
    CHAIR = "chair"
    WALL = "wall"
    TOWEL = "towel"
    PILLOW = "pillow"
    STEP = "step"
    STAIRS = "stairs"
    RESISTANCE_BAND = "resistance_band"
    DUMBBELL = "dumbbell"
    KETTLEBELL = "kettlebell"
    EXERCISE_BALL = "exercise_ball"
    FOAM_PAD = "foam_pad"
    STICK = "stick"
    BENCH = "bench"
    BOX = "box"
    BAG = "bag"
    TABLE = "table"
    PRESSURE_BIOFEEDBACK = "pressure_biofeedback"
    STATIONARY_BIKE = "stationary_bike"


# Equipment assumed in every home: the engine never asks whether a patient owns a chair.
HOUSEHOLD_EQUIPMENT = frozenset(
    {Equipment.CHAIR, Equipment.WALL, Equipment.TOWEL, Equipment.PILLOW, Equipment.TABLE}
)


class Contraindication(Enum):
    """Patient features that rule an exercise or task out for now."""

    FLEXION_INTOLERANCE = "flexion_intolerance"
    EXTENSION_INTOLERANCE = "extension_intolerance"
    HIGH_IRRITABILITY = "high_irritability"
    LEG_PAIN_BELOW_KNEE = "leg_pain_below_knee"
    POOR_BALANCE = "poor_balance"


@dataclass(frozen=True)
class IntRange:
    """An inclusive range of whole numbers."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def clamp(self, value: int) -> int:
        """The nearest value inside the range."""
        return max(self.low, min(self.high, value))


@dataclass(frozen=True)
class Dosage:
    """How much of an exercise: sets × reps, each held ``hold_s`` or paced by ``tempo``.

    A continuous activity (walking, cycling) is one set of one repetition held ``hold_s``.
    ``tempo`` is "lower-pause-raise" in seconds, e.g. ``3-1-3``.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    sets: int
    reps: int
    hold_s: int = 0
    tempo: str = ""
    rest_s: int = 30
    per_side: bool = False

    @property
    def seconds_per_rep(self) -> int:
        """A held rep lasts its hold plus 2 s to set up; a paced rep its tempo; else 3 s."""
        if self.hold_s:
            return self.hold_s + 2
        if self.tempo:
            return sum(int(part) for part in self.tempo.split("-"))
        return 3

    @property
    def seconds(self) -> int:
        """Time to do the whole dose, rests between sets included."""
        sides = 2 if self.per_side else 1
        return self.sets * self.reps * self.seconds_per_rep * sides + (
            (self.sets - 1) * self.rest_s
        )

    def describe(self) -> str:
        """``3 × 10 × 10 s hold, rest 30 s`` in words a patient reads."""
        text = f"{self.sets} × {self.reps}"
        if self.hold_s:
            length = duration_text(self.hold_s)
            if self.reps == 1:
                text = (
                    f"{length} continuous" if self.sets == 1 else f"{self.sets} bouts of {length}"
                )
            else:
                text += f" × {self.hold_s} s hold"
        if self.tempo:
            text += f" at tempo {self.tempo}"
        if self.per_side:
            text += " each side"
        if self.sets > 1:
            text += f", rest {self.rest_s} s between sets"
        return text


def duration_text(seconds: int) -> str:
    """Under 90 s in seconds; longer in minutes, to the half minute."""
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 30) / 2
    return f"{minutes:g} min"


@dataclass(frozen=True)
class DosageLimits:
    """The range the engine may move each dosage part in."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    sets: IntRange
    reps: IntRange
    hold_s: IntRange
    rest_s: IntRange


@dataclass(frozen=True)
class Cues:
    """Cues at three fading levels: full, brief, and none (no text, by definition)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    full: tuple[str, ...]
    brief: tuple[str, ...]


class CueLevel(Enum):
    """How much cueing a patient gets; faded as quality becomes consistent."""

    FULL = "full"
    BRIEF = "brief"
    NONE = "none"


@dataclass(frozen=True)
class Fault:
    """A common fault: what the patient feels, where, and how to put it right."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    id: str
    name: str
    feels: str
    where: str
    correction: str
    metric: str = ""  # the quality metric that detects it, when a camera can


@dataclass(frozen=True)
class QualityCriterion:
    """A measurable standard of quality: metric ≤ at_most or metric ≥ at_least."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    metric: str
    view: CameraView
    at_most: float | None = None
    at_least: float | None = None
    during: str = ""  # which part of the movement, e.g. "while the leg slides out"

    def met_by(self, value: float) -> bool:
        """Whether a measured value satisfies the criterion (bounds inclusive)."""
        if self.at_most is not None and value > self.at_most:
            return False
        return not (self.at_least is not None and value < self.at_least)

    def describe(self) -> str:
        """``trunk_sagittal_excursion_deg ≤ 5 deg while the leg slides out``."""
        spec = QUALITY_METRICS.get(self.metric)
        unit = f" {spec.unit}" if spec else ""
        bound = (
            f"≤ {self.at_most:g}{unit}"
            if self.at_most is not None
            else f"≥ {self.at_least:g}{unit}"
        )
        return f"{self.metric} {bound}" + (f" {self.during}" if self.during else "")

    def plain(self) -> str:
        """``back moving forward or back at most 5° while the leg slides out``: for patients."""
        spec = QUALITY_METRICS.get(self.metric)
        words = spec.plain if spec and spec.plain else self.metric.replace("_", " ")
        symbol = {"deg": "°", "%": "%", "ratio": ""}.get(spec.unit if spec else "")
        unit = (symbol if symbol is not None else f" {spec.unit}") if spec else ""
        bound = (
            f"at most {self.at_most:g}{unit}"
            if self.at_most is not None
            else f"at least {self.at_least:g}{unit}"
        )
        return f"{words} {bound}" + (f" {self.during}" if self.during else "")


@dataclass(frozen=True)
class Exercise:
    """One exercise of the library."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    id: str
    name: str
    track: Track
    phases: tuple[Phase, ...]
    slot: Slot
    level: int
    purpose: str
    targets: tuple[str, ...]
    position: Position
    places: tuple[Place, ...]
    dosage: Dosage
    limits: DosageLimits
    breathing: str
    cues: Cues
    faults: tuple[Fault, ...]
    criteria: tuple[QualityCriterion, ...]
    equipment: tuple[Equipment, ...] = ()
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    contraindications: tuple[Contraindication, ...] = ()

    def cues_at(self, level: CueLevel) -> tuple[str, ...]:
        """The cue text shown at a fading level."""
        if level is CueLevel.FULL:
            return self.cues.full
        if level is CueLevel.BRIEF:
            return self.cues.brief
        return ()


# What a functional task rehearses, in the words of a feared activity: exposure ladders match
# a patient's fears to tasks by these tags, so a tag outside this list would never be matched.
ACTIVITY_TAGS: tuple[str, ...] = (
    "bending",
    "lifting",
    "carrying",
    "twisting",
    "reaching",
    "stairs",
    "sitting",
    "standing",
    "walking",
    "kneeling",
    "getting_up",
    "lying_down",
    "driving",
    "housework",
    "running",
    "sport",
    "pushing",
    "pulling",
)


class TaskCategory(Enum):
    """Where a functional task comes from in a patient's life."""

    DAILY_LIVING = "daily_living"
    HOUSEHOLD = "household"
    WORK = "work"
    LEISURE = "leisure"


@dataclass(frozen=True)
class MicroStep:
    """One step of a task: the action, its activation cue, and when it happens."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    action: str
    cue: str
    timing: str
    seconds: float | None = None


@dataclass(frozen=True)
class FunctionalTask:
    """A real-life task broken into micro-steps, rehearsed in functional integration and used
    as steps of a graded-exposure ladder (``activities`` names what a feared activity is).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    id: str
    name: str
    category: TaskCategory
    purpose: str
    phases: tuple[Phase, ...]
    places: tuple[Place, ...]
    difficulty: int
    activities: tuple[str, ...]
    steps: tuple[MicroStep, ...]
    criteria: tuple[QualityCriterion, ...] = ()
    equipment: tuple[Equipment, ...] = ()
    related_exercises: tuple[str, ...] = ()
    contraindications: tuple[Contraindication, ...] = ()
    easier: str = ""  # a task that rehearses the same activity at lower demand


class EducationTopic(Enum):
    """Education topics, all of which the library must cover."""

    SPINE_MOVEMENT = "spine_movement"
    PAIN = "pain"
    FEAR_AVOIDANCE = "fear_avoidance"
    PACING_FLARE_UPS = "pacing_flare_ups"
    SLEEP = "sleep"
    ERGONOMICS = "ergonomics"
    ACTIVITY_VARIETY = "activity_variety"
    MINDFUL_PAUSES = "mindful_pauses"


@dataclass(frozen=True)
class EducationModule:
    """A short plain-language module; ``focus`` lists the profile focus areas it serves."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    id: str
    title: str
    topic: EducationTopic
    minutes: int
    summary: str
    body: str
    key_points: tuple[str, ...]
    try_this: str
    phases: tuple[Phase, ...]
    focus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    """Everything the engine can prescribe, by id."""

    exercises: Mapping[str, Exercise]
    tasks: Mapping[str, FunctionalTask]
    education: Mapping[str, EducationModule]

    def exercises_in(self, track: Track) -> list[Exercise]:
        """The exercises of one track, easiest first."""
        return sorted(
            (e for e in self.exercises.values() if e.track is track), key=lambda e: (e.level, e.id)
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content: where, and what."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


# Minimum content the issue asks for; validation refuses less.
MIN_EXERCISES = 60
MIN_TASKS = 13
REQUIRED_TASK_IDS = (
    "lift_light_object_from_floor",
    "carry_groceries",
    "stairs",
    "sit_to_stand",
    "reach_overhead",
    "bed_in_out",
    "car_in_out",
    "socks_and_shoes",
    "vacuuming",
)


def validate_library(library: Library) -> tuple[Problem, ...]:
    """Every problem with the content: ids, links, ranges, criteria, graph shape, coverage.

    Rules (docs/library.md): ids are snake_case and unique; every link exists and stays in
    its track; default dosage lies within its limits; every criterion names a known metric
    seen from a view that metric supports, with exactly one bound; progressions and
    regressions have no cycles within a track; an exercise without progressions must reach
    maintenance, one without regressions must be level 1; every phase is reachable from the
    level-1 motor-control exercises; every phase, track, position and education topic is
    covered; the required functional tasks exist.
    """
    problems: list[Problem] = []
    problems += _check_exercises(library)
    problems += _check_graph(library, "progressions")
    problems += _check_graph(library, "regressions")
    problems += _check_reachability(library)
    problems += _check_tasks(library)
    problems += _check_education(library)
    problems += _check_coverage(library)
    return tuple(problems)


def _check_id(where: str, ident: str, key: str) -> list[Problem]:
    if ident != key:
        return [Problem(where, f"id {ident!r} does not match its key {key!r}")]
    if not ID_PATTERN.match(ident):
        return [Problem(where, f"id {ident!r} must be 3–60 lower-case letters, digits or '_'")]
    return []


def _check_criteria(where: str, criteria: Iterable[QualityCriterion]) -> list[Problem]:
    problems = []
    for number, c in enumerate(criteria, start=1):
        at = f"{where}.criteria[{number}]"
        spec = QUALITY_METRICS.get(c.metric)
        if spec is None:
            problems.append(Problem(at, f"unknown metric {c.metric!r}"))
            continue
        if (c.at_most is None) == (c.at_least is None):
            problems.append(Problem(at, "give exactly one of at_most or at_least"))
        if CameraView.ANY not in spec.views and c.view not in spec.views:
            views = ", ".join(v.value for v in spec.views)
            problems.append(Problem(at, f"{c.metric} is seen from {views}, not {c.view.value}"))
    return problems


def _check_exercises(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    for key, e in library.exercises.items():
        where = f"exercises.{key}"
        problems += _check_id(where, e.id, key)
        if e.track not in EXERCISE_TRACKS:
            problems.append(Problem(where, f"track {e.track.value!r} holds no exercises"))
        if not e.phases:
            problems.append(Problem(f"{where}.phases", "list at least one phase"))
        if not 1 <= e.level <= 5:
            problems.append(Problem(f"{where}.level", f"must be 1–5, got {e.level}"))
        if not e.places:
            problems.append(Problem(f"{where}.places", "list at least one place"))
        if not e.cues.full or not e.cues.brief:
            problems.append(Problem(f"{where}.cues", "give full and brief cues"))
        if not e.faults:
            problems.append(Problem(f"{where}.faults", "describe at least one common fault"))
        if not e.criteria:
            problems.append(Problem(f"{where}.criteria", "declare at least one criterion"))
        problems += _check_criteria(where, e.criteria)
        problems += _check_dosage(where, e.dosage, e.limits)
        for fault in e.faults:
            if fault.metric and fault.metric not in QUALITY_METRICS:
                problems.append(
                    Problem(f"{where}.faults.{fault.id}", f"unknown metric {fault.metric!r}")
                )
        for field_name in ("progressions", "regressions"):
            for target in getattr(e, field_name):
                other = library.exercises.get(target)
                if other is None:
                    problems.append(
                        Problem(f"{where}.{field_name}", f"unknown exercise {target!r}")
                    )
                elif other.track is not e.track:
                    problems.append(
                        Problem(
                            f"{where}.{field_name}",
                            f"{target!r} is in track {other.track.value}, not {e.track.value}",
                        )
                    )
                elif target == e.id:
                    problems.append(Problem(f"{where}.{field_name}", "links to itself"))
        if not e.progressions and Phase.MAINTENANCE not in e.phases:
            problems.append(
                Problem(
                    f"{where}.progressions",
                    "dead end: no progression, and the exercise is not part of maintenance",
                )
            )
        if not e.regressions and e.level != 1:
            problems.append(
                Problem(f"{where}.regressions", f"dead end: no regression from level {e.level}")
            )
    return problems


def _check_dosage(where: str, d: Dosage, limits: DosageLimits) -> list[Problem]:
    problems = []
    for name in ("sets", "reps", "hold_s", "rest_s"):
        value = getattr(d, name)
        allowed: IntRange = getattr(limits, name)
        if allowed.low > allowed.high or allowed.low < 0:
            problems.append(Problem(f"{where}.limits.{name}", "low must be ≥ 0 and ≤ high"))
        elif value not in allowed:
            problems.append(
                Problem(
                    f"{where}.dosage.{name}",
                    f"{value} is outside the allowed {allowed.low}–{allowed.high}",
                )
            )
    if d.sets < 1 or d.reps < 1:
        problems.append(Problem(f"{where}.dosage", "sets and reps must be at least 1"))
    if d.tempo and not TEMPO_PATTERN.match(d.tempo):
        problems.append(Problem(f"{where}.dosage.tempo", "write as lower-pause-raise, e.g. 3-1-3"))
    return problems


def _check_graph(library: Library, field_name: str) -> list[Problem]:
    """No cycles along ``field_name`` links (depth-first search with colours)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    problems: list[Problem] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in getattr(library.exercises[node], field_name):
            if nxt not in library.exercises:
                continue
            if state.get(nxt) == 1:
                cycle = " → ".join([*path[path.index(nxt) :], nxt])
                problems.append(Problem(f"exercises.{node}.{field_name}", f"cycle: {cycle}"))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for key in sorted(library.exercises):
        if key not in state:
            visit(key, [key])
    return problems


def _check_reachability(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    for track in EXERCISE_TRACKS:
        members = library.exercises_in(track)
        if not members:
            continue
        seen = {e.id for e in members if e.level == 1}
        frontier = list(seen)
        while frontier:
            for nxt in library.exercises[frontier.pop()].progressions:
                if nxt in library.exercises and nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        for e in members:
            if e.id not in seen:
                problems.append(
                    Problem(f"exercises.{e.id}", "not reachable by progressions from level 1")
                )
        if track is Track.MOTOR_CONTROL:
            reached = {p for ident in seen for p in library.exercises[ident].phases}
            for phase in Phase:
                if phase not in reached:
                    problems.append(
                        Problem("exercises", f"phase {phase.value} is not reachable from level 1")
                    )
    return problems


def _check_tasks(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    for key, t in library.tasks.items():
        where = f"tasks.{key}"
        problems += _check_id(where, t.id, key)
        for number, step in enumerate(t.steps, start=1):
            if step.seconds is not None and step.seconds <= 0:
                problems.append(Problem(f"{where}.steps[{number}].seconds", "must be more than 0"))
        if len(t.steps) < 3:
            problems.append(Problem(f"{where}.steps", "break the task into at least 3 micro-steps"))
        if not 1 <= t.difficulty <= 5:
            problems.append(Problem(f"{where}.difficulty", f"must be 1–5, got {t.difficulty}"))
        if not t.activities:
            problems.append(Problem(f"{where}.activities", "name at least one activity"))
        for tag in t.activities:
            if tag not in ACTIVITY_TAGS:
                problems.append(
                    Problem(
                        f"{where}.activities",
                        f"unknown activity {tag!r}; known: {', '.join(ACTIVITY_TAGS)}",
                    )
                )
        if not t.phases:
            problems.append(Problem(f"{where}.phases", "list at least one phase"))
        problems += _check_criteria(where, t.criteria)
        for ident in t.related_exercises:
            if ident not in library.exercises:
                problems.append(
                    Problem(f"{where}.related_exercises", f"unknown exercise {ident!r}")
                )
        if t.easier and t.easier not in library.tasks:
            problems.append(Problem(f"{where}.easier", f"unknown task {t.easier!r}"))
    for ident in REQUIRED_TASK_IDS:
        if ident not in library.tasks:
            problems.append(Problem("tasks", f"required task {ident!r} is missing"))
    if len(library.tasks) < MIN_TASKS:
        problems.append(
            Problem("tasks", f"{len(library.tasks)} tasks; the library needs at least {MIN_TASKS}")
        )
    return problems


def _check_education(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    for key, m in library.education.items():
        where = f"education.{key}"
        problems += _check_id(where, m.id, key)
        if not 1 <= m.minutes <= 15:
            problems.append(Problem(f"{where}.minutes", f"must be 1–15, got {m.minutes}"))
        if not m.key_points:
            problems.append(Problem(f"{where}.key_points", "give at least one key point"))
        for code in m.focus:
            if code not in FOCUS_CODES:
                problems.append(
                    Problem(
                        f"{where}.focus",
                        f"unknown focus area {code!r}; known: {', '.join(FOCUS_CODES)}",
                    )
                )
    covered = {m.topic for m in library.education.values()}
    for topic in EducationTopic:
        if topic not in covered:
            problems.append(Problem("education", f"no module on {topic.value}"))
    return problems


def _check_coverage(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    exercises = library.exercises.values()
    if len(library.exercises) < MIN_EXERCISES:
        problems.append(
            Problem(
                "exercises",
                f"{len(library.exercises)} exercises; the library needs at least {MIN_EXERCISES}",
            )
        )
    for track in EXERCISE_TRACKS:
        if not any(e.track is track for e in exercises):
            problems.append(Problem("exercises", f"no exercise in track {track.value}"))
    for position in Position:
        if not any(e.position is position for e in exercises):
            problems.append(Problem("exercises", f"no exercise starts {position.value}"))
    for phase in Phase:
        if not any(phase in e.phases for e in exercises if e.track is Track.MOTOR_CONTROL):
            problems.append(Problem("exercises", f"no motor-control exercise for {phase.value}"))
    return problems

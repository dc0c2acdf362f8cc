"""The graded-exposure ladder for patients with high fear (clinical-facts §4.2).

Feared activities are rated 0–100 (a PHODA-style thermometer); the ladder starts at moderate
fear and climbs. Each step is a functional task with its micro-steps. A step is done when the
re-rated fear has dropped by more than 20 points — the change PHODA-SeV treats as real (Leeuw
2007 [V]). The ladder never steps back because of pain: exposure is not pain-contingent; during
a flare it only pauses.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from spinecoach.domain.engine.inputs import Constraints, FearRating, SessionLog
from spinecoach.domain.library import Contraindication, FunctionalTask, Library

LEEUW_2007 = "Leeuw et al. J Pain 2007;8(11):840-9 (PHODA-SeV; clinical-facts §4.2)"
# A drop of more than 20 points suggests true change (PHODA-SeV, Leeuw 2007 [V]).
REAL_FEAR_DROP = 20
# Activities rated below this are not feared enough to need a step (spinecoach design rule).
MODERATE_FEAR = 30


@dataclass(frozen=True)
class LadderStep:
    """One rung: an activity, the task that rehearses it, its first and latest fear rating."""

    activity: str
    task_id: str
    initial_fear: int | None
    latest_fear: int | None
    done_on: date | None = None

    @property
    def rated(self) -> bool:
        """Whether the patient has rated this activity yet."""
        return self.initial_fear is not None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "activity": self.activity,
            "task": self.task_id,
            "initial_fear": self.initial_fear,
            "latest_fear": self.latest_fear,
            "done_on": self.done_on.isoformat() if self.done_on else None,
        }


@dataclass(frozen=True)
class ExposureLadder:
    """Steps in order; the first step not done is the active one."""

    steps: tuple[LadderStep, ...]

    @property
    def active(self) -> LadderStep | None:
        """The step being practised now (None when all are done)."""
        return next((s for s in self.steps if s.done_on is None), None)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        active = self.active
        return {
            "steps": [s.as_dict() for s in self.steps],
            "active": active.task_id if active else None,
            "rule": f"a step is done when its fear rating has dropped by more than "
            f"{REAL_FEAR_DROP} points ({LEEUW_2007}); the ladder never steps back for pain",
        }


# Word stems that name each activity tag of the library (ACTIVITY_TAGS) in free text
# (intake, goals): "lifting boxes" → lifting. Whole words only, so "warehouse" never reads as
# "housework". A test keeps the keys equal to the library's vocabulary.
ACTIVITY_WORDS: dict[str, tuple[str, ...]] = {
    "bending": ("bend", "stoop", "bow", "sock", "shoe", "dress"),
    "lifting": ("lift", "pick"),
    "carrying": ("carr", "shopping", "groceries"),
    "twisting": ("twist", "turn"),
    "reaching": ("reach", "overhead"),
    "stairs": ("stair", "steps"),
    "sitting": ("sit", "seated", "desk"),
    "standing": ("stand",),
    "walking": ("walk", "hik"),
    "kneeling": ("kneel", "garden"),
    "getting_up": ("get up", "getting up", "rising", "floor"),
    "lying_down": ("lying", "bed", "sleep"),
    "driving": ("driv", "car"),
    "housework": ("housework", "vacuum", "hoover", "clean", "chore", "dishwasher"),
    "running": ("run", "jog"),
    "sport": ("sport", "golf", "tennis", "football", "gym", "racket", "swim"),
    "pushing": ("push", "pram", "trolley", "buggy"),
    "pulling": ("pull",),
}


def activity_tags(text: str) -> tuple[str, ...]:
    """Activity tags named in free text, in tag order; exact tags pass through."""
    lowered = text.lower().strip()
    if lowered in ACTIVITY_WORDS:
        return (lowered,)
    words = lowered.replace("-", " ").replace("/", " ").split()
    padded = f" {' '.join(words)}"
    found = []
    for tag, stems in ACTIVITY_WORDS.items():
        for stem in stems:
            hit = (
                f" {stem}" in padded if " " in stem else any(_word_matches(w, stem) for w in words)
            )
            if hit:
                found.append(tag)
                break
    return tuple(found)


def _word_matches(word: str, stem: str) -> bool:
    """A long stem starts the word; a short one (≤ 3 letters, "car", "sit") is the word
    itself with at most a plain ending, so "carpet" is not driving."""
    if len(stem) > 3:
        return word.startswith(stem)
    return word in (stem, f"{stem}s", f"{stem}ing", f"{stem}{stem[-1]}ing")


def tasks_for(
    activity: str,
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
) -> list[FunctionalTask]:
    """Tasks that rehearse an activity (a tag, a task id or free text), easiest first, that
    the patient can do."""
    key = activity.lower().strip()
    tags = set(activity_tags(key))
    found = [
        t
        for t in library.tasks.values()
        if (key == t.id or tags & set(t.activities))
        and not set(t.contraindications) & set(contraindications)
        and any(p in constraints.places for p in t.places)
    ]
    return sorted(found, key=lambda t: (t.difficulty, t.id))


def build_ladder(
    fears: Sequence[FearRating],
    candidates: Sequence[str],
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
) -> ExposureLadder:
    """A ladder from rated fears (moderate and above), or unrated candidates to rate first."""
    used: set[str] = set()
    first_rating = _first_ratings(fears)
    steps = _rated_steps(fears, first_rating, set(), used, library, constraints, contraindications)
    if not first_rating:
        for activity in candidates:
            task_id = _free_task(activity, used, library, constraints, contraindications)
            if task_id is not None:
                steps.append(LadderStep(activity, task_id, None, None))
    return ExposureLadder(tuple(steps))


def known_fears(fears: Sequence[FearRating], on: date) -> list[FearRating]:
    """The ratings made by ``on`` (undated ones count from the start): a replayed day must
    not see ratings the patient gave later."""
    return [r for r in fears if r.rated_on is None or r.rated_on <= on]


def grow_ladder(
    ladder: ExposureLadder,
    fears: Sequence[FearRating],
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
) -> tuple[ExposureLadder, tuple[LadderStep, ...]]:
    """The ladder with activities rated since it was built (``fears``: the ratings known
    today). Done steps and the active one stay as they are; a newly rated activity (moderate
    fear or more, with a task not on the ladder yet) joins the steps still to come, in order of
    fear, and those steps show their latest rating. A ladder of unrated candidates is built
    again from the ratings once there are some. Returns the ladder and the steps added."""
    if not fears:
        return ladder, ()
    if not any(step.rated for step in ladder.steps):
        built = build_ladder(fears, (), library, constraints, contraindications)
        return built, built.steps
    active = ladder.active
    start = len(ladder.steps) if active is None else ladder.steps.index(active) + 1
    kept, waiting = ladder.steps[:start], ladder.steps[start:]
    first_rating = _first_ratings(fears)
    added = _rated_steps(
        fears,
        first_rating,
        {step.activity for step in ladder.steps},
        {step.task_id for step in ladder.steps},
        library,
        constraints,
        contraindications,
    )
    refreshed = [
        replace(step, latest_fear=_latest_rating(fears, step.activity))
        if step.activity in first_rating
        else step
        for step in waiting
    ]
    coming = sorted([*refreshed, *added], key=lambda s: (s.initial_fear or 0, s.activity))
    grown = ExposureLadder((*kept, *coming))
    return (ladder, ()) if grown == ladder else (grown, tuple(added))


def _first_ratings(fears: Sequence[FearRating]) -> dict[str, FearRating]:
    """Each activity's first rating (the step's starting fear)."""
    first: dict[str, FearRating] = {}
    for rating in sorted(fears, key=lambda r: r.rated_on or date.min):
        first.setdefault(rating.activity, rating)
    return first


def _rated_steps(
    fears: Sequence[FearRating],
    first_rating: dict[str, FearRating],
    skipped: set[str],
    used: set[str],
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
) -> list[LadderStep]:
    """Steps for the activities rated moderate or more (not in ``skipped``), least feared
    first, each through a task not in ``used`` (which it then joins)."""
    rated = [
        r for r in first_rating.values() if r.fear >= MODERATE_FEAR and r.activity not in skipped
    ]
    steps = []
    for rating in sorted(rated, key=lambda r: (r.fear, r.activity)):
        task_id = _free_task(rating.activity, used, library, constraints, contraindications)
        if task_id is not None:
            latest = _latest_rating(fears, rating.activity)
            steps.append(LadderStep(rating.activity, task_id, rating.fear, latest))
    return steps


def _free_task(
    activity: str,
    used: set[str],
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
) -> str | None:
    """The easiest task rehearsing ``activity`` that no step uses yet (now taken), or None."""
    for task in tasks_for(activity, library, constraints, contraindications):
        if task.id not in used:
            used.add(task.id)
            return task.id
    return None


def _latest_rating(fears: Sequence[FearRating], activity: str) -> int:
    same = [r for r in fears if r.activity == activity]
    return max(same, key=lambda r: r.rated_on or date.min).fear


def update_ladder(
    ladder: ExposureLadder,
    sessions: Sequence[SessionLog],
    today: date,
    fears: Sequence[FearRating] = (),
) -> tuple[ExposureLadder, LadderStep | None]:
    """Record the latest fear of the active step — after practising its task, or re-rated on
    the thermometer — and mark the step done when fear dropped enough.

    Returns the new ladder and the step completed today, if any.
    """
    active = ladder.active
    if active is None or active.initial_fear is None:
        return ladder, None
    ratings = [
        (s.day, x.fear_after)
        for s in sessions
        if s.day < today
        for x in s.exposures
        if x.task_id == active.task_id
    ]
    rerated = sorted(
        (r for r in fears if r.activity == active.activity and r.rated_on is not None),
        key=lambda r: r.rated_on or date.min,
    )
    ratings += [(r.rated_on, r.fear) for r in rerated[1:] if r.rated_on and r.rated_on < today]
    if not ratings:
        return ladder, None
    latest = max(ratings, key=lambda pair: pair[0])[1]
    done = active.initial_fear - latest > REAL_FEAR_DROP
    updated = replace(active, latest_fear=latest, done_on=today if done else None)
    steps = tuple(updated if s is active else s for s in ladder.steps)
    return ExposureLadder(steps), updated if done else None

"""Which exercises a patient may get, and which ones a phase starts with.

A patient never gets an exercise whose start position or equipment they do not have, that
cannot be done in any of their places, that their profile rules out, or that a clinician
excluded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from spinecoach.domain.engine.inputs import Constraints
from spinecoach.domain.library import (
    HOUSEHOLD_EQUIPMENT,
    Contraindication,
    Exercise,
    Library,
    Phase,
    Place,
    Track,
)

# How many exercises each track carries at once (spinecoach design rule, docs/engine.md):
# enough variety for a 15–30 minute routine, few enough to learn well.
PER_TRACK = {Track.MOTOR_CONTROL: 3, Track.MOBILITY: 1, Track.ENDURANCE: 1}
# Endurance work joins once neutral control is learnt.
ENDURANCE_FROM = Phase.STATIC


def unavailable_reason(
    exercise: Exercise,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
    excluded: Collection[str] = (),
    places: Collection[Place] | None = None,
) -> str | None:
    """Why the exercise cannot be prescribed, or None when it can."""
    if exercise.id in excluded:
        return "excluded by the clinician"
    if exercise.position in constraints.unavailable_positions:
        return f"the patient cannot take the {exercise.position.value} position"
    owned = constraints.equipment | HOUSEHOLD_EQUIPMENT
    missing = [e.value for e in exercise.equipment if e not in owned]
    if missing:
        return "needs " + ", ".join(missing)
    where = constraints.places if places is None else places
    if not any(p in where for p in exercise.places):
        return "cannot be done in " + ", ".join(sorted(p.value for p in where))
    ruled_out = [c.value for c in exercise.contraindications if c in contraindications]
    if ruled_out:
        return "contraindicated: " + ", ".join(ruled_out)
    return None


def allowed(
    exercises: Iterable[Exercise],
    constraints: Constraints,
    contraindications: Collection[Contraindication],
    excluded: Collection[str] = (),
) -> list[Exercise]:
    """The exercises that can be prescribed, in the order given."""
    return [
        e
        for e in exercises
        if unavailable_reason(e, constraints, contraindications, excluded) is None
    ]


def starting_set(
    library: Library,
    track: Track,
    phase: Phase,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
    excluded: Collection[str] = (),
) -> list[Exercise]:
    """The exercises a track starts a phase with: the easiest allowed ones, varied by slot.

    Motor control takes exercises of this phase; mobility and endurance take the easiest of
    theirs that fit the phase, else their easiest allowed level.
    """
    count = PER_TRACK.get(track, 0)
    if track is Track.ENDURANCE and phase.order < ENDURANCE_FROM.order:
        return []
    pool = allowed(library.exercises_in(track), constraints, contraindications, excluded)
    in_phase = [e for e in pool if phase in e.phases]
    if not in_phase and track is not Track.MOTOR_CONTROL:
        in_phase = [e for e in pool if e.level == min((x.level for x in pool), default=0)]
    chosen: list[Exercise] = []
    # First pass: one per slot in routine order; second pass: fill up by level.
    for candidate in sorted(in_phase, key=lambda e: (e.slot.order, e.level, e.id)):
        if len(chosen) < count and all(c.slot is not candidate.slot for c in chosen):
            chosen.append(candidate)
    for candidate in sorted(in_phase, key=lambda e: (e.level, e.slot.order, e.id)):
        if len(chosen) < count and candidate not in chosen:
            chosen.append(candidate)
    return sorted(chosen, key=lambda e: (e.slot.order, e.level, e.id))


def linked(
    library: Library,
    exercise: Exercise,
    direction: str,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
    excluded: Collection[str] = (),
    taken: Collection[str] = (),
) -> Exercise | None:
    """The first allowed progression (``direction="progressions"``) or regression not
    already in the program."""
    for ident in getattr(exercise, direction):
        target = library.exercises.get(ident)
        if (
            target is not None
            and ident not in taken
            and unavailable_reason(target, constraints, contraindications, excluded) is None
        ):
            return target
    return None

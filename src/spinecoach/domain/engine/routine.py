"""The daily home routine: the program's exercises in order, fitted to the time budget.

Order: breathing → activation → control → function → load → mobility. When time is short the
dose shrinks to the bottom of its range before anything is left out, and motor control is kept
before endurance and mobility. A routine never takes longer than its budget.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from spinecoach.domain.engine.dosage import lightest
from spinecoach.domain.engine.inputs import Constraints
from spinecoach.domain.engine.selection import unavailable_reason
from spinecoach.domain.library import (
    Contraindication,
    CueLevel,
    Dosage,
    Exercise,
    Library,
    Place,
    Track,
)

# Short day: a third of the usual time, never under 5 minutes (spinecoach design rule).
SHORT_DAY_FRACTION = 3
SHORT_DAY_MIN_MINUTES = 5
TRACK_PRIORITY = {Track.MOTOR_CONTROL: 0, Track.ENDURANCE: 1, Track.MOBILITY: 2}


@dataclass(frozen=True)
class RoutineEntry:
    """What the routine builder needs of a prescription."""

    exercise_id: str
    dosage: Dosage
    cue_level: CueLevel


@dataclass(frozen=True)
class RoutineItem:
    """One exercise of today's routine, ready to show a patient."""

    exercise: Exercise
    dosage: Dosage
    cue_level: CueLevel
    substitute_for: str = ""

    @property
    def seconds(self) -> int:
        """Time this item takes."""
        return self.dosage.seconds

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "exercise": self.exercise.id,
            "name": self.exercise.name,
            "slot": self.exercise.slot.value,
            "dosage": self.dosage.describe(),
            "sets": self.dosage.sets,
            "reps": self.dosage.reps,
            "hold_s": self.dosage.hold_s,
            "tempo": self.dosage.tempo or None,
            "per_side": self.dosage.per_side,
            "minutes": round(self.seconds / 60, 1),
            "cue_level": self.cue_level.value,
            "cues": list(self.exercise.cues_at(self.cue_level)),
            "breathing": self.exercise.breathing,
            "substitute_for": self.substitute_for or None,
        }


@dataclass(frozen=True)
class Routine:
    """Today's routine for one place and budget, and what was left out and why."""

    place: Place
    budget_s: int
    items: tuple[RoutineItem, ...]
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def seconds(self) -> int:
        """Total time of the routine."""
        return sum(i.seconds for i in self.items)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "place": self.place.value,
            "budget_minutes": round(self.budget_s / 60, 1),
            "minutes": round(self.seconds / 60, 1),
            "items": [i.as_dict() for i in self.items],
            "left_out": [{"exercise": e, "reason": r} for e, r in self.left_out],
        }


def short_day_minutes(minutes_per_day: int) -> int:
    """The budget of the short-day option."""
    return max(SHORT_DAY_MIN_MINUTES, minutes_per_day // SHORT_DAY_FRACTION)


def build_routine(
    entries: Sequence[RoutineEntry],
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
    *,
    place: Place,
    minutes: int,
    excluded: Collection[str] = (),
) -> Routine:
    """Fit the prescribed exercises into ``minutes`` at ``place``, in routine order."""
    budget = minutes * 60
    candidates: list[tuple[RoutineEntry, Exercise, str]] = []
    left_out: list[tuple[str, str]] = []
    used: set[str] = {e.exercise_id for e in entries}
    for entry in entries:
        exercise = library.exercises[entry.exercise_id]
        if place in exercise.places:
            candidates.append((entry, exercise, ""))
            continue
        substitute = _substitute(
            exercise, library, constraints, contraindications, place, excluded, used
        )
        if substitute is None:
            where = "outdoors" if place is Place.OUTDOORS else f"at {place.value}"
            left_out.append((exercise.id, f"cannot be done {where}"))
        else:
            used.add(substitute.id)
            candidates.append((replace(entry, dosage=substitute.dosage), substitute, exercise.id))
    ordered = sorted(candidates, key=lambda c: (TRACK_PRIORITY.get(c[1].track, 3), c[1].slot.order))
    # Everything at its lightest first; leave out the lowest priorities only if even that is
    # too long. Then give time back, in priority order: the prescribed repetitions and hold
    # with the fewest sets, then the full prescribed dose.
    options = [_options(entry.dosage, exercise) for entry, exercise, _ in ordered]
    while ordered and sum(o[0].seconds for o in options) > budget:
        _, dropped, _ = ordered.pop()
        options.pop()
        left_out.append((dropped.id, "does not fit the time budget"))
    chosen_dose = [o[0] for o in options]
    for level in (1, 2):
        for index, choices in enumerate(options):
            upgrade = choices[min(level, len(choices) - 1)]
            spare = budget - sum(d.seconds for d in chosen_dose)
            if upgrade.seconds - chosen_dose[index].seconds <= spare:
                chosen_dose[index] = upgrade
    chosen = [
        RoutineItem(exercise, dose, entry.cue_level, replaced)
        for (entry, exercise, replaced), dose in zip(ordered, chosen_dose, strict=True)
    ]
    chosen.sort(key=lambda i: (i.exercise.slot.order, TRACK_PRIORITY.get(i.exercise.track, 3)))
    return Routine(place, budget, tuple(chosen), tuple(left_out))


def _options(dosage: Dosage, exercise: Exercise) -> list[Dosage]:
    """Lightest, then prescribed reps and hold with the fewest sets, then as prescribed —
    each at least as long as the one before."""
    steps = [lightest(dosage, exercise.limits)]
    for option in (replace(dosage, sets=exercise.limits.sets.low), dosage):
        if option.seconds >= steps[-1].seconds:
            steps.append(option)
    return steps


def _substitute(
    exercise: Exercise,
    library: Library,
    constraints: Constraints,
    contraindications: Collection[Contraindication],
    place: Place,
    excluded: Collection[str],
    used: Collection[str],
) -> Exercise | None:
    """An exercise of the same track and slot sharing a phase, that can be done at ``place``:
    the hardest one no harder, else one level harder at most."""
    options = [
        e
        for e in library.exercises.values()
        if e.track is exercise.track
        and e.slot is exercise.slot
        and e.level <= exercise.level + 1
        and set(e.phases) & set(exercise.phases)
        and e.id not in used
        and unavailable_reason(e, constraints, contraindications, excluded, places=(place,)) is None
    ]
    no_harder = [e for e in options if e.level <= exercise.level]
    if no_harder:
        return max(no_harder, key=lambda e: (e.level, e.id))
    return min(options, key=lambda e: (e.level, e.id), default=None)

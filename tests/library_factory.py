"""Small hand-made libraries for precise engine and validator tests.

The packaged content is tested on its own (tests/unit/library/test_content.py); engine rules
are pinned down here on a library whose every number is known.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from types import MappingProxyType

from spinecoach.domain.engine import (
    ExerciseLog,
    PatientPicture,
    Score,
    SessionLog,
)
from spinecoach.domain.library import (
    Contraindication,
    Cues,
    Dosage,
    DosageLimits,
    Equipment,
    Exercise,
    Fault,
    FunctionalTask,
    IntRange,
    Library,
    MicroStep,
    Phase,
    Place,
    Position,
    QualityCriterion,
    Slot,
    TaskCategory,
    Track,
)
from spinecoach.domain.metrics import CameraView

START = date(2026, 1, 5)


def exercise(ident: str, **changes: object) -> Exercise:
    """An activation-phase exercise with a 1 × 6–10 reps × 6–10 s dose; change what you need."""
    base = Exercise(
        id=ident,
        name=ident.replace("_", " "),
        track=Track.MOTOR_CONTROL,
        phases=(Phase.ACTIVATION,),
        slot=Slot.ACTIVATION,
        level=1,
        purpose="test",
        targets=("transversus abdominis",),
        position=Position.CROOK_LYING,
        places=(Place.HOME,),
        dosage=Dosage(sets=1, reps=8, hold_s=6, rest_s=30),
        limits=DosageLimits(
            sets=IntRange(1, 2),
            reps=IntRange(6, 10),
            hold_s=IntRange(6, 10),
            rest_s=IntRange(15, 60),
        ),
        breathing="breathe",
        cues=Cues(full=("draw in gently",), brief=("in",)),
        faults=(Fault("f", "fault", "feels", "where", "fix"),),
        criteria=(QualityCriterion("neutral_hold_s", CameraView.ANY, at_least=6),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _chain() -> list[Exercise]:
    phases = list(Phase)
    items = []
    for index, phase in enumerate(phases):
        ident = f"mc_{phase.value}"
        items.append(
            exercise(
                ident,
                phases=(phase,),
                slot=Slot.BREATHING if phase is Phase.CALM else Slot.CONTROL,
                level=1 if index == 0 else min(5, index),
                progressions=((f"mc_{phases[index + 1].value}",) if index + 1 < len(phases) else ())
                + (("mc_prone_swell", "mc_band_activation") if index == 0 else ()),
                regressions=(f"mc_{phases[index - 1].value}",) if index else (),
            )
        )
    # A second activation exercise, prone, and an easier regression for it.
    items.append(
        exercise(
            "mc_prone_swell",
            position=Position.PRONE,
            slot=Slot.ACTIVATION,
            level=2,
            phases=(Phase.ACTIVATION,),
            progressions=("mc_static_control",),
            regressions=("mc_calm",),
            contraindications=(Contraindication.EXTENSION_INTOLERANCE,),
        )
    )
    items.append(
        exercise(
            "mc_band_activation",
            equipment=(Equipment.RESISTANCE_BAND,),
            level=2,
            phases=(Phase.ACTIVATION,),
            progressions=("mc_static_control",),
            regressions=("mc_calm",),
        )
    )
    items.append(
        exercise(
            "mob_hip_flexor",
            track=Track.MOBILITY,
            slot=Slot.MOBILITY,
            position=Position.KNEELING,
            phases=tuple(Phase),
            dosage=Dosage(sets=1, reps=2, hold_s=30, per_side=True),
            limits=DosageLimits(
                sets=IntRange(1, 2),
                reps=IntRange(2, 3),
                hold_s=IntRange(20, 40),
                rest_s=IntRange(0, 30),
            ),
        )
    )
    items.append(
        exercise(
            "end_side_bridge",
            track=Track.ENDURANCE,
            slot=Slot.LOAD,
            position=Position.SIDE_LYING,
            phases=tuple(Phase)[2:],
            places=(Place.HOME, Place.GYM),
        )
    )
    return items


def task(ident: str, activities: tuple[str, ...], difficulty: int) -> FunctionalTask:
    return FunctionalTask(
        id=ident,
        name=ident.replace("_", " "),
        category=TaskCategory.DAILY_LIVING,
        purpose="test",
        phases=(Phase.FUNCTIONAL,),
        places=(Place.HOME,),
        difficulty=difficulty,
        activities=activities,
        steps=tuple(MicroStep(f"step {i}", "set", "before") for i in range(3)),
    )


def mini_library() -> Library:
    """One motor-control exercise per phase in a chain, plus a few side options and tasks."""
    exercises = {e.id: e for e in _chain()}
    tasks = {
        t.id: t
        for t in (
            task("pick_up_light", ("bending", "lifting"), 1),
            task("lift_box", ("lifting",), 4),
            task("carry_bags", ("carrying",), 3),
            task("stairs_up", ("stairs",), 2),
        )
    }
    return Library(exercises=exercises, tasks=tasks, education={})


def picture(**changes: object) -> PatientPicture:
    """A patient allowed to exercise, NPRS 5, no fear findings."""
    base = PatientPicture(
        pseudonym="P-1",
        exercise_allowed=True,
        red_flag_state="clear",
        red_flag_message="No red flags.",
        scores=MappingProxyType({"nprs": Score(5.0), "odi": Score(30.0)}),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def good_day(
    day: int,
    *exercise_ids: str,
    quality: float = 1.0,
    pain: int = 3,
    during: int = 3,
    morning: int | None = None,
    flare: bool = False,
) -> SessionLog:
    """A practised day ``day`` days after START with the given exercises."""
    return SessionLog(
        day=START + timedelta(days=day),
        pain_before=pain,
        pain_after=pain,
        pain_next_morning=pain if morning is None else morning,
        flare=flare,
        exercises=tuple(
            ExerciseLog(exercise_id=e, quality=quality, pain_during=during) for e in exercise_ids
        ),
    )

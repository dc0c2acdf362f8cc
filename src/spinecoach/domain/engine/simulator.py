"""Synthetic patients for running the engine over weeks: in tests, benchmarks and demos.

A synthetic patient has a latent motor-control *capacity* (0–1) that grows with adherent,
good-quality practice and slowly lowers their pain; exercise quality depends on capacity
against the exercise's difficulty; pain during practice rises when the load outruns capacity;
flares and missed days happen at random (or on scripted days). Nothing here is a clinical
claim: it is a plausible toy world that exercises every rule of the engine, reproducible from
its seed (``random.Random(seed)``, no global state).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from spinecoach.domain.engine.inputs import (
    Constraints,
    ExerciseLog,
    ExposureLog,
    FearRating,
    PatientPicture,
    PlanRequest,
    Score,
    SessionLog,
)
from spinecoach.domain.engine.plan import Plan, dress
from spinecoach.domain.engine.program import Context, Program, Status, review, start_program
from spinecoach.domain.engine.routine import RoutineEntry, build_routine
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.library import Exercise, Library, Phase, Place
from spinecoach.domain.record import Intake, PainDistribution, PainPattern

SIMULATION_START = date(2026, 1, 5)


@dataclass(frozen=True)
class Archetype:
    """A kind of patient: starting pain, fear, habits and how fast they learn."""

    name: str
    nprs: float
    odi: float
    adherence: float  # chance of practising on a planned day
    flare_rate: float  # chance per day of a flare starting
    learning_rate: float
    capacity: float
    aggravating: tuple[str, ...] = ()
    fear_findings: tuple[str, ...] = ()
    fears: tuple[tuple[str, int], ...] = ()
    minutes_per_day: int = 20
    pain_distribution: PainDistribution = PainDistribution.BACK_ONLY


ARCHETYPES: Mapping[str, Archetype] = MappingProxyType(
    {
        a.name: a
        for a in (
            Archetype("typical", 5, 30, 0.8, 0.01, 0.05, 0.25, aggravating=("bending",)),
            Archetype(
                "fearful",
                6,
                44,
                0.7,
                0.015,
                0.04,
                0.2,
                aggravating=("lifting", "bending"),
                fear_findings=("sbst.high_risk", "tsk17.high_kinesiophobia"),
                fears=(("bending", 55), ("lifting", 75), ("carrying", 60)),
            ),
            Archetype("athlete", 2, 12, 0.95, 0.005, 0.08, 0.5, minutes_per_day=30),
            Archetype(
                "office_flexion",
                4,
                24,
                0.75,
                0.01,
                0.05,
                0.3,
                aggravating=("sitting", "bending to put on socks"),
                minutes_per_day=15,
            ),
            Archetype("irritable", 8, 52, 0.7, 0.02, 0.04, 0.15, aggravating=("standing",)),
            Archetype("non_adherent", 5, 32, 0.35, 0.01, 0.05, 0.25),
        )
    }
)


@dataclass(frozen=True)
class Script:
    """Events forced on given days, for scenario tests (weeks count from 1)."""

    flare_days: frozenset[int] = frozenset()  # day numbers from the start (0-based)
    missed_days: frozenset[int] = frozenset()
    red_flag_day: int | None = None
    red_flag: str = "saddle_anaesthesia"


@dataclass(frozen=True)
class SimulatedDay:
    """One day of a simulated patient."""

    day: date
    phase: Phase
    status: Status
    pain: int
    practised: bool
    routine_minutes: float
    capacity: float
    mean_quality: float | None


@dataclass(frozen=True)
class Simulation:
    """A simulated patient's whole course and the final plan."""

    seed: int
    archetype: str
    days: tuple[SimulatedDay, ...]
    plan: Plan
    sessions: tuple[SessionLog, ...] = field(default=())


def synthetic_picture(archetype: Archetype, pseudonym: str) -> PatientPicture:
    """A patient picture with the archetype's scores, findings and intake."""
    findings = tuple(
        Evidence(code=code, statement=f"synthetic finding {code}", rule="simulated")
        for code in archetype.fear_findings
    )
    return PatientPicture(
        pseudonym=pseudonym,
        exercise_allowed=True,
        red_flag_state="clear",
        red_flag_message="No red flags.",
        focus=("focus.psychosocial",) if archetype.fear_findings else (),
        findings=findings,
        scores=MappingProxyType({"nprs": Score(archetype.nprs), "odi": Score(archetype.odi)}),
        intake=Intake(
            pain_duration_weeks=26,
            pain_pattern=PainPattern.INTERMITTENT,
            pain_distribution=archetype.pain_distribution,
            aggravating=archetype.aggravating,
        ),
        as_of=None,
    )


def difficulty(exercise: Exercise, reps: int, hold_s: int) -> float:
    """0–1: level dominates, the dose within its range adds a little."""
    limits = exercise.limits
    span = max(1, limits.reps.high - limits.reps.low) + max(
        1, limits.hold_s.high - limits.hold_s.low
    )
    dose = ((reps - limits.reps.low) + (hold_s - limits.hold_s.low if hold_s else 0)) / span
    return min(1.0, 0.15 * (exercise.level - 1) + 0.25 * max(0.0, dose))


def simulate_patient(
    library: Library,
    *,
    seed: int,
    weeks: int = 12,
    archetype: Archetype | None = None,
    script: Script = Script(),
    start: date = SIMULATION_START,
) -> Simulation:
    """Run one synthetic patient through the engine, day by day, for ``weeks`` weeks."""
    rng = random.Random(seed)
    kind = archetype or ARCHETYPES[rng.choice(sorted(ARCHETYPES))]
    picture = synthetic_picture(kind, f"SIM-{seed}")
    constraints = Constraints(
        minutes_per_day=kind.minutes_per_day,
        days_per_week=5,
        equipment=frozenset(),
    )
    request = PlanRequest(
        started_on=start,
        constraints=constraints,
        fears=tuple(FearRating(a, f, start) for a, f in kind.fears),
    )
    ctx = Context.of(picture, request, library)
    program: Program = start_program(ctx)
    capacity = kind.capacity
    flare_left = 0
    days: list[SimulatedDay] = []
    sessions: list[SessionLog] = []
    fear_now: dict[str, int] = {}  # exposure task → current fear
    for number in range(weeks * 7):
        today = start + timedelta(days=number)
        if number:
            program = review(program, ctx, today)
        flare_today = number in script.flare_days or (
            flare_left == 0 and rng.random() < kind.flare_rate
        )
        if flare_today:
            flare_left = 4
        base = kind.nprs * (1 - 0.6 * capacity)
        pain = _rating(base + (3 if flare_left else 0) + rng.gauss(0, 0.6))
        practise = (
            program.status is not Status.STOPPED
            and number not in script.missed_days
            and rng.random() < kind.adherence
        )
        session: SessionLog | None = None
        minutes = 0.0
        qualities: list[float] = []
        if practise:
            entries = [
                RoutineEntry(p.exercise_id, p.dosage, p.cue_level) for p in program.prescriptions
            ]
            routine = build_routine(
                entries,
                library,
                constraints,
                ctx.traits.contraindications,
                place=Place.HOME,
                minutes=constraints.minutes_per_day,
                excluded=program.excluded,
            )
            minutes = routine.seconds / 60
            logs: list[ExerciseLog] = []
            overload = False
            for item in routine.items:
                d = difficulty(item.exercise, item.dosage.reps, item.dosage.hold_s)
                quality = _clamp(
                    1 / (1 + math.exp(-10 * (capacity - d))) + rng.gauss(0, 0.07), 0.0, 1.0
                )
                during = _rating(pain + max(0.0, d - capacity) * 6 + rng.gauss(0, 0.7))
                overload = overload or during > 5
                qualities.append(quality)
                relief = 1 if rng.random() < 0.5 + 0.3 * quality else 0
                logs.append(
                    ExerciseLog(
                        exercise_id=item.exercise.id,
                        sets_done=item.dosage.sets,
                        reps_done=item.dosage.reps,
                        hold_s_done=item.dosage.hold_s,
                        quality=round(quality, 2),
                        pain_before=pain,
                        pain_during=during,
                        pain_after=_rating(pain - relief),
                        effort=_rating(3 + 5 * d),
                    )
                )
                capacity += (
                    kind.learning_rate * quality * (1 - capacity) / max(1, len(routine.items))
                )
            exposures = _exposures(program, rng, fear_now)
            morning = _rating(pain + (1 if overload else 0) + (2 if flare_left > 1 else 0))
            session = SessionLog(
                day=today,
                pain_before=pain,
                pain_after=_rating(pain + (1 if overload else 0)),
                pain_next_morning=morning,
                flare=flare_today,
                exercises=tuple(logs),
                exposures=exposures,
                red_flags=(script.red_flag,) if number == script.red_flag_day else (),
            )
        elif number == script.red_flag_day or flare_today:
            session = SessionLog(
                day=today,
                pain_before=pain,
                flare=flare_today,
                red_flags=(script.red_flag,) if number == script.red_flag_day else (),
            )
        if session is not None:
            sessions.append(session)
            ctx = ctx.with_sessions(tuple(sessions))
        flare_left = max(0, flare_left - 1)
        capacity = min(1.0, capacity)
        days.append(
            SimulatedDay(
                day=today,
                phase=program.phase,
                status=program.status,
                pain=pain,
                practised=practise,
                routine_minutes=round(minutes, 1),
                capacity=round(capacity, 3),
                mean_quality=round(sum(qualities) / len(qualities), 2) if qualities else None,
            )
        )
    final_day = start + timedelta(days=weeks * 7)
    program = review(program, ctx, final_day)
    return Simulation(
        seed=seed,
        archetype=kind.name,
        days=tuple(days),
        plan=dress(program, ctx, final_day),
        sessions=tuple(sessions),
    )


def _exposures(
    program: Program, rng: random.Random, fear_now: dict[str, int]
) -> tuple[ExposureLog, ...]:
    """Practise the active ladder step: fear falls a little with each practice."""
    ladder = program.ladder
    step = ladder.active if ladder else None
    if step is None or step.initial_fear is None or program.status is not Status.ACTIVE:
        return ()
    before = fear_now.get(step.task_id, step.initial_fear)
    after = _rating(before - rng.randint(2, 8), 100)
    fear_now[step.task_id] = after
    return (ExposureLog(task_id=step.task_id, fear_before=before, fear_after=after),)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _rating(value: float, high: int = 10) -> int:
    """A whole-number rating inside 0–``high``."""
    return int(max(0, min(high, round(value))))

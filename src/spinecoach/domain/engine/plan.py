"""The plan for a day: program, routines, goals, exposure ladder, education and decisions.

``make_plan`` replays the program from its start to ``today`` (deterministic; see
:mod:`.program`) and dresses the result for the patient and the clinician.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spinecoach.domain.engine.decisions import Decision
from spinecoach.domain.engine.goals import SmartGoal, smart_goals
from spinecoach.domain.engine.inputs import Goal, OverrideKind, PatientPicture, PlanRequest
from spinecoach.domain.engine.maintenance import MaintenancePlan, personal_library
from spinecoach.domain.engine.program import (
    PROGRAM,
    Context,
    Program,
    Status,
    advance,
    start_program,
)
from spinecoach.domain.engine.routine import (
    Routine,
    RoutineEntry,
    build_routine,
    short_day_minutes,
)
from spinecoach.domain.engine.selection import starting_set, unavailable_reason
from spinecoach.domain.engine.traits import Traits
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import CueLevel, EducationModule, Library, Phase, Place, Slot, Track

FLARE_MODULE = "flare_up_plan"
FLARE_PLAN_EARLY_DAYS = 14
EDUCATION_PER_PLAN = 3
# Plans live in the clinic's present: no dates from before digital records or far futures.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
MAX_PLAN_DAYS = 10 * 365


@dataclass(frozen=True)
class Plan:
    """Everything ``spinecoach plan`` prints."""

    today: date
    pseudonym: str
    program: Program
    traits: Traits
    routine: Routine | None
    short_routine: Routine | None
    other_places: tuple[Routine, ...]
    goals: tuple[SmartGoal, ...]
    education: tuple[EducationModule, ...]
    maintenance: MaintenancePlan | None
    library: Library
    practice_logged: bool = True

    @property
    def stop_reason(self) -> str | None:
        """Why the program is stopped (the latest stop decision), or None."""
        if self.program.status is not Status.STOPPED:
            return None
        stop = next(d for d in reversed(self.program.decisions) if d.kind.value == "stop")
        return stop.evidence.statement

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Every decision since the program started, oldest first."""
        return self.program.decisions

    def as_dict(self) -> dict[str, object]:
        """The JSON of ``spinecoach plan --json`` (docs/plan-format.md)."""
        p = self.program
        lib = self.library
        tracks: dict[str, object] = {
            "motor_control": {"phase": p.phase.value, "title": p.phase.title},
        }
        for track in (Track.MOBILITY, Track.ENDURANCE):
            current = [x for x in p.prescriptions if x.track is track]
            tracks[track.value] = {
                "exercises": [x.exercise_id for x in current],
                "level": max((lib.exercises[x.exercise_id].level for x in current), default=None),
            }
        tracks["education"] = {"modules": [m.id for m in self.education]}
        tracks["exposure"] = {
            "active": p.ladder.active.task_id if p.ladder and p.ladder.active else None
        }
        return {
            "pseudonym": self.pseudonym,
            "today": self.today.isoformat(),
            "status": p.status.value,
            "started_on": p.started_on.isoformat(),
            "practice_logged": self.practice_logged,
            "phase": {
                "id": p.phase.value,
                "title": p.phase.title,
                "since": p.phase_since.isoformat(),
            },
            "tracks": tracks,
            "traits": [e.as_dict() for e in self.traits.evidence],
            "stop_reason": self.stop_reason,
            "program": []
            if p.status is Status.STOPPED
            else [
                {
                    "exercise": x.exercise_id,
                    "name": lib.exercises[x.exercise_id].name,
                    "track": x.track.value,
                    "dosage": x.dosage.describe(),
                    "cue_level": x.cue_level.value,
                    "since": x.since.isoformat(),
                    "set_by_clinician": x.pinned,
                }
                for x in p.prescriptions
            ],
            "routine": self.routine.as_dict() if self.routine else None,
            "short_day": self.short_routine.as_dict() if self.short_routine else None,
            "other_places": [r.as_dict() for r in self.other_places],
            "goals": [g.as_dict() for g in self.goals],
            "exposure_ladder": p.ladder.as_dict() if p.ladder else None,
            "education": [
                {"id": m.id, "title": m.title, "minutes": m.minutes} for m in self.education
            ],
            "maintenance": self.maintenance.as_dict() if self.maintenance else None,
            "next_recheck": None if p.status is Status.STOPPED else p.next_recheck.isoformat(),
            "next_check_in": p.next_check_in.isoformat() if p.next_check_in else None,
            "decisions": [d.as_dict() for d in p.decisions],
        }


def make_plan(picture: PatientPicture, request: PlanRequest, library: Library, today: date) -> Plan:
    """Replay the program from ``request.started_on`` to ``today`` and build the plan."""
    for name, day in (("today", today), ("started_on", request.started_on)):
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise InvalidInput(
                name, f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}, got {day}"
            )
    if picture.as_of is not None and not EARLIEST_YEAR <= picture.as_of.year <= LATEST_YEAR:
        raise InvalidInput("profile.as_of", f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    if (today - request.started_on).days > MAX_PLAN_DAYS:
        raise InvalidInput(
            "today", f"more than {MAX_PLAN_DAYS // 365} years after the start; start a new program"
        )
    if today < request.started_on:
        raise InvalidInput(
            "today", f"{today.isoformat()} is before the start {request.started_on.isoformat()}"
        )
    _check_references(request, library, today)
    ctx = Context.of(picture, request, library)
    program = advance(start_program(ctx), ctx, today)
    return dress(program, ctx, today)


def dress(program: Program, ctx: Context, today: date) -> Plan:
    """Routines, goals, education and maintenance for a replayed program."""
    request, library = ctx.request, ctx.library
    constraints = request.constraints
    routine = short = None
    others: list[Routine] = []
    stopped = program.status is Status.STOPPED
    if not stopped:
        entries = [
            RoutineEntry(p.exercise_id, p.dosage, p.cue_level) for p in program.prescriptions
        ]
        if program.status is Status.FLARE:
            entries = _calming_breath(program, ctx) + entries
        home = (
            Place.HOME
            if Place.HOME in constraints.places
            else sorted(constraints.places, key=lambda p: p.value)[0]
        )

        def routine_for(place: Place, minutes: int) -> Routine:
            return build_routine(
                entries,
                library,
                constraints,
                ctx.traits.contraindications,
                place=place,
                minutes=minutes,
                excluded=program.excluded,
            )

        routine = routine_for(home, constraints.minutes_per_day)
        short = routine_for(home, short_day_minutes(constraints.minutes_per_day))
        others = [
            routine_for(place, constraints.minutes_per_day)
            for place in sorted(constraints.places - {home}, key=lambda p: p.value)
        ]
    ladder = program.ladder
    active = ladder.active if ladder else None
    exposure = (
        (active.activity, active.task_id, active.initial_fear)
        if active is not None and active.initial_fear is not None
        else None
    )
    intake = ctx.picture.intake
    from_intake = (
        tuple(
            Goal(text) for text in (*intake.patient_goals, *intake.work_goals, *intake.sport_goals)
        )
        if intake
        else ()
    )
    goals = smart_goals(
        today=today,
        started_on=program.started_on,
        library=library,
        motor_exercises=[
            p.exercise_id for p in program.prescriptions if p.track is Track.MOTOR_CONTROL
        ],
        scores={k: v.score for k, v in ctx.picture.scores.items()},
        stated=request.goals + tuple(g for g in from_intake if g not in request.goals),
        days_per_week=constraints.days_per_week,
        active_exposure=exposure,
        findings=ctx.picture.findings,
    )
    maintenance = None
    if stopped:  # nothing to practise or read until the patient has been seen
        goals = ()
    elif program.phase in (Phase.LOADING, Phase.MAINTENANCE):
        sessions = [s for s in request.sessions if s.day < today]
        maintenance = MaintenancePlan(personal_library(sessions), program.next_recheck)
    return Plan(
        today=today,
        pseudonym=ctx.picture.pseudonym,
        program=program,
        traits=ctx.traits,
        routine=routine,
        short_routine=short,
        other_places=tuple(others),
        goals=goals,
        education=() if stopped else _education(program, ctx, today),
        maintenance=maintenance,
        library=library,
        practice_logged=request.practice_logged,
    )


def _calming_breath(program: Program, ctx: Context) -> list[RoutineEntry]:
    """In a flare the routine opens with a calm-phase breathing exercise, unless it has one."""
    lib = ctx.library
    if any(lib.exercises[p.exercise_id].slot is Slot.BREATHING for p in program.prescriptions):
        return []
    calm = starting_set(
        lib,
        Track.MOTOR_CONTROL,
        Phase.CALM,
        ctx.request.constraints,
        ctx.traits.contraindications,
        program.excluded,
    )
    breathing = [e for e in calm if e.slot is Slot.BREATHING][:1]
    return [RoutineEntry(e.id, e.dosage, CueLevel.FULL) for e in breathing]


def _education(program: Program, ctx: Context, today: date) -> tuple[EducationModule, ...]:
    """Modules to read now, three at a time.

    The flare-up plan (which lists the warning signs that need urgent care) comes first during
    a flare and in the first two weeks of every program. The rest are this phase's modules,
    those serving the patient's focus areas first, rotating weekly so that every module of
    the phase comes round.
    """
    modules = sorted(ctx.library.education.values(), key=lambda m: m.id)
    focus = set(ctx.picture.focus)
    early = (today - program.started_on).days < FLARE_PLAN_EARLY_DAYS
    first = [
        m for m in modules if m.id == FLARE_MODULE and (early or program.status is Status.FLARE)
    ]
    rest = sorted(
        (m for m in modules if program.phase in m.phases and m not in first),
        key=lambda m: (0 if focus & set(m.focus) else 1, m.id),
    )
    room = EDUCATION_PER_PLAN - len(first)
    if rest and room > 0:
        start = ((today - program.phase_since).days // 7 * room) % len(rest)
        rest = (rest[start:] + rest[:start])[:room]
    return tuple(first + rest[: max(0, room)])


def _check_references(request: PlanRequest, library: Library, today: date) -> None:
    """Every id in the log must exist, every date fit, every override be one the engine can
    honour: a typo must never be silently ignored in a clinical plan."""
    for s in request.sessions:
        at = f"sessions[{s.day.isoformat()}]"
        if s.day > today:
            raise InvalidInput(at, f"is after the plan's day {today.isoformat()}")
        for e in s.exercises:
            if e.exercise_id not in library.exercises:
                raise InvalidInput(f"{at}.exercises", f"unknown exercise {e.exercise_id!r}")
        for x in s.exposures:
            if x.task_id not in library.tasks:
                raise InvalidInput(f"{at}.exposures", f"unknown task {x.task_id!r}")
    for r in request.rechecks:
        at = f"rechecks[{r.instrument}]"
        instrument = INSTRUMENTS.get(r.instrument)
        if instrument is None:
            known = ", ".join(sorted(INSTRUMENTS))
            raise InvalidInput(at, f"unknown instrument {r.instrument!r}; known: {known}")
        low, high = instrument.score_range
        for name, value in (("before", r.before), ("after", r.after)):
            if not low <= value <= high:
                raise InvalidInput(
                    f"{at}.{name}",
                    f"{instrument.short_name} scores are {low:g}–{high:g}, got {value:g}",
                )
    constraints = request.constraints
    for o in request.overrides:
        at = f"overrides[{o.on.isoformat()} {o.kind.value}]"
        if o.on < request.started_on:
            raise InvalidInput(
                at, f"is dated before the program started ({request.started_on.isoformat()})"
            )
        if o.kind in (OverrideKind.SET_PHASE, OverrideKind.END_FLARE):
            continue
        if o.target == PROGRAM and o.kind in (OverrideKind.HOLD, OverrideKind.RELEASE):
            continue
        exercise = library.exercises.get(o.target)
        if exercise is None:
            raise InvalidInput(f"{at}.target", f"unknown exercise {o.target!r}")
        if o.kind is OverrideKind.PRESCRIBE:
            # Position, equipment and place are facts about the patient, not judgements.
            reason = unavailable_reason(exercise, constraints, contraindications=())
            if reason:
                raise InvalidInput(f"{at}.target", f"cannot prescribe {o.target}: {reason}")
        if o.kind is OverrideKind.SET_DOSAGE and o.dosage is not None:
            limits = exercise.limits
            for name in ("sets", "reps", "hold_s", "rest_s"):
                allowed = getattr(limits, name)
                value = getattr(o.dosage, name)
                if value not in allowed:
                    raise InvalidInput(
                        f"{at}.dosage.{name}",
                        f"{value} is outside {o.target}'s allowed {allowed.low}–{allowed.high}",
                    )

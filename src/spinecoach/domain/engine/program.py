"""The program and its daily review: the rules that progress, hold, regress and advance.

The engine is a fold over days: :func:`start_program` makes day one, :func:`review` looks at
everything logged before a day and returns the next program with the decisions it took.
Replaying the same inputs always gives the same program (no clock, no randomness).

Rules (ids in decisions; docs/engine.md lists them with their sources):

- ``safety.stop``: a red-flag state that forbids exercise, no consent, or a warning sign
  reported in the diary stops the program until a clean, clinician-cleared screen.
- ``pain.flare``: a flare regresses every exercise and starts the flare-up plan; nothing
  progresses until it has settled and for ``FLARE_QUIET_DAYS`` after.
- ``pain.exercise_too_painful``: pain during one exercise above the model's limit regresses it.
- ``pain.hold``: an unacceptable pain response holds progression.
- ``quality.poor``: quality missed in most recent sessions steps the dose down.
- ``progress.dosage`` / ``progress.exercise``: quality met in enough recent sessions, an
  acceptable pain response and adherence step the dose up, then the exercise.
- ``cues.fade`` / ``cues.restore``: consistent quality fades cues; slipping quality restores.
- ``phase.advance``: every motor-control exercise at the top of its phase with quality met.
- ``adherence.low``: a check-in, no progression.
- ``recheck.decline``: a re-assessment worse beyond the measure's MDC flags a re-evaluation.
- ``recheck.due``: re-assessment every ``RECHECK_EVERY_DAYS`` (maintenance: quarterly).
- ``exposure.step_done``: the active ladder step's fear dropped enough; the next step begins.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from statistics import fmean

from spinecoach.domain.engine.decisions import Decision, DecisionKind, decide
from spinecoach.domain.engine.dosage import lightest, mastered, step_down, step_up
from spinecoach.domain.engine.exposure import (
    LEEUW_2007,
    ExposureLadder,
    build_ladder,
    grow_ladder,
    known_fears,
    update_ladder,
)
from spinecoach.domain.engine.inputs import (
    ExerciseLog,
    Override,
    OverrideKind,
    PainModel,
    PatientPicture,
    PlanRequest,
    SessionLog,
)
from spinecoach.domain.engine.pain import (
    SILBERNAGEL,
    PainResponse,
    is_flare_day,
    pain_response,
    unsettled,
    window,
)
from spinecoach.domain.engine.selection import PER_TRACK, linked, starting_set, unavailable_reason
from spinecoach.domain.engine.traits import Traits, derive_traits
from spinecoach.domain.evidence import format_number
from spinecoach.domain.instruments.base import Direction
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import (
    EXERCISE_TRACKS,
    CueLevel,
    Dosage,
    DosageLimits,
    Exercise,
    Library,
    Phase,
    Track,
)
from spinecoach.domain.red_flags import CAUDA_EQUINA_SIGNS

# Thresholds of the spinecoach rules (docs/engine.md). Design choices, not published values.
QUALITY_MET = 0.8  # share of repetitions meeting the criteria for a session to count as "met"
PROGRESS_SESSIONS = 3  # sessions in a row with quality met before a step up
FADE_SESSIONS = 4  # sessions in a row with quality met before cues fade a level
MIN_DAYS_BETWEEN_CHANGES = 3
SKIPS_TO_CHANGE = 3  # skipped this often in a week (and more often than done): change it
HIGH_EFFORT = 8  # rating of perceived exertion 0–10 at or above which the dose is held
# Only practice in the last week counts as "recent": old successes do not earn progression.
RECENT = timedelta(days=7)
MIN_DAYS_IN_PHASE = 7
ADHERENCE_WINDOW_DAYS = 14
ADHERENCE_TO_PROGRESS = 0.7
ADHERENCE_CHECK_IN = 0.5
FLARE_QUIET_DAYS = 7
SETTLED_MARGIN = 1  # a flare has settled when mornings are within 1 point of pre-flare pain
FLARE_REVIEW_DAYS = 14
DECLINE_HOLD_DAYS = 14
RECHECK_EVERY_DAYS = 28  # every 4 weeks; Costa 2009 ran 12 sessions over 8 weeks (§3.1)
MAINTENANCE_RECHECK_DAYS = 91
CHECK_IN_AFTER_DAYS = 2
COSTA_2009 = "Costa et al. Phys Ther 2009;89(12):1275-86 (clinical-facts §3.1)"
HODGES_PHASES = "Hodges 2007 motor control manual; BMJ Open protocol dose (clinical-facts §3.2)"

PROGRAM = "program"


class Status(Enum):
    """Whether the program runs, is in a flare, or is stopped for safety."""

    ACTIVE = "active"
    FLARE = "flare"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Prescription:
    """One exercise in the program with its current dose and cue level."""

    exercise_id: str
    track: Track
    dosage: Dosage
    cue_level: CueLevel = CueLevel.FULL
    since: date = date.min  # last change of exercise or dose
    cues_since: date = date.min
    pinned: bool = False  # prescribed by a clinician: kept across phase changes
    earned: bool = False  # reached by mastering an easier exercise in this phase
    started: date = date.min  # when the exercise entered the program
    mastered_on: date | None = None  # since when hold and repetitions are at their top

    def with_dosage(self, dosage: Dosage, limits: DosageLimits, on: date) -> Prescription:
        """A new dose from ``on``; mastery is kept while hold and repetitions stay on top."""
        keep = mastered(dosage, limits)
        return replace(
            self,
            dosage=dosage,
            since=on,
            mastered_on=(self.mastered_on or on) if keep else None,
        )


@dataclass(frozen=True)
class Program:
    """The program on a given day. ``decisions`` is the whole history, oldest first."""

    started_on: date
    reviewed_on: date
    phase: Phase
    phase_since: date
    status: Status
    status_since: date
    prescriptions: tuple[Prescription, ...]
    ladder: ExposureLadder | None
    next_recheck: date
    decisions: tuple[Decision, ...]
    holds: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    no_progress_until: date = date.min
    flare_seen_through: date = date.min  # flare days up to here have been dealt with
    flare_baseline: float | None = None  # usual pain before the current flare
    rechecks_seen: int = 0
    next_check_in: date | None = None

    def prescription(self, exercise_id: str) -> Prescription | None:
        """The prescription of an exercise, if it is in the program."""
        return next((p for p in self.prescriptions if p.exercise_id == exercise_id), None)


@dataclass(frozen=True)
class Context:
    """What stays fixed while the program is replayed: inputs, library, traits and an index of
    the log by day and by exercise (so a daily review never scans the whole log)."""

    picture: PatientPicture
    request: PlanRequest
    library: Library
    traits: Traits
    sessions: tuple[SessionLog, ...] = ()
    days: tuple[date, ...] = ()
    exercise_days: Mapping[str, tuple[tuple[date, ...], tuple[ExerciseLog, ...]]] = field(
        default_factory=dict
    )
    red_flag_reports: tuple[tuple[date, str], ...] = ()
    skips: Mapping[str, tuple[tuple[date, str], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, picture: PatientPicture, request: PlanRequest, library: Library) -> Context:
        """Derive the traits once and index the log."""
        ordered = tuple(sorted(request.sessions, key=lambda s: s.day))
        per_exercise: dict[str, tuple[list[date], list[ExerciseLog]]] = {}
        skips: dict[str, list[tuple[date, str]]] = {}
        for session in ordered:
            for log in session.exercises:
                if log.skipped:
                    skips.setdefault(log.exercise_id, []).append((session.day, log.skip_reason))
                else:
                    days, logs = per_exercise.setdefault(log.exercise_id, ([], []))
                    days.append(session.day)
                    logs.append(log)
        return cls(
            picture,
            request,
            library,
            derive_traits(picture, request.constraints),
            sessions=ordered,
            days=tuple(s.day for s in ordered),
            exercise_days={k: (tuple(d), tuple(x)) for k, (d, x) in per_exercise.items()},
            red_flag_reports=tuple((s.day, f) for s in ordered for f in s.red_flags),
            skips={k: tuple(v) for k, v in skips.items()},
        )

    def with_sessions(self, sessions: tuple[SessionLog, ...]) -> Context:
        """The same context with a longer log (the simulator adds one day at a time)."""
        return Context.of(self.picture, replace(self.request, sessions=sessions), self.library)

    def before(self, day: date) -> tuple[SessionLog, ...]:
        """Sessions logged before ``day``, oldest first."""
        return self.sessions[: bisect_left(self.days, day)]

    def skipped(self, exercise_id: str, since: date, before: date) -> list[tuple[date, str]]:
        """Days an exercise was skipped, with the reasons, from ``since`` to before ``before``."""
        return [(d, r) for d, r in self.skips.get(exercise_id, ()) if since <= d < before]

    def logs(self, exercise_id: str, since: date, before: date) -> tuple[ExerciseLog, ...]:
        """Logs of one exercise (not skipped) from ``since`` up to the day before ``before``."""
        days, logs = self.exercise_days.get(exercise_id, ((), ()))
        return logs[bisect_left(days, since) : bisect_left(days, before)]


# -- start -----------------------------------------------------------------------------------


def start_phase(ctx: Context) -> tuple[Phase, str, str]:
    """Where a program starts, the rule id and why."""
    t = ctx.traits
    nprs = ctx.picture.scores.get("nprs")
    if t.high_irritability:
        return Phase.CALM, "start.calm", "high irritability: calm the system and explain first"
    low_pain = nprs is not None and nprs.score <= 3
    control_focus = any(
        f in ctx.picture.focus for f in ("focus.movement_control", "focus.load_transfer")
    )
    if low_pain and not control_focus and not t.high_fear:
        return (
            Phase.STATIC,
            "start.low_irritability",
            "low pain, no movement-control or load-transfer deficit and no fear flag: start "
            "with neutral control; activation is checked on the way",
        )
    return Phase.ACTIVATION, "start.activation", "begin with precise deep-stabiliser activation"


def start_program(ctx: Context) -> Program:
    """Day one: phase, exercises, ladder and the first re-check date."""
    on = ctx.request.started_on
    phase, rule_id, why = start_phase(ctx)
    prescriptions = _fresh_prescriptions(ctx, phase, on, frozenset(), ())
    names = ", ".join(ctx.library.exercises[p.exercise_id].name for p in prescriptions)
    nprs = ctx.picture.scores.get("nprs")
    decisions = [
        decide(
            on,
            DecisionKind.START,
            phase.value,
            rule_id,
            f"Start in phase '{phase.title}': {why}. Exercises: {names or 'none available'}.",
            "start phase from irritability, deficits and fear",
            {
                "nprs": nprs.score if nprs else None,
                "high_irritability": ctx.traits.high_irritability,
                "high_fear": ctx.traits.high_fear,
                "focus": ", ".join(ctx.picture.focus),
                "contraindications": ", ".join(
                    sorted(c.value for c in ctx.traits.contraindications)
                ),
            },
            reference=HODGES_PHASES,
        )
    ]
    if not any(p.track is Track.MOTOR_CONTROL for p in prescriptions):
        decisions.append(_no_exercise_flag(on, phase))
    ladder = None
    if ctx.traits.high_fear or known_fears(ctx.request.fears, on):
        ladder = _initial_ladder(ctx)
        decisions.append(_ladder_decision(on, ladder, ctx.library))
    program = Program(
        started_on=on,
        reviewed_on=on,
        phase=phase,
        phase_since=on,
        status=Status.ACTIVE,
        status_since=on,
        prescriptions=prescriptions,
        ladder=ladder,
        next_recheck=on + timedelta(days=RECHECK_EVERY_DAYS),
        decisions=tuple(decisions),
    )
    program = _apply_overrides(program, ctx, on)
    return _safety(program, ctx, on)


def _initial_ladder(ctx: Context) -> ExposureLadder:
    intake = ctx.picture.intake
    candidates: list[str] = []
    if intake is not None:
        candidates = [*intake.aggravating, *intake.patient_goals, *intake.work_goals]
    candidates += [g.text for g in ctx.request.goals]
    return build_ladder(
        known_fears(ctx.request.fears, ctx.request.started_on),
        candidates,
        ctx.library,
        ctx.request.constraints,
        ctx.traits.contraindications,
    )


def _task_name(library: Library, task_id: str) -> str:
    """A task's name for the decision's words (its id stays the decision's target)."""
    task = library.tasks.get(task_id)
    return task.name if task else task_id


def _ladder_decision(on: date, ladder: ExposureLadder, library: Library) -> Decision:
    active = ladder.active
    if active is None:
        return decide(
            on,
            DecisionKind.FLAG_FOR_REVIEW,
            "exposure",
            "exposure.no_task",
            "Fear flags are present but no feared activity maps to a task the patient can do: "
            "agree the feared activities with the patient.",
            "a ladder needs rated activities linked to tasks",
            reference=LEEUW_2007,
        )
    if not active.rated:
        acts = ", ".join(s.activity for s in ladder.steps)
        return decide(
            on,
            DecisionKind.ADD_EXPOSURE_STEP,
            "exposure",
            "exposure.rate_first",
            f"Ask the patient to rate how harmful these feel (0–100) before exposure: {acts}.",
            "a graded-exposure ladder is ordered by the patient's own fear ratings",
            {"activities": acts},
            reference=LEEUW_2007,
        )
    return decide(
        on,
        DecisionKind.ADD_EXPOSURE_STEP,
        active.task_id,
        "exposure.start",
        f"Graded exposure starts with '{active.activity}' (fear {active.initial_fear}/100) "
        f"through the task '{_task_name(library, active.task_id)}'.",
        "start at the least-feared activity rated moderate or higher",
        {"activity": active.activity, "fear": active.initial_fear, "steps": len(ladder.steps)},
        reference=LEEUW_2007,
    )


def _fresh_prescriptions(
    ctx: Context,
    phase: Phase,
    on: date,
    excluded: frozenset[str],
    keep: Sequence[Prescription],
) -> tuple[Prescription, ...]:
    """``keep`` as it is, filled up to each track's size with the phase's starting exercises.

    Kept exercises keep their dose and cue level: an exercise that carries into the next
    phase does not start again from the bottom.
    """
    kept_ids = {p.exercise_id for p in keep}
    fresh: list[Prescription] = list(keep)
    for track in EXERCISE_TRACKS:
        room = PER_TRACK.get(track, 0) - sum(1 for p in keep if p.track is track and not p.pinned)
        for exercise in starting_set(
            ctx.library,
            track,
            phase,
            ctx.request.constraints,
            ctx.traits.contraindications,
            excluded,
        ):
            if room <= 0:
                break
            if exercise.id not in kept_ids:
                fresh.append(_prescribe(exercise, on))
                room -= 1
    return tuple(fresh)


def _prescribe(exercise: Exercise, on: date, pinned: bool = False) -> Prescription:
    return Prescription(
        exercise_id=exercise.id,
        track=exercise.track,
        dosage=exercise.dosage,
        since=on,
        cues_since=on,
        pinned=pinned,
        started=on,
        mastered_on=on if mastered(exercise.dosage, exercise.limits) else None,
    )


def _no_exercise_flag(on: date, phase: Phase) -> Decision:
    return decide(
        on,
        DecisionKind.FLAG_FOR_REVIEW,
        phase.value,
        "selection.none_allowed",
        f"No motor-control exercise of phase '{phase.title}' fits this patient's positions, "
        "equipment, places and contraindications: the clinician must choose one.",
        "never prescribe an exercise the patient cannot do or that the profile rules out",
    )


# -- daily review ----------------------------------------------------------------------------


def advance(program: Program, ctx: Context, until: date) -> Program:
    """Review every day after the last review up to and including ``until``."""
    day = program.reviewed_on + timedelta(days=1)
    while day <= until:
        program = review(program, ctx, day)
        day += timedelta(days=1)
    return program


def review(program: Program, ctx: Context, today: date) -> Program:
    """The morning review of ``today`` with everything logged before it."""
    program = replace(program, reviewed_on=today)
    program = _apply_overrides(program, ctx, today)
    program = _safety(program, ctx, today)
    if program.status is Status.STOPPED:
        return program
    sessions = ctx.before(today)
    pain = pain_response(sessions, today, ctx.request.pain_model, program.flare_seen_through)
    program = _flare(program, ctx, today, sessions, pain)
    if program.status is Status.FLARE:
        return program
    program = _rechecks(program, ctx, today)
    adherence = _adherence(program, ctx, sessions, today)
    program = _adherence_check_in(program, today, adherence)
    program = _exercises(program, ctx, today, pain, adherence)
    program = _phase(program, ctx, today, sessions, pain, adherence)
    program = _exposure(program, ctx, today, sessions)
    return _recheck_due(program, today)


def _add(program: Program, *decisions: Decision) -> Program:
    if not decisions:
        return program
    return replace(program, decisions=program.decisions + decisions)


def _apply_overrides(program: Program, ctx: Context, today: date) -> Program:
    for o in (o for o in ctx.request.overrides if o.on == today):
        program = _override(program, ctx, o)
    return program


def _override(program: Program, ctx: Context, o: Override) -> Program:
    note = ""
    lib = ctx.library
    if o.kind is OverrideKind.SET_PHASE and o.phase is not None:
        keep = [p for p in program.prescriptions if p.pinned]
        program = replace(
            program,
            phase=o.phase,
            phase_since=o.on,
            prescriptions=_fresh_prescriptions(ctx, o.phase, o.on, program.excluded, keep),
        )
    elif o.kind is OverrideKind.HOLD:
        program = replace(program, holds=program.holds | {o.target})
    elif o.kind is OverrideKind.RELEASE:
        program = replace(program, holds=program.holds - {o.target})
    elif o.kind is OverrideKind.EXCLUDE:
        excluded = program.excluded | {o.target}
        before = program.prescriptions
        kept = tuple(p for p in before if p.exercise_id != o.target)
        program = replace(program, excluded=excluded, prescriptions=kept)
        if len(kept) < len(before):
            program = replace(
                program,
                prescriptions=_fresh_prescriptions(ctx, program.phase, o.on, excluded, kept),
            )
            if not any(p.track is Track.MOTOR_CONTROL for p in program.prescriptions):
                program = _add(program, _no_exercise_flag(o.on, program.phase))
    elif o.kind is OverrideKind.PRESCRIBE:
        exercise = lib.exercises.get(o.target)
        if exercise is not None and program.prescription(o.target) is None:
            reason = unavailable_reason(
                exercise, ctx.request.constraints, ctx.traits.contraindications
            )
            note = f" The engine would not have chosen it ({reason})." if reason else ""
            program = replace(
                program,
                prescriptions=(*program.prescriptions, _prescribe(exercise, o.on, pinned=True)),
            )
    elif o.kind in (OverrideKind.SET_DOSAGE, OverrideKind.SET_CUE_LEVEL):
        program = replace(
            program,
            prescriptions=tuple(
                _overridden(p, o, lib.exercises[p.exercise_id].limits)
                if p.exercise_id == o.target
                else p
                for p in program.prescriptions
            ),
        )
    elif o.kind is OverrideKind.END_FLARE and program.status is Status.FLARE:
        program = replace(
            program,
            status=Status.ACTIVE,
            status_since=o.on,
            no_progress_until=o.on + timedelta(days=FLARE_QUIET_DAYS),
            flare_seen_through=o.on - timedelta(days=1),
        )
    detail = o.phase.title if o.phase else o.dosage.describe() if o.dosage else ""
    detail = detail or (o.cue_level.value if o.cue_level else "")
    what = o.kind.value.replace("_", " ") + (f": {detail}" if detail else "")
    return _add(
        program,
        decide(
            o.on,
            DecisionKind.OVERRIDE,
            o.target,
            f"override.{o.kind.value}",
            f"Clinician override ({what}): "
            f"{o.reason.rstrip('. ')}.{note}",  # one full stop, however the reason ends
            "a clinician's decision replaces the engine's and is respected from this day on",
            {"by": o.by, "kind": o.kind.value, "target": o.target},
            reference="clinician judgement",
            by=o.by,
        ),
    )


def _overridden(p: Prescription, o: Override, limits: DosageLimits) -> Prescription:
    if o.dosage is not None:
        return replace(p.with_dosage(o.dosage, limits, o.on), pinned=True)
    if o.cue_level is not None:
        return replace(p, cue_level=o.cue_level, cues_since=o.on)
    return p


def _safety(program: Program, ctx: Context, today: date) -> Program:
    """Stop for red flags (record or diary) and missing consent; resume only on a clean screen."""
    picture = ctx.picture
    screen_on = picture.as_of or ctx.request.started_on
    reported = [
        (day, flag)
        for day, flag in ctx.red_flag_reports
        # A report counts until a later screen in the record has looked at it.
        # A sign reported today stops today's plan.
        if day <= today and (day >= screen_on or today <= screen_on)
    ]
    reason = ""
    rule_id = "safety.stop"
    if screen_on <= today and picture.stop_reason:
        reason = picture.stop_reason
        rule_id = "safety.no_consent" if picture.screen_allows_exercise else "safety.stop"
    elif reported:
        day, flag = reported[0]
        urgent = any(f in CAUDA_EQUINA_SIGNS for _, f in reported)
        reason = (
            f"the patient reported '{flag}' on {day.isoformat()}: "
            + ("urgent referral (possible cauda equina syndrome)" if urgent else "clinician review")
            + " before any further exercise"
        )
        rule_id = "safety.reported_red_flag"
    if reason and program.status is not Status.STOPPED:
        return _add(
            replace(program, status=Status.STOPPED, status_since=today),
            decide(
                today,
                DecisionKind.STOP,
                PROGRAM,
                rule_id,
                f"Program stopped: {reason}.",
                "red flags stop exercise; it resumes only after a clear or clinician-cleared "
                "screen in the record",
                {"red_flag_state": picture.red_flag_state, "reported": len(reported)},
                reference="BMJ Best Practice, cauda equina syndrome; red-flag list (§4.3)",
            ),
            decide(
                today,
                DecisionKind.FLAG_FOR_REVIEW,
                PROGRAM,
                rule_id,
                "Clinician review needed: see the stop decision.",
                "every stop is flagged",
            ),
        )
    if not reason and program.status is Status.STOPPED:
        return _add(
            replace(program, status=Status.ACTIVE, status_since=today),
            decide(
                today,
                DecisionKind.RESUME,
                PROGRAM,
                "safety.resume",
                "Program resumes: the latest red-flag screen allows exercise.",
                "resume after a clear or clinician-cleared screen",
                {"red_flag_state": picture.red_flag_state},
            ),
        )
    return program


def _flare(
    program: Program,
    ctx: Context,
    today: date,
    sessions: Sequence[SessionLog],
    pain: PainResponse,
) -> Program:
    if program.status is Status.ACTIVE and pain.flare:
        regressed: list[Prescription] = []
        decisions: list[Decision] = []
        taken = {p.exercise_id for p in program.prescriptions}
        kept_by_clinician = []
        for p in program.prescriptions:
            if p.track is Track.MOBILITY:  # gentle mobility often eases a flare: kept
                regressed.append(p)
                continue
            if p.pinned:  # a clinician set this: the clinician decides, flagged below
                regressed.append(p)
                kept_by_clinician.append(p.exercise_id)
                continue
            new, text = _step_back(p, ctx, today, program, taken)
            regressed.append(new)
            taken.add(new.exercise_id)
            if text:
                decisions.append(
                    decide(
                        today,
                        DecisionKind.REGRESS,
                        p.exercise_id,
                        "pain.flare",
                        f"Flare: {text}.",
                        "a flare regresses every motor-control and endurance exercise (never "
                        "progress through a flare); mobility stays",
                        pain.inputs(),
                        reference=SILBERNAGEL,
                    )
                )
        if kept_by_clinician:
            decisions.append(
                decide(
                    today,
                    DecisionKind.FLAG_FOR_REVIEW,
                    ", ".join(kept_by_clinician),
                    "pain.flare_clinician_dose",
                    "Flare: exercises whose dose a clinician set were not changed — review "
                    f"them: {', '.join(kept_by_clinician)}.",
                    "the engine never changes a clinician-set dose; in a flare it asks",
                    pain.inputs(),
                )
            )
        return _add(
            replace(
                program,
                status=Status.FLARE,
                status_since=today,
                prescriptions=tuple(regressed),
                next_check_in=today + timedelta(days=CHECK_IN_AFTER_DAYS),
                flare_seen_through=today - timedelta(days=1),
                flare_baseline=_pre_flare_pain(sessions, today, ctx.request.pain_model),
            ),
            decide(
                today,
                DecisionKind.FLARE_PLAN,
                PROGRAM,
                "pain.flare",
                "Flare-up plan: "
                + "; ".join(pain.reasons)
                + ". Keep moving gently with the lighter routine, use what eases pain, "
                "read the flare-up module; nothing progresses until pain has settled.",
                "self-reported flare, or next-morning pain ≥ flare_rise above the pre-session "
                "level",
                pain.inputs(),
                reference=SILBERNAGEL,
            ),
            *decisions,
            decide(
                today,
                DecisionKind.SCHEDULE_CHECK_IN,
                PROGRAM,
                "pain.flare",
                f"Check in with the patient by {(today + timedelta(days=2)).isoformat()} "
                "about the flare.",
                "every flare gets a check-in within two days",
            ),
        )
    if program.status is Status.FLARE:
        recent = window(sessions, today - timedelta(days=3), today)
        mornings = [s.pain_next_morning for s in recent if s.pain_next_morning is not None][-2:]
        ceiling = (
            program.flare_baseline + SETTLED_MARGIN if program.flare_baseline is not None else None
        )
        flare_days = window(sessions, today - timedelta(days=3), today - timedelta(days=1))
        settled = (
            not any(is_flare_day(x, ctx.request.pain_model) for x in flare_days)
            and len(mornings) == 2
            and not any(unsettled(s) for s in recent[-2:])
            and (ceiling is None or all(m <= ceiling for m in mornings))
        )
        if settled:
            return _add(
                replace(
                    program,
                    status=Status.ACTIVE,
                    status_since=today,
                    no_progress_until=today + timedelta(days=FLARE_QUIET_DAYS),
                    flare_seen_through=today - timedelta(days=1),
                ),
                decide(
                    today,
                    DecisionKind.RESUME,
                    PROGRAM,
                    "pain.flare_settled",
                    f"The flare has settled (the last two mornings at {mornings[0]} and "
                    f"{mornings[1]}/10, back near the usual "
                    + (
                        f"{program.flare_baseline:.1f}"
                        if program.flare_baseline is not None
                        else "level"
                    )
                    + f" and settled after practice); resume, with no progression for "
                    f"{FLARE_QUIET_DAYS} days.",
                    f"flare over when two mornings are within {SETTLED_MARGIN} point of the "
                    "pre-flare pain and not above that day's pre-session pain",
                    {**pain.inputs(), "pre_flare_pain": program.flare_baseline},
                    reference=SILBERNAGEL,
                ),
            )
        if (today - program.status_since).days == FLARE_REVIEW_DAYS:
            return _add(
                program,
                decide(
                    today,
                    DecisionKind.FLAG_FOR_REVIEW,
                    PROGRAM,
                    "pain.flare_long",
                    f"The flare has lasted {FLARE_REVIEW_DAYS} days: clinician review.",
                    f"a flare longer than {FLARE_REVIEW_DAYS} days needs a clinician",
                    pain.inputs(),
                ),
            )
    return program


def _pre_flare_pain(sessions: Sequence[SessionLog], today: date, model: PainModel) -> float | None:
    """Mean pre-session pain over the week before the flare's days (None without ratings)."""
    before = [
        s.pain_before
        for s in window(sessions, today - timedelta(days=11), today - timedelta(days=4))
        if s.pain_before is not None and not is_flare_day(s, model)
    ]
    return fmean(before) if before else None


def _step_back(
    p: Prescription,
    ctx: Context,
    today: date,
    program: Program,
    taken: set[str],
) -> tuple[Prescription, str]:
    """One step easier: the regression exercise if there is one, else the lightest dose."""
    exercise = ctx.library.exercises[p.exercise_id]
    easier = linked(
        ctx.library,
        exercise,
        "regressions",
        ctx.request.constraints,
        ctx.traits.contraindications,
        program.excluded,
        taken,
    )
    if easier is not None and not p.pinned:
        return (
            replace(_prescribe(easier, today), cue_level=CueLevel.FULL),
            f"{exercise.name} → {easier.name}",
        )
    light = lightest(p.dosage, exercise.limits)
    if light != p.dosage:
        return (
            p.with_dosage(light, exercise.limits, today),
            f"{exercise.name} dose {p.dosage.describe()} → {light.describe()}",
        )
    return p, ""


def _met(log: ExerciseLog) -> bool:
    return log.quality is not None and log.quality >= QUALITY_MET


def _met_at_dose(log: ExerciseLog, dosage: Dosage) -> bool:
    """Quality met AND the prescribed repetitions and hold done, when the log records them.

    A log that records nothing of the dose (all zero) is taken at its word on quality; one
    that records fewer repetitions or a shorter hold than prescribed does not earn
    progression. Sets are volume, not skill, and the routine trims them when time is short,
    so they are not required.
    """
    if not _met(log):
        return False
    if not (log.sets_done or log.reps_done or log.hold_s_done):
        return True
    return log.reps_done >= dosage.reps and (not dosage.hold_s or log.hold_s_done >= dosage.hold_s)


def _adherence(
    program: Program, ctx: Context, sessions: Sequence[SessionLog], today: date
) -> float | None:
    """Share of planned practice days done in the last two weeks (None in the first two)."""
    if (today - program.started_on).days < ADHERENCE_WINDOW_DAYS:
        return None
    if not ctx.request.practice_logged:
        return None
    start = today - timedelta(days=ADHERENCE_WINDOW_DAYS)
    done = sum(1 for s in window(sessions, start, today) if s.practised)
    planned = ctx.request.constraints.days_per_week * ADHERENCE_WINDOW_DAYS / 7
    return min(1.0, done / planned)


def _adherence_check_in(program: Program, today: date, adherence: float | None) -> Program:
    if adherence is None or adherence >= ADHERENCE_CHECK_IN:
        return program
    if program.next_check_in is not None and program.next_check_in >= today - timedelta(days=7):
        return program
    return _add(
        replace(program, next_check_in=today + timedelta(days=CHECK_IN_AFTER_DAYS)),
        decide(
            today,
            DecisionKind.SCHEDULE_CHECK_IN,
            PROGRAM,
            "adherence.low",
            f"Practice on {adherence:.0%} of planned days in the last two weeks: check in about "
            "barriers, offer the short-day routine; no progression until practice picks up.",
            f"adherence < {ADHERENCE_CHECK_IN:.0%} of planned days over "
            f"{ADHERENCE_WINDOW_DAYS} days",
            {"adherence": round(adherence, 2)},
        ),
    )


def _exercises(
    program: Program,
    ctx: Context,
    today: date,
    pain: PainResponse,
    adherence: float | None,
) -> Program:
    model = ctx.request.pain_model
    updated: list[Prescription] = []
    decisions: list[Decision] = []
    taken = {p.exercise_id for p in program.prescriptions}
    blocked = _progress_blocked(program, today, pain, adherence)
    for p in program.prescriptions:
        exercise = ctx.library.exercises[p.exercise_id]
        logs = ctx.logs(p.exercise_id, max(p.since, today - RECENT), today)
        recent = logs[-PROGRESS_SESSIONS:]
        quality_known = [log for log in logs[-4:] if log.quality is not None]
        worst = max((log.pain_during for log in recent if log.pain_during is not None), default=0)
        changed = p
        decision: Decision | None = None
        inputs: dict[str, float | int | str | bool | None] = {
            "sessions_since_change": len(logs),
            "quality_met_recent": sum(_met(log) for log in recent),
            "worst_pain_during_recent": worst,
            "pain_limit": model.during_max,
        }
        skipped = ctx.skipped(p.exercise_id, max(p.since, today - RECENT), today)
        if len(skipped) >= SKIPS_TO_CHANGE and len(skipped) > len(logs):
            changed, text = _step_back(p, ctx, today, program, taken)
            reasons = "; ".join(sorted({r or "no reason given" for _, r in skipped}))
            decision = decide(
                today,
                DecisionKind.REGRESS if text else DecisionKind.FLAG_FOR_REVIEW,
                p.exercise_id,
                "adherence.skipped_exercise",
                f"{exercise.name} was skipped {len(skipped)} times this week ({reasons}): "
                + (f"{text}." if text else "no easier option: ask the patient what would help."),
                f"skipped ≥ {SKIPS_TO_CHANGE} times in a week and more often than done → an "
                "easier or different exercise; the reasons go to the clinician",
                {**inputs, "skipped": len(skipped), "reasons": reasons},
            )
            if not text:
                changed = replace(p, since=today)  # ask once, not every day
        elif worst > model.during_max and (today - p.since).days >= 1:
            changed, text = _step_back(p, ctx, today, program, taken)
            if text:
                decision = decide(
                    today,
                    DecisionKind.REGRESS,
                    p.exercise_id,
                    "pain.exercise_too_painful",
                    f"Pain during {exercise.name} reached {worst}/10: {text}.",
                    f"pain during an exercise > {model.during_max}/10 → stop or modify it",
                    inputs,
                    reference=SILBERNAGEL,
                )
            elif not _decided_lately(
                program, p.exercise_id, today, rule_id="pain.painful_at_easiest"
            ):
                decision = decide(
                    today,
                    DecisionKind.FLAG_FOR_REVIEW,
                    p.exercise_id,
                    "pain.painful_at_easiest",
                    f"Pain during {exercise.name} reached {worst}/10 although it is already "
                    "at its easiest: the clinician should change or replace it.",
                    "nothing easier is left to regress to",
                    inputs,
                    reference=SILBERNAGEL,
                )
        elif len(quality_known) >= 4 and sum(not _met(x) for x in quality_known) >= 3:
            if (today - p.since).days >= MIN_DAYS_BETWEEN_CHANGES:
                down = step_down(p.dosage, exercise.limits)
                if down is not None:
                    changed = p.with_dosage(down[0], exercise.limits, today)
                    text = down[1]
                else:
                    changed, text = _step_back(p, ctx, today, program, taken)
                if text:
                    changed = replace(changed, cue_level=CueLevel.FULL, cues_since=today)
                    decision = decide(
                        today,
                        DecisionKind.REGRESS,
                        p.exercise_id,
                        "quality.poor",
                        f"Quality missed in {sum(not _met(x) for x in quality_known)} of the "
                        f"last {len(quality_known)} sessions of {exercise.name}: {text}, "
                        "full cues again.",
                        "quality missed in ≥ 3 of the last 4 rated sessions → one dose step "
                        "easier, then the regression exercise",
                        inputs,
                    )
        elif len(recent) >= PROGRESS_SESSIONS and all(_met_at_dose(x, p.dosage) for x in recent):
            hard = [x.effort for x in recent if x.effort is not None and x.effort >= HIGH_EFFORT]
            if (today - p.since).days < MIN_DAYS_BETWEEN_CHANGES:
                pass
            elif blocked or p.exercise_id in program.holds or hard:
                if blocked:
                    rule_id, why = ("pain.hold" if pain.reasons else "progress.hold"), blocked
                elif p.exercise_id in program.holds:
                    rule_id, why = "progress.hold", "held by the clinician"
                else:
                    rule_id = "progress.effort_high"
                    why = (
                        f"effort was still rated {max(hard)}/10 (≥ {HIGH_EFFORT}): control "
                        "should come without strain first"
                    )
                if not _decided_lately(program, p.exercise_id, today, kind=DecisionKind.HOLD):
                    decision = decide(
                        today,
                        DecisionKind.HOLD,
                        p.exercise_id,
                        rule_id,
                        f"{exercise.name}: quality is ready for more, but {why}; hold the "
                        "current dose.",
                        "progression needs quality AND an acceptable pain response AND adherence "
                        f"AND effort below {HIGH_EFFORT}/10",
                        {**inputs, **pain.inputs(), "adherence": _pct(adherence)},
                        reference=SILBERNAGEL if pain.reasons else "spinecoach design rule",
                    )
            else:
                changed, decision = _progress(p, exercise, ctx, today, program, taken, inputs)
                decision = decision and replace(
                    decision,
                    evidence=replace(
                        decision.evidence,
                        inputs={**decision.evidence.inputs, "adherence": _pct(adherence)},
                    ),
                )
        cue_logs = ctx.logs(changed.exercise_id, max(changed.cues_since, today - 2 * RECENT), today)
        changed, cue_decision = _cues(changed, exercise, cue_logs, today)
        taken.add(changed.exercise_id)
        updated.append(changed)
        decisions += [d for d in (decision, cue_decision) if d is not None]
    if tuple(updated) != program.prescriptions:
        program = replace(program, prescriptions=tuple(updated))
    return _add(program, *decisions)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _decided_lately(
    program: Program,
    target: str,
    today: date,
    *,
    rule_id: str | None = None,
    kind: DecisionKind | None = None,
) -> bool:
    """A decision of this rule (or kind) about this target in the last week: explain once,
    not every day. Decisions are in date order, so only the last week is read."""
    week_ago = today - timedelta(days=7)
    for d in reversed(program.decisions):
        if d.on <= week_ago:
            return False
        if (
            d.target == target
            and (rule_id is None or d.rule_id == rule_id)
            and (kind is None or d.kind is kind)
        ):
            return True
    return False


def _progress_blocked(
    program: Program, today: date, pain: PainResponse, adherence: float | None
) -> str:
    """Why no progression may happen today ('' when it may)."""
    if not pain.acceptable:
        return "the pain response is not acceptable (" + "; ".join(pain.reasons) + ")"
    if today < program.no_progress_until:
        return (
            f"no progression until {program.no_progress_until.isoformat()} after a flare or decline"
        )
    if adherence is not None and adherence < ADHERENCE_TO_PROGRESS:
        return (
            f"practice on only {adherence:.0%} of planned days (needs {ADHERENCE_TO_PROGRESS:.0%})"
        )
    if PROGRAM in program.holds:
        return "the program is held by the clinician"
    return ""


def _progress(
    p: Prescription,
    exercise: Exercise,
    ctx: Context,
    today: date,
    program: Program,
    taken: set[str],
    inputs: dict[str, float | int | str | bool | None],
) -> tuple[Prescription, Decision | None]:
    rule = (
        f"quality met (≥ {QUALITY_MET:.0%} of reps) in {PROGRESS_SESSIONS} sessions in a row, "
        "acceptable pain response and adherence → step up: hold → reps → sets → exercise"
    )
    if p.pinned and p.dosage != exercise.dosage:
        return p, None  # a clinician set this dose; the engine leaves it alone
    up = step_up(p.dosage, exercise.limits)
    if up is not None:
        dosage, text = up
        return p.with_dosage(dosage, exercise.limits, today), decide(
            today,
            DecisionKind.CHANGE_DOSAGE,
            p.exercise_id,
            "progress.dosage",
            f"{exercise.name}: {text} (quality met in the last {PROGRESS_SESSIONS} sessions, "
            "pain settled).",
            rule,
            inputs,
            reference=HODGES_PHASES,
        )
    harder = linked(
        ctx.library,
        exercise,
        "progressions",
        ctx.request.constraints,
        ctx.traits.contraindications,
        program.excluded,
        taken,
    )
    if harder is None or program.phase not in harder.phases:
        return p, None  # at the top of this phase: the phase review takes over
    return replace(_prescribe(harder, today), earned=True), decide(
        today,
        DecisionKind.PROGRESS,
        p.exercise_id,
        "progress.exercise",
        f"{exercise.name} mastered at {p.dosage.describe()}: progress to {harder.name}.",
        rule,
        {**inputs, "to": harder.id},
        reference=HODGES_PHASES,
    )


def _cues(
    p: Prescription, exercise: Exercise, logs: Sequence[ExerciseLog], today: date
) -> tuple[Prescription, Decision | None]:
    if p.since == today and p.cues_since == today:  # a new exercise: nothing to fade yet
        return p, None
    recent = [x for x in logs if x.quality is not None][-FADE_SESSIONS:]
    if (
        p.cue_level is not CueLevel.NONE
        and len(recent) >= FADE_SESSIONS
        and all(_met(x) for x in recent)
        and (today - p.cues_since).days >= FADE_SESSIONS
    ):
        level = CueLevel.BRIEF if p.cue_level is CueLevel.FULL else CueLevel.NONE
        return replace(p, cue_level=level, cues_since=today), decide(
            today,
            DecisionKind.FADE_CUES,
            p.exercise_id,
            "cues.fade",
            f"{exercise.name}: quality met in {FADE_SESSIONS} sessions in a row; cues fade "
            f"from {p.cue_level.value} to {level.value}.",
            "consistent quality fades cues (full → brief → none) so control becomes the "
            "patient's own",
            {"sessions_met": len(recent)},
            reference="guidance fading in motor learning (spinecoach design rule)",
        )
    last3 = recent[-3:]
    if (
        p.cue_level is not CueLevel.FULL
        and len(last3) == 3
        and sum(not _met(x) for x in last3) >= 2
    ):
        level = CueLevel.FULL if p.cue_level is CueLevel.BRIEF else CueLevel.BRIEF
        return replace(p, cue_level=level, cues_since=today), decide(
            today,
            DecisionKind.RESTORE_CUES,
            p.exercise_id,
            "cues.restore",
            f"{exercise.name}: quality slipped in 2 of the last 3 sessions; cues back to "
            f"{level.value}.",
            "slipping quality restores one cue level",
            {"sessions_missed": sum(not _met(x) for x in last3)},
        )
    return p, None


def _phase(
    program: Program,
    ctx: Context,
    today: date,
    sessions: Sequence[SessionLog],
    pain: PainResponse,
    adherence: float | None,
) -> Program:
    if program.phase is Phase.MAINTENANCE:
        return program
    if (today - program.phase_since).days < MIN_DAYS_IN_PHASE:
        return program
    if _progress_blocked(program, today, pain, adherence):
        return program
    lib = ctx.library
    motor = [p for p in program.prescriptions if p.track is Track.MOTOR_CONTROL]
    if program.phase is Phase.CALM:
        means = pain.weekly_means[0]
        practised = sum(
            1 for s in window(sessions, today - timedelta(days=7), today) if s.practised
        )
        ready = means is not None and means < 7 and practised >= 3
        why = (
            f"pain this week {format_number(means or 0, 1)}/10 (< 7) with {practised} practice "
            "days: irritability has settled"
        )
        inputs: dict[str, float | int | str | bool | None] = {
            "mean_pain_this_week": None if means is None else round(means, 1),
            "practice_days_last_week": practised,
        }
    else:
        ready_each = []
        for p in motor:
            # Quality at the mastered dose, or since an exercise earned in this phase began.
            shown_since = p.mastered_on or (p.started if p.earned else None)
            recent = (
                ctx.logs(p.exercise_id, max(shown_since, today - RECENT), today)[
                    -PROGRESS_SESSIONS:
                ]
                if shown_since is not None
                else ()
            )
            ready_each.append(
                len(recent) >= PROGRESS_SESSIONS and all(_met_at_dose(x, p.dosage) for x in recent)
            )
        ready = bool(motor) and all(ready_each)
        why = (
            "every motor-control exercise is done at the top of its hold and repetitions (or "
            "was earned by mastering an easier one in this phase) with quality met in its last "
            f"{PROGRESS_SESSIONS} sessions"
        )
        inputs = {
            "exercises": ", ".join(p.exercise_id for p in motor),
            "ready": sum(ready_each),
            "days_in_phase": (today - program.phase_since).days,
        }
    if not ready:
        return program
    nxt = list(Phase)[program.phase.order + 1]
    keep = [
        replace(p, earned=False)
        for p in program.prescriptions
        if p.pinned
        or p.track is not Track.MOTOR_CONTROL
        or nxt in lib.exercises[p.exercise_id].phases
    ]
    prescriptions = _fresh_prescriptions(ctx, nxt, today, program.excluded, keep)
    names = ", ".join(
        lib.exercises[p.exercise_id].name
        for p in prescriptions
        if p.track is Track.MOTOR_CONTROL and p.since == today
    )
    decisions = [
        decide(
            today,
            DecisionKind.ADVANCE_PHASE,
            nxt.value,
            "phase.advance",
            f"Advance from '{program.phase.title}' to '{nxt.title}': {why}. New exercises: "
            f"{names or 'none available'}.",
            f"exit criteria of {program.phase.value} met, at least {MIN_DAYS_IN_PHASE} days in "
            "the phase, pain acceptable, adherence adequate",
            inputs,
            reference=HODGES_PHASES,
        ),
        decide(
            today,
            DecisionKind.SCHEDULE_CHECK_IN,
            PROGRAM,
            "phase.advance",
            "Check in within a week of the phase change to confirm the new exercises are done "
            "well.",
            "every phase change gets a check-in",
        ),
    ]
    if not any(p.track is Track.MOTOR_CONTROL for p in prescriptions):
        decisions.append(_no_exercise_flag(today, nxt))
    next_recheck = program.next_recheck
    if nxt is Phase.MAINTENANCE:
        next_recheck = today + timedelta(days=MAINTENANCE_RECHECK_DAYS)
    return _add(
        replace(
            program,
            phase=nxt,
            phase_since=today,
            prescriptions=prescriptions,
            next_check_in=today + timedelta(days=7),
            next_recheck=next_recheck,
        ),
        *decisions,
    )


def _exposure(
    program: Program, ctx: Context, today: date, sessions: Sequence[SessionLog]
) -> Program:
    program = _grow_ladder(program, ctx, today)
    if program.ladder is None:
        return program
    ladder, done = update_ladder(program.ladder, sessions, today, ctx.request.fears)
    if done is None:
        return program if ladder == program.ladder else replace(program, ladder=ladder)
    nxt = ladder.active
    following = (
        f"next: '{nxt.activity}' through '{_task_name(ctx.library, nxt.task_id)}' "
        f"(fear {nxt.initial_fear}/100)"
        if nxt
        else "the ladder is complete"
    )
    return _add(
        replace(program, ladder=ladder),
        decide(
            today,
            DecisionKind.ADD_EXPOSURE_STEP,
            nxt.task_id if nxt else "exposure",
            "exposure.step_done",
            f"Fear of '{done.activity}' fell from {done.initial_fear} to {done.latest_fear}: step "
            f"done; {following}.",
            "a step is done when re-rated fear drops by more than 20 points; never by "
            "pain-contingent rest",
            {"initial_fear": done.initial_fear, "latest_fear": done.latest_fear},
            reference=LEEUW_2007,
        ),
    )


def _grow_ladder(program: Program, ctx: Context, today: date) -> Program:
    """Activities the patient rated since the ladder was built join it (or start one): the
    ladder follows the ratings as they come and never rebuilds the steps already climbed."""
    known = known_fears(ctx.request.fears, today)
    if program.ladder is None:
        if not known:
            return program
        ladder = build_ladder(
            known, (), ctx.library, ctx.request.constraints, ctx.traits.contraindications
        )
        return _add(replace(program, ladder=ladder), _ladder_decision(today, ladder, ctx.library))
    ladder, added = grow_ladder(
        program.ladder,
        known,
        ctx.library,
        ctx.request.constraints,
        ctx.traits.contraindications,
    )
    if ladder == program.ladder:
        return program
    grown = replace(program, ladder=ladder)
    if not any(step.rated for step in program.ladder.steps):  # first ratings: it starts now
        return _add(grown, _ladder_decision(today, ladder, ctx.library))
    if not added:
        return grown
    return _add(
        grown,
        *(
            decide(
                today,
                DecisionKind.ADD_EXPOSURE_STEP,
                step.task_id,
                "exposure.step_added",
                f"'{step.activity}' rated {step.initial_fear}/100: added to the ladder through "
                f"the task '{_task_name(ctx.library, step.task_id)}', in order of fear among "
                "the steps still to come.",
                "a graded-exposure ladder is ordered by the patient's own fear ratings",
                {"activity": step.activity, "fear": step.initial_fear},
                reference=LEEUW_2007,
            )
            for step in added
        ),
    )


def _rechecks(program: Program, ctx: Context, today: date) -> Program:
    due = [r for r in ctx.request.rechecks if r.on < today]
    if len(due) <= program.rechecks_seen:
        return program
    new = due[program.rechecks_seen :]
    program = replace(program, rechecks_seen=len(due))
    for r in new:
        instrument = INSTRUMENTS.get(r.instrument)
        if instrument is None or instrument.change.mdc is None:
            continue
        worse = (
            r.after - r.before
            if instrument.direction is Direction.HIGHER_IS_WORSE
            else r.before - r.after
        )
        if worse >= instrument.change.mdc:  # the same test as `spinecoach compare`
            program = _add(
                replace(
                    program,
                    no_progress_until=max(
                        program.no_progress_until, today + timedelta(days=DECLINE_HOLD_DAYS)
                    ),
                ),
                decide(
                    today,
                    DecisionKind.FLAG_FOR_REVIEW,
                    r.instrument,
                    "recheck.decline",
                    f"{instrument.short_name} worsened from {format_number(r.before)} to "
                    f"{format_number(r.after)} (at least its MDC of "
                    f"{format_number(instrument.change.mdc)}): re-evaluate; progression paused "
                    f"{DECLINE_HOLD_DAYS} days.",
                    "a decline of at least the measure's MDC at a re-check triggers re-evaluation",
                    {"before": r.before, "after": r.after, "mdc": instrument.change.mdc},
                    reference=instrument.change.source,
                ),
                decide(
                    today,
                    DecisionKind.SCHEDULE_REASSESSMENT,
                    r.instrument,
                    "recheck.decline",
                    "Re-assess now to find out why function or pain declined.",
                    "decline → re-assessment",
                ),
            )
    return program


def _recheck_due(program: Program, today: date) -> Program:
    if today < program.next_recheck:
        return program
    every = MAINTENANCE_RECHECK_DAYS if program.phase is Phase.MAINTENANCE else RECHECK_EVERY_DAYS
    return _add(
        replace(program, next_recheck=today + timedelta(days=every)),
        decide(
            today,
            DecisionKind.SCHEDULE_REASSESSMENT,
            PROGRAM,
            "recheck.due",
            f"Re-assessment due: pain, disability, fear and the physical tests "
            f"(every {every} days).",
            f"re-check every {every} days; Costa 2009 ran 12 sessions over 8 weeks",
            {"every_days": every},
            reference=COSTA_2009,
        ),
    )

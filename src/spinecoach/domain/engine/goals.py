"""SMART goals: specific, measurable, achievable, relevant and time-bound.

Every goal names what is measured, from what to what, and by when. Motor-control targets come
from the current phase's exercise and its quality criteria; disability targets use the
questionnaire's MCID (Ostelo 2008 and others, via the instrument registry); the patient's own
goals keep their words and get a date and a measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from spinecoach.domain.engine.inputs import Goal
from spinecoach.domain.evidence import Evidence, format_number
from spinecoach.domain.instruments.base import Direction
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import Library, Slot

MOTOR_TARGET_DAYS = 21  # three weeks to master the current phase's key exercise (design rule)
FUNCTION_TARGET_DAYS = 56  # eight weeks: the Costa 2009 programme length (§3.1)
ADHERENCE_TARGET_DAYS = 28
# Feed-forward target: 7 of 10 fast trials inside the Silfies 2009 window (−100 to +50 ms).
# The window is published [V]; "7 of 10" is a design target a clear majority above the
# "absent" rule (fewer than half), re-measured at the next re-assessment.
TIMING_TARGET_TRIALS = (7, 10)
DISABILITY_INSTRUMENTS = ("odi", "rmdq", "psfs", "nprs")


@dataclass(frozen=True)
class SmartGoal:
    """A goal with its measure, target and date."""

    kind: str
    text: str
    measure: str
    target: str
    by: date
    rule: str

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "kind": self.kind,
            "text": self.text,
            "measure": self.measure,
            "target": self.target,
            "by": self.by.isoformat(),
            "rule": self.rule,
        }


def smart_goals(
    *,
    today: date,
    started_on: date,
    library: Library,
    motor_exercises: list[str],
    scores: dict[str, float],
    stated: tuple[Goal, ...],
    days_per_week: int,
    active_exposure: tuple[str, str, int] | None,
    findings: tuple[Evidence, ...] = (),
) -> tuple[SmartGoal, ...]:
    """Goals for the plan. ``active_exposure`` is (activity, task id, initial fear);
    ``findings`` are the profile's, for the timing target of an absent feed-forward."""
    goals: list[SmartGoal] = []
    key = [i for i in motor_exercises if library.exercises[i].slot is not Slot.BREATHING]
    for ident in (key or motor_exercises)[:1]:
        exercise = library.exercises[ident]
        limits, dosage = exercise.limits, exercise.dosage
        if dosage.hold_s and dosage.sets == dosage.reps == 1:
            dose = (
                f"{limits.hold_s.high // 60} min"
                if limits.hold_s.high % 60 == 0
                else (f"{limits.hold_s.high} s")
            )
        elif dosage.hold_s:
            dose = f"{limits.reps.high} × {limits.hold_s.high} s holds"
        else:
            dose = f"{limits.reps.high} repetitions"
        quality = "; ".join(c.plain() for c in exercise.criteria)
        goals.append(
            SmartGoal(
                kind="motor_control",
                text=f"{exercise.name}: {dose} with good control in 4 of 5 sessions",
                measure=f"quality criteria met, by camera or self-rated ({quality})",
                target=f"{dose}, quality met in 4 of 5 sessions",
                by=today + timedelta(days=MOTOR_TARGET_DAYS),
                rule="the current phase's key exercise at the top of its dose with quality met",
            )
        )
    # The end of the current 8-week block since the start (Costa 2009's programme length).
    blocks = (today - started_on).days // FUNCTION_TARGET_DAYS + 1
    function_by = started_on + timedelta(days=FUNCTION_TARGET_DAYS * blocks)
    for ident in DISABILITY_INSTRUMENTS:
        if ident not in scores:
            continue
        instrument = INSTRUMENTS[ident]
        mcid = instrument.change.mcid_points
        if mcid is None:
            continue
        now = scores[ident]
        low, high = instrument.score_range
        if instrument.direction is Direction.HIGHER_IS_WORSE:
            target_value, sign = max(low, now - mcid), "≤"
        else:
            target_value, sign = min(high, now + mcid), "≥"
        if target_value == now:
            continue
        goals.append(
            SmartGoal(
                kind="outcome",
                text=f"{instrument.short_name} from {format_number(now)} to {sign} "
                f"{format_number(target_value)} (a change patients notice)",
                measure=instrument.short_name,
                target=f"{sign} {format_number(target_value)}",
                by=function_by,
                rule=f"baseline ± MCID of {format_number(mcid)} points "
                f"({instrument.change.source})",
            )
        )
        break  # one outcome goal: the first instrument available, in order of relevance
    goals.extend(_timing_goals(findings, function_by))
    for goal in stated:
        goals.append(
            SmartGoal(
                kind="patient",
                text=goal.text,
                measure="PSFS rating of this activity (0–10)"
                if "psfs" in scores
                else "self-report",
                target="able to do it with ≥ 2 points more ease on the PSFS"
                if "psfs" in scores
                else "able to do it as the patient wishes",
                by=goal.by or function_by,
                rule="the patient's own goal, made time-bound",
            )
        )
    if active_exposure is not None:
        activity, task, fear = active_exposure
        name = library.tasks[task].name if task in library.tasks else task
        goals.append(
            SmartGoal(
                kind="exposure",
                text=f"{name} ({activity}) with fear rated ≤ {max(0, fear - 21)}/100",
                measure="fear rating 0–100 before and after practice",
                target=f"≤ {max(0, fear - 21)}/100",
                by=today + timedelta(days=MOTOR_TARGET_DAYS),
                rule="a fear drop of more than 20 points is real change (PHODA-SeV, Leeuw 2007)",
            )
        )
    goals.append(
        SmartGoal(
            kind="adherence",
            text=f"Practise on {days_per_week} days every week",
            measure="practice days logged",
            target=f"{days_per_week} days a week for 4 weeks",
            by=today + timedelta(days=ADHERENCE_TARGET_DAYS),
            rule="adherence is the weak point of home exercise; a weekly target keeps it visible",
        )
    )
    return tuple(goals)


def _timing_goals(findings: tuple[Evidence, ...], by: date) -> list[SmartGoal]:
    """One time-bound timing target per muscle whose feed-forward was found absent."""
    goals: list[SmartGoal] = []
    seen: set[str] = set()
    hits, of = TIMING_TARGET_TRIALS
    for finding in findings:
        if finding.code != "feedforward_timing.absent":
            continue
        muscle = str(finding.inputs.get("muscle") or "deep trunk muscle").replace("_", " ")
        if muscle in seen:
            continue
        seen.add(muscle)
        before = finding.inputs.get("feedforward_trials")
        trials = finding.inputs.get("trials")
        baseline = f" (now {before}/{trials})" if before is not None and trials else ""
        goals.append(
            SmartGoal(
                kind="timing",
                text=f"{muscle.capitalize()} switches on with or before the arm: feed-forward "
                f"in ≥ {hits} of {of} fast arm movements{baseline}",
                measure="EMG onset relative to the prime mover (spinecoach emg, re-assessment)",
                target=f"≥ {hits}/{of} fast trials within −100 to +50 ms",
                by=by,
                rule="feed-forward window of Silfies 2009 [V]; 7 of 10 is a design target",
            )
        )
    return goals

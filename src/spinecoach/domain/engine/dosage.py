"""Dosage steps: one notch up or down inside an exercise's allowed limits.

Order up: hold time → repetitions → sets; when all three are at their limits the exercise
itself progresses (more complexity or load). Down is the reverse. A step covers half of the
allowed range (at least 2 s or 1 repetition), so a short-hold exercise reaches the top of its
hold and repetitions in at most four steps earned by quality; holds of 20 s and more grow by a
fifth at a time (spinecoach design rule, docs/engine.md;
the hold-then-reps order follows the 10 × 10 s activation dose of clinical-facts §3.2).
"""

from __future__ import annotations

from dataclasses import replace

from spinecoach.domain.library import Dosage, DosageLimits, IntRange, duration_text

MIN_HOLD_STEP_S = 2
LONG_HOLD_S = 20
LONG_HOLD_STEP = 0.2
MIN_REP_STEP = 1


def _step(allowed: IntRange, smallest: int) -> int:
    """Half the allowed range, rounded up, and never below ``smallest``."""
    return max(smallest, -(-(allowed.high - allowed.low) // 2))


def _hold_step(hold_s: int, allowed: IntRange) -> int:
    """Short holds step by half their range; long holds and continuous activities (≥ 20 s)
    by a fifth of the current time, the 10–20 % increments of graded activity (clinical-facts
    §4.2 [V2]), so a 10-minute walk grows to 12, not to 22."""
    if hold_s >= LONG_HOLD_S:
        return max(MIN_HOLD_STEP_S, round(hold_s * LONG_HOLD_STEP))
    return _step(allowed, MIN_HOLD_STEP_S)


def step_up(dosage: Dosage, limits: DosageLimits) -> tuple[Dosage, str] | None:
    """The next harder dosage and what changed, or None at the top of every limit."""
    if dosage.hold_s and dosage.hold_s < limits.hold_s.high:
        hold = limits.hold_s.clamp(dosage.hold_s + _hold_step(dosage.hold_s, limits.hold_s))
        return replace(
            dosage, hold_s=hold
        ), f"hold {duration_text(dosage.hold_s)} → {duration_text(hold)}"
    if dosage.reps < limits.reps.high:
        reps = limits.reps.clamp(dosage.reps + _step(limits.reps, MIN_REP_STEP))
        return replace(dosage, reps=reps), f"repetitions {dosage.reps} → {reps}"
    if dosage.sets < limits.sets.high:
        return replace(dosage, sets=dosage.sets + 1), f"sets {dosage.sets} → {dosage.sets + 1}"
    return None


def step_down(dosage: Dosage, limits: DosageLimits) -> tuple[Dosage, str] | None:
    """The next easier dosage and what changed, or None at the bottom of every limit."""
    if dosage.sets > limits.sets.low:
        return replace(dosage, sets=dosage.sets - 1), f"sets {dosage.sets} → {dosage.sets - 1}"
    if dosage.reps > limits.reps.low:
        reps = limits.reps.clamp(dosage.reps - _step(limits.reps, MIN_REP_STEP))
        return replace(dosage, reps=reps), f"repetitions {dosage.reps} → {reps}"
    if dosage.hold_s and dosage.hold_s > limits.hold_s.low:
        hold = limits.hold_s.clamp(dosage.hold_s - _hold_step(dosage.hold_s, limits.hold_s))
        return replace(
            dosage, hold_s=hold
        ), f"hold {duration_text(dosage.hold_s)} → {duration_text(hold)}"
    return None


def lightest(dosage: Dosage, limits: DosageLimits) -> Dosage:
    """The smallest dose inside the limits (used when time is short)."""
    return replace(
        dosage,
        sets=limits.sets.low,
        reps=limits.reps.low,
        hold_s=limits.hold_s.low if dosage.hold_s else 0,
    )


def mastered(dosage: Dosage, limits: DosageLimits) -> bool:
    """Hold time (if held) and repetitions at their upper limits: skill shown at full dose.

    Sets add volume, not skill, so a phase may end before they reach their limit.
    """
    hold_done = not dosage.hold_s or dosage.hold_s >= limits.hold_s.high
    return hold_done and dosage.reps >= limits.reps.high

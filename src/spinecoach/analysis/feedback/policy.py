"""When to speak: the cue policy (data) and the scheduler that applies it, frame by frame.

Motor learning favours few, well-timed cues whose amount fades as performance improves:
constant feedback makes learners depend on it (the guidance hypothesis - Salmoni, Schmidt &
Walter 1984, Psychol Bull 95:355), and feedback faded from frequent to rare gives better
retention than feedback after every trial (Winstein & Schmidt 1990, J Exp Psychol Learn Mem
Cogn 16:677). Hence:

* **one cue at a time**, at least ``min_interval_s`` apart, and never the same cue twice in a
  row within ``repeat_interval_s`` (no nagging);
* precedence: safety, then set-up (the camera must see before anything is judged), then a
  correction, then praise; while the set-up is wrong nothing about movement quality is said;
  a safety message (from the services layer) is said at once, whatever the timing, and the
  next cue waits its interval from it;
* a **correction** names the worst broken criterion, live during the movement or when the
  repetition ends;
* **praise** after the first good repetition of a run, then every ``praise_every``-th good one
  after it (the 1st, 4th, 7th ... good one in a row), and after a fault that was named is put
  right;
* the **cue level fades** full → brief → none after ``fade_after_good`` good repetitions in a
  row at a level; at "none" a fault is named (briefly) only when it repeats in two repetitions
  in a row, and that raises the level one step again. Safety and set-up are always said.

The default numbers are our design choices, not taken from a study: a cue takes 1-2 s to say
and to act on, so 4 s apart leaves room to respond; 12 s is about two repetitions at a
controlled 2-1-2 s tempo with a short rest; three good repetitions in a row make a run rather
than a single success.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import Criterion
from spinecoach.analysis.feedback.cues import (
    CORRECTED,
    GOOD,
    HELD,
    LEVELS,
    Cue,
    CueBook,
    CueKind,
    CueLevel,
)


@dataclass(frozen=True)
class CuePolicy:
    """How often to speak, and how the amount of talk fades (see the module docstring)."""

    level: CueLevel = "full"  # the level a session starts at
    min_interval_s: float = 4.0
    repeat_interval_s: float = 12.0
    praise_first: bool = True
    praise_every: int = 3
    praise_corrections: bool = True
    # Good repetitions in a row before the level fades one step; None keeps the level fixed.
    fade_after_good: int | None = 3

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise AnalysisError("policy.level", f"expected one of {LEVELS}, got {self.level!r}")
        if not (np.isfinite(self.min_interval_s) and self.min_interval_s > 0):
            raise AnalysisError(
                "policy.min_interval_s", f"must be > 0 s, got {self.min_interval_s}"
            )
        if not self.repeat_interval_s >= self.min_interval_s:
            raise AnalysisError(
                "policy.repeat_interval_s",
                f"must be at least min_interval_s ({self.min_interval_s:g} s), "
                f"got {self.repeat_interval_s}",
            )
        if self.praise_every < 1:
            raise AnalysisError(
                "policy.praise_every", f"must be 1 or more, got {self.praise_every}"
            )
        if self.fade_after_good is not None and self.fade_after_good < 1:
            raise AnalysisError(
                "policy.fade_after_good", f"must be 1 or more (or None), got {self.fade_after_good}"
            )


@dataclass(frozen=True)
class Outcome:
    """A repetition (or hold) that has just ended: the criteria it broke, worst first, and
    whether it was judged correct (something was measured and nothing broken)."""

    faults: tuple[Criterion, ...] = ()
    correct: bool = False
    hold: bool = False


@dataclass(frozen=True)
class Observation:
    """What the analyzer saw in one frame, as far as the cue policy cares."""

    time_s: float
    safety: Cue | None = None  # a message that must get through (from the services layer)
    setup: str | None = None  # the set-up problem, while there is one
    broken: Criterion | None = None  # the worst criterion broken now, during the movement
    finished: Outcome | None = None
    target_reached: bool = False  # a hold has just reached its target time, all else well


def fault_key(criterion: Criterion) -> str:
    """What a broken criterion is called: its fault id, else its metric."""
    return criterion.fault or criterion.metric


class CueGate:
    """The timing rules alone: the minimum interval and no back-to-back repeat. Remembers only
    the last cue said."""

    def __init__(self, policy: CuePolicy) -> None:
        self.policy = policy
        self._last_time = float("-inf")
        self._last: tuple[CueKind | None, str] = (None, "")

    def open_at(self, now_s: float) -> bool:
        return now_s - self._last_time >= self.policy.min_interval_s

    def force(self, cue: Cue, now_s: float) -> Cue:
        """Say it now whatever the timing (safety); the next cue waits from here."""
        self._last_time = now_s
        self._last = (cue.kind, cue.key)
        return cue

    def offer(self, cue: Cue | None, now_s: float) -> Cue | None:
        """The cue, if it may be said now (and then it counts as said); else None."""
        if cue is None or not self.open_at(now_s):
            return None
        same = (cue.kind, cue.key) == self._last
        if same and now_s - self._last_time < self.policy.repeat_interval_s:
            return None
        self._last_time = now_s
        self._last = (cue.kind, cue.key)
        return cue


class CueScheduler:
    """Turns each frame's :class:`Observation` into at most one :class:`Cue`, applying a
    :class:`CuePolicy`. Its whole memory is a handful of numbers (O(1) per frame)."""

    def __init__(self, policy: CuePolicy, book: CueBook) -> None:
        self.policy = policy
        self.book = book
        self.gate = CueGate(policy)
        self.level: CueLevel = policy.level
        self._good_streak = 0  # good repetitions in a row
        self._fade_count = 0  # good repetitions in a row at the current level
        self._previous: frozenset[str] = frozenset()  # faults of the last repetition
        self._named: set[str] = set()  # faults named since the last good repetition
        self._held_praised = False  # the hold under way was praised on reaching its target

    def decide(self, seen: Observation) -> Cue | None:
        """The cue to say with this frame, or None."""
        now = seen.time_s
        # A finished repetition counts for the streaks and the fading even when something
        # more urgent is said instead of its own cue.
        after = self._after(seen.finished) if seen.finished is not None else None
        if seen.safety is not None:
            return self.gate.force(seen.safety, now)
        if seen.setup is not None:
            cue = Cue(CueKind.SETUP, seen.setup, self.book.setup_text(seen.setup))
            return self.gate.offer(cue, now)
        candidate: Cue | None = after
        if seen.finished is None and seen.target_reached:
            candidate = self._held()
        elif seen.finished is None and seen.broken is not None:
            candidate = self._correction(
                seen.broken, repeated=fault_key(seen.broken) in self._previous
            )
        said = self.gate.offer(candidate, now)
        if said is not None and said.kind is CueKind.CORRECTION:
            self._named.add(said.key)
        if said is not None and said.key == HELD:
            self._held_praised = True
        return said

    def _correction(self, criterion: Criterion, *, repeated: bool) -> Cue | None:
        level: CueLevel = self.level
        if level == "none":
            if not repeated:
                return None
            level = "brief"  # a repeating fault gets a reminder even at the faded level
        text = self.book.correction_for(criterion, level)
        return Cue(CueKind.CORRECTION, fault_key(criterion), text, level)

    def _praise(self, kind: str) -> Cue:
        level: CueLevel = "brief" if self.level == "none" else self.level
        return Cue(CueKind.PRAISE, kind, self.book.praise_text(kind, level), level)

    def _held(self) -> Cue | None:
        if self._held_praised or self.level == "none":
            return None
        return self._praise(HELD)

    def _after(self, outcome: Outcome) -> Cue | None:
        """Update streaks and level for a finished repetition; the cue it deserves."""
        previous = self._previous
        self._previous = frozenset(fault_key(c) for c in outcome.faults)
        held_praised, self._held_praised = self._held_praised, False
        if outcome.faults:
            return self._after_fault(outcome.faults[0], previous)
        if not outcome.correct:
            return None  # nothing measured: nothing to praise
        return self._after_good(outcome, corrected=bool(previous & self._named), held=held_praised)

    def _after_fault(self, worst: Criterion, previous: frozenset[str]) -> Cue | None:
        self._good_streak = 0
        self._fade_count = 0
        repeated = fault_key(worst) in previous
        cue = self._correction(worst, repeated=repeated)
        if repeated and self.policy.fade_after_good is not None:
            self._raise_level()
        return cue

    def _after_good(self, outcome: Outcome, *, corrected: bool, held: bool) -> Cue | None:
        self._named.clear()
        self._good_streak += 1
        cue: Cue | None = None
        if outcome.hold:
            cue = None if self.level == "none" or held else self._praise(HELD)
        elif corrected and self.policy.praise_corrections:
            cue = self._praise(CORRECTED)
        elif self.level != "none" and (
            (self._good_streak == 1 and self.policy.praise_first)
            or (self._good_streak > 1 and (self._good_streak - 1) % self.policy.praise_every == 0)
        ):
            cue = self._praise(GOOD)
        self._fade_count += 1
        fade = self.policy.fade_after_good
        if fade is not None and self._fade_count >= fade:
            self._fade_count = 0
            self.level = LEVELS[min(LEVELS.index(self.level) + 1, len(LEVELS) - 1)]
        return cue

    def _raise_level(self) -> None:
        self.level = LEVELS[max(LEVELS.index(self.level) - 1, 0)]

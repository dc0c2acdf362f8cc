"""Maintenance: the personal library of what helps, re-checks, and relapse warning signs.

Gains last when a patient keeps doing what works for *them*. The personal library ranks the
exercises and tasks that most reliably eased this patient's pain, from their own before/after
ratings (at least ``MIN_SAMPLES`` practices each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from spinecoach.domain.engine.inputs import SessionLog

MIN_SAMPLES = 3
LIBRARY_SIZE = 5

WARNING_SIGNS = (
    "Pain above your usual level for more than a week, or waking you most nights.",
    "Skipping practice for two weeks or more.",
    "Starting to avoid an activity you had got back to.",
    "Worry about your back growing again, or feeling you must protect it.",
    "New numbness, weakness, or changes in bladder or bowel control: seek care the same day.",
)


@dataclass(frozen=True)
class Reliever:
    """An exercise or task with its record of easing pain."""

    ident: str
    kind: str  # "exercise" or "task"
    samples: int
    mean_relief: float
    relieved_share: float

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "id": self.ident,
            "kind": self.kind,
            "samples": self.samples,
            "mean_relief": round(self.mean_relief, 2),
            "relieved_share": round(self.relieved_share, 2),
        }


@dataclass(frozen=True)
class MaintenancePlan:
    """What keeps gains: what helps, when to re-check, what to watch for."""

    personal_library: tuple[Reliever, ...]
    next_recheck: date
    warning_signs: tuple[str, ...] = WARNING_SIGNS

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "personal_library": [r.as_dict() for r in self.personal_library],
            "next_recheck": self.next_recheck.isoformat(),
            "warning_signs": list(self.warning_signs),
            "rule": f"ranked by the share of practices that eased pain by ≥ 1 point, then mean "
            f"relief; at least {MIN_SAMPLES} rated practices each",
        }


def personal_library(sessions: Sequence[SessionLog]) -> tuple[Reliever, ...]:
    """Exercises and tasks ranked by how reliably they eased pain (before − after)."""
    reliefs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for s in sessions:
        for e in s.exercises:
            if not e.skipped and e.pain_before is not None and e.pain_after is not None:
                reliefs[("exercise", e.exercise_id)].append(e.pain_before - e.pain_after)
        for x in s.exposures:
            if x.pain_before is not None and x.pain_after is not None:
                reliefs[("task", x.task_id)].append(x.pain_before - x.pain_after)
    ranked = [
        Reliever(
            ident=ident,
            kind=kind,
            samples=len(values),
            mean_relief=fmean(values),
            relieved_share=sum(v >= 1 for v in values) / len(values),
        )
        for (kind, ident), values in reliefs.items()
        if len(values) >= MIN_SAMPLES and fmean(values) > 0
    ]
    ranked.sort(key=lambda r: (-r.relieved_share, -r.mean_relief, r.ident))
    return tuple(ranked[:LIBRARY_SIZE])

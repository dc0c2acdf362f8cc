"""Run many synthetic patients through the engine and summarise what happened."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from spinecoach.domain.engine.simulator import ARCHETYPES, Simulation, simulate_patient
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.library import Library


@dataclass(frozen=True)
class CohortSummary:
    """Numbers a clinician or developer reads after a simulation run."""

    patients: int
    weeks: int
    final_phases: dict[str, int]
    mean_pain_first_week: float
    mean_pain_last_week: float
    flare_days_share: float
    stopped: int
    decisions: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "patients": self.patients,
            "weeks": self.weeks,
            "final_phases": self.final_phases,
            "mean_pain_first_week": round(self.mean_pain_first_week, 2),
            "mean_pain_last_week": round(self.mean_pain_last_week, 2),
            "flare_days_share": round(self.flare_days_share, 3),
            "stopped": self.stopped,
            "decisions": self.decisions,
        }


MAX_PATIENTS = 10_000  # 12-week patients take minutes at this size; more is for benchmarks
MAX_WEEKS = 104


def check_cohort(*, patients: int, weeks: int, seed: int, archetype: str | None) -> None:
    """Refuse a run that cannot be what the user meant, before any patient is simulated."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput("weeks", f"must be 1–{MAX_WEEKS}, got {weeks}")
    if not 1 <= patients <= MAX_PATIENTS:
        raise InvalidInput("patients", f"must be 1–{MAX_PATIENTS}, got {patients}")
    if seed < 0:
        raise InvalidInput("seed", f"must be 0 or more, got {seed}")
    if archetype is not None and archetype not in ARCHETYPES:
        raise InvalidInput(
            "archetype", f"unknown {archetype!r}; known: {', '.join(sorted(ARCHETYPES))}"
        )


def simulate_cohort(
    library: Library,
    *,
    patients: int,
    weeks: int,
    seed: int,
    archetype: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Simulation]:
    """``patients`` synthetic patients with seeds ``seed``, ``seed + 1``, …"""
    check_cohort(patients=patients, weeks=weeks, seed=seed, archetype=archetype)
    kind = ARCHETYPES[archetype] if archetype else None
    results = []
    for offset in range(patients):
        results.append(simulate_patient(library, seed=seed + offset, weeks=weeks, archetype=kind))
        if progress is not None:
            progress(offset + 1)
    return results


def summarise(simulations: Sequence[Simulation]) -> CohortSummary:
    """Final phases, pain in the first and last week, flare share and decision counts."""
    first = [d.pain for s in simulations for d in s.days[:7]]
    last = [d.pain for s in simulations for d in s.days[-7:]]
    all_days = [d for s in simulations for d in s.days]
    decisions = Counter(d.kind.value for s in simulations for d in s.plan.decisions)
    return CohortSummary(
        patients=len(simulations),
        weeks=len(simulations[0].days) // 7 if simulations else 0,
        final_phases=dict(Counter(s.plan.program.phase.value for s in simulations)),
        mean_pain_first_week=fmean(first) if first else 0.0,
        mean_pain_last_week=fmean(last) if last else 0.0,
        flare_days_share=sum(d.status.value == "flare" for d in all_days) / max(1, len(all_days)),
        stopped=sum(s.plan.program.status.value == "stopped" for s in simulations),
        decisions=dict(sorted(decisions.items())),
    )

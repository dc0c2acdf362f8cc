"""Decisions: what the engine (or a clinician) decided, when, by which rule, on which data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from types import MappingProxyType

from spinecoach.domain.evidence import Evidence, Scalar

DESIGN = "spinecoach design rule (docs/engine.md)"


class DecisionKind(Enum):
    """The decisions the engine can take; the issue's vocabulary plus start/stop/resume."""

    START = "start"
    STOP = "stop"
    RESUME = "resume"
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    CHANGE_DOSAGE = "change_dosage"
    FADE_CUES = "fade_cues"
    RESTORE_CUES = "restore_cues"
    ADVANCE_PHASE = "advance_phase"
    FLARE_PLAN = "flare_plan"
    ADD_EXPOSURE_STEP = "add_exposure_step"
    SCHEDULE_CHECK_IN = "schedule_check_in"
    SCHEDULE_REASSESSMENT = "schedule_reassessment"
    FLAG_FOR_REVIEW = "flag_for_review"
    OVERRIDE = "override"


@dataclass(frozen=True)
class Decision:
    """One decision. ``evidence.code`` is the rule id, ``evidence.statement`` the rationale a
    clinician reads, ``evidence.inputs`` the data it used and ``evidence.reference`` the source.
    """

    on: date
    kind: DecisionKind
    target: str
    evidence: Evidence
    by: str = "engine"

    @property
    def rule_id(self) -> str:
        """The id of the rule that fired (``progress.dosage``)."""
        return self.evidence.code

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "on": self.on.isoformat(),
            "kind": self.kind.value,
            "target": self.target,
            "by": self.by,
            "rule_id": self.evidence.code,
            "rationale": self.evidence.statement,
            "rule": self.evidence.rule,
            "inputs": dict(self.evidence.inputs),
            "evidence": self.evidence.reference,
            "verified": self.evidence.verified,
        }


def decide(
    on: date,
    kind: DecisionKind,
    target: str,
    rule_id: str,
    rationale: str,
    rule: str,
    inputs: Mapping[str, Scalar] | None = None,
    reference: str = DESIGN,
    by: str = "engine",
) -> Decision:
    """Shorthand for a decision with its evidence."""
    return Decision(
        on=on,
        kind=kind,
        target=target,
        evidence=Evidence(
            code=rule_id,
            statement=rationale,
            rule=rule,
            inputs=MappingProxyType(dict(inputs or {})),
            reference=reference,
        ),
        by=by,
    )

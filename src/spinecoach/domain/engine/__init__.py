"""The criteria-based motor-control program engine: pure, deterministic, explainable.

Entry point: :func:`make_plan` (replay a patient's program to a day). The simulator and the web
app drive the same fold day by day with :func:`start_program` and :func:`advance`.
"""

from spinecoach.domain.engine.decisions import Decision, DecisionKind
from spinecoach.domain.engine.inputs import (
    Constraints,
    ExerciseLog,
    ExposureLog,
    FearRating,
    Goal,
    Override,
    OverrideKind,
    PainModel,
    PatientPicture,
    PlanRequest,
    Recheck,
    Score,
    SessionLog,
)
from spinecoach.domain.engine.plan import Plan, dress, make_plan
from spinecoach.domain.engine.program import Context, Program, Status, advance, start_program

__all__ = [
    "Constraints",
    "Context",
    "Decision",
    "DecisionKind",
    "ExerciseLog",
    "ExposureLog",
    "FearRating",
    "Goal",
    "Override",
    "OverrideKind",
    "PainModel",
    "PatientPicture",
    "Plan",
    "PlanRequest",
    "Program",
    "Recheck",
    "Score",
    "SessionLog",
    "Status",
    "advance",
    "dress",
    "make_plan",
    "start_program",
]

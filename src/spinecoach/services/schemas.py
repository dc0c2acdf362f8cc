"""Input schemas for whole submissions (assessment JSON files, new patients).

Pydantic checks shape and types; the domain checks clinical ranges. Either way the error is
turned into one :class:`InvalidInput` naming the field path, so the edge prints one line.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from spinecoach.domain.errors import InvalidInput

Text = Annotated[str, Field(max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IntakeIn(_Strict):
    pain_duration_weeks: int
    pain_pattern: Literal["constant", "intermittent", "episodic"]
    pain_distribution: Literal["back_only", "above_knee", "below_knee"] = "back_only"
    aggravating: list[Text] = []
    easing: list[Text] = []
    prior_injuries: list[Text] = []
    surgery: list[Text] = []
    work_goals: list[Text] = []
    sport_goals: list[Text] = []
    patient_goals: list[Text] = []


class RedFlagsIn(_Strict):
    present: list[str] = []
    clinician_cleared: StrictBool = False
    clinician_note: Text = ""


class AssessmentIn(_Strict):
    """One assessment as a clinician submits it (the ``--file`` JSON format)."""

    kind: Literal["baseline", "recheck", "discharge"] = "baseline"
    assessed_at: datetime | None = None
    intake: IntakeIn | None = None
    red_flags: RedFlagsIn | None = None
    questionnaires: dict[str, list[int | None]] = {}
    tests: dict[str, dict[str, float | bool | str]] = {}
    notes: Annotated[str, Field(max_length=4000)] = ""


_UNION_MEMBER_TAGS = frozenset({"int", "float", "bool", "str", "none", "list", "dict"})


def first_error(error: ValidationError, prefix: str = "") -> InvalidInput:
    """The first pydantic error as an :class:`InvalidInput` with a dotted field path."""
    detail = error.errors()[0]
    path = ""
    for part in detail["loc"]:
        if isinstance(part, int):
            path += f"[{part + 1}]"  # 1-based, like questionnaire item numbers
        elif part not in _UNION_MEMBER_TAGS:
            path += f".{part}" if path else str(part)
    path = path or "input"
    message = detail["msg"]
    if "input" in detail and detail["type"] != "missing":
        message = f"{message}, got {detail['input']!r}"[:200]
    return InvalidInput(f"{prefix}{path}", message)


def parse_assessment_json(text: str, source: str = "file") -> AssessmentIn:
    """Parse and shape-check an assessment document."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(source, f"not valid JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict):
        raise InvalidInput(source, "must be a JSON object")
    try:
        return AssessmentIn.model_validate(data)
    except ValidationError as error:
        raise first_error(error) from None

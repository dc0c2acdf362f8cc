"""Input schemas for whole submissions (assessment JSON files, new patients).

Pydantic checks shape and types; the domain checks clinical ranges. Either way the error is
turned into one :class:`InvalidInput` naming the field path, so the edge prints one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from spinecoach.analysis.errors import AnalysisError
from spinecoach.domain.errors import InvalidInput

Text = Annotated[str, Field(max_length=500)]
EARLIEST_YEAR = 1990  # older dates are typing errors; the instruments are younger than that


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IntakeIn(_Strict):
    pain_duration_weeks: StrictInt
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
    # Strict types: an answer of true, 1.0 or "3" is a data-entry error, not a 1 or a 3.
    questionnaires: dict[str, list[StrictInt | None]] = {}
    tests: dict[str, dict[str, StrictBool | StrictInt | StrictFloat | StrictStr]] = {}
    notes: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("assessed_at")
    @classmethod
    def _plausible_date(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is not None and value.year < EARLIEST_YEAR:
            raise ValueError(f"must be in {EARLIEST_YEAR} or later")
        return value

    def is_empty(self) -> bool:
        """Nothing clinical in it: no screen, intake, questionnaire, test or note."""
        return not (
            self.red_flags or self.intake or self.questionnaires or self.tests or self.notes.strip()
        )


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
    return InvalidInput(f"{prefix}{path}", plain_message(detail))


def plain_message(detail: Mapping[str, Any]) -> str:
    """One pydantic error in words for the person who typed the value: lengths as limits
    (a long text is not echoed back), a validator's own sentence without pydantic's "Value
    error," and a short wrong value shown."""
    kind, context = detail["type"], detail.get("ctx") or {}
    if kind == "string_too_long":
        return f"too long: at most {context.get('max_length')} characters"
    if kind == "string_too_short":
        return f"too short: at least {context.get('min_length')} characters"
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    message = str(detail["msg"])
    if kind == "unexpected_keyword_argument":  # a dataclass's word for it
        message = "Extra inputs are not permitted"
    if "input" in detail and kind != "missing":
        shown = repr(detail["input"])
        message = f"{message}, got {shown if len(shown) <= 60 else shown[:57] + '...'}"
    return message


def load_json(text: str, source: str) -> object:
    """JSON text as Python values; a syntax error names ``source``, a repeated key is refused."""
    try:
        return json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise InvalidInput(source, f"not valid JSON ({error.msg} at line {error.lineno})") from None


def parse_assessment_json(text: str, source: str = "file") -> AssessmentIn:
    """Parse and shape-check an assessment document."""
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise InvalidInput(source, "must be a JSON object")
    try:
        parsed = AssessmentIn.model_validate(data)
    except ValidationError as error:
        raise first_error(error) from None
    if parsed.is_empty():
        raise InvalidInput(
            source, "holds nothing to record (no red flags, intake, questionnaires, tests or notes)"
        )
    return parsed


def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are unique: a repeated key is refused, not silently replaced."""
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidInput(key, "appears twice in the same JSON object")
        result[key] = value
    return result


@contextmanager
def as_input_errors() -> Iterator[None]:
    """The analysis names the parameter it could not use; at the services' edge that is the
    user's input (a file's channel, an option, a message field), reported in one line."""
    try:
        yield
    except AnalysisError as error:
        raise InvalidInput(error.field, error.problem) from None

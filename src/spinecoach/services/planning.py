"""Planning use cases: a plan from a profile JSON file, or for a stored patient.

The log file (docs/plan-format.md) carries what the record does not hold yet: constraints,
goals, fear ratings, practice sessions, re-check scores and clinician overrides. Both files are
read as strict JSON: a repeated key, ``"3"`` or ``true`` for a number, ``"yes"`` or ``1`` for a
true/false is refused, never guessed at. Errors name the field with 1-based list positions
(``sessions[2].exercises[1].colour: Extra inputs are not permitted``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from spinecoach.domain.engine import PatientPicture, Plan, PlanRequest, Recheck, Score, make_plan
from spinecoach.domain.engine.inputs import PAIN_MODELS
from spinecoach.domain.engine.picture import picture_from_profile
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import Library
from spinecoach.domain.profile import derive_profile
from spinecoach.domain.record import Intake
from spinecoach.domain.red_flags import RedFlagState
from spinecoach.services.clinic import ClinicService, PatientRecord, instrument_changes
from spinecoach.services.schemas import first_error, load_json

_REQUEST = TypeAdapter(PlanRequest)
# Keys the log may hold; ``practice_logged`` is derived, never given.
LOG_KEYS = tuple(f.name for f in fields(PlanRequest) if f.name != "practice_logged")
# Keys only a profile has: a log holding one is almost certainly a profile given as --log.
_PROFILE_ONLY_KEYS = frozenset(
    {"pseudonym", "exercise_allowed", "red_flag_state", "red_flag_message", "focus_areas"}
)
_PROFILE_REQUIRED = ("pseudonym", "exercise_allowed", "red_flag_state")


class _ProfileModel(BaseModel):
    # Keys not listed here are ignored, so a profile from a newer spinecoach still plans.
    model_config = ConfigDict(strict=True, frozen=True)


class _ScoreIn(_ProfileModel):
    score: float
    category: str | None = None
    findings: tuple[Evidence, ...] = ()


class _TestIn(_ProfileModel):
    findings: tuple[Evidence, ...] = ()


class _FocusIn(_ProfileModel):
    code: str


class _ProfileIn(_ProfileModel):
    """The part of ``spinecoach profile --json`` the engine reads."""

    pseudonym: str
    exercise_allowed: bool
    red_flag_state: RedFlagState
    red_flag_message: str | None = None
    as_of: str | None = None
    focus_areas: tuple[_FocusIn, ...] = ()
    scores: dict[str, _ScoreIn] = {}
    tests: dict[str, _TestIn] = {}
    intake: Intake | None = None


def _json_object(text: str, source: str) -> dict[str, Any]:
    """The JSON object in ``text``; a syntax error or a repeated key names ``source``."""
    try:
        data = load_json(text, source)
    except InvalidInput as error:
        if error.field == source:
            raise
        raise InvalidInput(source, f"key {error.field!r} {error.problem}") from None
    if not isinstance(data, dict):
        raise InvalidInput(source, "must be a JSON object")
    return data


def parse_plan_request(
    log_text: str | None, *, default_start: date, library: Library | None = None
) -> PlanRequest:
    """A plan request from the log file's text; ``pain_model`` may be a preset name.

    Defaults and the preset are filled in on the parsed object, which is then validated as
    strict JSON, so dates and names are written as strings and numbers as numbers.
    """
    if log_text is None:
        return PlanRequest(started_on=default_start, practice_logged=False)
    payload = _json_object(log_text, "log")
    if "practice_logged" in payload:
        raise InvalidInput("practice_logged", "is set by spinecoach, not by the log file")
    unknown = [key for key in payload if key not in LOG_KEYS]
    if unknown:
        looks_like_profile = [key for key in unknown if key in _PROFILE_ONLY_KEYS]
        if looks_like_profile:
            raise InvalidInput(
                "log", f"unknown key {looks_like_profile[0]!r} — is this a profile? use --profile"
            )
        raise InvalidInput("log", f"unknown key {unknown[0]!r}; known: {', '.join(LOG_KEYS)}")
    payload.setdefault("started_on", default_start.isoformat())
    payload["practice_logged"] = "sessions" in payload
    if library is not None:
        _complete_partial_doses(payload, library)
    model = payload.get("pain_model")
    if isinstance(model, str):
        if model not in PAIN_MODELS:
            raise InvalidInput(
                "pain_model", f"unknown model {model!r}; known: {', '.join(PAIN_MODELS)}"
            )
        payload["pain_model"] = asdict(PAIN_MODELS[model])
    try:
        return _REQUEST.validate_json(json.dumps(payload), strict=True)
    except ValidationError as error:
        raise first_error(error) from None


def _complete_partial_doses(payload: dict[str, Any], library: Library) -> None:
    """A ``set_dosage`` override that names only some parts (``{"sets": 2, "reps": 8}``) keeps
    the exercise's own tempo, rest, hold and sides for the rest, not generic defaults."""
    overrides = payload.get("overrides")
    if not isinstance(overrides, list):
        return
    for override in overrides:
        if not isinstance(override, dict) or not isinstance(override.get("dosage"), dict):
            continue
        exercise = library.exercises.get(str(override.get("target")))
        if exercise is not None:
            override["dosage"] = {**asdict(exercise.dosage), **override["dosage"]}


def picture_from_json(profile_text: str) -> PatientPicture:
    """The patient picture from the text ``spinecoach profile --json`` prints."""
    data = _json_object(profile_text, "profile")
    for key in _PROFILE_REQUIRED:
        if key not in data:
            hint = (
                "is this a log? use --log"
                if any(k in data for k in LOG_KEYS)
                else "use `spinecoach profile --json`"
            )
            raise InvalidInput(f"profile.{key}", f"is missing ({hint})")
    try:
        profile = _ProfileIn.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as error:
        raise first_error(error, "profile.") from None
    except InvalidInput as error:  # a domain rule of a nested value, e.g. the intake
        raise InvalidInput(f"profile.{error.field}", error.problem) from None
    scores: dict[str, Score] = {}
    for key, entry in profile.scores.items():
        instrument = INSTRUMENTS.get(key)
        if instrument is not None:
            low, high = instrument.score_range
            if not low <= entry.score <= high:
                raise InvalidInput(
                    f"profile.scores.{key}.score",
                    f"must be {low:g}–{high:g} for {key}, got {entry.score:g}",
                )
        scores[key] = Score(entry.score, entry.category)
    findings = [f for entry in profile.scores.values() for f in entry.findings] + [
        f for entry in profile.tests.values() for f in entry.findings
    ]
    return PatientPicture(
        pseudonym=profile.pseudonym,
        exercise_allowed=profile.exercise_allowed,
        red_flag_state=profile.red_flag_state.value,
        red_flag_message=profile.red_flag_message or "",
        focus=tuple(f.code for f in profile.focus_areas),
        findings=tuple(findings),
        scores=MappingProxyType(scores),
        intake=profile.intake,
        as_of=_date(profile.as_of, "profile.as_of") if profile.as_of else None,
    )


def _date(value: str, field: str) -> date:
    """The calendar day of an ISO date or date-time (the profile prints a date-time)."""
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        raise InvalidInput(field, f"must be an ISO date, got {value!r}") from None


def plan_from_files(profile_text: str, log_text: str | None, library: Library, today: date) -> Plan:
    """``spinecoach plan --profile P.json [--log L.json]``, given the two files' text."""
    picture = picture_from_json(profile_text)
    request = parse_plan_request(log_text, default_start=picture.as_of or today, library=library)
    return make_plan(picture, request, library, today)


def plan_for_patient(
    clinic: ClinicService,
    *,
    actor: str,
    pseudonym: str,
    log_text: str | None,
    library: Library,
    today: date,
) -> Plan:
    """``spinecoach plan PATIENT``: the stored profile; re-checks from the stored record unless
    the log gives its own."""
    record = clinic.patient_record(actor=actor, pseudonym=pseudonym)
    return plan_from_record(record, log_text=log_text, library=library, today=today)


def plan_from_record(
    record: PatientRecord, *, log_text: str | None, library: Library, today: date
) -> Plan:
    """The plan from an already read record (one read serves the profile and re-checks)."""
    profile = derive_profile(record.patient, record.assessments)
    picture = picture_from_profile(profile)
    request = parse_plan_request(log_text, default_start=picture.as_of or today, library=library)
    if not request.rechecks:
        rechecks = tuple(
            Recheck(
                instrument=c.instrument,
                before=c.change.before.score,
                after=c.change.after.score,
                on=c.latest_at.date(),
            )
            for c in instrument_changes(record)
            if c.latest_at.date() >= request.started_on
        )
        request = replace(request, rechecks=rechecks)
    return make_plan(picture, request, library, today)

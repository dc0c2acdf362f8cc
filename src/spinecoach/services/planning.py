"""Planning use cases: a plan from a profile JSON file, or for a stored patient.

The log file (docs/plan-format.md) carries what the record does not hold yet: constraints,
goals, fear ratings, practice sessions, re-check scores and clinician overrides. It is
validated against the engine's own input types, so an error names the field
(``sessions[1].exercises[0].pain_during: must be 0–10, got 12``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from spinecoach.domain.engine import PatientPicture, Plan, PlanRequest, Recheck, Score, make_plan
from spinecoach.domain.engine.inputs import PAIN_MODELS
from spinecoach.domain.engine.picture import picture_from_profile
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.library import Library
from spinecoach.domain.record import Intake
from spinecoach.services.clinic import ClinicService

_REQUEST = TypeAdapter(PlanRequest)
_INTAKE = TypeAdapter(Intake)
_EVIDENCE = TypeAdapter(Evidence)


def _first_error(error: ValidationError, prefix: str = "") -> InvalidInput:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return InvalidInput(prefix + where, first["msg"])


def parse_plan_request(data: object, *, default_start: date) -> PlanRequest:
    """A plan request from the log JSON; ``pain_model`` may be a preset name."""
    if data is None:
        return PlanRequest(started_on=default_start, practice_logged=False)
    if not isinstance(data, Mapping):
        raise InvalidInput("log", "must be a JSON object")
    payload: dict[str, Any] = dict(data)
    payload.setdefault("started_on", default_start)
    if "practice_logged" in payload:
        raise InvalidInput("practice_logged", "is set by spinecoach, not by the log file")
    payload["practice_logged"] = "sessions" in payload
    model = payload.get("pain_model")
    if isinstance(model, str):
        if model not in PAIN_MODELS:
            raise InvalidInput(
                "pain_model", f"unknown model {model!r}; known: {', '.join(PAIN_MODELS)}"
            )
        payload["pain_model"] = PAIN_MODELS[model]
    try:
        return _REQUEST.validate_python(payload)
    except ValidationError as error:
        raise _first_error(error) from None


def picture_from_json(data: object) -> PatientPicture:
    """The patient picture from ``spinecoach profile --json`` output."""
    if not isinstance(data, Mapping):
        raise InvalidInput("profile", "must be the JSON object `spinecoach profile --json` prints")
    for key in ("pseudonym", "exercise_allowed", "red_flag_state"):
        if key not in data:
            raise InvalidInput(f"profile.{key}", "is missing (use `spinecoach profile --json`)")
    findings: list[Evidence] = []
    scores: dict[str, Score] = {}
    try:
        for section in ("scores", "tests"):
            entries = data.get(section) or {}
            if not isinstance(entries, Mapping):
                raise InvalidInput(f"profile.{section}", "must be an object")
            for key, entry in entries.items():
                if not isinstance(entry, Mapping):
                    raise InvalidInput(f"profile.{section}.{key}", "must be an object")
                findings += [_EVIDENCE.validate_python(f) for f in entry.get("findings") or ()]
                if section == "scores":
                    if not isinstance(entry.get("score"), int | float):
                        raise InvalidInput(f"profile.scores.{key}.score", "must be a number")
                    scores[key] = Score(float(entry["score"]), entry.get("category"))
        intake = data.get("intake")
        parsed_intake = None if intake is None else _INTAKE.validate_python(intake)
    except ValidationError as error:
        raise _first_error(error, "profile.") from None
    as_of = data.get("as_of")
    focus = data.get("focus_areas") or []
    if not isinstance(focus, list) or not all(
        isinstance(f, Mapping) and "code" in f for f in focus
    ):
        raise InvalidInput("profile.focus_areas", "must be a list of objects with a code")
    return PatientPicture(
        pseudonym=str(data["pseudonym"]),
        exercise_allowed=data["exercise_allowed"] is True,
        red_flag_state=str(data["red_flag_state"]),
        red_flag_message=str(data.get("red_flag_message") or ""),
        focus=tuple(str(f["code"]) for f in focus),
        findings=tuple(findings),
        scores=MappingProxyType(scores),
        intake=parsed_intake,
        as_of=_date(as_of, "profile.as_of") if as_of else None,
    )


def _date(value: object, field: str) -> date:
    if not isinstance(value, str):
        raise InvalidInput(field, "must be an ISO date")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput(field, f"must be an ISO date, got {value!r}") from None


def plan_from_files(profile_data: object, log_data: object, library: Library, today: date) -> Plan:
    """``spinecoach plan --profile P.json [--log L.json]``."""
    picture = picture_from_json(profile_data)
    request = parse_plan_request(log_data, default_start=picture.as_of or today)
    return make_plan(picture, request, library, today)


def plan_for_patient(
    clinic: ClinicService,
    *,
    actor: str,
    pseudonym: str,
    log_data: object,
    library: Library,
    today: date,
) -> Plan:
    """``spinecoach plan PATIENT``: the stored profile; re-checks from the stored record unless
    the log gives its own."""
    profile = clinic.profile(actor=actor, pseudonym=pseudonym)
    picture = picture_from_profile(profile)
    request = parse_plan_request(log_data, default_start=picture.as_of or today)
    if not request.rechecks:
        rechecks = tuple(
            Recheck(
                instrument=c.instrument,
                before=c.change.before.score,
                after=c.change.after.score,
                on=c.latest_at.date(),
            )
            for c in clinic.compare(actor=actor, pseudonym=pseudonym)
            if c.latest_at.date() >= request.started_on
        )
        request = replace(request, rechecks=rechecks)
    return make_plan(picture, request, library, today)

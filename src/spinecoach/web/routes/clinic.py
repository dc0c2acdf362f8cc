"""The clinician's pages: caseload, new patient, overview, assessment (with sensor-recording
upload), program, check-ins, invitation and the printable progress report."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from spinecoach.domain.accounts import Principal, Role
from spinecoach.domain.engine import Decision
from spinecoach.domain.engine.inputs import OverrideKind
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import CueLevel, Phase
from spinecoach.domain.physical_tests.base import InputSpec, Sex
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS
from spinecoach.domain.record import Consent, Patient
from spinecoach.domain.red_flags import CAUDA_EQUINA_SIGNS, GENERAL_RED_FLAGS
from spinecoach.services.clinic import answers_from_text
from spinecoach.services.schemas import AssessmentIn, first_error
from spinecoach.services.sensors import MAX_UPLOAD_BYTES, ONSET_METHODS, EmgOptions
from spinecoach.web.app import render, services_of
from spinecoach.web.security import check_csrf, visitor

from .common import course_chart, day_of, outcome_series, quality_by_exercise, whole

router = APIRouter(prefix="/clinic")
Field = Annotated[str, Form(max_length=200)]
Text = Annotated[str, Form(max_length=4000)]


def _clinician(request: Request) -> Principal:
    return visitor(request).require(Role.CLINICIAN)


@router.get("")
def caseload(request: Request) -> Response:
    principal = _clinician(request)
    entries = services_of(request).care.caseload(principal)
    return render(request, "clinic/caseload.html", entries=entries)


@router.get("/patients/new")
def new_patient_page(request: Request) -> Response:
    _clinician(request)
    return render(request, "clinic/new_patient.html", error=None)


@router.post("/patients/new", dependencies=[Depends(check_csrf)])
def new_patient(
    request: Request,
    pseudonym: Field,
    age: Field,
    sex: Field,
    consent_exercise: Field = "",
    consent_camera: Field = "",
) -> Response:
    principal = _clinician(request)
    years = whole(age, "age", 16, 110)
    if years is None:
        raise InvalidInput("age", "give the patient's age in years")
    try:
        sex_value = Sex(sex)
    except ValueError:
        raise InvalidInput("sex", f"must be one of {', '.join(s.value for s in Sex)}") from None
    patient = Patient(
        pseudonym=pseudonym.strip(),
        age=years,
        sex=sex_value,
        consent=Consent(
            exercise_program=consent_exercise == "yes", camera_analysis=consent_camera == "yes"
        ),
    )
    stored = services_of(request).care.register_patient(principal, patient)
    return RedirectResponse(f"/clinic/patients/{stored.pseudonym}/assess", status_code=303)


@router.get("/patients/{pseudonym}")
def overview(request: Request, pseudonym: str) -> Response:
    principal = _clinician(request)
    care = services_of(request).care
    seen = care.snapshot(principal, pseudonym)
    record, course = seen.record, seen.course
    faults: dict[str, dict[str, int]] = {}
    for measured in course.movement:
        counts = faults.setdefault(measured["exercise_id"], {})
        for fault in measured.get("faults", []):
            counts[fault] = counts.get(fault, 0) + 1
    return render(
        request,
        "clinic/overview.html",
        pseudonym=pseudonym,
        profile=seen.profile,
        record=record,
        course=course,
        plan=seen.plan,
        changes=seen.changes,
        chart=course_chart(course),
        outcomes=outcome_series(record),
        faults=faults,
        quality_weeks=quality_by_exercise(course),
        sessions=sorted(course.sessions, key=lambda s: str(s["day"]), reverse=True)[:14],
        diary=sorted(course.diary, key=lambda d: str(d["day"]), reverse=True)[:14],
        has_account=services_of(request).accounts.patient_has_account(principal, pseudonym),
        home_answers=care.questionnaires(principal, pseudonym),
    )


@router.get("/patients/{pseudonym}/assess")
def assess_page(request: Request, pseudonym: str) -> Response:
    principal = _clinician(request)
    record = services_of(request).care.record(principal, pseudonym)
    return render(
        request,
        "clinic/assess.html",
        pseudonym=pseudonym,
        record=record,
        instruments=sorted(INSTRUMENTS.items()),
        tests=sorted(PHYSICAL_TESTS.items()),
        red_flags=sorted(set(CAUDA_EQUINA_SIGNS) | set(GENERAL_RED_FLAGS)),
        first=not record.assessments,
    )


def _assessment_from_form(form: FormData) -> AssessmentIn:
    def text(key: str) -> str:
        value = form.get(key, "")
        return value.strip() if isinstance(value, str) else ""

    questionnaires = {
        key: list(answers_from_text(text(f"q_{key}"))) for key in INSTRUMENTS if text(f"q_{key}")
    }
    tests: dict[str, dict[str, object]] = {}
    for test_id, test in PHYSICAL_TESTS.items():
        given = {
            spec.name: _input_value(
                spec, text(f"t_{test_id}_{spec.name}"), f"{test_id}.{spec.name}"
            )
            for spec in test.inputs
            if text(f"t_{test_id}_{spec.name}")
        }
        if given:
            tests[test_id] = given
    present = [str(v) for v in form.getlist("red_flags")]
    document: dict[str, object] = {
        "kind": text("kind") or "baseline",
        "red_flags": {
            "present": present,
            "clinician_cleared": text("clinician_cleared") == "yes",
            "clinician_note": text("clinician_note"),
        },
        "questionnaires": questionnaires,
        "tests": tests,
        "notes": text("notes"),
    }
    if text("pain_duration_weeks"):
        document["intake"] = {
            "pain_duration_weeks": int(text("pain_duration_weeks")),
            "pain_pattern": text("pain_pattern") or "intermittent",
            "pain_distribution": text("pain_distribution") or "back_only",
            "aggravating": [a.strip() for a in text("aggravating").split(",") if a.strip()],
            "patient_goals": [g.strip() for g in text("goals").split(";") if g.strip()],
        }
    try:
        return AssessmentIn.model_validate(document)
    except ValidationError as error:
        raise first_error(error) from None


def _input_value(spec: InputSpec, raw: str, field: str) -> object:
    """A physical test's form value in the type its input takes (the test checks ranges)."""
    if spec.kind == "boolean":
        return raw == "yes"
    if spec.kind in ("number", "integer"):
        try:
            number = float(raw)
        except ValueError:
            raise InvalidInput(field, f"must be a number ({spec.unit}), got {raw!r}") from None
        return int(number) if spec.kind == "integer" and number.is_integer() else number
    return raw


@router.post("/patients/{pseudonym}/assess", dependencies=[Depends(check_csrf)])
async def assess(request: Request, pseudonym: str) -> Response:
    principal = _clinician(request)
    form = await request.form()
    try:
        submission = _assessment_from_form(form)
    except ValueError as error:  # pain_duration_weeks that is not a whole number
        raise InvalidInput("pain_duration_weeks", f"must be a whole number ({error})") from None
    care = services_of(request).care
    await run_in_threadpool(care.record_assessment, principal, pseudonym, submission)
    return RedirectResponse(f"/clinic/patients/{pseudonym}/program", status_code=303)


@router.get("/patients/{pseudonym}/program")
def program(request: Request, pseudonym: str) -> Response:
    principal = _clinician(request)
    seen = services_of(request).care.snapshot(principal, pseudonym)
    plan, course = seen.plan, seen.course
    decisions = list(reversed(plan.decisions))[:40]
    return render(
        request,
        "clinic/program.html",
        pseudonym=pseudonym,
        plan=plan,
        decisions=[(decision_key(d), d) for d in decisions],
        reviews=course.reviews,
        override_kinds=[k.value for k in OverrideKind],
        phases=list(Phase),
        cue_levels=list(CueLevel),
        exercises=sorted(plan.library.exercises.values(), key=lambda e: e.id),
    )


def decision_key(decision: Decision) -> str:
    """A stable key of one engine decision: day, rule and target."""
    return f"{decision.on.isoformat()}/{decision.rule_id}/{decision.target}"[:64]


@router.post("/patients/{pseudonym}/accept", dependencies=[Depends(check_csrf)])
def accept(request: Request, pseudonym: str, key: Field) -> Response:
    principal = _clinician(request)
    services_of(request).care.accept_decision(principal, pseudonym, key)
    if request.headers.get("hx-request"):
        return render(request, "clinic/_accepted.html")
    return RedirectResponse(f"/clinic/patients/{pseudonym}/program", status_code=303)


@router.post("/patients/{pseudonym}/override", dependencies=[Depends(check_csrf)])
def override(
    request: Request,
    pseudonym: str,
    kind: Field,
    target: Field,
    reason: Text,
    phase: Field = "",
    cue_level: Field = "",
    sets: Field = "",
    reps: Field = "",
    hold_s: Field = "",
) -> Response:
    principal = _clinician(request)
    data: dict[str, object] = {"kind": kind, "target": target, "reason": reason}
    if phase:
        data["phase"] = phase
    if cue_level:
        data["cue_level"] = cue_level
    for name, value, high in (("sets", sets, 10), ("reps", reps, 100), ("hold_s", hold_s, 600)):
        number = whole(value, name, 0, high)
        if number is not None:
            data[name] = number
    services_of(request).care.override(principal, pseudonym, data)
    return RedirectResponse(f"/clinic/patients/{pseudonym}/program", status_code=303)


@router.post("/patients/{pseudonym}/questionnaires", dependencies=[Depends(check_csrf)])
def add_answers(request: Request, pseudonym: str, key: Field) -> Response:
    principal = _clinician(request)
    services_of(request).care.add_answers_to_record(principal, pseudonym, key)
    return RedirectResponse(f"/clinic/patients/{pseudonym}#home-answers", status_code=303)


@router.post("/patients/{pseudonym}/invite", dependencies=[Depends(check_csrf)])
def invite(request: Request, pseudonym: str) -> Response:
    principal = _clinician(request)
    token = services_of(request).accounts.invite_patient(principal=principal, pseudonym=pseudonym)
    link = str(request.base_url).rstrip("/") + f"/invite/{token}"
    return render(request, "clinic/invited.html", pseudonym=pseudonym, link=link)


@router.post("/patients/{pseudonym}/checkins", dependencies=[Depends(check_csrf)])
def schedule_check_in(
    request: Request, pseudonym: str, on: Field, link: Field = "", note: Text = ""
) -> Response:
    principal = _clinician(request)
    data = {"on": day_of(on, "on").isoformat(), "link": link.strip(), "note": note}
    services_of(request).care.schedule_check_in(principal, pseudonym, data)
    return RedirectResponse(f"/clinic/patients/{pseudonym}#checkins", status_code=303)


@router.post("/patients/{pseudonym}/checkins/{key}", dependencies=[Depends(check_csrf)])
def complete_check_in(request: Request, pseudonym: str, key: str, notes: Text = "") -> Response:
    principal = _clinician(request)
    services_of(request).care.complete_check_in(principal, pseudonym, key, notes)
    return RedirectResponse(f"/clinic/patients/{pseudonym}#checkins", status_code=303)


@router.get("/patients/{pseudonym}/report")
def report(request: Request, pseudonym: str) -> Response:
    principal = _clinician(request)
    care = services_of(request).care
    seen = care.snapshot(principal, pseudonym)
    return render(
        request,
        "clinic/report.html",
        pseudonym=pseudonym,
        profile=seen.profile,
        changes=seen.changes,
        plan=seen.plan,
        course=seen.course,
        today=care.today(),
    )


# -- sensor recordings (EMG / IMU) ---------------------------------------------------------------


def _form_text(form: FormData, key: str, default: str = "") -> str:
    value = form.get(key, default)
    return value.strip()[:200] if isinstance(value, str) else default


@router.post("/patients/{pseudonym}/sensors", dependencies=[Depends(check_csrf)])
async def analyse_recording(request: Request, pseudonym: str) -> Response:
    """Analyse an uploaded EMG or IMU recording and show the numbers and the plot; nothing is
    stored until the clinician records the results."""
    principal = _clinician(request)
    form = await request.form()
    upload = form.get("recording")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise InvalidInput("recording", "choose a recording file to upload")
    content = await upload.read(MAX_UPLOAD_BYTES + 1)
    kind: Literal["emg", "imu"] = "imu" if _form_text(form, "kind") == "imu" else "emg"
    notch = _form_text(form, "notch_hz", "50") or "0"
    try:
        notch_hz = float(notch)
    except ValueError:
        raise InvalidInput("notch_hz", f"must be a number of Hz, got {notch!r}") from None
    method = _form_text(form, "method", "sd")
    options = EmgOptions(
        prime_mover=_form_text(form, "prime_mover") or None,
        muscle_channel=_form_text(form, "muscle") or None,
        speed=_form_text(form, "speed", "fast"),
        movement=_form_text(form, "movement", "arm_flexion"),
        method=ONSET_METHODS.get(method, "sd"),
        notch_hz=notch_hz or None,
        angle_channel=_form_text(form, "angle") or None,
        paraspinal_channel=_form_text(form, "paraspinal") or None,
    )
    thorax, pelvis = _form_text(form, "thorax"), _form_text(form, "pelvis")
    if bool(thorax) != bool(pelvis):
        raise InvalidInput("pelvis" if thorax else "thorax", "name both sensors, or neither")
    result = await run_in_threadpool(
        services_of(request).sensors.analyse_upload,
        principal,
        pseudonym,
        filename=upload.filename,
        content=content,
        kind=kind,
        options=options,
        sensors=(thorax, pelvis) if thorax else None,
    )
    return render(
        request,
        "clinic/sensors.html",
        pseudonym=pseudonym,
        result=result,
        document=result.analysis.as_dict(),
        plot=base64.b64encode(result.plot_png).decode("ascii"),
        tests_json=json.dumps({k: dict(v) for k, v in result.tests.items()}),
    )


@router.post("/patients/{pseudonym}/sensors/record", dependencies=[Depends(check_csrf)])
def record_recording(request: Request, pseudonym: str, tests: Text, source: Field) -> Response:
    """Store the physical-test results an analysed recording gave (a re-check assessment)."""
    principal = _clinician(request)
    try:
        parsed = json.loads(tests)
    except json.JSONDecodeError:
        raise InvalidInput("tests", "is not the JSON the analysis page sent") from None
    if not isinstance(parsed, dict) or not all(isinstance(v, dict) for v in parsed.values()):
        raise InvalidInput("tests", "expected test ids with their inputs")
    services_of(request).sensors.record(principal, pseudonym, parsed, source=source)
    return RedirectResponse(f"/clinic/patients/{pseudonym}", status_code=303)

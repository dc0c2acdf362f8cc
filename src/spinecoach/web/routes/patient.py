"""The patient's pages: today, practice, diary, progress, ladder, learn, goals, flare plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from spinecoach.bootstrap import load_analyzer_specs, load_content
from spinecoach.domain.accounts import Principal, Role
from spinecoach.domain.engine.routine import Routine, RoutineItem
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Instrument
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.library import Dosage
from spinecoach.domain.text_packs import TextPack, item_prompt, item_responses
from spinecoach.services.clinic import NotFound
from spinecoach.services.live import live_spec
from spinecoach.web.app import render, services_of
from spinecoach.web.security import check_csrf, visitor

from .common import course_chart, day_of, outcome_series, share, whole

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
Optional = Annotated[str, Form(max_length=50)]


def _me(request: Request) -> tuple[Principal, str]:
    principal = visitor(request).require(Role.PATIENT)
    return principal, services_of(request).care.own_pseudonym(principal)


def _routine(request: Request, principal: Principal, me: str, short: bool) -> Routine | None:
    plan = services_of(request).care.plan(principal, me)
    return plan.short_routine if short and plan.short_routine else plan.routine


@router.get("/today")
def today(request: Request, short: bool = False) -> Response:
    principal, me = _me(request)
    care = services_of(request).care
    seen = care.snapshot(principal, me)
    plan, course = seen.plan, seen.course
    day = care.today()
    session = next((s for s in course.sessions if s["day"] == day.isoformat()), {})
    logged = session.get("exercises", [])
    done = {e["exercise_id"] for e in logged if not e.get("skipped")}
    skipped = {e["exercise_id"] for e in logged if e.get("skipped")}
    yesterday = (day - timedelta(days=1)).isoformat()
    before = next((s for s in course.sessions if s["day"] == yesterday), None)
    ask_morning = before is not None and before.get("pain_next_morning") is None
    # The engine reviews each morning what was logged before it, so a flare noted today
    # changes the program tomorrow; today the page turns to the short day at once.
    flare_today = any(d.flare for d in course.days if d.day == day)
    short = short or flare_today
    routine = plan.short_routine if short and plan.short_routine else plan.routine
    return render(
        request,
        "patient/today.html",
        flare_today=flare_today,
        plan=plan,
        routine=routine,
        short=short,
        done=done,
        skipped=skipped,
        ask_morning=ask_morning,
        day=day,
    )


@router.post("/morning", dependencies=[Depends(check_csrf)])
def morning(request: Request, pain: Annotated[str, Form(max_length=3)]) -> Response:
    principal, me = _me(request)
    value = whole(pain, "pain", 0, 10)
    if value is None:
        raise InvalidInput("pain", "choose a number from 0 to 10")
    services_of(request).care.log_morning_pain(principal, me, value)
    if request.headers.get("hx-request"):
        return render(request, "patient/_morning_done.html", pain=value)
    return RedirectResponse("/today", status_code=303)


def _practice_kind(analysis: str | None, dosage: Dosage) -> str:
    """What the practice page counts: the camera analyzer's kind when there is one, else the
    dose's (one long hold, such as a rest position, is timed, not counted)."""
    if analysis is not None:
        return "hold" if analysis == "hold" else "reps"
    return "hold" if dosage.hold_s and dosage.reps == 1 else "reps"


def _item(routine: Routine | None, exercise_id: str) -> RoutineItem:
    for item in routine.items if routine else ():
        if item.exercise.id == exercise_id:
            return item
    raise NotFound("exercise", f"{exercise_id!r} is not in today's routine")


@router.get("/practice/{exercise_id}")
def practice(request: Request, exercise_id: str, short: bool = False) -> Response:
    principal, me = _me(request)
    care = services_of(request).care
    item = _item(_routine(request, principal, me, short), exercise_id)
    patient = care.record(principal, me).patient
    spec = live_spec(exercise_id, library=load_content(), analyzers=load_analyzer_specs())
    camera = patient.consent.camera_analysis and spec is not None
    note = (
        ""
        if camera
        else "Camera feedback is off: no consent to camera analysis is recorded."
        if not patient.consent.camera_analysis
        else "The camera cannot judge this exercise yet; use the timer."
    )
    return render(
        request,
        "patient/practice.html",
        item=item,
        exercise=item.exercise,
        cues=item.exercise.cues_at(item.cue_level),
        exercise_id=exercise_id,
        ws_url=f"/ws/practice/{exercise_id}",
        camera_allowed=camera,
        camera_note=note,
        pose_base="/vendor/mediapipe-pose/",
        kind=_practice_kind(spec.kind if spec is not None else None, item.dosage),
        target_reps=item.dosage.reps,
        target_hold_s=item.dosage.hold_s,
        exposure=item.exercise.track.value == "exposure",
    )


@router.post("/practice/{exercise_id}", dependencies=[Depends(check_csrf)])
def log_practice(
    request: Request,
    exercise_id: str,
    sets_done: Optional = "",
    reps_done: Optional = "",
    hold_s_done: Optional = "",
    quality: Optional = "",
    quality_source: Optional = "patient",
    pain_before: Optional = "",
    pain_during: Optional = "",
    pain_after: Optional = "",
    effort: Optional = "",
    fear: Optional = "",
    faults: Annotated[str, Form(max_length=2000)] = "",
    skipped: Optional = "",
    skip_reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    principal, me = _me(request)
    result: dict[str, Any] = {
        "exercise_id": exercise_id,
        "sets_done": whole(sets_done, "sets_done", 0, 50) or 0,
        "reps_done": whole(reps_done, "reps_done", 0, 1000) or 0,
        "hold_s_done": whole(hold_s_done, "hold_s_done", 0, 3600) or 0,
        "quality": share(quality, "quality"),
        "quality_source": quality_source,
        "pain_before": whole(pain_before, "pain_before", 0, 10),
        "pain_during": whole(pain_during, "pain_during", 0, 10),
        "pain_after": whole(pain_after, "pain_after", 0, 10),
        "effort": whole(effort, "effort", 0, 10),
        "fear": whole(fear, "fear", 0, 100),
        "faults": [f for f in faults.split(",") if f.strip()][:50],
        "skipped": skipped == "yes",
    }
    if result["skipped"]:
        result.update(quality=None, reps_done=0, hold_s_done=0, skip_reason=skip_reason.strip())
    elif result["pain_during"] is None:
        # The engine holds an exercise that hurts (pain.exercise_too_painful); unknown pain
        # must not read as none.
        raise InvalidInput("pain_during", "choose how much it hurt during the exercise, 0 to 10")
    care = services_of(request).care
    care.log_exercise(principal, me, care.today(), result)
    return RedirectResponse("/today?saved=" + exercise_id, status_code=303)


@router.get("/diary")
def diary(request: Request) -> Response:
    principal, me = _me(request)
    care = services_of(request).care
    course = care.course(principal, me)
    entries = sorted(course.diary, key=lambda d: str(d["day"]), reverse=True)
    return render(request, "patient/diary.html", entries=entries[:60], day=care.today())


@router.post("/diary", dependencies=[Depends(check_csrf)])
def save_diary(
    request: Request,
    day: Optional,
    pain: Optional,
    sleep: Optional = "",
    activities: Text = "",
    flare: Optional = "",
    notes: Text = "",
) -> Response:
    principal, me = _me(request)
    pain_value = whole(pain, "pain", 0, 10)
    if pain_value is None:
        raise InvalidInput("pain", "choose a number from 0 to 10")
    entry = {
        "day": day_of(day).isoformat(),
        "pain": pain_value,
        "sleep": whole(sleep, "sleep", 0, 10),
        "activities": activities,
        "flare": flare == "yes",
        "notes": notes,
    }
    services_of(request).care.save_diary(principal, me, entry)
    return RedirectResponse("/diary?saved=1", status_code=303)


@router.get("/progress")
def progress(request: Request) -> Response:
    principal, me = _me(request)
    seen = services_of(request).care.snapshot(principal, me)
    course, record = seen.course, seen.record
    return render(
        request,
        "patient/progress.html",
        chart=course_chart(course),
        outcomes=outcome_series(record),
        practised=sum(d.practised for d in course.days),
        days=len(course.days),
    )


@router.get("/ladder")
def ladder(request: Request) -> Response:
    principal, me = _me(request)
    plan = services_of(request).care.plan(principal, me)
    return render(request, "patient/ladder.html", plan=plan, ladder=plan.program.ladder)


@router.post("/ladder", dependencies=[Depends(check_csrf)])
def rate_fear(
    request: Request, activity: Annotated[str, Form(max_length=80)], fear: Optional
) -> Response:
    principal, me = _me(request)
    value = whole(fear, "fear", 0, 100)
    if value is None:
        raise InvalidInput("fear", "rate 0 to 100")
    services_of(request).care.rate_fear(principal, me, activity, value)
    return RedirectResponse("/ladder?saved=1", status_code=303)


@router.get("/learn")
def learn(request: Request) -> Response:
    principal, me = _me(request)
    plan = services_of(request).care.plan(principal, me)
    return render(request, "patient/learn.html", modules=plan.education)


@router.get("/goals")
def goals(request: Request) -> Response:
    principal, me = _me(request)
    care = services_of(request).care
    plan = care.plan(principal, me)
    own = care.course(principal, me).settings.get("goals", [])
    return render(request, "patient/goals.html", goals=plan.goals, own=own)


@router.post("/goals", dependencies=[Depends(check_csrf)])
def add_goal(
    request: Request, text: Annotated[str, Form(max_length=200)], by: Optional = ""
) -> Response:
    principal, me = _me(request)
    if not text.strip():
        raise InvalidInput("text", "write the goal in your own words")
    services_of(request).care.add_goal(principal, me, text, day_of(by, "by") if by else None)
    return RedirectResponse("/goals?saved=1", status_code=303)


@router.get("/flare-plan")
def flare_plan(request: Request) -> Response:
    principal, me = _me(request)
    plan = services_of(request).care.plan(principal, me)
    return render(request, "patient/flare_plan.html", plan=plan)


@router.get("/questionnaires")
def questionnaires(request: Request) -> Response:
    principal, me = _me(request)
    services = services_of(request)
    language = services.settings.language
    available = [
        (instrument, pack)
        for instrument in sorted(INSTRUMENTS.values(), key=lambda i: i.name)
        if (pack := services.text_packs.find(instrument.id, language)) is not None
    ]
    done = services.care.questionnaires(principal, me)
    return render(request, "patient/questionnaires.html", available=available, done=done)


def _installed(request: Request, instrument_id: str) -> tuple[Instrument, TextPack]:
    """A questionnaire and the clinic's installed wording for it (NotFound without one)."""
    services = services_of(request)
    instrument = INSTRUMENTS.get(instrument_id)
    pack = (
        services.text_packs.find(instrument_id, services.settings.language) if instrument else None
    )
    if instrument is None or pack is None:
        raise NotFound("questionnaire", f"no installed wording for {instrument_id!r}")
    return instrument, pack


@router.get("/questionnaires/{instrument_id}")
def questionnaire(request: Request, instrument_id: str) -> Response:
    _me(request)
    instrument, pack = _installed(request, instrument_id)
    items = [
        (
            item.number,
            item_prompt(pack, instrument, item.number),
            item_responses(pack, instrument, item.number),
        )
        for item in instrument.items
    ]
    return render(
        request, "patient/questionnaire.html", instrument=instrument, pack=pack, items=items
    )


@router.post("/questionnaires/{instrument_id}", dependencies=[Depends(check_csrf)])
async def answer_questionnaire(request: Request, instrument_id: str) -> Response:
    principal, me = await run_in_threadpool(_me, request)
    services = services_of(request)
    instrument, pack = _installed(request, instrument_id)
    form = await request.form()
    answers: list[int | None] = []
    for item in instrument.items:
        raw = form.get(f"item_{item.number}", "")
        answers.append(
            whole(
                raw if isinstance(raw, str) else "",
                f"answers[{item.number}]",
                item.minimum,
                item.maximum,
            )
        )
    label = f"{pack.title} ({pack.language}, {pack.version})"
    await run_in_threadpool(
        services.care.answer_questionnaire, principal, me, instrument.id, answers, label
    )
    return RedirectResponse("/questionnaires?saved=" + instrument.id, status_code=303)

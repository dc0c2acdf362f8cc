"""What a new user found walking through the app (2026-12-07), each pinned down: skipped
exercises, the manual mode's repetitions, the morning check, and form errors in words."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinecoach.bootstrap import Services

from .conftest import CLINICIAN, IMPROVING, page_csrf, principal_for, seeded_app, signed_in

Web = tuple[FastAPI, Services]


def _session_today(services: Services, pseudonym: str) -> dict[str, object]:
    staff = principal_for(services, CLINICIAN)
    day = services.care.today().isoformat()
    course = services.care.course(staff, pseudonym)
    return next(s for s in course.sessions if s["day"] == day)


def test_a_skipped_exercise_keeps_its_reason_and_is_not_shown_as_done(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    today = patient.get("/today").text
    exercise = today.split('href="/practice/', 1)[1].split('"', 1)[0].split("?", 1)[0]
    token = page_csrf(patient, f"/practice/{exercise}")
    response = patient.post(
        f"/practice/{exercise}",
        data={"csrf_token": token, "skipped": "yes", "skip_reason": "  sore after gardening "},
        follow_redirects=False,
    )
    assert response.status_code == 303
    logged = _session_today(services, "DEMO-001")["exercises"]
    assert isinstance(logged, list)
    entry = next(e for e in logged if e["exercise_id"] == exercise)
    assert (entry["skipped"], entry["skip_reason"]) == (True, "sore after gardening")
    row = patient.get("/today").text.split(f'href="/practice/{exercise}', 1)[0].rsplit("<li", 1)[1]
    assert 'class="skipped"' in row
    assert "✔" not in row
    assert "skipped today" in patient.get("/today").text


def test_manual_mode_lets_the_patient_say_how_many_repetitions(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    plan = services.care.plan(
        principal_for(services, CLINICIAN),
        "DEMO-001",
    )
    assert plan.routine is not None
    reps_item = next(i for i in plan.routine.items if not i.dosage.hold_s)
    page = patient.get(f"/practice/{reps_item.exercise.id}").text
    assert 'id="reps_done" name="reps_done" type="number"' in page
    assert f'value="{reps_item.dosage.reps}"' in page.split('id="reps_done"', 1)[1][:200]


def test_the_morning_check_asks_about_yesterday_in_the_demo(web: Web) -> None:
    app, _ = web
    patient = signed_in(app, IMPROVING)
    page = patient.get("/today").text
    assert 'action="/morning"' in page
    # One tap: every value is its own submit button.
    for value in range(11):
        assert f'<button type="submit" name="pain" value="{value}"' in page
    saved = patient.get("/ladder?saved=1").text
    assert '<p class="alert ok" role="status">Saved.</p>' in saved


def test_a_field_the_browser_should_have_required_gets_one_line(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    token = page_csrf(patient, "/diary")
    before = len(_diary(services))
    response = patient.post("/diary", data={"csrf_token": token, "day": "2026-01-01"})
    assert response.status_code == 422
    assert "pain: Field required" in response.text
    assert '"detail"' not in response.text
    assert "javascript:" not in response.text  # our CSP would block it: Back is done in app.js
    assert "data-go-back" in response.text
    assert len(_diary(services)) == before


def test_too_long_text_is_named_not_echoed(web: Web) -> None:
    app, _ = web
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, "/clinic/patients/DEMO-001")
    # Longer than the form allows (FastAPI's check), then than the service allows (pydantic).
    for note, status, limit in (("very long note " * 340, 422, 4000), ("long " * 600, 400, 2000)):
        response = clinician.post(
            "/clinic/patients/DEMO-001/checkins",
            data={"csrf_token": token, "on": "2026-12-24", "note": note},
        )
        assert response.status_code == status
        assert f"note: too long: at most {limit} characters" in response.text
        assert note[:40] not in response.text


def test_a_check_in_link_must_be_https(web: Web) -> None:
    app, _ = web
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, "/clinic/patients/DEMO-001")
    response = clinician.post(
        "/clinic/patients/DEMO-001/checkins",
        data={"csrf_token": token, "on": "2026-12-24", "link": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    assert "link: must be an https:// link, or left empty" in response.text


def _diary(services: Services) -> tuple[dict[str, object], ...]:
    staff = principal_for(services, CLINICIAN)
    return services.care.course(staff, "DEMO-001").diary


def test_pages_name_exercises_and_tests_in_words_and_have_an_icon(web: Web) -> None:
    app, services = web
    clinician = signed_in(app, CLINICIAN)
    page = clinician.get("/clinic/patients/DEMO-001").text
    sessions = page.split('id="sessions"', 1)[1].split("</table>", 1)[0]
    staff = principal_for(services, CLINICIAN)
    logged = services.care.course(staff, "DEMO-001").sessions[-1]["exercises"][0]["exercise_id"]
    library_name = services.care.plan(staff, "DEMO-001").library.exercises[logged].name
    assert library_name in sessions
    assert logged not in sessions
    goals = signed_in(app, IMPROVING).get("/goals").text
    assert "_deg" not in goals
    icon = TestClient(app).get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert 'rel="icon" href="/static/favicon.svg"' in TestClient(app).get("/login").text


def test_a_long_hold_is_timed_not_counted(tmp_path: Path) -> None:
    app, services = seeded_app(tmp_path)
    flare = signed_in(app, ("patient.flare", "spinecoach-patient"))
    plan = services.care.plan(principal_for(services, CLINICIAN), "DEMO-004")
    assert plan.routine is not None
    rest = next(i for i in plan.routine.items if i.dosage.hold_s and i.dosage.reps == 1)
    page = flare.get(f"/practice/{rest.exercise.id}").text
    assert "<dt hidden>Repetitions" in page
    assert 'id="reps_done" name="reps_done" type="number"' not in page
    services.close()


def test_practice_without_a_pain_rating_is_refused(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    exercise = patient.get("/today").text.split('href="/practice/', 1)[1].split('"', 1)[0]
    exercise = exercise.split("?", 1)[0]
    token = page_csrf(patient, f"/practice/{exercise}")
    response = patient.post(
        f"/practice/{exercise}", data={"csrf_token": token, "sets_done": "2", "effort": "4"}
    )
    assert response.status_code == 400
    assert "pain_during: choose how much it hurt during the exercise, 0 to 10" in response.text
    day = services.care.today().isoformat()
    course = services.care.course(principal_for(services, CLINICIAN), "DEMO-001")
    assert not any(s["day"] == day for s in course.sessions)  # nothing stored

"""A clinician and a patient, each through the pages as a new user would (no browser)."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinecoach.bootstrap import Services

from .conftest import CLINICIAN, IMPROVING, csrf_of, page_csrf, signed_in

Web = tuple[FastAPI, Services]


def test_clinician_assesses_plans_invites_and_patient_practises(web: Web) -> None:
    app, services = web
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, "/clinic/patients/new")
    response = clinician.post(
        "/clinic/patients/new",
        data={
            "pseudonym": "NEW-100",
            "age": "41",
            "sex": "female",
            "consent_exercise": "yes",
            "consent_camera": "yes",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/clinic/patients/NEW-100/assess"
    token = page_csrf(clinician, "/clinic/patients/NEW-100/assess")
    response = clinician.post(
        "/clinic/patients/NEW-100/assess",
        data={
            "csrf_token": token,
            "kind": "baseline",
            "q_nprs": "6",
            "q_odi": "3,1,3,2,3,2,2,1,2,2",
            "t_mcgill_flexor": "90",
            "t_mcgill_extensor": "70",
            "t_mcgill_side_left": "40",
            "t_mcgill_side_right": "52",
            "t_sts5_seconds": "11.5",
            "pain_duration_weeks": "30",
            "aggravating": "sitting, bending",
            "goals": "walk 5 km",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/clinic/patients/NEW-100/program"
    program = clinician.get("/clinic/patients/NEW-100/program").text
    assert "The engine's decisions" in program
    key = program.split('name="key" value="')[1].split('"')[0]
    token = csrf_of(program)
    accepted = clinician.post(
        "/clinic/patients/NEW-100/accept",
        data={"key": key, "csrf_token": token},
        headers={"hx-request": "true"},
    )
    assert "accepted" in accepted.text
    assert "badge ok" in clinician.get("/clinic/patients/NEW-100/program").text
    invited = clinician.post("/clinic/patients/NEW-100/invite", data={"csrf_token": token}).text
    link = invited.split('id="invite-link" readonly value="')[1].split('"')[0]
    path = link.split("testserver", 1)[1]

    patient = TestClient(app)
    csrf = csrf_of(patient.get(path).text)
    response = patient.post(
        path,
        data={
            "username": "new.patient",
            "password": "my-own-password",
            "password_again": "my-own-password",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/today"
    today = patient.get("/today").text
    exercise = today.split('href="/practice/')[1].split('"')[0]
    practice = patient.get(f"/practice/{exercise}").text
    assert 'id="after-form"' in practice
    response = patient.post(
        f"/practice/{exercise}",
        data={
            "csrf_token": csrf_of(practice),
            "sets_done": "2",
            "reps_done": "8",
            "hold_s_done": "10",
            "quality": "0.75",
            "quality_source": "camera",
            "pain_during": "3",
            "effort": "4",
            "faults": "lumbar_flexion",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "(done today)" in patient.get("/today").text
    diary = patient.get("/diary").text
    day = diary.split('name="day" type="date" value="')[1][:10]
    patient.post(
        "/diary",
        data={"csrf_token": csrf_of(diary), "day": day, "pain": "4", "activities": "gardening"},
    )
    assert "gardening" in patient.get("/diary").text

    overview = clinician.get("/clinic/patients/NEW-100").text
    assert "gardening" in overview
    assert "75%, camera" in overview
    assert "lumbar flexion (1×)" in overview
    by_exercise = overview.split('id="quality-by-exercise"')[1].split("</section>")[0]
    assert "<td>75</td>" in by_exercise  # this week's one camera-judged set at 75 %
    chart = json.loads(
        overview.split('data-chart="')[1].split('"')[0].replace("&#34;", '"').replace("&quot;", '"')
    )
    assert chart["pain"][-1] == 4
    assert chart["quality"][-1] == 75
    assert "The patient uses the app." in overview
    tests_table = overview.split('id="tests-over-time"')[1].split("</section>")[0]
    assert "McGill torso endurance battery" in tests_table  # named in words, not by id
    assert "Five-times sit-to-stand" in tests_table
    caseload = clinician.get("/clinic").text
    assert "NEW-100" in caseload
    assert services.care.today().isoformat() == day


def test_bad_input_gets_a_one_line_error_and_stores_nothing(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    token = page_csrf(patient, "/diary")
    response = patient.post("/diary", data={"csrf_token": token, "day": "2026-13-40", "pain": "4"})
    assert response.status_code == 400
    assert "day: must be a date YYYY-MM-DD" in response.text
    response = patient.post("/diary", data={"csrf_token": token, "day": "2026-01-01", "pain": "11"})
    assert "pain: must be 0–10, got 11" in response.text
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, "/clinic/patients/DEMO-001/assess")
    before = len(services.clinic.patient_record(actor="t", pseudonym="DEMO-001").assessments)
    response = clinician.post(
        "/clinic/patients/DEMO-001/assess",
        data={"csrf_token": token, "q_odi": "3,1,9", "q_nprs": "4"},
    )
    assert response.status_code == 400
    assert "odi" in response.text
    after = len(services.clinic.patient_record(actor="t", pseudonym="DEMO-001").assessments)
    assert after == before


def test_caseload_puts_red_flag_and_flare_first_with_reasons(web: Web) -> None:
    app, _ = web
    page = signed_in(app, CLINICIAN).get("/clinic").text
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    order = [row.split('href="/clinic/patients/')[1].split('"')[0] for row in rows]
    assert order[:2] == ["DEMO-003", "DEMO-004"]
    assert "cauda equina" in rows[0]
    assert re.search(r"Flare: \d+ flare days? in the last 7 days", rows[1])


def test_live_socket_answers_frames_and_summarises(web: Web) -> None:
    app, services = web
    staff = services.accounts.sign_in(
        username=CLINICIAN[0], password=CLINICIAN[1], client="t"
    ).principal
    prescribe = {"kind": "prescribe", "target": "standing_arm_raise", "reason": "camera check"}
    services.care.override(staff, "DEMO-001", prescribe)
    patient = signed_in(app, IMPROVING)
    with patient.websocket_connect(
        "/ws/practice/standing_arm_raise",
        headers={"origin": "http://testserver"},  # the test client's host
    ) as socket:
        socket.send_json({"t": 0.0, "aspect": 1.33, "lm": None})
        reply = socket.receive_json()
        assert reply["type"] == "feedback"
        assert reply["reps"] == 0
        for step in range(1, 40):
            socket.send_json({"t": step / 30, "aspect": 1.33, "lm": None})
            reply = socket.receive_json()
        assert reply["setup"] == "Step into the picture so the camera can see you."
        socket.send_json({"t": 2.0, "aspect": 1.33, "lm": [[0.5, 0.5, 0.0, 0.9]] * 3})
        error = socket.receive_json()
        assert error == {
            "type": "error",
            "field": "lm",
            "problem": "must be 33 rows of x, y, z, visibility",
        }
        socket.send_text("not json")
        assert socket.receive_json()["problem"] == "not JSON"
        # A few frames in one message (as practice.js sends them): one reply for all.
        batch = [{"t": 2.0 + k / 30, "lm": None} for k in range(3)]
        socket.send_json({"aspect": 1.33, "mirrored": True, "frames": batch})
        assert socket.receive_json()["type"] == "feedback"
        socket.send_json({"type": "end"})
        summary = socket.receive_json()
        assert summary["type"] == "summary"
        assert summary["frames"] == 43
        assert summary["frames_with_person"] == 0

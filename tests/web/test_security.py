"""The obvious attacks on the web app, each of which must fail."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from spinecoach.bootstrap import Services
from spinecoach.domain.accounts import Role
from spinecoach.services.accounts import THROTTLE_FAILURES, SignInRefused
from spinecoach.services.clinic import NotFound

from .conftest import (
    ADMIN,
    CLINICIAN,
    FEARFUL,
    IMPROVING,
    csrf_of,
    page_csrf,
    seeded_app,
    signed_in,
)

Web = tuple[FastAPI, Services]


def test_pages_need_a_session(web: Web) -> None:
    client = TestClient(web[0])
    for path in ("/today", "/diary", "/clinic", "/clinic/patients/DEMO-001", "/admin"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_passwords_are_stored_as_argon2id(web: Web) -> None:
    _, services = web
    admin = services.accounts.sign_in(username=ADMIN[0], password=ADMIN[1], client="t").principal
    users = services.accounts.users(principal=admin)
    assert users
    assert all(u.password_hash.startswith("$argon2id$") for u in users)
    assert all(IMPROVING[1] not in u.password_hash for u in users)


def test_session_cookie_flags_and_security_headers(web: Web) -> None:
    client = TestClient(web[0])
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": IMPROVING[0], "password": IMPROVING[1], "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    page = client.get("/today")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"


def test_secure_cookie_under_https(web: Web) -> None:
    client = TestClient(web[0], base_url="https://clinic.example")
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": IMPROVING[0], "password": IMPROVING[1], "csrf_token": token},
        follow_redirects=False,
    )
    assert "secure" in response.headers["set-cookie"].lower()


def test_another_patients_id_in_a_url_is_refused(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    for path in ("/clinic/patients/DEMO-002", "/clinic/patients/DEMO-002/program"):
        assert patient.get(path).status_code == 403  # a patient never reaches clinician pages
    own = services.care.own_pseudonym(
        services.accounts.sign_in(
            username=IMPROVING[0], password=IMPROVING[1], client="t"
        ).principal
    )
    assert own == "DEMO-001"


def test_services_refuse_another_patients_record(web: Web) -> None:
    _, services = web
    me = services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")
    for call in (
        lambda: services.care.course(me.principal, "DEMO-002"),
        lambda: services.care.plan(me.principal, "DEMO-002"),
        lambda: services.care.record(me.principal, "DEMO-002"),
        lambda: services.care.save_diary(
            me.principal, "DEMO-002", {"day": "2026-01-01", "pain": 3}
        ),
    ):
        with pytest.raises(NotFound):
            call()


def test_clinician_sees_only_patients_in_their_care(web: Web) -> None:
    app, services = web
    admin = services.accounts.sign_in(username=ADMIN[0], password=ADMIN[1], client="t").principal
    services.accounts.create_user(
        principal=admin, username="dr.other", password="another-clinician", role=Role.CLINICIAN
    )
    other = signed_in(app, ("dr.other", "another-clinician"))
    assert "DEMO-001" not in other.get("/clinic").text
    for path in ("/clinic/patients/DEMO-001", "/clinic/patients/DEMO-001/report"):
        response = other.get(path)
        assert response.status_code == 404
        assert "Dr Demo" not in response.text
    token = page_csrf(other, "/clinic")
    response = other.post(
        "/clinic/patients/DEMO-001/invite", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 404
    # Unknown and not-in-care look the same: no way to learn which pseudonyms exist.
    assert other.get("/clinic/patients/NOPE-999").status_code == 404


def test_admin_reads_accounts_and_audit_but_no_clinical_record(web: Web) -> None:
    app, _ = web
    admin = signed_in(app, ADMIN)
    assert admin.get("/admin").status_code == 200
    assert admin.get("/clinic/patients/DEMO-001").status_code == 403
    assert admin.get("/today").status_code == 403


def test_post_without_or_with_a_wrong_csrf_token_changes_nothing(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    entry = {"day": "2026-01-01", "pain": "4", "notes": "forged"}
    assert patient.post("/diary", data=entry).status_code == 403
    assert patient.post("/diary", data={**entry, "csrf_token": "guess"}).status_code == 403
    other = signed_in(app, FEARFUL)
    foreign = page_csrf(other, "/diary")  # a real token, but another session's
    assert patient.post("/diary", data={**entry, "csrf_token": foreign}).status_code == 403
    me = services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")
    diary = services.care.course(me.principal, "DEMO-001").diary
    assert not any(d.get("notes") == "forged" for d in diary)


def test_login_form_needs_its_csrf_token(web: Web) -> None:
    client = TestClient(web[0])
    client.get("/login")
    response = client.post("/login", data={"username": IMPROVING[0], "password": IMPROVING[1]})
    assert response.status_code == 403


def test_session_fixation_is_impossible(web: Web) -> None:
    app, _ = web
    client = TestClient(app)
    planted = "attacker-chosen-token"
    client.cookies.set("sc_session", planted)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": IMPROVING[0], "password": IMPROVING[1], "csrf_token": token},
        follow_redirects=False,
    )
    issued = response.cookies.get("sc_session")
    assert issued
    assert issued != planted
    attacker = TestClient(app)
    attacker.cookies.set("sc_session", planted)
    assert attacker.get("/today", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session_on_the_server(web: Web) -> None:
    app, _ = web
    patient = signed_in(app, IMPROVING)
    stolen = patient.cookies.get("sc_session")
    token = page_csrf(patient, "/today")
    patient.post("/logout", data={"csrf_token": token})
    thief = TestClient(app)
    thief.cookies.set("sc_session", stolen or "")
    assert thief.get("/today", follow_redirects=False).status_code == 303


def test_role_escalation_is_refused(web: Web) -> None:
    app, services = web
    for login in (IMPROVING, CLINICIAN):
        client = signed_in(app, login)
        token = page_csrf(client, "/today" if login == IMPROVING else "/clinic")
        form = {"username": "mallory", "password": "mallory-password", "role": "admin"}
        response = client.post("/admin/users", data={**form, "csrf_token": token})
        assert response.status_code == 403
    admin = services.accounts.sign_in(username=ADMIN[0], password=ADMIN[1], client="t").principal
    assert "mallory" not in {u.username for u in services.accounts.users(principal=admin)}
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, "/clinic")
    response = clinician.post(
        "/practice/bent_knee_fallout", data={"csrf_token": token, "reps_done": "5"}
    )
    assert response.status_code == 403  # a clinician cannot log practice as a patient


def test_login_is_throttled_after_repeated_failures(web: Web) -> None:
    app, services = web
    client = TestClient(app)
    for _ in range(THROTTLE_FAILURES):
        token = csrf_of(client.get("/login").text)
        wrong = {"username": IMPROVING[0], "password": "not-the-password", "csrf_token": token}
        assert client.post("/login", data=wrong).status_code == 401
    token = csrf_of(client.get("/login").text)
    right = {"username": IMPROVING[0], "password": IMPROVING[1], "csrf_token": token}
    response = client.post("/login", data=right)
    assert response.status_code == 401
    assert "too many failed sign-ins" in response.text
    admin = services.accounts.sign_in(username=ADMIN[0], password=ADMIN[1], client="t").principal
    events = services.accounts.audit_log(principal=admin)
    assert any(e.action == "sign_in_throttled" for e in events)


def test_unknown_account_and_wrong_password_read_the_same(web: Web) -> None:
    client = TestClient(web[0])
    messages = []
    for name in (IMPROVING[0], "no.such.user"):
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": name, "password": "wrong-password!", "csrf_token": token}
        )
        messages.append(response.text.split('id="login-error">')[1].split("<")[0])
    assert messages[0] == messages[1]


def test_no_open_redirect_after_sign_in(web: Web) -> None:
    client = TestClient(web[0])
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": IMPROVING[0],
            "password": IMPROVING[1],
            "csrf_token": token,
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/today"


def test_invitation_links_work_once(web: Web) -> None:
    app, services = web
    clinician = services.accounts.sign_in(
        username=CLINICIAN[0], password=CLINICIAN[1], client="t"
    ).principal
    token = services.accounts.invite_patient(principal=clinician, pseudonym="DEMO-003")
    client = TestClient(app)
    form = {
        "username": "patient.three",
        "password": "a-good-password",
        "password_again": "a-good-password",
    }
    csrf = csrf_of(client.get(f"/invite/{token}").text)
    response = client.post(
        f"/invite/{token}", data={**form, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    again = TestClient(app)
    assert again.get(f"/invite/{token}").status_code == 404
    assert again.get("/invite/made-up-token").status_code == 404


def test_patient_text_is_escaped_for_the_clinician(web: Web) -> None:
    app, _ = web
    patient = signed_in(app, IMPROVING)
    token = page_csrf(patient, "/diary")
    day = patient.get("/diary").text.split('name="day" type="date" value="')[1][:10]
    script = "<script>alert(1)</script>"
    response = patient.post(
        "/diary", data={"day": day, "pain": "3", "notes": script, "csrf_token": token}
    )
    assert response.status_code == 200
    page = signed_in(app, CLINICIAN).get("/clinic/patients/DEMO-001").text
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_every_read_of_patient_data_is_audited(web: Web) -> None:
    app, services = web
    signed_in(app, CLINICIAN).get("/clinic/patients/DEMO-002")
    admin = services.accounts.sign_in(username=ADMIN[0], password=ADMIN[1], client="t").principal
    events = services.accounts.audit_log(principal=admin, limit=500)
    reads = [e for e in events if e.actor == "clinician:dr.demo" and e.entity_id == "DEMO-002"]
    assert {"read"} <= {e.action for e in reads}
    denied = TestClient(app)
    assert denied.get("/clinic/patients/DEMO-002", follow_redirects=False).status_code == 303


def test_live_socket_refuses_other_origins_and_non_patients(web: Web) -> None:
    app, _ = web
    patient = signed_in(app, IMPROVING)
    with (
        pytest.raises(WebSocketDisconnect),
        patient.websocket_connect(
            "/ws/practice/bird_dog", headers={"origin": "http://evil.example"}
        ) as socket,
    ):
        socket.receive_json()
    clinician = signed_in(app, CLINICIAN)
    with (
        pytest.raises(WebSocketDisconnect),
        clinician.websocket_connect(
            "/ws/practice/bird_dog",
            headers={"origin": "http://testserver"},  # the test client's host
        ) as socket,
    ):
        socket.receive_json()
    anonymous = TestClient(app)
    with (
        pytest.raises(WebSocketDisconnect),
        anonymous.websocket_connect(
            "/ws/practice/bird_dog",
            headers={"origin": "http://testserver"},  # the test client's host
        ) as socket,
    ):
        socket.receive_json()


def test_disabled_account_loses_its_sessions(web: Web) -> None:
    app, services = web
    patient = signed_in(app, IMPROVING)
    admin = services.accounts.sign_in(username=ADMIN[0], password=ADMIN[1], client="t").principal
    services.accounts.set_active(principal=admin, username=IMPROVING[0], active=False)
    assert patient.get("/today", follow_redirects=False).status_code == 303
    with pytest.raises(SignInRefused):
        services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")


def test_concurrent_readers_and_writers_do_not_lock_sqlite(tmp_path: Path) -> None:
    """Every page view writes audit rows; twenty at once must queue, not fail (a deferred
    SQLite transaction that reads then writes failed here with "database is locked")."""
    _, services = seeded_app(tmp_path)
    staff = services.accounts.sign_in(
        username=CLINICIAN[0], password=CLINICIAN[1], client="t"
    ).principal
    errors: list[str] = []

    def views() -> None:
        try:
            for _ in range(5):
                services.care.snapshot(staff, "DEMO-001")
                services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="u")
        except Exception as error:  # collected, so the test shows what failed
            errors.append(repr(error)[:200])

    workers = [threading.Thread(target=views) for _ in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    services.close()
    assert errors == []


def test_live_socket_needs_camera_consent_and_the_exercise_in_the_routine(web: Web) -> None:
    app, _ = web
    origin = {"origin": "http://testserver"}  # the test client's host
    no_consent = signed_in(app, FEARFUL)  # DEMO-002 has not consented to camera analysis
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        no_consent.websocket_connect("/ws/practice/bird_dog", headers=origin) as socket,
    ):
        socket.receive_json()
    assert refused.value.reason == "no consent to camera analysis"
    patient = signed_in(app, IMPROVING)
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        patient.websocket_connect("/ws/practice/lift_from_floor", headers=origin) as socket,
    ):
        socket.receive_json()
    assert refused.value.reason == "not in today's routine"

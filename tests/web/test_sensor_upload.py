"""A clinician uploads an EMG recording to a patient's assessment, sees numbers and plot, and
records the results; a patient or another clinic's clinician cannot."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.websockets import WebSocketDisconnect

from spinecoach.analysis import emg
from spinecoach.bootstrap import Services
from tests.integration.test_sensor_cli import arm_raises, two_sensor_csv

from .conftest import CLINICIAN, IMPROVING, page_csrf, signed_in

Web = tuple[FastAPI, Services]
ASSESS = "/clinic/patients/DEMO-001/assess"


def _upload(client: TestClient, token: str, content: bytes, **fields: str) -> httpx.Response:
    response: httpx.Response = client.post(
        "/clinic/patients/DEMO-001/sensors",
        data={"csrf_token": token, "kind": "emg", **fields},
        files={"recording": ("arm.edf", content, "application/octet-stream")},
    )
    return response


def test_clinician_uploads_emg_sees_numbers_and_records_them(web: Web, tmp_path: Path) -> None:
    app, services = web
    content = arm_raises(tmp_path / "arm.edf").read_bytes()
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, ASSESS)
    page = _upload(clinician, token, content, prime_mover="Deltoid")
    assert page.status_code == 200, page.text
    assert "2/10" in page.text
    assert "feed-forward absent" in page.text
    assert 'src="data:image/png;base64,' in page.text
    before = len(services.clinic.patient_record(actor="t", pseudonym="DEMO-001").assessments)
    found = re.search(r'name="tests" value="([^"]*)"', page.text)
    assert found is not None
    tests = html.unescape(found.group(1))
    stored = clinician.post(
        "/clinic/patients/DEMO-001/sensors/record",
        data={"csrf_token": token, "tests": tests, "source": "arm.edf"},
        follow_redirects=False,
    )
    assert stored.status_code == 303
    record = services.clinic.patient_record(actor="t", pseudonym="DEMO-001")
    assert len(record.assessments) == before + 1
    latest = record.assessments[-1]
    assert latest.tests["feedforward_timing"].category == "absent"
    overview = clinician.get("/clinic/patients/DEMO-001").text
    assert "feed-forward absent" in overview  # the physical tests over time
    with services.engine.connect() as connection:
        audited = connection.execute(
            text("SELECT entity, entity_id, detail FROM audit_events WHERE action = 'analyse'")
        ).all()
    assert [tuple(row) for row in audited] == [("sensor recording", "DEMO-001", "arm.edf")]


def test_two_imu_sensors_give_lumbar_angles_on_the_page(web: Web, tmp_path: Path) -> None:
    app, _ = web
    content = two_sensor_csv(tmp_path / "trunk.csv").read_bytes()
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, ASSESS)
    page = clinician.post(
        "/clinic/patients/DEMO-001/sensors",
        data={"csrf_token": token, "kind": "imu", "thorax": "thorax", "pelvis": "pelvis"},
        files={"recording": ("trunk.csv", content, "text/csv")},
    )
    assert page.status_code == 200, page.text
    assert "Lumbar flexion" in page.text
    assert "shown, not stored" in page.text
    half = clinician.post(
        "/clinic/patients/DEMO-001/sensors",
        data={"csrf_token": token, "kind": "imu", "thorax": "thorax"},
        files={"recording": ("trunk.csv", content, "text/csv")},
    )
    assert half.status_code == 400
    assert "pelvis" in half.text


def test_bad_uploads_get_one_line_and_store_nothing(web: Web, tmp_path: Path) -> None:
    app, services = web
    clinician = signed_in(app, CLINICIAN)
    token = page_csrf(clinician, ASSESS)
    before = len(services.clinic.patient_record(actor="t", pseudonym="DEMO-001").assessments)
    broken = _upload(clinician, token, b"0       certainly not EDF")
    assert broken.status_code == 400
    assert "arm.edf" in broken.text
    content = arm_raises(tmp_path / "arm.edf").read_bytes()
    unknown = _upload(clinician, token, content, prime_mover="Biceps")
    assert unknown.status_code == 400
    assert "Biceps" in unknown.text
    after = len(services.clinic.patient_record(actor="t", pseudonym="DEMO-001").assessments)
    assert after == before


def test_an_oversized_upload_is_refused_before_it_is_read(web: Web) -> None:
    app, _ = web
    clinician = signed_in(app, CLINICIAN)
    response = clinician.post(
        "/clinic/patients/DEMO-001/sensors",
        content=b"x",
        headers={"content-length": str(200 * 2**20), "content-type": "multipart/form-data"},
    )
    assert response.status_code == 413


def test_patients_and_missing_csrf_are_refused(web: Web, tmp_path: Path) -> None:
    app, _ = web
    content = arm_raises(tmp_path / "arm.edf").read_bytes()
    patient = signed_in(app, IMPROVING)
    token = page_csrf(patient, "/today")
    refused = _upload(patient, token, content, prime_mover="Deltoid")
    assert refused.status_code in (403, 404)
    clinician = signed_in(app, CLINICIAN)
    no_token = _upload(clinician, "", content, prime_mover="Deltoid")
    assert no_token.status_code == 403


def test_sensor_socket_streams_emg_biofeedback(web: Web) -> None:
    app, _ = web
    series, _ = emg.simulate_emg(
        [[1.0]], duration_s=4.0, burst_s=2.5, snr_db=30.0, names=["TrA"], seed=5
    )
    clinician = signed_in(app, CLINICIAN)
    with clinician.websocket_connect("/ws/sensors/DEMO-001") as socket:  # a bridge: no Origin
        socket.send_json({"t": 0.0, "samples": [[1.0]]})
        assert socket.receive_json()["field"] == "type"  # start first
        socket.send_json(
            {
                "type": "start",
                "kind": "emg",
                "rate_hz": 1000,
                "channels": ["TrA"],
                "deep": "TrA",
                "reference": {"TrA": 40.0},
                "hold_s": 2.0,
            }
        )
        assert socket.receive_json() == {"type": "started"}
        replies = []
        for start in range(0, series.frames, 20):
            chunk = series.values[start : start + 20].tolist()
            socket.send_json({"t": start / 1000, "samples": chunk})
            replies.append(socket.receive_json())
        assert max(r["levels_pct"]["TrA"] for r in replies) > 50
        socket.send_json({"t": 9.0, "samples": [[1.0, 2.0]]})
        assert socket.receive_json() == {
            "type": "error",
            "field": "samples",
            "problem": "each row must have 1 values",
        }
        socket.send_json({"type": "end"})
        summary = socket.receive_json()
        assert summary["type"] == "summary"
        assert summary["good_holds"] == 1
    with clinician.websocket_connect("/ws/sensors/DEMO-001") as socket:
        socket.send_json(
            {"type": "start", "kind": "emg", "rate_hz": 1000, "channels": ["TrA"], "deep": "TrA"}
        )
        assert socket.receive_json() == {"type": "started"}
        socket.send_json({"type": "reference", "samples": series.values[:3500].tolist()})
        reply = socket.receive_json()
        assert reply["type"] == "reference"
        assert reply["reference"]["TrA"] > 0


def test_sensor_socket_refuses_patients_strangers_and_other_origins(web: Web) -> None:
    app, _ = web
    clinician = signed_in(app, CLINICIAN)
    patient = signed_in(app, IMPROVING)
    for client, path, headers in (
        (clinician, "/ws/sensors/DEMO-001", {"origin": "http://evil.example"}),
        (clinician, "/ws/sensors/NOBODY-9", {}),
        (patient, "/ws/sensors/DEMO-001", {}),
        (TestClient(app), "/ws/sensors/DEMO-001", {}),
    ):
        with (
            pytest.raises(WebSocketDisconnect),
            client.websocket_connect(path, headers=headers) as socket,
        ):
            socket.receive_json()

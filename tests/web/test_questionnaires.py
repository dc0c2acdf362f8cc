"""Questionnaires at home from a clinic's text pack, added to the record by the clinician.

The pack is placeholder wording we wrote for the test: real questionnaire text never appears
in this repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from spinecoach.services.accounts import AccessDenied

from .conftest import CLINICIAN, IMPROVING, csrf_of, seeded_app, signed_in


def write_placeholder_odi(folder: Path) -> Path:
    pack = {
        "instrument": "odi",
        "language": "en",
        "version": "placeholder 1",
        "licence": "Placeholder licence (test fixture)",
        "title": "Placeholder back questionnaire",
        "items": [
            {
                "number": n,
                "text": f"Placeholder section {n}",
                "responses": [f"Placeholder answer {v}" for v in range(6)],
            }
            for n in range(1, 11)
        ],
    }
    folder.mkdir()
    (folder / "odi-en.yaml").write_text(yaml.safe_dump(pack), encoding="utf-8")
    return folder


def test_patient_answers_and_clinician_adds_them_to_the_record(tmp_path: Path) -> None:
    packs = write_placeholder_odi(tmp_path / "packs")
    app, services = seeded_app(tmp_path, text_packs=packs)
    patient = signed_in(app, IMPROVING)
    listing = patient.get("/questionnaires").text
    assert "Placeholder back questionnaire" in listing
    form = patient.get("/questionnaires/odi").text
    assert "Placeholder section 10" in form
    answers = {f"item_{n}": "2" for n in range(1, 11)} | {"item_9": ""}  # one left out
    response = patient.post(
        "/questionnaires/odi", data={**answers, "csrf_token": csrf_of(form)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "ODI — score 40" in patient.get("/questionnaires").text  # 18 of 45 → 40 (ODI rule)
    out_of_range = {f"item_{n}": "7" for n in range(1, 11)}
    bad = patient.post("/questionnaires/odi", data={**out_of_range, "csrf_token": csrf_of(form)})
    assert bad.status_code == 400
    assert "answers[1]: must be 0–5, got 7" in bad.text

    clinician = signed_in(app, CLINICIAN)
    overview = clinician.get("/clinic/patients/DEMO-001").text
    key = overview.split('id="home-answers"')[1].split('name="key" value="')[1].split('"')[0]
    before = len(services.clinic.patient_record(actor="t", pseudonym="DEMO-001").assessments)
    clinician.post(
        "/clinic/patients/DEMO-001/questionnaires",
        data={"key": key, "csrf_token": csrf_of(overview)},
    )
    record = services.clinic.patient_record(actor="t", pseudonym="DEMO-001")
    assert len(record.assessments) == before + 1
    latest = record.assessments[-1]
    assert latest.questionnaires["odi"].score == 40
    assert "placeholder 1" in latest.assessment.notes
    assert "in the record" in clinician.get("/clinic/patients/DEMO-001").text
    services.close()


def test_no_pack_means_no_patient_questionnaire(tmp_path: Path) -> None:
    app, services = seeded_app(tmp_path)
    patient = signed_in(app, IMPROVING)
    assert "No questionnaires are installed here" in patient.get("/questionnaires").text
    assert patient.get("/questionnaires/odi").status_code == 404
    me = services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")
    with pytest.raises(AccessDenied, match="clinician"):
        services.care.add_answers_to_record(me.principal, "DEMO-001", "x")
    services.close()

"""The caseload reads every patient in a clinician's care in a fixed number of queries, the
batched reads give exactly what reading one patient at a time gives, and a patient's row is
kept only while their record and the day stay the same."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

from spinecoach.adapters.db.care import SqlCareUnitOfWork
from spinecoach.bootstrap import Services
from spinecoach.services.care import COURSE_KINDS, CaseloadEntry
from spinecoach.services.demo import FLARE_PATIENT
from spinecoach.services.schemas import AssessmentIn
from tests.fakes import FixedClock

from .conftest import ADMIN, CLINICIAN, IMPROVING, principal_for, seeded_app

Web = tuple[FastAPI, Services]


@contextmanager
def _selects(services: Services) -> Iterator[list[str]]:
    """The SELECT statements run on the services' database inside the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        statement = str(args[2])
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(services.engine, "before_cursor_execute", record)


def _add_patients_in_care(services: Services, count: int) -> None:
    """``count`` more patients in the demo clinician's care, each with an assessment and a
    diary day (so every kind of read has rows to find)."""
    admin, staff = principal_for(services, ADMIN), principal_for(services, CLINICIAN)
    for number in range(count):
        pseudonym = f"MORE-{number:02d}"
        services.clinic.add_patient(
            actor="test", patient=replace(FLARE_PATIENT, pseudonym=pseudonym), reason="test"
        )
        services.care.assign(admin, clinician_id=staff.user_id, pseudonym=pseudonym)
        services.care.record_assessment(
            staff,
            pseudonym,
            AssessmentIn.model_validate({"kind": "baseline", "questionnaires": {"nprs": [5]}}),
        )
        services.care.save_diary(
            staff, pseudonym, {"day": services.care.today().isoformat(), "pain": 4}
        )


def test_the_caseload_does_not_query_per_patient(web: Web) -> None:
    _, services = web
    staff = principal_for(services, CLINICIAN)
    with _selects(services) as before:
        few = services.care.caseload(staff)
    _add_patients_in_care(services, 5)
    with _selects(services) as after:
        more = services.care.caseload(staff)
    assert len(more) == len(few) + 5
    assert len(after) == len(before), "\n".join(after)


def test_batched_reads_equal_reads_one_patient_at_a_time(web: Web) -> None:
    _, services = web
    _add_patients_in_care(services, 2)
    factory = services.care._uow_factory
    with factory() as uow:
        assert isinstance(uow, SqlCareUnitOfWork)
        ids = [p.id for p in uow.patients.all() if p.id is not None]
        assert len(ids) >= 6
        documents = uow.documents.by_kind_for(ids, COURSE_KINDS)
        episodes = uow.episodes.for_patients(ids)
        assessments = uow.assessments.current_for_patients(ids)
        for patient_id in ids:
            assert documents[patient_id] == uow.documents.by_kind(patient_id, COURSE_KINDS)
            assert episodes[patient_id] == uow.episodes.for_patient(patient_id)
            assert assessments[patient_id] == uow.assessments.current_for_patient(patient_id)
        # Nothing of one patient lands with another.
        for patient_id in ids:
            assert all(e.patient_id == patient_id for e in episodes[patient_id])
            assert all(
                d.patient_id == patient_id
                for kind in COURSE_KINDS
                for d in documents[patient_id][kind]
            )
        assert sum(len(documents[i]["diary"]) for i in ids) >= 2
        assert uow.documents.by_kind_for([], COURSE_KINDS) == {}


def _codes(entries: list[CaseloadEntry], pseudonym: str) -> set[str]:
    return {r.code for e in entries if e.pseudonym == pseudonym for r in e.reasons}


def test_a_row_is_kept_until_the_record_or_the_day_changes(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))  # writes below happen at the very same instant
    _, services = seeded_app(tmp_path, clock=clock)
    staff = principal_for(services, CLINICIAN)
    me = principal_for(services, IMPROVING)
    day = services.care.today().isoformat()
    services.care.save_diary(me, "DEMO-001", {"day": day, "pain": 3})
    with _selects(services) as first:
        assert "flare" not in _codes(services.care.caseload(staff), "DEMO-001")
    with _selects(services) as kept:
        assert "flare" not in _codes(services.care.caseload(staff), "DEMO-001")
    assert len(kept) < len(first)  # nothing changed: no record or document read
    # The same diary day replaced, same time stamp: only the document's revision shows it.
    services.care.save_diary(me, "DEMO-001", {"day": day, "pain": 8, "flare": True})
    with _selects(services) as changed:
        assert "flare" in _codes(services.care.caseload(staff), "DEMO-001")
    assert len(changed) == len(first)
    clock.advance(days=1)  # a new day: every row is worked out again
    with _selects(services) as next_day:
        services.care.caseload(staff)
    assert len(next_day) == len(first)
    services.close()


def test_kept_rows_are_still_audited_as_read(web: Web) -> None:
    _, services = web
    staff = principal_for(services, CLINICIAN)
    shown = {e.pseudonym for e in services.care.caseload(staff)}
    services.care.caseload(staff)  # every row kept from the first call
    events = services.accounts.audit_log(
        principal=principal_for(services, ADMIN), limit=4 * len(shown)
    )
    latest = events[1 : 1 + 2 * len(shown)]  # newest first, after the admin's own sign-in
    assert {(e.entity, e.entity_id) for e in latest if e.action == "read"} == {
        (entity, pseudonym) for pseudonym in shown for entity in ("course", "patient")
    }
    assert all(e.actor == staff.label for e in latest)


def test_every_write_about_a_patient_changes_its_version(web: Web) -> None:
    _, services = web
    staff, me = principal_for(services, CLINICIAN), principal_for(services, IMPROVING)
    factory = services.care._uow_factory

    def version() -> tuple[int, ...]:
        with factory() as uow:
            patient = uow.patients.by_pseudonym("DEMO-001")
            assert patient is not None
            assert patient.id is not None
            return uow.patients.versions([patient.id])[patient.id]

    seen = [version()]
    day = services.care.today().isoformat()
    services.care.save_diary(me, "DEMO-001", {"day": day, "pain": 2})  # a new document
    seen.append(version())
    services.care.save_diary(me, "DEMO-001", {"day": day, "pain": 5})  # the same one replaced
    seen.append(version())
    recheck = AssessmentIn.model_validate({"kind": "recheck", "questionnaires": {"nprs": [4]}})
    services.care.record_assessment(staff, "DEMO-001", recheck)
    seen.append(version())
    assert len(set(seen)) == len(seen), seen
    assert version() == seen[-1]  # reading changes nothing

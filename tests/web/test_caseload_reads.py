"""The caseload reads every patient in a clinician's care in a fixed number of queries, and the
batched reads give exactly what reading one patient at a time gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

from spinecoach.adapters.db.care import SqlCareUnitOfWork
from spinecoach.bootstrap import Services
from spinecoach.domain.accounts import Principal
from spinecoach.services.care import COURSE_KINDS
from spinecoach.services.demo import FLARE_PATIENT
from spinecoach.services.schemas import AssessmentIn

from .conftest import CLINICIAN

Web = tuple[FastAPI, Services]
ADMIN = ("admin.demo", "spinecoach-admin")


def _principal(services: Services, login: tuple[str, str]) -> Principal:
    return services.accounts.sign_in(username=login[0], password=login[1], client="t").principal


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
    admin, staff = _principal(services, ADMIN), _principal(services, CLINICIAN)
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
    staff = _principal(services, CLINICIAN)
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

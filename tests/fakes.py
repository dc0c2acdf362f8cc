"""In-memory fakes of the ports: the same behaviour as the SQL adapters, no database."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from spinecoach.domain.record import Assessment, Episode, Patient
from spinecoach.services.ports import AuditEvent


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class _Store:
    def __init__(self) -> None:
        self.patients: dict[int, Patient] = {}
        self.episodes: dict[int, Episode] = {}
        self.assessments: dict[int, Assessment] = {}
        self.audit: list[AuditEvent] = []


class FakePatients:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, patient: Patient) -> Patient:
        stored = replace(patient, id=len(self._s.patients) + 1)
        self._s.patients[stored.id or 0] = stored
        return stored

    def get(self, patient_id: int) -> Patient | None:
        return self._s.patients.get(patient_id)

    def by_pseudonym(self, pseudonym: str) -> Patient | None:
        return next((p for p in self._s.patients.values() if p.pseudonym == pseudonym), None)

    def all(self) -> list[Patient]:
        return sorted(self._s.patients.values(), key=lambda p: p.pseudonym)

    def versions(self, patient_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        """Episodes and assessments counted (the fake stores no documents)."""
        found: dict[int, tuple[int, ...]] = {}
        for patient_id in patient_ids:
            episodes = {e.id for e in self._s.episodes.values() if e.patient_id == patient_id}
            assessments = [a for a in self._s.assessments.values() if a.episode_id in episodes]
            found[patient_id] = (len(episodes), len(assessments))
        return found


class FakeEpisodes:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, episode: Episode) -> Episode:
        stored = replace(episode, id=len(self._s.episodes) + 1)
        self._s.episodes[stored.id or 0] = stored
        return stored

    def for_patient(self, patient_id: int) -> list[Episode]:
        return [e for e in self._s.episodes.values() if e.patient_id == patient_id]

    def for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Episode]]:
        return {patient_id: self.for_patient(patient_id) for patient_id in patient_ids}


class FakeAssessments:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, assessment: Assessment) -> Assessment:
        if any(
            a.lineage == assessment.lineage and a.version == assessment.version
            for a in self._s.assessments.values()
        ):
            raise ValueError("duplicate version")
        stored = replace(assessment, id=len(self._s.assessments) + 1)
        self._s.assessments[stored.id or 0] = stored
        return stored

    def get(self, assessment_id: int) -> Assessment | None:
        return self._s.assessments.get(assessment_id)

    def versions(self, lineage: str) -> list[Assessment]:
        return sorted(
            (a for a in self._s.assessments.values() if a.lineage == lineage),
            key=lambda a: a.version,
        )

    def current_for_patient(self, patient_id: int) -> list[Assessment]:
        episodes = {e.id for e in self._s.episodes.values() if e.patient_id == patient_id}
        superseded = {a.supersedes for a in self._s.assessments.values()}
        return sorted(
            (
                a
                for a in self._s.assessments.values()
                if a.episode_id in episodes and a.id not in superseded
            ),
            key=lambda a: (a.assessed_at, a.id or 0),
        )

    def current_for_patients(self, patient_ids: Sequence[int]) -> dict[int, list[Assessment]]:
        return {patient_id: self.current_for_patient(patient_id) for patient_id in patient_ids}


class FakeAudit:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def record(self, event: AuditEvent) -> None:
        self._s.audit.append(event)

    def recent(self, limit: int = 50) -> list[AuditEvent]:
        return list(reversed(self._s.audit))[:limit]


class FakeUnitOfWork:
    """Works on a copy of the committed store; commit() publishes the copy."""

    def __init__(self, committed: _Store) -> None:
        self._committed = committed
        self.commits = 0

    def __enter__(self) -> Self:
        self._working = copy.deepcopy(self._committed)
        self.patients = FakePatients(self._working)
        self.episodes = FakeEpisodes(self._working)
        self.assessments = FakeAssessments(self._working)
        self.audit = FakeAudit(self._working)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        del self._working

    def commit(self) -> None:
        self._committed.__dict__.update(copy.deepcopy(self._working).__dict__)
        self.commits += 1


class FakeDatabase:
    """Holds the committed state; call it to get a unit of work."""

    def __init__(self) -> None:
        self.store = _Store()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store)

"""Shared fixtures: fake and real (SQLite, PostgreSQL) clinic services."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from spinecoach.adapters.db.engine import make_engine, upgrade
from spinecoach.adapters.db.repositories import SqlUnitOfWork
from spinecoach.services.clinic import ClinicService
from tests.cli_helpers import isolated_data_dir  # noqa: F401  (fixture for the CLI tests)
from tests.fakes import FakeDatabase, FixedClock

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def fake_db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def clinic(fake_db: FakeDatabase, clock: FixedClock) -> ClinicService:
    """The clinic service over in-memory fakes."""
    return ClinicService(uow_factory=fake_db, clock=clock)


def _postgres_url() -> str | None:
    return os.environ.get("SPINECOACH_TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database for this run, dropped afterwards."""
    admin_url = _postgres_url()
    if admin_url is None:
        pytest.skip("SPINECOACH_TEST_DATABASE_URL not set (PostgreSQL tests run in CI)")
    name = f"spinecoach_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(admin_url).set(database=name).render_as_string(False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated SQLite file database (WAL, foreign keys) for this run."""
    path = tmp_path_factory.mktemp("db") / "spinecoach.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def sql_engine(request: pytest.FixtureRequest) -> Engine:
    """Each real backend in turn: SQLite always, PostgreSQL when configured."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


@contextmanager
def transactional_clinic(engine: Engine, clock: FixedClock) -> Iterator[ClinicService]:
    """The clinic service on a real database, inside a transaction rolled back afterwards."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection,
        class_=Session,
        expire_on_commit=False,
        join_transaction_mode="create_savepoint",
    )
    try:
        yield ClinicService(uow_factory=lambda: SqlUnitOfWork(factory), clock=clock)
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def sql_clinic(sql_engine: Engine, clock: FixedClock) -> Iterator[ClinicService]:
    with transactional_clinic(sql_engine, clock) as service:
        yield service


@pytest.fixture(params=["fake", *BACKENDS])
def any_clinic(request: pytest.FixtureRequest, clock: FixedClock) -> Iterator[ClinicService]:
    """The same use cases on the in-memory fakes, SQLite and PostgreSQL."""
    if request.param == "fake":
        yield request.getfixturevalue("clinic")
        return
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    with transactional_clinic(engine, clock) as service:
        yield service

"""The schema: migrations match the tables, SQLite pragmas, append-only assessments."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from spinecoach.adapters.db.engine import current_revision, head_revision, make_engine, upgrade
from spinecoach.adapters.db.tables import Base


def test_migrations_match_the_tables(sql_engine: Engine) -> None:
    with sql_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert current_revision(sql_engine) == head_revision(sql_engine)


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert upgrade(engine) is True
    assert upgrade(engine) is False  # idempotent
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_an_assessment_version_cannot_be_stored_twice(sql_engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with sql_engine.connect() as connection, connection.begin() as transaction:
        connection.execute(
            text(
                "INSERT INTO patients (id, pseudonym, age, sex, occupation, "
                "consent_exercise_program, consent_camera_analysis, consent_research_use, "
                "created_at) VALUES (9001, 'X-1', 40, 'male', '', false, false, false, "
                "CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO episodes (id, patient_id, started_at, reason) "
                "VALUES (9001, 9001, CURRENT_TIMESTAMP, '')"
            )
        )
        insert = text(
            "INSERT INTO assessments (episode_id, lineage, version, correction_reason, kind, "
            "assessed_at, recorded_at, recorded_by, questionnaires, tests, notes) VALUES "
            "(9001, 'L', 1, '', 'baseline', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', "
            "'{}', '{}', '')"
        )
        connection.execute(insert)
        with pytest.raises(IntegrityError):
            connection.execute(insert)
        transaction.rollback()

"""Alembic environment: runs on the engine spinecoach hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from spinecoach.adapters.db.tables import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through spinecoach (spinecoach db upgrade)")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

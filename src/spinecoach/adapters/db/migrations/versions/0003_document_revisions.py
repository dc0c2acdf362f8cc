"""patient documents count their revisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 06:00:00

Why: a document is replaced in place (same patient, kind and key), so nothing else about the
row shows that it changed; with ``revision`` raised on every replacement, a patient's document
count and revision sum change with every write, which lets the caseload keep what it derived
from a patient's record until the record changes (services/care.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient_documents") as table:
        table.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )


def downgrade() -> None:
    with op.batch_alter_table("patient_documents") as table:
        table.drop_column("revision")

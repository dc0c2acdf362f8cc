"""accounts, care team, invites, web sessions, login throttling, patient documents

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 18:50:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _at(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id"), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("patient_id"),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "care_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clinician_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id"), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("clinician_id", "patient_id", name="uq_care_pair"),
    )
    op.create_index("ix_care_assignments_clinician_id", "care_assignments", ["clinician_id"])
    op.create_index("ix_care_assignments_patient_id", "care_assignments", ["patient_id"])
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
    )
    op.create_index("ix_invites_patient_id", "invites", ["patient_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _at("created_at"),
        _at("expires_at"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=120), nullable=False),
        _at("at"),
    )
    op.create_index("ix_login_failures_key", "login_failures", ["key"])
    op.create_index("ix_login_failures_at", "login_failures", ["at"])
    op.create_table(
        "patient_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("data", JSON, nullable=False),
        _at("updated_at"),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.UniqueConstraint("patient_id", "kind", "key", name="uq_patient_document"),
    )
    op.create_index("ix_patient_documents_patient_id", "patient_documents", ["patient_id"])


def downgrade() -> None:
    for table in (
        "patient_documents",
        "login_failures",
        "web_sessions",
        "invites",
        "care_assignments",
        "users",
    ):
        op.drop_table(table)

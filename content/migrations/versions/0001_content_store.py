"""The content store for the phone: town profile, news, roadmap projects, revisions, caller visits.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def moment(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", JSONDocument, nullable=False),
        moment("updated_at"),
    )
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("texts", JSONDocument, nullable=False),
        moment("publish_at", nullable=True),
        moment("expires_at", nullable=True),
        moment("created_at"),
        moment("updated_at"),
    )
    op.create_index("ix_announcement_publish_at", "announcement", ["publish_at"])
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("texts", JSONDocument, nullable=False),
        moment("created_at"),
        moment("updated_at"),
    )
    op.create_table(
        "project_update",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("texts", JSONDocument, nullable=False),
        moment("created_at"),
    )
    op.create_index("ix_project_update_project_id", "project_update", ["project_id"])
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        moment("changed_at"),
        sa.Column("before", JSONDocument, nullable=True),
        sa.Column("after", JSONDocument, nullable=True),
    )
    op.create_index("ix_revision_changed_at", "revision", ["changed_at"])
    op.create_table(
        "caller_visit",
        sa.Column("pseudonym", sa.String(64), primary_key=True),
        moment("last_call_at"),
    )


def downgrade() -> None:
    for table in ("caller_visit", "revision", "project_update", "project", "announcement", "setting"):
        op.drop_table(table)

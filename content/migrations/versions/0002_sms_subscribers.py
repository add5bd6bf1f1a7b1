"""SMS: subscribers with their consent record, and inbound messages answered once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def moment(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "subscriber",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("topics", JSONDocument, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        moment("consent_at", nullable=True),
        sa.Column("consent_channel", sa.String(8), nullable=True),
        sa.Column("consent_wording", sa.Text(), nullable=True),
        moment("stopped_at", nullable=True),
        moment("created_at"),
        moment("updated_at"),
    )
    op.create_table(
        "inbound_message",
        sa.Column("message_sid", sa.String(64), primary_key=True),
        sa.Column("reply", sa.Text(), nullable=False),
        moment("received_at"),
    )
    op.create_index("ix_inbound_message_received_at", "inbound_message", ["received_at"])


def downgrade() -> None:
    op.drop_table("inbound_message")
    op.drop_table("subscriber")

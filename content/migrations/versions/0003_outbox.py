"""The outbox: broadcasts and every outbound message, sent at most once per idempotency key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def moment(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "announcement_id", sa.Integer(), sa.ForeignKey("announcement.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("author", sa.String(120), nullable=False),
        moment("created_at"),
    )
    op.create_table(
        "outbound_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("idempotency_key", sa.String(120), nullable=False, unique=True),
        sa.Column("recipient", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        moment("next_attempt_at"),
        moment("claimed_at", nullable=True),
        sa.Column("provider_id", sa.String(64), nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), sa.ForeignKey("broadcast.id", ondelete="SET NULL"), nullable=True),
        moment("created_at"),
        moment("updated_at"),
    )
    op.create_index("ix_outbound_message_status", "outbound_message", ["status"])
    op.create_index("ix_outbound_message_provider_id", "outbound_message", ["provider_id"])
    op.create_index("ix_outbound_message_broadcast_id", "outbound_message", ["broadcast_id"])


def downgrade() -> None:
    op.drop_table("outbound_message")
    op.drop_table("broadcast")

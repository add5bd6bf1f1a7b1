"""Usage figures: anonymous events, kept briefly, and the daily counts that stay.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("detail", sa.String(48), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("call", sa.String(16), nullable=True),
    )
    op.create_index("ix_usage_event_at", "usage_event", ["at"])
    op.create_index("ix_usage_event_call", "usage_event", ["call"])
    op.create_table(
        "usage_day",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(8), primary_key=True),
        sa.Column("kind", sa.String(24), primary_key=True),
        sa.Column("detail", sa.String(48), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("usage_day")
    op.drop_table("usage_event")

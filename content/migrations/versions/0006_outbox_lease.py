"""The outbox lease: each message being sent belongs to a worker that shows it is alive.

A message a live worker is still sending is never settled by another worker; only the messages
of a worker that stopped beating (killed, or its machine gone) are looked up and sent again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_worker",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("outbound_message", sa.Column("claimed_by", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("outbound_message", "claimed_by")
    op.drop_table("outbox_worker")

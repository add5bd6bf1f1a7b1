"""News calls: residents with only a landline ask to be called when there is news.

call_subscriber holds a number only while its call subscription lasts; outbound_message carries
the calls as well as the SMS, with the calling window a call may ring in and how it went last.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_subscriber",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("window", sa.String(12), nullable=False),
        sa.Column("machine_is_enough", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_channel", sa.String(8), nullable=False),
        sa.Column("consent_wording", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,  # ids are never used again: calls' idempotency keys name them
    )
    with op.batch_alter_table("outbound_message") as table:
        table.add_column(sa.Column("window", sa.String(12), nullable=True))
        table.add_column(sa.Column("call_outcome", sa.String(12), nullable=True))
    # The worker looks for due work per channel: SMS at once, calls only in their window.
    op.create_index("ix_outbound_message_due", "outbound_message", ["status", "channel", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbound_message_due", table_name="outbound_message")
    with op.batch_alter_table("outbound_message") as table:
        table.drop_column("call_outcome")
        table.drop_column("window")
    op.drop_table("call_subscriber")

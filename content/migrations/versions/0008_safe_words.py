"""Nothing irreversible by accident: an erasure by SMS waits for its confirmation (erasure_request),
and each announcement says what readers of a language without its own text get (untranslated).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_request",
        sa.Column("pseudonym", sa.String(64), primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_erasure_request_asked_at", "erasure_request", ["asked_at"])
    with op.batch_alter_table("announcement") as table:
        table.add_column(sa.Column("untranslated", sa.String(12), nullable=False, server_default="note"))


def downgrade() -> None:
    with op.batch_alter_table("announcement") as table:
        table.drop_column("untranslated")
    op.drop_table("erasure_request")

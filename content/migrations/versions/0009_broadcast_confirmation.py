"""A confirmed broadcast is sent once: each broadcast keeps the digest of the confirmation that sent it
(broadcast.confirmation, unique), so a second press of the same button cannot make a second one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast") as table:
        table.add_column(sa.Column("confirmation", sa.String(64), nullable=True))
        table.create_unique_constraint("uq_broadcast_confirmation", ["confirmation"])


def downgrade() -> None:
    with op.batch_alter_table("broadcast") as table:
        table.drop_constraint("uq_broadcast_confirmation", type_="unique")
        table.drop_column("confirmation")

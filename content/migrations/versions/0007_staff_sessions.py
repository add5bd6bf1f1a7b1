"""Staff sessions kept in the database, so that logging out ends every copy of the session cookie;
failed logins counted per address, source and known browser instead of per account, so that
guessing is slowed alike for every address and locks no one out.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # First, while no other table refers to staff_user: SQLite drops a column by copying the table.
    with op.batch_alter_table("staff_user") as table:
        table.drop_column("failed_logins")
        table.drop_column("last_failed_at")
    op.create_table(
        "staff_session",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_session_user_id", "staff_session", ["user_id"])
    op.create_index("ix_staff_session_started_at", "staff_session", ["started_at"])
    op.create_table(
        "login_failure",
        sa.Column("counter", sa.String(64), primary_key=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_failure_address", "login_failure", ["address"])
    op.create_index("ix_login_failure_last_failed_at", "login_failure", ["last_failed_at"])


def downgrade() -> None:
    op.drop_table("login_failure")
    op.drop_table("staff_session")
    with op.batch_alter_table("staff_user") as table:
        table.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True))

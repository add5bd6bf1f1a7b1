"""Taking part: polls and votes, ideas, questions and voice messages, callback requests; and
broadcasts that wait for their announcement's scheduled time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def moment(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def document(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False)


def upgrade() -> None:
    op.add_column("broadcast", moment("send_at", nullable=True))
    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), primary_key=True),
        document("texts"),
        moment("opens_at"),
        moment("closes_at"),
        sa.Column("project_number", sa.Integer(), nullable=True),
        moment("created_at"),
    )
    op.create_table(
        "poll_option",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("poll_id", sa.Integer(), sa.ForeignKey("poll.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        document("texts"),
    )
    op.create_index("ix_poll_option_poll_id", "poll_option", ["poll_id"])
    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("poll_id", sa.Integer(), sa.ForeignKey("poll.id", ondelete="CASCADE"), nullable=False),
        sa.Column("option_id", sa.Integer(), sa.ForeignKey("poll_option.id", ondelete="CASCADE"), nullable=False),
        sa.Column("voter", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(8), nullable=False),
        moment("cast_at"),
        sa.UniqueConstraint("poll_id", "voter"),
    )
    op.create_index("ix_vote_poll_id", "vote", ["poll_id"])
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("project_number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("number", sa.String(20), nullable=True),
        sa.Column("pseudonym", sa.String(64), nullable=True),
        sa.Column("recording_sid", sa.String(64), nullable=True, unique=True),
        sa.Column("recording_url", sa.String(300), nullable=True),
        sa.Column("recording_seconds", sa.Integer(), nullable=True),
        sa.Column("recording_file", sa.String(200), nullable=True),
        sa.Column("recording_wanted", sa.Boolean(), nullable=False),
        sa.Column("fetch_attempts", sa.Integer(), nullable=False),
        moment("fetch_after", nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("handled_by", sa.String(254), nullable=True),
        moment("handled_at", nullable=True),
        moment("received_at"),
    )
    for column in ("kind", "number", "pseudonym", "status", "received_at"):
        op.create_index(f"ix_submission_{column}", "submission", [column])
    op.create_table(
        "callback_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=True),
        sa.Column("pseudonym", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("handled_by", sa.String(254), nullable=True),
        moment("handled_at", nullable=True),
        moment("requested_at"),
    )
    for column in ("number", "pseudonym", "status", "requested_at"):
        op.create_index(f"ix_callback_request_{column}", "callback_request", [column])


def downgrade() -> None:
    op.drop_column("broadcast", "send_at")
    for table in ("callback_request", "submission", "vote", "poll_option", "poll"):
        op.drop_table(table)

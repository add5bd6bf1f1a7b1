"""Outbox ids are never used again, on SQLite too.

The provider's reports name an outbox row by its id (/sms/status?outbox=<id>, and a news call's
?call=<id>). SQLite gives a new row the id of a deleted last one (an SMS erased with its number),
so a late report about the deleted SMS settled the row that came next: a news call was marked
delivered before it ever rang. PostgreSQL's sequences never go back; SQLite needs AUTOINCREMENT,
which only a new table can have.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # The table is made anew with AUTOINCREMENT; copying the rows sets its counter to the largest id.
    with op.batch_alter_table(
        "outbound_message", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as table:
        table.alter_column("id", autoincrement=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("outbound_message", recreate="always") as table:
        table.alter_column("id", autoincrement=True)

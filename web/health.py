"""Liveness and database check for load balancers and monitoring.

The service is healthy only if the database answers and accepts a write: callers' votes, texters'
subscriptions and the outbox all write. The write is made in a transaction that is rolled back,
so a check leaves nothing behind. A SQLite file's disk must also have room: a small write can
still fit into space SQLite has already taken, while the next bigger one would fail.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from pathlib import Path

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import insert, text
from sqlalchemy.exc import SQLAlchemyError

from content import db
from content.models import Base, Setting

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

# Below this much free space on a SQLite file's disk the database counts as full: a checkpoint of
# SQLite's write-ahead log alone may need a few megabytes.
MIN_FREE_BYTES = 16 * 1024 * 1024

UNREACHABLE, READ_ONLY, FULL, LOCKED, NOT_WRITABLE = "unreachable", "read-only", "full", "locked", "not writable"
REASONS = {
    UNREACHABLE: "the database does not answer",
    READ_ONLY: "the database answers but is read-only",
    FULL: "the database's disk is full",
    LOCKED: "the database stays locked by another writer",
    NOT_WRITABLE: "the database answers but refuses to write",
}

_settings = Base.metadata.tables[Setting.__tablename__]


def write_problem(message: str) -> str:
    """Why a write failed, from the database's own error message (SQLite's or PostgreSQL's)."""
    said = message.lower()
    if "read-only" in said or "readonly" in said:
        return READ_ONLY
    if "full" in said or "no space left" in said:
        return FULL
    if "locked" in said:
        return LOCKED
    return NOT_WRITABLE


def disk_is_full(free_bytes: int) -> bool:
    return free_bytes < MIN_FREE_BYTES


def database_problem() -> str | None:
    """What keeps the database from serving the hotline now; None when it reads and writes."""
    engine = db.engine()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return UNREACHABLE
    try:
        with engine.connect() as connection:
            probe = connection.begin()
            try:  # a key of its own: concurrent checks never wait for each other's row
                connection.execute(insert(_settings).values(key=f"healthz-{secrets.token_hex(8)}", value={}))
            finally:
                probe.rollback()
    except SQLAlchemyError as error:
        return write_problem(str(getattr(error, "orig", None) or error))
    path = db.sqlite_file(engine.url)
    if path is not None and disk_is_full(free_space(path)):
        return FULL
    return None


def free_space(path: Path) -> int:
    """Bytes the service may still write beside path (what is reserved for root not counted)."""
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:  # the directory went away under an open database: the write above still worked
        return MIN_FREE_BYTES


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database reads and writes; 503 with the reason in plain words when it does not."""
    problem = database_problem()
    if problem is None:
        return jsonify(status="ok", database="ok")
    log.warning("health check: %s", REASONS[problem])  # no trace: the reason says it all
    return jsonify(status="degraded", database=problem, reason=REASONS[problem]), 503

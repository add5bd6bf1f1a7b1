"""The database connection: one engine per app, one session per request or command."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import URL, Connection, CursorResult, Engine, Executable, Table, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from content import breaker

log = logging.getLogger(__name__)

# How long SQLite waits for another writer before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 5000

# PostgreSQL: how long to wait for a connection, a free one in the pool, a statement and a lock.
# Each is well inside the provider's 15 s, so that a caller hears an apology, not silence; work
# that may truly take longer (a broadcast to 100,000, a migration) lifts the statement timeout
# for its own transaction (without_statement_timeout).
CONNECT_TIMEOUT_S = 3
POOL_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 5000
LOCK_TIMEOUT_MS = 3000
# Sent data unacknowledged this long (the network is gone): the connection counts as broken.
TCP_USER_TIMEOUT_MS = 5000
# The SQLite file holds phone numbers: readable and writable by the service's user alone.
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIRECTORY = 0o700
GROUP_AND_OTHERS = 0o077
# What SQLite keeps beside the database file, with the same contents.
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def database_url(url: str | None, instance_path: str) -> str:
    """Return the SQLAlchemy URL for DATABASE_URL, defaulting to a SQLite file under instance/.

    Hosting platforms hand out ``postgres://`` URLs; SQLAlchemy wants ``postgresql+psycopg://``.
    """
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "hotline.db")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_file(url: str | URL) -> Path | None:
    """The file a SQLite URL names (also in the file: URI form); None for another database or memory."""
    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or name in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    return Path(name.removeprefix("file:"))


def keep_private(path: Path) -> None:
    """Create the SQLite file, and its directory, for the owner alone before SQLite opens it; take
    group and others' rights off a file (or its -wal, -shm) that has them.

    SQLite gives the -wal and -shm files it creates the rights of the database file. A directory
    that exists is left as it is: it may be shared (/tmp, a mounted volume).
    """
    if not path.parent.is_dir():
        path.parent.mkdir(mode=OWNER_ONLY_DIRECTORY, parents=True, exist_ok=True)
    # Never open a file that exists: closing any descriptor of it drops every POSIX lock this
    # process holds on it, SQLite's own included (sqlite.org/howtocorrupt.html, 2.2), and another
    # process could then take the database's WAL away from a connection still using it.
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process: left alone
            os.close(os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))  # empty is a database
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_SIDECARS)):
        _tighten(file)


def _tighten(file: Path) -> None:
    try:
        mode = stat.S_IMODE(file.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & GROUP_AND_OTHERS:
        file.chmod(mode & ~GROUP_AND_OTHERS)


def make_engine(url: str) -> Engine:
    # hide_parameters: errors and logs must never show phone numbers or message bodies.
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True)
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    waits = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
    given = make_url(url).query.get("options")  # the operator's own, in DATABASE_URL, come last and win
    waits = " ".join([waits, *([given] if isinstance(given, str) else given or [])])
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_timeout=POOL_TIMEOUT_S,
        hide_parameters=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "options": waits, "tcp_user_timeout": TCP_USER_TIMEOUT_MS},
    )
    breaker.guard(engine)  # a database that did not answer is not asked again for a moment
    return engine


def without_statement_timeout(db: Session | Connection) -> None:
    """This transaction may run long by design (a broadcast, a purge, a migration): no timeout."""
    dialect = db.get_bind().dialect if isinstance(db, Session) else db.dialect
    if dialect.name == "postgresql":
        db.execute(text("SET LOCAL statement_timeout = 0"))


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets callers read while staff write; NORMAL is durable in WAL mode except on power loss.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    # A transaction that will write takes SQLite's one write lock when it begins, waiting its turn
    # (busy_timeout); a reader that turns writer later could only fail with "database is locked".
    # Other transactions are begun by the driver at their first write, as before.
    if connection.get_execution_options().get(WRITE_LOCK, False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


WRITE_LOCK = "write_lock"


# PostgreSQL's word for: you lost a race, do it again (serialization failure, deadlock, lock not free).
_TRY_AGAIN = {"40001", "40P01", "55P03"}
ATTEMPTS = 3


def lost_a_race(error: Exception) -> bool:
    """Whether the error means another request got there first, and doing it again will do."""
    if isinstance(error, StaleDataError):  # a row changed or went away under the ORM's update
        return True
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in _TRY_AGAIN


def retried(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view again (after undoing its writes) when it lost a race with another request
    for the same row, up to ATTEMPTS times: the resident gets an answer, not an apology. Only for
    views whose every effect is in this database transaction."""

    @functools.wraps(view)
    def again(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return view(*args, **kwargs)
            except Exception as error:
                if attempt == ATTEMPTS or not lost_a_race(error):
                    raise
                session().rollback()
        raise AssertionError("unreachable")  # the loop returns or raises

    return again


def write_lock() -> None:
    """This request is about to write: on SQLite, take the write lock now, before reading what
    the write depends on (PostgreSQL needs nothing: its writers wait for each other row by row).
    Call it first; whatever the request read before is committed (it wrote nothing yet)."""
    found = session()
    if found.get_bind().dialect.name != "sqlite":
        return
    if found.in_transaction():
        found.commit()
    found.connection(execution_options={WRITE_LOCK: True})


def init_app(app: Flask) -> None:
    url = database_url(app.config.get("DATABASE_URL"), app.instance_path)
    if (path := sqlite_file(url)) is not None:
        try:
            keep_private(path)
        except OSError as error:  # another user's file, a read-only disk: SQLite and /healthz will tell
            log.warning("could not make the SQLite file owner-only: %s", error.strerror)
    engine = make_engine(url)
    app.extensions["content.engine"] = engine
    app.extensions["content.sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    found: Engine = current_app.extensions["content.engine"]
    return found


def session() -> Session:
    """Return this request's (or command's) database session."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["content.sessions"]()
    found: Session = g.db_session
    return found


def rollback_quietly() -> None:
    """After a failure: undo the request's half-done writes, even if the database is what failed."""
    try:
        session().rollback()
    except Exception:  # whatever broke, and the database may be the thing that broke
        log.warning("rollback after a failed request failed too")


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def insert_or_keep(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say what to do when the row exists (ON CONFLICT): the way to write a row
    two requests may both be writing at once."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and return how many rows it changed."""
    result = session.execute(statement)
    return result.rowcount if isinstance(result, CursorResult) else 0

"""When callers last called: looked up at once, written in small batches.

Every incoming call asks when this caller called before and notes the new time, known only by a
keyed pseudonym of the number. The lookup is one indexed read. The writes are collected for a
moment and made for many calls in one transaction, so that concurrent calls do not queue for
the database's write lock (SQLite has a single writer). A crash loses at most the last
FLUSH_SECONDS of visit times: those callers then hear a little more as "new", nothing else.
"""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import datetime

from flask import current_app
from sqlalchemy import Engine, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from content.db import insert_or_keep
from content.failures import log_failure
from content.models import Base, CallerVisit

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.25

_visits = Base.metadata.tables[CallerVisit.__tablename__]
_LAST_CALL = select(_visits.c.last_call_at).where(_visits.c.pseudonym == bindparam("caller"))


def _upsert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """Insert a visit, or move an existing one forward (never back) in time."""
    statement = insert_or_keep(dialect, _visits).values(pseudonym=bindparam("caller"), last_call_at=bindparam("now"))
    return statement.on_conflict_do_update(
        index_elements=[_visits.c.pseudonym],
        set_={"last_call_at": statement.excluded.last_call_at},
        where=_visits.c.last_call_at < statement.excluded.last_call_at,
    )


class CallerVisits:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._upsert = _upsert(engine.dialect.name)
        self._lock = threading.Lock()
        self._pending: dict[str, datetime] = {}
        self._writing = threading.Lock()  # held while a batch is written, so forget() can wait for it
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()

    def note(self, pseudonym: str, now: datetime) -> datetime | None:
        """Note that this caller calls now; return when they called before (None: first call)."""
        with self._lock:
            previous = self._pending.get(pseudonym)
            self._pending[pseudonym] = now
        if previous is None:
            with self.engine.connect() as connection:
                previous = connection.execute(_LAST_CALL, {"caller": pseudonym}).scalar()
        self._start_writer()
        return previous

    def flush(self) -> None:
        """Write the noted visits now."""
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, {}
            if not batch:
                return
            rows = [{"caller": caller, "now": moment} for caller, moment in batch.items()]
            try:
                with self.engine.begin() as connection:
                    connection.execute(self._upsert, rows)
            except SQLAlchemyError as error:
                log_failure(log, f"could not write {len(rows)} caller visits; keeping them for the next try", error)
                with self._lock:
                    for caller, moment in batch.items():
                        self._pending.setdefault(caller, moment)

    def forget(self, pseudonym: str) -> None:
        """Drop a caller's visit not yet written (erasure); a batch being written is waited for first,
        so that the caller's delete afterwards finds it."""
        with self._writing, self._lock:
            self._pending.pop(pseudonym, None)

    def _start_writer(self) -> None:
        # Started on first use, in the process that serves calls (after gunicorn forked it).
        if self._writer is not None:
            return
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_regularly, name="caller-visits", daemon=True)
                self._writer.start()
                atexit.register(self.flush)

    def _write_regularly(self) -> None:
        while not self._stop.wait(FLUSH_SECONDS):
            self.flush()

    def close(self) -> None:
        """Write what is pending and stop the writer."""
        self._stop.set()
        self.flush()


def remember_call(pseudonym: str, now: datetime) -> datetime | None:
    """Note that this caller calls now; return when they called before (None: first call)."""
    visits: CallerVisits = current_app.extensions["content.visits"]
    return visits.note(pseudonym, now)

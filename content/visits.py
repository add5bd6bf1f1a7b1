"""When callers last called, and the language they chose: looked up at once, written in small batches.

Every incoming call asks when this caller called before (and in which language they wanted to hear
the line) and notes the new time, known only by a keyed pseudonym of the number. The lookup is one
indexed read. The writes, the times as well as a language chosen during a call, are collected for a
moment and made for many calls in one transaction, so that concurrent calls do not queue for
the database's write lock (SQLite has a single writer). A crash loses at most the last
FLUSH_SECONDS of visits: those callers then hear a little more as "new", or choose again.
"""

from __future__ import annotations

import atexit
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Engine, bindparam, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from content.db import insert_or_keep
from content.failures import log_failure
from content.models import Base, CallerVisit

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.25

_visits = Base.metadata.tables[CallerVisit.__tablename__]
_LAST_CALL = select(_visits.c.last_call_at, _visits.c.language).where(_visits.c.pseudonym == bindparam("caller"))


@dataclass(frozen=True)
class Visit:
    """What earlier calls tell about a caller."""

    last_call_at: datetime | None = None  # None: this is their first call
    language: str | None = None  # the language they chose on the phone; None: they never chose one


# What waits to be written for a caller: the time of their call, and a language they chose in it.
Pending = tuple[datetime, str | None]


def _upsert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """Insert a visit, or move an existing one forward (never back) in time; a language chosen
    replaces the one kept, and no choice keeps it."""
    statement = insert_or_keep(dialect, _visits).values(
        pseudonym=bindparam("caller"), last_call_at=bindparam("now"), language=bindparam("language")
    )
    later = statement.excluded.last_call_at > _visits.c.last_call_at
    return statement.on_conflict_do_update(
        index_elements=[_visits.c.pseudonym],
        set_={
            "last_call_at": case((later, statement.excluded.last_call_at), else_=_visits.c.last_call_at),
            "language": func.coalesce(statement.excluded.language, _visits.c.language),
        },
    )


class CallerVisits:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._upsert = _upsert(engine.dialect.name)
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}
        self._in_flight: dict[str, Pending] = {}  # the batch being written: still known until it is
        self._writing = threading.Lock()  # held while a batch is written, so forget() can wait for it
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()

    def note(self, pseudonym: str, now: datetime) -> Visit:
        """Note that this caller calls now; return what their earlier calls tell (when, which language)."""
        with self._lock:
            pending = self._waiting(pseudonym)
            self._pending[pseudonym] = (now, pending[1] if pending else None)
        visit = Visit(*pending) if pending else Visit()
        if visit.language is None:  # a choice not yet written is the latest; otherwise the kept one counts
            kept = self._kept(pseudonym)
            visit = Visit(visit.last_call_at or kept.last_call_at, kept.language)
        self._start_writer()
        return visit

    def language(self, pseudonym: str) -> str | None:
        """The language this caller chose (a choice not yet written included); None if none."""
        with self._lock:
            pending = self._waiting(pseudonym)
        if pending is not None and pending[1] is not None:
            return pending[1]
        return self._kept(pseudonym).language

    def choose(self, pseudonym: str, language: str, now: datetime) -> None:
        """Remember the language this caller chose, with their visit (written with the next batch)."""
        with self._lock:
            pending = self._waiting(pseudonym)
            self._pending[pseudonym] = (pending[0] if pending else now, language)
        self._start_writer()

    def _waiting(self, pseudonym: str) -> Pending | None:
        """What is noted for this caller and not yet written (or being written); hold the lock."""
        return self._pending.get(pseudonym) or self._in_flight.get(pseudonym)

    def _kept(self, pseudonym: str) -> Visit:
        """The visit as the database keeps it (empty if there is none)."""
        with self.engine.connect() as connection:
            row = connection.execute(_LAST_CALL, {"caller": pseudonym}).first()
        return Visit(row.last_call_at, row.language) if row is not None else Visit()

    def flush(self) -> None:
        """Write the noted visits now."""
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, {}
                self._in_flight = batch  # a call noted meanwhile still finds these, written or not
            if not batch:
                return
            rows = [
                {"caller": caller, "now": moment, "language": language} for caller, (moment, language) in batch.items()
            ]
            try:
                with self.engine.begin() as connection:
                    connection.execute(self._upsert, rows)
            except SQLAlchemyError as error:
                log_failure(log, f"could not write {len(rows)} caller visits; keeping them for the next try", error)
                with self._lock:
                    for caller, pending in batch.items():
                        self._pending.setdefault(caller, pending)
            finally:
                with self._lock:
                    self._in_flight = {}

    def forget(self, pseudonym: str) -> None:
        """Drop a caller's visit not yet written (erasure); a batch being written is waited for first,
        so that the caller's delete afterwards finds it."""
        with self._writing, self._lock:
            self._pending.pop(pseudonym, None)
            self._in_flight.pop(pseudonym, None)

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


def remember_call(pseudonym: str, now: datetime) -> Visit:
    """Note that this caller calls now; return what their earlier calls tell (when, which language)."""
    visits: CallerVisits = current_app.extensions["content.visits"]
    return visits.note(pseudonym, now)


def chosen_language(pseudonym: str) -> str | None:
    """The language a caller chose on the phone, if they did."""
    visits: CallerVisits = current_app.extensions["content.visits"]
    return visits.language(pseudonym)


def remember_language(pseudonym: str, language: str, now: datetime) -> None:
    """Remember the language a caller chose: their next call starts in it."""
    visits: CallerVisits = current_app.extensions["content.visits"]
    visits.choose(pseudonym, language, now)

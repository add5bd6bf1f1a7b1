"""Every change to public content leaves a Revision: who, when, before and after.

It hooks into the session's flush, so no code path that edits content can forget it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from content.models import Announcement, Base, Poll, PollOption, Project, ProjectUpdate, Revision, Setting, utcnow

TRACKED = (Setting, Announcement, Project, ProjectUpdate, Poll, PollOption)

_author: ContextVar[str] = ContextVar("revision_author", default="system")


@contextlib.contextmanager
def changes_by(author: str) -> Iterator[None]:
    """Attribute the content changes made inside this block to author."""
    token = _author.set(author)
    try:
        yield
    finally:
        _author.reset(token)


def attribute_to(author: str) -> Token[str]:
    """Attribute the changes from now on to author, until forget(token) (a whole staff request)."""
    return _author.set(author)


def forget(token: Token[str]) -> None:
    _author.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def snapshot(record: Any, *, before: bool = False) -> dict[str, Any]:
    """Return the record's columns as JSON-ready values, as they are now or as they were loaded."""
    state = inspect(record)
    values = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if before and history.deleted:
            value = history.deleted[0]
        elif before and history.added and not history.deleted:
            value = None  # set for the first time in this flush
        else:
            value = getattr(record, attr.key)
        values[attr.key] = _plain(value)
    return values


def _entity_id(record: Any) -> str:
    return "/".join(str(part) for part in inspect(record).mapper.primary_key_from_instance(record))


def _revision_rows(session: Session) -> list[dict[str, Any]]:
    author, now, rows = _author.get(), utcnow(), []
    for action, records in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for record in records:
            if not isinstance(record, TRACKED):
                continue
            if action == "update" and not session.is_modified(record, include_collections=False):
                continue
            rows.append(
                {
                    "entity": record.__tablename__,
                    "entity_id": _entity_id(record),
                    "action": action,
                    "author": author,
                    "changed_at": now,
                    "before": None if action == "create" else snapshot(record, before=True),
                    "after": None if action == "delete" else snapshot(record),
                }
            )
    return rows


def _record_revisions(session: Session, _flush_context: Any) -> None:
    rows = _revision_rows(session)
    if rows:
        # Core insert on the flush's own connection: same transaction, no nested ORM flush.
        session.connection().execute(insert(Base.metadata.tables[Revision.__tablename__]), rows)
        session.info["content_changed"] = True


def track(sessions: sessionmaker[Session], on_change: Callable[[], None]) -> None:
    """Record revisions on every flush; call on_change after a commit that changed content."""

    def committed(session: Session) -> None:
        if session.info.pop("content_changed", False):
            on_change()

    def rolled_back(session: Session) -> None:
        session.info.pop("content_changed", None)

    event.listen(sessions, "after_flush", _record_revisions)
    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_soft_rollback", lambda session, _transaction: rolled_back(session))

"""What callers hear, read once and kept until the content changes.

Every call would otherwise read the town profile, the news and the roadmap from the database.
Instead each process keeps a snapshot and asks the database one cheap question, the newest
revision's id, at most every CHECK_INTERVAL seconds; a change committed by the process itself
marks its snapshot stale at once. Every change made through the app leaves a revision
(content.revisions), so a call placed after staff saved hears it. Changes made behind the app's
back (raw SQL, no revision) are picked up after MAX_AGE at the latest.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from content import db, queries
from content.models import IN_DEFAULT_WITH_NOTE, Revision
from content.profile import TownProfile

CHECK_INTERVAL = 1.0  # seconds between asking the database whether content changed
MAX_AGE = 30.0  # seconds after which a snapshot is read again in any case


@dataclass(frozen=True)
class NewsItem:
    id: int
    publish_at: datetime
    expires_at: datetime | None
    texts: dict[str, Any]
    untranslated: str = IN_DEFAULT_WITH_NOTE  # what readers of a language without its text get

    def is_public(self, now: datetime) -> bool:
        return self.publish_at <= now and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True)
class UpdateNote:
    happened_on: date
    texts: dict[str, Any]


@dataclass(frozen=True)
class RoadmapProject:
    number: int
    field: str
    status: str
    texts: dict[str, Any]
    latest_update: UpdateNote | None


@dataclass(frozen=True)
class PollChoice:
    id: int
    position: int  # the key that chooses it
    texts: dict[str, Any]


@dataclass(frozen=True)
class OpenPoll:
    id: int
    opens_at: datetime
    closes_at: datetime
    texts: dict[str, Any]
    options: tuple[PollChoice, ...]

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


@dataclass(frozen=True)
class Snapshot:
    version: int
    profile: TownProfile
    news: tuple[NewsItem, ...]  # published or scheduled, newest first; drafts left out
    projects: tuple[RoadmapProject, ...]  # by number
    polls: tuple[OpenPoll, ...] = ()  # the most recent ones, the latest opening first

    def public_news(self, now: datetime) -> tuple[NewsItem, ...]:
        return tuple(item for item in self.news if item.is_public(now))

    def open_polls(self, now: datetime) -> tuple[OpenPoll, ...]:
        return tuple(poll for poll in self.polls if poll.is_open(now))


VERSION_QUERY = select(func.max(Revision.__table__.c.id))


def content_version(connection: Connection) -> int:
    return connection.execute(VERSION_QUERY).scalar() or 0


def load(session: Session, version: int) -> Snapshot:
    return Snapshot(
        version=version,
        profile=queries.town_profile(session),
        news=tuple(
            NewsItem(a.id, a.publish_at, a.expires_at, a.texts, a.untranslated)
            for a in queries.scheduled_announcements(session)
            if a.publish_at is not None
        ),
        projects=tuple(
            RoadmapProject(
                p.number,
                p.field,
                p.status,
                p.texts,
                UpdateNote(p.latest_update.happened_on, p.latest_update.texts) if p.latest_update else None,
            )
            for p in queries.roadmap(session)
        ),
        polls=tuple(
            OpenPoll(
                poll.id,
                poll.opens_at,
                poll.closes_at,
                poll.texts,
                tuple(PollChoice(option.id, option.position, option.texts) for option in poll.options),
            )
            for poll in queries.recent_polls(session)
        ),
    )


class SnapshotCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._loaded_at = self._checked_at = 0.0

    def mark_stale(self) -> None:
        """This process changed content: the next request looks at the database again."""
        self._checked_at = 0.0

    def get(self) -> Snapshot:
        snapshot, now = self._snapshot, time.monotonic()
        if snapshot is not None and now - self._checked_at < CHECK_INTERVAL and now - self._loaded_at < MAX_AGE:
            return snapshot
        with db.engine().connect() as connection:
            version = content_version(connection)
        if snapshot is not None and snapshot.version == version and now - self._loaded_at < MAX_AGE:
            self._checked_at = now
            return snapshot
        with self._lock:
            fresh = load(db.session(), version)
            self._snapshot, self._loaded_at, self._checked_at = fresh, now, now
        return fresh


def current() -> Snapshot:
    """The content as it is now in the database, from the cache when nothing changed."""
    cache: SnapshotCache = current_app.extensions["content.snapshot"]
    return cache.get()

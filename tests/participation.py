"""Test helpers that create participation records in one call."""

from __future__ import annotations

from datetime import datetime, timedelta

from content.models import Poll, PollOption


def create_poll(session, now: datetime, *, question: str = "Wo soll die nächste Ladesäule stehen?",  # type: ignore[no-untyped-def]
                options: tuple[str, ...] = ("Am Rathaus", "Am Bahnhof", "Am Betzenberg"), days_open: int = 14,
                opened_days_ago: int = 1) -> Poll:
    poll = Poll(
        texts={"de": {"question": question}, "en": {"question": "Where should the next charging point be?"}},
        opens_at=now - timedelta(days=opened_days_ago),
        closes_at=now + timedelta(days=days_open),
    )
    poll.options = [PollOption(position=n, texts={"de": {"label": label}}) for n, label in enumerate(options, 1)]
    session.add(poll)
    session.commit()
    return poll

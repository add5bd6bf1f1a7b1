"""News by SMS: subscribing (with the consent as given), stopping, and the reply language.

The one place for both channels: whether a resident subscribes by SMS (START) or on the phone
(key 4), the same rules apply and the same consent record is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.models import NOT_SUBSCRIBED, SUBSCRIBED, UNSUBSCRIBED, Subscriber


def find(session: Session, number: str) -> Subscriber | None:
    return session.scalar(select(Subscriber).where(Subscriber.number == number))


def _record(session: Session, number: str, language: str) -> Subscriber:
    subscriber = find(session, number)
    if subscriber is None:
        subscriber = Subscriber(number=number, language=language, status=NOT_SUBSCRIBED, topics=[])
        session.add(subscriber)
    return subscriber


def subscribe(
    session: Session,
    number: str,
    *,
    language: str,
    channel: str,
    wording: str,
    now: datetime,
    topics: Sequence[str] = (),
) -> Subscriber:
    """Subscribe to the news on topics (none: every announcement), with the words agreed to as consent.

    A new subscription replaces whatever an earlier one chose: the resident agreed to these words.
    """
    subscriber = _record(session, number, language)
    subscriber.status, subscriber.stopped_at = SUBSCRIBED, None
    subscriber.consent_at, subscriber.consent_channel, subscriber.consent_wording = now, channel, wording
    subscriber.language, subscriber.topics = language, list(topics)
    return subscriber


def stop(session: Session, number: str, *, language: str, now: datetime) -> None:
    """No more news; the stop is remembered, so that nothing is sent to the number by mistake."""
    subscriber = _record(session, number, language)
    subscriber.status, subscriber.stopped_at = UNSUBSCRIBED, now


def choose_language(session: Session, number: str, language: str) -> None:
    """Reply (and send news) in language from now on."""
    _record(session, number, language).language = language


def gets_exactly(status: str | None, topics: Sequence[str] | None, wanted: Sequence[str] = ()) -> bool:
    """Whether a subscription in this status with these topics already brings the news on wanted
    (none: every announcement), so that subscribing again would change nothing."""
    return status == SUBSCRIBED and list(topics or []) == list(wanted)


def already_has(subscriber: Subscriber | None, topics: Sequence[str] = ()) -> bool:
    return subscriber is not None and gets_exactly(subscriber.status, subscriber.topics, topics)

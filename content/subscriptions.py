"""News by SMS: subscribing (with the consent as given), stopping, and the reply language.

The one place for both channels: whether a resident subscribes by SMS (START) or on the phone
(key 4), the same rules apply and the same consent record is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import usage
from content.db import insert_or_keep
from content.models import NOT_SUBSCRIBED, SUBSCRIBED, UNSUBSCRIBED, Base, Subscriber


def find(session: Session, number: str) -> Subscriber | None:
    return session.scalar(select(Subscriber).where(Subscriber.number == number))


def _record(session: Session, number: str, language: str) -> Subscriber:
    """The number's row, written first if there is none: two requests from one new number at once
    both get the one row (an INSERT that keeps an existing row), never a duplicate-key error."""
    table = Base.metadata.tables[Subscriber.__tablename__]
    session.execute(
        insert_or_keep(session.get_bind().dialect.name, table)
        .values(number=number, language=language, status=NOT_SUBSCRIBED, topics=[])
        .on_conflict_do_nothing(index_elements=[table.c.number])
    )
    subscriber = session.scalar(
        select(Subscriber).where(Subscriber.number == number).execution_options(populate_existing=True)
    )
    assert subscriber is not None  # written just now, or by the request that overtook us
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
    if subscriber.status != SUBSCRIBED:  # started, not only changed (topics, language)
        usage.record_now(session, usage.SUBSCRIBED, channel=channel, at=now, detail=usage.SMS)
    subscriber.status, subscriber.stopped_at = SUBSCRIBED, None
    subscriber.consent_at, subscriber.consent_channel, subscriber.consent_wording = now, channel, wording
    subscriber.language, subscriber.topics = language, list(topics)
    return subscriber


def stop(session: Session, number: str, *, language: str, now: datetime, channel: str) -> None:
    """No more news; the stop is remembered, so that nothing is sent to the number by mistake.
    channel: where the resident asked (sms, phone), for the usage figures."""
    subscriber = _record(session, number, language)
    if subscriber.status == SUBSCRIBED:
        usage.record_now(session, usage.UNSUBSCRIBED, channel=channel, at=now, detail=usage.SMS)
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

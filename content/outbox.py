"""The outbox: how everything outbound leaves the system.

Anything that wants a message sent (a broadcast, a reply, the phone's "send me this as SMS")
writes a row here; the worker (worker/sending.py) sends it. A row is written once per
idempotency key, so asking twice sends once. Broadcasts are written by the database itself (INSERT … SELECT), one
statement per language, so that 100,000 subscribers never pass through the app's memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    String,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from content import clock, news_calls, queries, sms_text, usage
from content.channel_texts import broadcast_sms
from content.db import insert_or_keep, rows_changed, without_statement_timeout
from content.models import (
    CALL,
    DELIVERED,
    FAILED,
    QUEUED,
    SENT,
    SMS,
    SUBSCRIBED,
    UNDELIVERED,
    UNKNOWN,
    UNSUBSCRIBED,
    Announcement,
    Base,
    Broadcast,
    OutboundMessage,
    Subscriber,
    UsageEvent,
    UTCDateTime,
)
from content.sms_text import smart_encode

_outbox = Base.metadata.tables[OutboundMessage.__tablename__]
_subscribers = Base.metadata.tables[Subscriber.__tablename__]

# A later report never takes a row back to an earlier state.
_ORDER = {SENT: 1, UNKNOWN: 1, UNDELIVERED: 2, FAILED: 2, DELIVERED: 3}


def _insert_ignoring_duplicates(session: Session) -> postgresql.Insert | sqlite.Insert:
    insert = insert_or_keep(session.get_bind().dialect.name, _outbox)
    return insert.on_conflict_do_nothing(index_elements=[_outbox.c.idempotency_key])


def enqueue(session: Session, *, recipient: str, body: str, key: str, now: datetime) -> None:
    """Queue one SMS; a second call with the same key changes nothing (the caller commits)."""
    session.execute(
        _insert_ignoring_duplicates(session).values(
            idempotency_key=key,
            recipient=recipient,
            channel="sms",
            body=smart_encode(body),
            status=QUEUED,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
    )


def _wants(topic: str | None) -> ColumnElement[bool]:
    """Subscribers who asked for news on topic: those who chose it, and those who want all news."""
    if topic is None:
        return literal(True)
    chosen = cast(Subscriber.topics, String)
    return or_(Subscriber.topics.is_(None), chosen.in_(["[]", "null"]), chosen.contains(f'"{topic}"', autoescape=True))


def _reads(language: str, languages: list[str]) -> ColumnElement[bool]:
    """Subscribers who read language; those of a language the town no longer offers read the first one."""
    if language != languages[0]:
        return Subscriber.language == language
    return Subscriber.language.not_in(languages[1:])


def audience(session: Session, *, languages: list[str], topic: str | None = None) -> dict[str, int]:
    """How many subscribers (of topic, if given) a broadcast reaches now, per language, in the
    languages' order: the same people broadcast() queues for."""
    return {
        language: session.scalar(
            select(func.count())
            .select_from(Subscriber)
            .where(Subscriber.status == SUBSCRIBED, _reads(language, languages), _wants(topic))
        )
        or 0
        for language in languages
    }


def broadcast(
    session: Session,
    announcement: Announcement,
    *,
    languages: list[str],
    author: str,
    now: datetime,
    topic: str | None = None,
    send_at: datetime | None = None,
    confirmation: str | None = None,
) -> Broadcast:
    """Queue the announcement for every subscriber (of topic, if given), each in their language
    as the announcement's rule for untranslated languages says (content.channel_texts.broadcast_sms),
    to go out at once or at send_at (the announcement's scheduled time); and a news call to every
    call subscriber who wants one for each announcement (content.news_calls). A second broadcast with the
    same confirmation fails on its unique constraint (IntegrityError): the caller rolls back. The
    caller commits."""
    without_statement_timeout(session)  # one statement per language, for every subscriber
    sender = queries.town_profile(session).sender
    sent = Broadcast(
        announcement_id=announcement.id,
        topic=topic,
        author=author,
        created_at=now,
        send_at=send_at,
        confirmation=confirmation,
    )
    session.add(sent)
    session.flush()
    for language in languages:
        body = broadcast_sms(announcement.texts, announcement.untranslated, language, languages[0], sender)
        if body is None:
            continue  # the rule skips this language's subscribers
        rows = select(
            literal(f"broadcast-{sent.id}-") + cast(Subscriber.id, String),
            Subscriber.number,
            literal("sms"),
            literal(body),
            literal(QUEUED),
            literal(0),
            literal(send_at or now, UTCDateTime()),
            literal(now, UTCDateTime()),
            literal(now, UTCDateTime()),
            literal(sent.id),
        ).where(Subscriber.status == SUBSCRIBED, _reads(language, languages), _wants(topic))
        columns = [
            "idempotency_key",
            "recipient",
            "channel",
            "body",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
            "updated_at",
            "broadcast_id",
        ]
        session.execute(insert(_outbox).from_select(columns, rows))
    # And a news call to everyone who asked to be called with each announcement.
    news_calls.queue_news(
        session, announcement, queries.town_profile(session), broadcast_id=sent.id, now=now, send_at=send_at
    )
    # Counted from the rows written (a driver need not tell how many rows INSERT … SELECT wrote).
    queued = session.execute(
        select(OutboundMessage.channel, OutboundMessage.body, func.count())
        .where(OutboundMessage.broadcast_id == sent.id)
        .group_by(OutboundMessage.channel, OutboundMessage.body)
    ).all()
    recipients = sum(count for channel, _body, count in queued if channel == SMS)
    called = sum(count for channel, _body, count in queued if channel == CALL)
    segments = sum(count * sms_text.count(body).segments for channel, body, count in queued if channel == SMS)
    # The usage figures, standing or falling with the broadcast: one announcement sent, to how many,
    # in how many SMS segments (what the provider bills).
    usage.record_now(session, usage.NEWS_SENT, channel="", at=now)
    for detail, amount in ((usage.SMS, recipients), (usage.BY_CALL, called)):
        if amount:
            usage.record_now(session, usage.BROADCAST, channel="", at=now, detail=detail)
            usage.record_now(session, usage.RECIPIENTS, channel="", at=now, detail=detail, amount=amount)
    if segments:
        usage.record_now(session, usage.SEGMENTS, channel="", at=now, detail=usage.SMS, amount=segments)
    return sent


def cancel_scheduled(session: Session, announcement_id: int, now: datetime) -> int:
    """Take back the SMS still waiting for this announcement's scheduled time; return how many."""
    waiting = select(Broadcast.id).where(Broadcast.announcement_id == announcement_id, Broadcast.send_at > now)
    return rows_changed(
        session,
        delete(OutboundMessage).where(OutboundMessage.broadcast_id.in_(waiting), OutboundMessage.status == QUEUED),
    )


def end_subscriptions(db: Session | Connection, numbers: list[str], now: datetime) -> None:
    """The provider says these numbers opted out (error 21610): stop sending them the news."""
    if numbers:
        result = db.execute(
            update(_subscribers)
            .where(_subscribers.c.number.in_(numbers), _subscribers.c.status == SUBSCRIBED)
            .values(status=UNSUBSCRIBED, stopped_at=now, updated_at=now)
        )
        ended = result.rowcount if isinstance(result, CursorResult) else 0
        if ended:  # counted with the change: they texted STOP to the provider
            event = usage.event(usage.UNSUBSCRIBED, channel=usage.SMS, at=now, detail=usage.SMS, amount=ended)
            db.execute(insert(UsageEvent).values(event))


def progress(session: Session, broadcast_id: int) -> dict[str, int]:
    """How many of a broadcast's messages are in each status."""
    query = (
        select(OutboundMessage.status, func.count())
        .where(OutboundMessage.broadcast_id == broadcast_id)
        .group_by(OutboundMessage.status)
    )
    return {status: count for status, count in session.execute(query)}


def _count_outcome(session: Session, before: str, after: str) -> None:
    """A broadcast SMS's first delivered or failed report, for the usage figures. A failure the
    provider later reports delivered after all is taken back (an event of amount -1)."""
    failed = (FAILED, UNDELIVERED)
    if after == DELIVERED and before != DELIVERED:
        usage.record_now(session, usage.DELIVERED, channel=SMS, at=clock.now(), detail=usage.SMS)
        if before in failed:
            usage.record_now(session, usage.FAILED, channel=SMS, at=clock.now(), detail=usage.SMS, amount=-1)
    elif after in failed and before not in (*failed, DELIVERED):
        usage.record_now(session, usage.FAILED, channel=SMS, at=clock.now(), detail=usage.SMS)


def record_report(
    session: Session, outbox_id: int, provider_id: str, status: str | None, error: str | None
) -> OutboundMessage | None:
    """Apply the provider's delivery report (status: sent, delivered, undelivered or failed);
    unknown rows, unknown statuses and backward steps are ignored."""
    message = session.get(OutboundMessage, outbox_id)
    if message is None or message.channel != SMS or status not in _ORDER or status == UNKNOWN:
        return None  # a news call's end comes to its own address (ivr: /voice/news-call/status)
    if message.provider_id and message.provider_id != provider_id:
        return None  # a report for a message this row did not send
    if _ORDER.get(status, 0) >= _ORDER.get(message.status, 0) or message.status == UNKNOWN:
        if message.broadcast_id is not None:
            _count_outcome(session, message.status, status)
        message.status = status
        message.provider_id = provider_id
        message.error = error or message.error
    return message

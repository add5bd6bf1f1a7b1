"""Where content/ knows a fact whatever the channel, it counts it for the usage figures, in the
same transaction: subscriptions started and ended, broadcasts and what became of them."""

from __future__ import annotations

from sqlalchemy import func, select

from content import news_calls, outbox, subscriptions, usage
from content.models import SENT, SMS, OutboundMessage, UsageEvent
from content.sms_text import count
from tests.content.test_news_calls import EACH_MORNING, LANDLINE, broadcast
from tests.factories import create_announcement, create_subscriber
from tests.twilio_fake import BASE_URL

NUMBERS = ("+4915100002001", "+4915100002002", "+4915100002003")


def amounts(session, *kinds: str) -> dict[tuple[str, str, str], int]:
    """The events of these kinds, their amounts summed by (channel, kind, detail)."""
    session.expire_all()
    query = (
        select(UsageEvent.channel, UsageEvent.kind, UsageEvent.detail, func.sum(UsageEvent.amount))
        .where(UsageEvent.kind.in_(kinds))
        .group_by(UsageEvent.channel, UsageEvent.kind, UsageEvent.detail)
    )
    return {(channel, kind, detail): int(total) for channel, kind, detail, total in session.execute(query)}


def test_a_subscription_counts_when_it_starts_and_when_it_ends_not_when_it_changes(session, clock) -> None:
    create_subscriber(session, clock(), number=NUMBERS[0])
    create_subscriber(session, clock(), number=NUMBERS[0], topics=["mobility"])  # fewer topics: no new one
    create_subscriber(session, clock(), number=NUMBERS[1], channel="phone")
    subscriptions.stop(session, NUMBERS[0], language="de", now=clock(), channel=usage.SMS)
    subscriptions.stop(session, NUMBERS[0], language="de", now=clock(), channel=usage.SMS)  # stopped already
    subscriptions.stop(session, NUMBERS[2], language="de", now=clock(), channel=usage.SMS)  # never subscribed
    news_calls.subscribe(session, LANDLINE, language="de", choices=EACH_MORNING, wording="Ja.", now=clock())
    news_calls.subscribe(session, LANDLINE, language="tr", choices=EACH_MORNING, wording="Evet.", now=clock())
    assert news_calls.stop(session, LANDLINE) and not news_calls.stop(session, LANDLINE)
    session.commit()
    assert amounts(session, usage.SUBSCRIBED, usage.UNSUBSCRIBED) == {
        (usage.SMS, usage.SUBSCRIBED, usage.SMS): 1,
        (usage.PHONE, usage.SUBSCRIBED, usage.SMS): 1,
        (usage.PHONE, usage.SUBSCRIBED, usage.BY_CALL): 1,
        (usage.SMS, usage.UNSUBSCRIBED, usage.SMS): 1,
        (usage.PHONE, usage.UNSUBSCRIBED, usage.BY_CALL): 1,
    }


def test_a_subscription_rolled_back_is_not_counted(session, clock) -> None:
    subscriptions.subscribe(session, NUMBERS[0], language="de", channel="sms", wording="START", now=clock())
    session.rollback()
    assert amounts(session, usage.SUBSCRIBED) == {}


def test_a_broadcast_counts_its_recipients_and_segments(session, clock) -> None:
    for number in NUMBERS[:2]:
        create_subscriber(session, clock(), number=number)
    create_subscriber(session, clock(), number=NUMBERS[2], language="en")
    news_calls.subscribe(session, LANDLINE, language="de", choices=EACH_MORNING, wording="Ja.", now=clock())
    session.commit()
    sent = broadcast(session, create_announcement(session, clock()), clock())
    bodies = session.scalars(
        select(OutboundMessage.body).where(OutboundMessage.broadcast_id == sent.id, OutboundMessage.channel == SMS)
    ).all()
    assert len(bodies) == 3 and len(set(bodies)) == 2  # German and English
    assert amounts(session, usage.NEWS_SENT, usage.BROADCAST, usage.RECIPIENTS, usage.SEGMENTS) == {
        ("", usage.NEWS_SENT, ""): 1,  # one announcement, sent by SMS and as a call
        ("", usage.BROADCAST, usage.SMS): 1,
        ("", usage.BROADCAST, usage.BY_CALL): 1,
        ("", usage.RECIPIENTS, usage.SMS): 3,
        ("", usage.RECIPIENTS, usage.BY_CALL): 1,
        ("", usage.SEGMENTS, usage.SMS): sum(count(body).segments for body in bodies),
    }


def test_delivery_reports_count_each_broadcast_sms_once_as_delivered_or_failed(session, clock, signer) -> None:
    for number in NUMBERS:
        create_subscriber(session, clock(), number=number)
    sent = broadcast(session, create_announcement(session, clock()), clock())
    outbox.enqueue(session, recipient=NUMBERS[0], body="Eine Antwort", key="reply-1", now=clock())  # no broadcast
    messages = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
    for message in messages:
        message.status, message.provider_id = SENT, f"SM{message.id:032d}"
    session.commit()
    ids = {message.id: message.provider_id for message in messages}
    first, second, third, reply = messages

    def report(message: OutboundMessage, status: str) -> None:
        url = f"{BASE_URL}/sms/status?outbox={message.id}"
        assert signer.post(url, {"MessageSid": ids[message.id], "MessageStatus": status}).status_code == 204

    assert reply.broadcast_id is None and first.broadcast_id == sent.id
    report(first, "delivered")
    report(first, "delivered")  # the provider reports again
    report(second, "failed")
    report(second, "undelivered")  # still failed: counted once
    report(third, "undelivered")
    report(third, "delivered")  # delivered after all: the failure is taken back
    report(reply, "delivered")
    assert amounts(session, usage.DELIVERED, usage.FAILED) == {
        (usage.SMS, usage.DELIVERED, usage.SMS): 2,
        (usage.SMS, usage.FAILED, usage.SMS): 1,
    }

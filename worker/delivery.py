"""Delivery reports that never came: the worker asks the provider what became of a message.

The provider reports each message's fate to /sms/status. A report it could not hand over (the
database was away and the webhook answered 503, or the network failed) leaves the message "sent"
for good. So, while idle, the worker asks the provider for messages that have been "sent" longer
than LOOK_AFTER, a batch at a time, and applies the answer as if the report had come. After
GIVE_UP_AFTER it stops asking: some networks never confirm delivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import outbox
from content.models import SENT, SMS, OutboundMessage
from telephony.messages import DeliveryReport, ProviderError, Sender

log = logging.getLogger(__name__)

LOOK_AFTER = timedelta(minutes=30)  # a report normally comes within minutes
GIVE_UP_AFTER = timedelta(days=3)
BATCH = 20  # the worker sends nothing while it asks: a round stays short


def overdue(
    session: Session, now: datetime, channel: str = SMS, *, not_like: tuple[str, ...] = ()
) -> list[tuple[int, str]]:
    """Messages (of channel) still "sent" LOOK_AFTER after they went out or were last asked about,
    up to GIVE_UP_AFTER after sending, leaving out provider ids like the patterns not_like; the ones
    asked about longest ago first. (A news call "sent" is ringing: worker/call_ends.py asks about its
    end, never about a message's delivery.)"""
    query = (
        select(OutboundMessage.id, OutboundMessage.provider_id)
        .where(
            OutboundMessage.channel == channel,
            OutboundMessage.status == SENT,
            OutboundMessage.provider_id.is_not(None),
            *(OutboundMessage.provider_id.not_like(pattern) for pattern in not_like),
            OutboundMessage.updated_at <= now - LOOK_AFTER,
            OutboundMessage.claimed_at > now - GIVE_UP_AFTER,
        )
        .order_by(OutboundMessage.updated_at, OutboundMessage.id)
        .limit(BATCH)
    )
    return [(message_id, provider_id or "") for message_id, provider_id in session.execute(query)]


def settle(session: Session, message_id: int, provider_id: str, report: DeliveryReport | None, now: datetime) -> None:
    """Apply what the provider told, as its delivery report would have been applied; a message
    still on its way is asked about again LOOK_AFTER from now."""
    if report is not None:
        found = outbox.record_report(session, message_id, provider_id, report.status, report.error or None)
        if found is not None and report.recipient_opted_out:
            outbox.end_subscriptions(session, [found.recipient], now)
    message = session.get(OutboundMessage, message_id)
    if message is not None:
        message.updated_at = now


def look_up(session: Session, sender: Sender, now: datetime) -> int:
    """Ask the provider about one batch of overdue messages and apply the answers; return how
    many were asked. A provider in trouble ends the round: the rest wait for the next one."""
    asked = 0
    for message_id, provider_id in overdue(session, now):
        try:
            report = sender.status(provider_id)
        except ProviderError as error:
            log.warning("asking for delivery states stopped until the next round (provider status %s)", error.status)
            break
        settle(session, message_id, provider_id, report, now)
        asked += 1
    session.commit()
    return asked

"""News calls whose end was never reported: the worker asks the provider how each one ended.

The provider reports a placed call's end to the voice menu's status webhook. A report it could not
hand over (the database was away and the webhook answered 503, or the network failed) would
leave the call "sent" (ringing) for good: never tried again, and its number kept. So, while idle,
the worker asks the provider about calls that have been ringing longer than LOOK_AFTER (no call
lasts that long), a batch at a time, and applies the answer as the report would have been applied
(content.news_calls.ended). A call the provider cannot tell about is asked about again later,
until GIVE_UP_AFTER; then it is settled as ended unknown (counted as failed, never tried again), so
that the broadcast's progress comes to an end.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from content import news_calls
from content.db import rows_changed
from content.models import CALL, SENT, UNKNOWN, OutboundMessage
from content.profile import TownProfile
from telephony.calls import Dialler
from telephony.messages import ProviderError
from worker import delivery

log = logging.getLogger(__name__)

# As for SMS (a news call rings 40 seconds and lasts a few minutes; the worker places nothing while it asks).
LOOK_AFTER, GIVE_UP_AFTER, BATCH = delivery.LOOK_AFTER, delivery.GIVE_UP_AFTER, delivery.BATCH
# Calls no provider placed: the simulator's phone (answered in the browser) and the demo's console.
NOT_AT_THE_PROVIDER = ("SIMULATED%", "LOCAL%")


def overdue(session: Session, now: datetime) -> list[tuple[int, str]]:
    """Calls still ringing LOOK_AFTER after they were placed or last asked about, up to
    GIVE_UP_AFTER after placing, as delivery.overdue finds SMS; only those a provider placed."""
    return delivery.overdue(session, now, CALL, not_like=NOT_AT_THE_PROVIDER)


def look_up(session: Session, dialler: Dialler, profile: TownProfile, now: datetime) -> int:
    """Ask the provider about one batch of overdue calls and settle those that ended; return how
    many were asked. A provider in trouble ends the round: the rest wait for the next one."""
    given_up(session, now)
    asked = 0
    for call_id, provider_id in overdue(session, now):
        try:
            report = dialler.status(provider_id)
        except ProviderError as error:
            log.warning("asking how news calls ended stopped until the next round (provider status %s)", error.status)
            break
        if report is not None and report.ended is not None:
            outcome = news_calls.reported_outcome(report.ended, report.answered_by)
            news_calls.ended(session, call_id, provider_id, outcome, profile, now)
        # Asked: not again before LOOK_AFTER (unless it was settled just now).
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == call_id, OutboundMessage.status == SENT)
            .values(updated_at=now)
        )
        asked += 1
    session.commit()
    return asked


def given_up(session: Session, now: datetime) -> int:
    """Calls still ringing GIVE_UP_AFTER after they were placed, whose end nobody could tell: ended,
    outcome unknown. Returns how many."""
    return rows_changed(
        session,
        update(OutboundMessage)
        .where(
            OutboundMessage.channel == CALL,
            OutboundMessage.status == SENT,
            OutboundMessage.claimed_at <= now - GIVE_UP_AFTER,
        )
        .values(status=UNKNOWN, updated_at=now),
    )

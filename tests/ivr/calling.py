"""News calls for tests: a resident called with the news, and the call as the worker placed it,
made through the content functions the service uses."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import news_calls, queries
from content.models import CALL, SENT, Announcement, OutboundMessage
from content.news_calls import Choices
from tests.twilio_fake import ANSWERED_BY, BASE_URL, HOTLINE_NUMBER, Caller

# A Kaiserslautern landline and a mobile (the mobile of tests.twilio_fake's caller).
LANDLINE = "+496313651234"
MOBILE = "+4915112345678"

_sids = itertools.count(1)


def new_call_sid() -> str:
    """A call id as Twilio gives one to each call it places."""
    return f"CA{next(_sids):032x}"


EACH_MORNING = Choices()


def subscribe(
    session: Session, now: datetime, number: str = LANDLINE, *, language: str = "de", choices: Choices = EACH_MORNING
) -> None:
    news_calls.subscribe(session, number, language=language, choices=choices, wording="(test)", now=now)
    session.commit()


def calls_to(session: Session, number: str) -> list[OutboundMessage]:
    session.expire_all()
    query = select(OutboundMessage).where(OutboundMessage.channel == CALL, OutboundMessage.recipient == number)
    return list(session.scalars(query.order_by(OutboundMessage.id)))


def call(session: Session, outbox_id: int) -> OutboundMessage:
    session.expire_all()
    found = session.get(OutboundMessage, outbox_id)
    assert found is not None
    return found


def place(session: Session, row: OutboundMessage) -> str:
    """What the worker does: the call is placed (once more), the provider names it."""
    sid = new_call_sid()
    row.status, row.provider_id, row.attempts = SENT, sid, row.attempts + 1
    session.commit()
    return sid


def news_call(session: Session, now: datetime, announcement: Announcement, number: str = LANDLINE) -> tuple[int, str]:
    """The call for announcement to number's subscription, placed: its outbox id and the provider's call id."""
    news_calls.queue_news(session, announcement, queries.town_profile(session), broadcast_id=None, now=now)
    session.commit()
    (row,) = calls_to(session, number)
    return row.id, place(session, row)


class Resident(Caller):
    """The phone the city calls, as the worker names each call it places: its outbox id and its
    try (?call=<id>&try=<n>). Twilio posts both webhooks of the call with that query."""

    def answer_try(
        self, outbox_id: int, call_sid: str, attempt: int | str, answered_by: str = "person", **form: str
    ) -> Resident:
        """Take the call placed as this try; form: fields Twilio would send otherwise (Direction, To)."""
        self.outbound, self.call_sid = True, call_sid
        url = f"{BASE_URL}/voice/news-call?call={outbox_id}&try={attempt}"
        self._post(url, {"AnsweredBy": ANSWERED_BY[answered_by], **form})
        return self

    def try_ends(self, outbox_id: int, call_sid: str, attempt: int | str, status: str) -> int:
        """Twilio's status callback for this try of the call; returns the HTTP status."""
        form = {
            "CallSid": call_sid,
            "From": HOTLINE_NUMBER,
            "To": self.number,
            "CallStatus": status,
            "Direction": "outbound-api",
        }
        url = f"{BASE_URL}/voice/news-call/status?call={outbox_id}&try={attempt}"
        return int(self.signer.post(url, form).status_code)

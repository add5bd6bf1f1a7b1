"""Personal data: the pseudonym that stands for a number, what is kept about a number, erasing it
on request (by SMS only once confirmed), and deleting what is past its retention time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from content import clock, news_calls, usage
from content.db import insert_or_keep, rows_changed, without_statement_timeout
from content.models import (
    CALL,
    DELIVERED,
    FAILED,
    SENT,
    SMS,
    SUBSCRIBED,
    UNDELIVERED,
    UNKNOWN,
    VOICE_MESSAGE,
    Base,
    CallbackRequest,
    CallerVisit,
    CallSubscriber,
    ErasureRequest,
    InboundMessage,
    OutboundMessage,
    Poll,
    Submission,
    Subscriber,
    Vote,
)
from content.phone import pseudonym
from content.profile import TownProfile


def recordings_dir() -> Path:
    """Where the city keeps voice messages: RECORDINGS_DIR, by default instance/recordings."""
    configured = current_app.config.get("RECORDINGS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "recordings"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def pseudonym_of(number: str) -> str:
    """The keyed pseudonym that stands for a number in votes and visits (never the number)."""
    return pseudonym(number, current_app.config["PSEUDONYM_KEY"])


# What is kept about a number, and erasing it -------------------------------------------------------


@dataclass(frozen=True)
class Kept:
    """What is kept about one number (for DATEN, the phone's key 4 and staff's right-of-access export)."""

    subscriber: Subscriber | None
    submissions: list[Submission]
    callbacks: list[CallbackRequest]
    votes: int
    messages: int  # SMS sent (or waiting to be sent) to the number
    language: str | None = None  # the language chosen on the phone, kept with the visit's pseudonym
    calls: CallSubscriber | None = None  # the news calls asked for on the phone
    calls_waiting: int = 0  # news calls that still hold the number (waiting, ringing, just over)

    @property
    def anything(self) -> bool:
        kept = (self.subscriber, self.submissions, self.callbacks, self.votes, self.messages, self.language)
        return any(kept) or self.calls is not None or self.calls_waiting > 0


def kept_about(session: Session, number: str) -> Kept:
    pseudonym = pseudonym_of(number)
    return Kept(
        subscriber=session.scalar(select(Subscriber).where(Subscriber.number == number)),
        submissions=list(
            session.scalars(select(Submission).where(Submission.number == number).order_by(Submission.id))
        ),
        callbacks=list(session.scalars(select(CallbackRequest).where(CallbackRequest.number == number))),
        votes=session.scalar(select(func.count()).select_from(Vote).where(Vote.voter == pseudonym)) or 0,
        messages=session.scalar(  # the SMS: the news calls waiting for the number belong to calls
            select(func.count())
            .select_from(OutboundMessage)
            .where(OutboundMessage.recipient == number, OutboundMessage.channel == SMS)
        )
        or 0,
        language=_phone_language(pseudonym),
        calls=session.scalar(select(CallSubscriber).where(CallSubscriber.number == number)),
        calls_waiting=session.scalar(  # waiting, ringing, or over and not yet reported so
            select(func.count())
            .select_from(OutboundMessage)
            .where(OutboundMessage.recipient == number, OutboundMessage.channel == CALL)
        )
        or 0,
    )


def _phone_language(pseudonym: str) -> str | None:
    """The language the caller chose on the phone (a choice not yet written included)."""
    visits = current_app.extensions.get("content.visits")
    return visits.language(pseudonym) if visits is not None else None


def as_record(kept: Kept) -> dict[str, object]:
    """What is kept, as plain data for the person who asked (right of access)."""
    subscriber = kept.subscriber
    return {
        "subscription": None
        if subscriber is None
        else {
            "status": subscriber.status,
            "language": subscriber.language,
            "topics": subscriber.topics,
            "consent_at": _iso(subscriber.consent_at),
            "consent_channel": subscriber.consent_channel,
            "consent_wording": subscriber.consent_wording,
            "stopped_at": _iso(subscriber.stopped_at),
        },
        "submissions": [
            {
                "reference": item.id,
                "kind": item.kind,
                "channel": item.channel,
                "received_at": _iso(item.received_at),
                "text": item.text,
                "voice_message_kept": bool(item.recording_file),
                "answer": item.answer,
            }
            for item in kept.submissions
        ],
        "callback_requests": [
            {"requested_at": _iso(item.requested_at), "due_on": item.due_on.isoformat(), "status": item.status}
            for item in kept.callbacks
        ],
        "news_calls": None
        if kept.calls is None
        else {
            "language": kept.calls.language,
            "frequency": kept.calls.frequency,
            "weekday": kept.calls.weekday,
            "window": kept.calls.window,
            "machine_is_enough": kept.calls.machine_is_enough,
            "consent_at": _iso(kept.calls.consent_at),
            "consent_channel": kept.calls.consent_channel,
            "consent_wording": kept.calls.consent_wording,
        },
        "news_calls_holding_the_number": kept.calls_waiting,
        "votes": kept.votes,
        "messages_sent": kept.messages,
        "phone_language": kept.language,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def erase(session: Session, number: str, *, asked_on: str) -> None:
    """Erase everything linked to the number; ideas and questions stay, anonymous (the caller commits).
    asked_on: the channel the person asked on (phone, sms, or staff for a request by letter).

    Voice messages are the person's voice, so their recordings go as well.
    """
    now = clock.now()
    usage.record_now(session, usage.ERASED, channel=asked_on, at=now)
    pseudonym, recordings = pseudonym_of(number), recordings_dir()
    for item in session.scalars(
        select(Submission).where(Submission.number == number, Submission.kind == VOICE_MESSAGE)
    ):
        _remove_recording(item, recordings)
        item.recording_wanted = False  # the worker still deletes the provider's copy
    session.execute(update(Submission).where(Submission.number == number).values(number=None, pseudonym=None))
    session.execute(update(Submission).where(Submission.pseudonym == pseudonym).values(pseudonym=None))
    session.execute(delete(CallbackRequest).where(CallbackRequest.number == number))
    session.execute(update(Vote).where(Vote.voter == pseudonym).values(voter=None))
    visits = current_app.extensions.get("content.visits")
    if visits is not None:
        visits.forget(pseudonym)
    session.execute(delete(CallerVisit).where(CallerVisit.pseudonym == pseudonym))
    subscribed = session.scalar(select(Subscriber.status).where(Subscriber.number == number)) == SUBSCRIBED
    session.execute(delete(Subscriber).where(Subscriber.number == number))
    if subscribed:
        usage.record_now(session, usage.UNSUBSCRIBED, channel=asked_on, at=now, detail=usage.SMS)
    if rows_changed(session, delete(CallSubscriber).where(CallSubscriber.number == number)):
        usage.record_now(session, usage.UNSUBSCRIBED, channel=asked_on, at=now, detail=usage.BY_CALL)
    news_calls.cancel_calls(session, number, now)  # their count stays, without the number
    session.execute(delete(OutboundMessage).where(OutboundMessage.recipient == number))
    session.execute(delete(ErasureRequest).where(ErasureRequest.pseudonym == pseudonym))


# Erasing by SMS: the keyword asks, the confirmation within ten minutes erases ----------------------

CONFIRM_WITHIN = timedelta(minutes=10)


def ask_erasure(session: Session, number: str, now: datetime) -> None:
    """Remember (by pseudonym) that the number asked to be erased; asking again starts the time anew."""
    table = Base.metadata.tables[ErasureRequest.__tablename__]
    session.execute(
        insert_or_keep(session.get_bind().dialect.name, table)
        .values(pseudonym=pseudonym_of(number), asked_at=now)
        .on_conflict_do_update(index_elements=[table.c.pseudonym], set_={"asked_at": now})
    )


def confirm_erasure(session: Session, number: str, now: datetime) -> bool:
    """Erase the number if it asked within CONFIRM_WITHIN, and say whether it did.

    The request is taken by deleting it, so of two confirmations at once only one erases.
    """
    asked = rows_changed(
        session,
        delete(ErasureRequest).where(
            ErasureRequest.pseudonym == pseudonym_of(number), ErasureRequest.asked_at >= now - CONFIRM_WITHIN
        ),
    )
    if asked:
        erase(session, number, asked_on=usage.SMS)
    return bool(asked)


def cancel_erasure(session: Session, number: str) -> None:
    session.execute(delete(ErasureRequest).where(ErasureRequest.pseudonym == pseudonym_of(number)))


def _remove_recording(item: Submission, recordings: Path) -> None:
    if item.recording_file:
        (recordings / item.recording_file).unlink(missing_ok=True)
        item.recording_file = None


# Keeping personal data no longer than needed ---------------------------------------------------------

# Unknown too: a stopped worker's message the provider could not tell about is kept for staff as long as the rest.
FINISHED = (SENT, DELIVERED, UNDELIVERED, FAILED, UNKNOWN)
# A news call's end that the provider never reported: its number is forgotten after this long.
CALL_NUMBER_KEPT = timedelta(days=1)


def purge(session: Session, profile: TownProfile, now: datetime, recordings: Path) -> dict[str, int]:
    """Delete the personal data whose time is up; return how many records each rule touched."""
    without_statement_timeout(session)
    days = profile.retention_days

    def before(kind: str) -> datetime:
        return now - timedelta(days=days[kind])

    touched: dict[str, int] = {}
    expired_voices = session.scalars(
        select(Submission).where(Submission.recording_file.is_not(None), Submission.received_at < before("voice"))
    ).all()
    for item in expired_voices:
        _remove_recording(item, recordings)
        item.recording_wanted = False
    touched["voice"] = len(expired_voices)
    touched["contact"] = rows_changed(
        session,
        update(Submission)
        .where(
            Submission.received_at < before("contact"),
            Submission.number.is_not(None) | Submission.pseudonym.is_not(None),
        )
        .values(number=None, pseudonym=None),
    )
    touched["callback"] = rows_changed(
        session, delete(CallbackRequest).where(CallbackRequest.requested_at < before("callback"))
    )
    closed_long_ago = select(Poll.id).where(Poll.closes_at < before("votes"))
    touched["votes"] = rows_changed(
        session, update(Vote).where(Vote.poll_id.in_(closed_long_ago), Vote.voter.is_not(None)).values(voter=None)
    )
    touched["sms_log"] = rows_changed(
        session, delete(InboundMessage).where(InboundMessage.received_at < before("sms_log"))
    )
    touched["erasure_requests"] = rows_changed(
        session, delete(ErasureRequest).where(ErasureRequest.asked_at < now - CONFIRM_WITHIN)
    )
    touched["visits"] = rows_changed(session, delete(CallerVisit).where(CallerVisit.last_call_at < before("visits")))
    # A news call's number stays only while the call needs it (content.news_calls).
    touched["call_numbers"] = news_calls.forget_numbers(session, now - CALL_NUMBER_KEPT)
    touched["outbox"] = rows_changed(
        session,
        delete(OutboundMessage).where(
            OutboundMessage.status.in_(FINISHED), OutboundMessage.updated_at < before("outbox")
        ),
    )
    for rule, count in touched.items():  # the report's data-protection figures
        if count:
            usage.record_now(session, usage.PURGED, channel="", at=now, detail=rule, amount=count)
    # The usage events are no one's data, but they are kept no longer than needed: once their day
    # is counted (just now, or earlier), only the counts stay.
    usage.count_days_safely(session, ZoneInfo(profile.timezone), now)
    touched["usage_events"] = usage.forget_events(session, before("usage_events"))
    return touched

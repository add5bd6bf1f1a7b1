"""Taking part: votes, ideas, questions, voice messages and callbacks, and the personal data they leave.

Phone and SMS call the same functions here, so a vote counts once across both channels (the
voter is the keyed pseudonym of the number, never the number) and erasure finds everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from content import office_hours
from content.models import (
    DELIVERED,
    FAILED,
    HANDLED,
    OPEN,
    SENT,
    UNDELIVERED,
    VOICE_MESSAGE,
    CallbackRequest,
    CallerVisit,
    InboundMessage,
    OutboundMessage,
    Poll,
    PollOption,
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


# Polls ----------------------------------------------------------------------------------------


def open_polls(session: Session, now: datetime) -> list[Poll]:
    """The polls open now, the most recently opened first, with their options."""
    query = (
        select(Poll)
        .options(selectinload(Poll.options))
        .where(Poll.opens_at <= now, Poll.closes_at > now)
        .order_by(Poll.opens_at.desc(), Poll.id.desc())
    )
    return list(session.scalars(query))


def vote_of(session: Session, poll_id: int, voter: str) -> Vote | None:
    return session.scalar(select(Vote).where(Vote.poll_id == poll_id, Vote.voter == voter))


def cast_vote(session: Session, poll: Poll, option: PollOption, *, voter: str, channel: str, now: datetime) -> bool:
    """Record the voter's choice, replacing an earlier one; True if they had voted before.

    The caller commits. A unique constraint on (poll, voter) keeps it at one vote even when
    phone and SMS arrive at the same moment.
    """
    if not poll.is_open(now) or option.poll_id != poll.id:
        raise ValueError("this poll is not open, or the option is not one of its own")
    earlier = vote_of(session, poll.id, voter)
    if earlier is not None:
        earlier.option_id, earlier.channel, earlier.cast_at = option.id, channel, now
        return True
    session.add(Vote(poll_id=poll.id, option_id=option.id, voter=voter, channel=channel, cast_at=now))
    return False


def results(session: Session, polls: list[Poll]) -> dict[int, dict[int, dict[str, int]]]:
    """Votes of each poll per answer position and channel, in one query:
    {poll id: {1: {"phone": 3, "sms": 5}, ...}}."""
    query = (
        select(PollOption.poll_id, PollOption.position, Vote.channel, func.count())
        .join(Vote, Vote.option_id == PollOption.id)
        .where(PollOption.poll_id.in_([poll.id for poll in polls]))
        .group_by(PollOption.poll_id, PollOption.position, Vote.channel)
    )
    counted = {poll.id: {option.position: {} for option in poll.options} for poll in polls}
    for poll_id, position, channel, count in session.execute(query):
        counted[poll_id].setdefault(position, {})[channel] = count
    return counted


# Ideas, questions, voice messages, callbacks ------------------------------------------------------


def submit(session: Session, *, kind: str, channel: str, language: str, number: str | None, pseudonym: str | None,
           now: datetime, text: str | None = None, project_number: int | None = None) -> Submission:
    """File an idea, question or voice message for the inbox; its id is the reference number."""
    item = Submission(kind=kind, channel=channel, language=language, number=number, pseudonym=pseudonym,
                      text=text, project_number=project_number, received_at=now, status=OPEN, fetch_attempts=0,
                      recording_wanted=True)
    session.add(item)
    session.flush()
    return item


def voice_message(session: Session, *, recording_sid: str, language: str, now: datetime) -> Submission:
    """The voice message of this recording: Twilio reports it twice (the caller's next step and the
    recording's status), in either order; whichever comes first files it."""
    item = session.scalar(select(Submission).where(Submission.recording_sid == recording_sid))
    if item is None:
        item = submit(session, kind=VOICE_MESSAGE, channel="phone", language=language, number=None, pseudonym=None, now=now)
        item.recording_sid = recording_sid
    return item


def request_callback(session: Session, profile: TownProfile, *, number: str, pseudonym: str, language: str,
                     channel: str, now: datetime) -> CallbackRequest:
    """Ask staff to call back by the next working day; a second request while one is open is the same."""
    waiting = session.scalar(
        select(CallbackRequest).where(CallbackRequest.number == number, CallbackRequest.status == OPEN)
    )
    if waiting is not None:
        return waiting
    today = office_hours.local_date(profile, now)
    request = CallbackRequest(number=number, pseudonym=pseudonym, language=language, channel=channel,
                              due_on=office_hours.next_working_day(profile, today), status=OPEN, requested_at=now)
    session.add(request)
    session.flush()
    return request


# What is kept about a number, and erasing it -------------------------------------------------------


@dataclass(frozen=True)
class Kept:
    """What is kept about one number (for DATEN, the phone's key 4 and staff's right-of-access export)."""

    subscriber: Subscriber | None
    submissions: list[Submission]
    callbacks: list[CallbackRequest]
    votes: int
    messages: int

    @property
    def anything(self) -> bool:
        return bool(self.subscriber or self.submissions or self.callbacks or self.votes or self.messages)


def kept_about(session: Session, number: str) -> Kept:
    pseudonym = pseudonym_of(number)
    return Kept(
        subscriber=session.scalar(select(Subscriber).where(Subscriber.number == number)),
        submissions=list(session.scalars(select(Submission).where(Submission.number == number).order_by(Submission.id))),
        callbacks=list(session.scalars(select(CallbackRequest).where(CallbackRequest.number == number))),
        votes=session.scalar(select(func.count()).select_from(Vote).where(Vote.voter == pseudonym)) or 0,
        messages=session.scalar(
            select(func.count()).select_from(OutboundMessage).where(OutboundMessage.recipient == number)
        ) or 0,
    )


def as_record(kept: Kept) -> dict[str, object]:
    """What is kept, as plain data for the person who asked (right of access)."""
    subscriber = kept.subscriber
    return {
        "subscription": None if subscriber is None else {
            "status": subscriber.status, "language": subscriber.language, "topics": subscriber.topics,
            "consent_at": _iso(subscriber.consent_at), "consent_channel": subscriber.consent_channel,
            "consent_wording": subscriber.consent_wording, "stopped_at": _iso(subscriber.stopped_at),
        },
        "submissions": [
            {"reference": item.id, "kind": item.kind, "channel": item.channel, "received_at": _iso(item.received_at),
             "text": item.text, "voice_message_kept": bool(item.recording_file), "answer": item.answer}
            for item in kept.submissions
        ],
        "callback_requests": [
            {"requested_at": _iso(item.requested_at), "due_on": item.due_on.isoformat(), "status": item.status}
            for item in kept.callbacks
        ],
        "votes": kept.votes,
        "messages_sent": kept.messages,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def erase(session: Session, number: str) -> None:
    """Erase everything linked to the number; ideas and questions stay, anonymous (the caller commits).

    Voice messages are the person's voice, so their recordings go as well.
    """
    pseudonym, recordings = pseudonym_of(number), recordings_dir()
    for item in session.scalars(select(Submission).where(Submission.number == number, Submission.kind == VOICE_MESSAGE)):
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
    session.execute(delete(Subscriber).where(Subscriber.number == number))
    session.execute(delete(OutboundMessage).where(OutboundMessage.recipient == number))


def _remove_recording(item: Submission, recordings: Path) -> None:
    if item.recording_file:
        (recordings / item.recording_file).unlink(missing_ok=True)
        item.recording_file = None


# Keeping personal data no longer than needed ---------------------------------------------------------

FINISHED = (SENT, DELIVERED, UNDELIVERED, FAILED)


def purge(session: Session, profile: TownProfile, now: datetime, recordings: Path) -> dict[str, int]:
    """Delete the personal data whose time is up; return how many records each rule touched."""
    days = profile.retention_days

    def before(kind: str) -> datetime:
        return now - timedelta(days=days[kind])

    touched = {}
    expired_voices = session.scalars(
        select(Submission).where(Submission.recording_file.is_not(None), Submission.received_at < before("voice"))
    ).all()
    for item in expired_voices:
        _remove_recording(item, recordings)
        item.recording_wanted = False
    touched["voice"] = len(expired_voices)
    touched["contact"] = session.execute(
        update(Submission)
        .where(Submission.received_at < before("contact"), Submission.number.is_not(None) | Submission.pseudonym.is_not(None))
        .values(number=None, pseudonym=None)
    ).rowcount
    touched["callback"] = session.execute(
        delete(CallbackRequest).where(CallbackRequest.requested_at < before("callback"))
    ).rowcount
    closed_long_ago = select(Poll.id).where(Poll.closes_at < before("votes"))
    touched["votes"] = session.execute(
        update(Vote).where(Vote.poll_id.in_(closed_long_ago), Vote.voter.is_not(None)).values(voter=None)
    ).rowcount
    touched["sms_log"] = session.execute(delete(InboundMessage).where(InboundMessage.received_at < before("sms_log"))).rowcount
    touched["visits"] = session.execute(delete(CallerVisit).where(CallerVisit.last_call_at < before("visits"))).rowcount
    touched["outbox"] = session.execute(
        delete(OutboundMessage).where(OutboundMessage.status.in_(FINISHED), OutboundMessage.updated_at < before("outbox"))
    ).rowcount
    return touched


def handled(item: Submission | CallbackRequest, by: str, now: datetime) -> None:
    item.status, item.handled_by, item.handled_at = HANDLED, by, now

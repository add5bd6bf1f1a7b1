"""What residents send to the city: ideas, questions, voice messages and call-back requests.

Phone and SMS file them through the same functions; staff mark them handled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import office_hours, usage
from content.models import HANDLED, IDEA, OPEN, QUESTION, VOICE_MESSAGE, CallbackRequest, Submission
from content.profile import TownProfile

# What each kind of submission counts as in the usage figures.
_COUNTED_AS = {IDEA: usage.IDEA, QUESTION: usage.QUESTION, VOICE_MESSAGE: usage.VOICE_MESSAGE}


def submit(
    session: Session,
    *,
    kind: str,
    channel: str,
    language: str,
    number: str | None,
    pseudonym: str | None,
    now: datetime,
    text: str | None = None,
    project_number: int | None = None,
) -> Submission:
    """File an idea, question or voice message for the inbox; its id is the reference number."""
    item = Submission(
        kind=kind,
        channel=channel,
        language=language,
        number=number,
        pseudonym=pseudonym,
        text=text,
        project_number=project_number,
        received_at=now,
        status=OPEN,
        fetch_attempts=0,
        recording_wanted=True,
    )
    session.add(item)
    session.flush()
    if kind in _COUNTED_AS:
        detail = project_number if project_number is not None else ""
        usage.record_now(session, _COUNTED_AS[kind], channel=channel, at=now, detail=detail)
    return item


def voice_message(session: Session, *, recording_sid: str, language: str, now: datetime) -> Submission:
    """The voice message of this recording: Twilio reports it twice (the caller's next step and the
    recording's status), in either order; whichever comes first files it."""
    item = session.scalar(select(Submission).where(Submission.recording_sid == recording_sid))
    if item is None:
        item = submit(
            session, kind=VOICE_MESSAGE, channel="phone", language=language, number=None, pseudonym=None, now=now
        )
        item.recording_sid = recording_sid
    return item


def request_callback(
    session: Session, profile: TownProfile, *, number: str, pseudonym: str, language: str, channel: str, now: datetime
) -> CallbackRequest:
    """Ask staff to call back by the next working day; a second request while one is open is the same."""
    waiting = session.scalar(
        select(CallbackRequest).where(CallbackRequest.number == number, CallbackRequest.status == OPEN)
    )
    if waiting is not None:
        return waiting
    today = office_hours.local_date(profile, now)
    request = CallbackRequest(
        number=number,
        pseudonym=pseudonym,
        language=language,
        channel=channel,
        due_on=office_hours.next_working_day(profile, today),
        status=OPEN,
        requested_at=now,
    )
    session.add(request)
    session.flush()
    usage.record_now(session, usage.CALLBACK, channel=channel, at=now)
    return request


def handled(item: Submission | CallbackRequest, by: str, now: datetime) -> None:
    item.status, item.handled_by, item.handled_at = HANDLED, by, now


def callback_done(session: Session, profile: TownProfile, item: CallbackRequest, by: str, now: datetime) -> None:
    """The call back was made: handled, and counted as in time (on or before the day promised) or
    late. Marking it done again changes nothing and counts nothing."""
    if item.status == HANDLED:
        return
    on_time = office_hours.local_date(profile, now) <= item.due_on
    usage.record_now(session, usage.CALLBACK_DONE, channel="", at=now, detail=usage.IN_TIME if on_time else usage.LATE)
    handled(item, by, now)

"""News calls: the city calls residents who asked for it, with the news read to them.

A resident subscribes on the phone (key 4), from any phone: a call for each new announcement or
a weekly summary on a weekday they choose, in the morning or the afternoon calling window. Each
call is a row in the outbox (channel "call"), written once per subscriber and item (its
idempotency key), so that nobody is called twice for the same news; the worker places it in its
window, and the provider's reports say how it went:

- a person answered: delivered, never placed again;
- an answering machine took the short message: delivered too, unless the subscriber wants
  another try, then it is tried again like a busy line;
- busy, not answered, failed: tried again after RETRY_GAP in the subscriber's window, as often as
  the town's call_retries allow, then given up.

Once a call is over (delivered or given up), its row forgets the number: what remains is an
anonymous count for the staff's progress page. Stopping deletes the subscription, and the calls
still waiting with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, String, case, cast, delete, func, literal, or_, select
from sqlalchemy.orm import Session, object_session

from content import calling_hours, clock, office_hours, usage
from content.channel_texts import reading
from content.db import insert_or_keep, rows_changed, without_statement_timeout
from content.models import (
    BUSY,
    CALL,
    CALL_FAILED,
    CALL_WINDOWS,
    DELIVERED,
    EVERY_ITEM,
    FAILED,
    MACHINE,
    MORNING,
    NO_ANSWER,
    PERSON,
    QUEUED,
    SENDING,
    SENT,
    STOPPED,
    UNKNOWN,
    WEEKLY,
    Announcement,
    Base,
    Broadcast,
    CallSubscriber,
    OutboundMessage,
    UTCDateTime,
)
from content.profile import TownProfile

_outbox = Base.metadata.tables[OutboundMessage.__tablename__]
_subscribers = Base.metadata.tables[CallSubscriber.__tablename__]

# How long after a busy line or an unanswered call it rings again (in the subscriber's window).
RETRY_GAP = timedelta(hours=2)
# A weekly summary reads the news published in the last week.
SUMMARY_DAYS = 7
SUMMARY_AUTHOR = "weekly summary"
# Who stops the calls by key during a news call, or under key 4.
CONSENT_CHANNEL = "phone"


@dataclass(frozen=True)
class Choices:
    """What a resident chose on the phone: how often, on which weekday (weekly), in which window."""

    frequency: str = EVERY_ITEM  # EVERY_ITEM or WEEKLY
    weekday: int | None = None  # WEEKLY: 0 Monday … 5 Saturday
    window: str = MORNING  # MORNING or AFTERNOON

    def __post_init__(self) -> None:
        if self.frequency not in (EVERY_ITEM, WEEKLY) or self.window not in CALL_WINDOWS:
            raise ValueError("a news call is for each announcement or weekly, in the morning or afternoon")
        if (self.frequency == WEEKLY) != (self.weekday is not None and 0 <= self.weekday <= 5):
            raise ValueError("a weekly call needs a weekday from Monday (0) to Saturday (5), and only it")


# Subscribing and stopping ------------------------------------------------------------------------


def find(session: Session, number: str) -> CallSubscriber | None:
    return session.scalar(select(CallSubscriber).where(CallSubscriber.number == number))


def subscribe(
    session: Session, number: str, *, language: str, choices: Choices, wording: str, now: datetime
) -> CallSubscriber:
    """Call this number with the news as chosen, with the words agreed to as consent (the caller
    commits). Subscribing again replaces the earlier choices and consent; two requests at once
    write one row."""
    # A row comes back only when this inserted it: a new subscription, not a changed one.
    started = session.scalar(
        insert_or_keep(session.get_bind().dialect.name, _subscribers)
        .values(
            number=number,
            language=language,
            frequency=choices.frequency,
            weekday=choices.weekday,
            window=choices.window,
            machine_is_enough=True,
            consent_at=now,
            consent_channel=CONSENT_CHANNEL,
            consent_wording=wording,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[_subscribers.c.number])
        .returning(_subscribers.c.id)
    )
    if started is not None:  # not when only the choices change
        usage.record_now(session, usage.SUBSCRIBED, channel=usage.PHONE, at=now, detail=usage.BY_CALL)
    subscriber = session.scalar(
        select(CallSubscriber).where(CallSubscriber.number == number).execution_options(populate_existing=True)
    )
    assert subscriber is not None  # written just now, or by the request that overtook us
    subscriber.language, subscriber.frequency = language, choices.frequency
    subscriber.weekday, subscriber.window = choices.weekday, choices.window
    subscriber.consent_at, subscriber.consent_channel, subscriber.consent_wording = now, CONSENT_CHANNEL, wording
    subscriber.updated_at = now
    # Calls already waiting ring in the window chosen now.
    session.execute(
        _outbox.update()
        .where(_outbox.c.recipient == number, _outbox.c.channel == CALL, _outbox.c.status == QUEUED)
        .values(window=choices.window)
    )
    return subscriber


def stop(session: Session, number: str) -> bool:
    """No more news calls: the subscription goes, and the calls still waiting are not placed; they
    stay only as anonymous counts ("stopped") on the staff's progress page, without the number
    (the caller commits). A call the worker has taken but not yet placed is not placed either (it
    looks at its row once more just before dialling). Whether there was a subscription."""
    ended = rows_changed(session, delete(CallSubscriber).where(CallSubscriber.number == number))
    now = clock.now()
    cancel_calls(session, number, now)
    if ended:  # news calls are stopped only on the phone (key 4, or during a news call)
        usage.record_now(session, usage.UNSUBSCRIBED, channel=usage.PHONE, at=now, detail=usage.BY_CALL)
    return bool(ended)


def cancel_calls(session: Session, number: str, now: datetime) -> None:
    """The number's news calls not yet placed will not be: anonymous "stopped" counts from now on."""
    session.execute(
        _outbox.update()
        .where(
            _outbox.c.recipient == number,
            _outbox.c.channel == CALL,
            _outbox.c.status.in_([QUEUED, SENDING]),
        )
        .values(status=FAILED, call_outcome=STOPPED, recipient="", updated_at=now)
    )


def keep_trying_after_machine(session: Session, number: str, keep_trying: bool) -> bool:
    """Whether a message on the answering machine ends the tries for a news item (False) or the city
    tries again to reach the person (True). Whether the number has a call subscription."""
    subscriber = find(session, number)
    if subscriber is None:
        return False
    subscriber.machine_is_enough = not keep_trying
    return True


def subscribed(session: Session) -> int:
    """How many numbers are called with the news."""
    return session.scalar(select(func.count()).select_from(CallSubscriber)) or 0


# Queueing calls ------------------------------------------------------------------------------------


def _listens(language: str, languages: Sequence[str]) -> ColumnElement[bool]:
    """Call subscribers of language; those of a language the town no longer offers hear the first."""
    if language != languages[0]:
        return CallSubscriber.language == language
    return CallSubscriber.language.not_in(list(languages[1:]))


def _not_called_for(announcement_id: int) -> ColumnElement[bool]:
    """Subscribers who have no call for this announcement yet (waiting, done or given up)."""
    key = literal(f"newscall-{announcement_id}-") + cast(CallSubscriber.id, String)
    return ~select(OutboundMessage.id).where(OutboundMessage.idempotency_key == key).exists()


def audience(session: Session, *, languages: Sequence[str], announcement_id: int | None = None) -> dict[str, int]:
    """How many call subscribers a new announcement would call now, per language (those who want a
    call for each announcement, and have none for this one yet): the people queue_news calls."""
    found = audience_in_windows(session, languages=languages, announcement_id=announcement_id)
    return {language: sum(windows.values()) for language, windows in found.items()}


def _opening(profile: TownProfile, at: datetime) -> ColumnElement[datetime]:
    """In SQL: when each subscriber's window next opens at or after `at`."""
    openings = {window: calling_hours.next_opening(profile, window, at) for window in CALL_WINDOWS}
    return case(
        *((CallSubscriber.window == window, literal(moment, UTCDateTime())) for window, moment in openings.items()),
        else_=literal(openings[MORNING], UTCDateTime()),
    )


def _queue(
    session: Session,
    *,
    key: str,
    body: str,
    who: ColumnElement[bool],
    broadcast_id: int | None,
    opening: ColumnElement[datetime],
    now: datetime,
) -> None:
    """One statement: a call for every subscriber `who` selects, once per key (key + subscriber id)."""
    rows = select(
        literal(key) + cast(CallSubscriber.id, String),
        CallSubscriber.number,
        literal(CALL),
        literal(body),
        literal(QUEUED),
        literal(0),
        opening,
        CallSubscriber.window,
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
        literal(broadcast_id),
    ).where(who)
    columns = [
        "idempotency_key",
        "recipient",
        "channel",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "window",
        "created_at",
        "updated_at",
        "broadcast_id",
    ]
    insert = insert_or_keep(session.get_bind().dialect.name, _outbox).from_select(columns, rows)
    session.execute(insert.on_conflict_do_nothing(index_elements=[_outbox.c.idempotency_key]))


def queue_news(
    session: Session,
    announcement: Announcement,
    profile: TownProfile,
    *,
    broadcast_id: int | None,
    now: datetime,
    send_at: datetime | None = None,
) -> None:
    """A call for this announcement to every subscriber who wants one for each, in their window from
    send_at (or now) on: one statement per language, and never a second call for the same item.
    Listeners of a language the announcement's rule skips get none. The caller commits."""
    without_statement_timeout(session)
    languages = [language.code for language in profile.languages]
    opening = _opening(profile, send_at or now)
    for language in languages:
        if reading(announcement.texts, announcement.untranslated, language, languages[0]) is None:
            continue
        _queue(
            session,
            key=f"newscall-{announcement.id}-",
            body=str(announcement.id),
            who=(CallSubscriber.frequency == EVERY_ITEM) & _listens(language, languages),
            broadcast_id=broadcast_id,
            opening=opening,
            now=now,
        )


def queue_summaries(session: Session, profile: TownProfile, news: Sequence[Announcement], now: datetime) -> int:
    """Today's weekly summaries: a call to every weekly subscriber whose weekday is today, with the
    news of the last week that is public now (newest first), in their language; nobody is called
    when there is no news. On a public holiday they ring on the next calling day. Once a day:
    the day's summaries are one broadcast, made once. Returns how many languages had news to read
    (0: nothing queued). The caller commits."""
    today = office_hours.local_date(profile, now)
    wanted = (CallSubscriber.frequency == WEEKLY) & (CallSubscriber.weekday == today.weekday())
    if session.scalar(select(CallSubscriber.id).where(wanted).limit(1)) is None:
        return 0  # nobody's day (a Sunday is nobody's)
    if session.scalar(select(Broadcast.id).where(Broadcast.confirmation == f"summary-{today.isoformat()}")):
        return 0
    since = now - timedelta(days=SUMMARY_DAYS)
    recent = sorted(
        (item for item in news if item.is_public(now) and item.publish_at is not None and item.publish_at >= since),
        key=lambda item: (item.publish_at, item.id),
        reverse=True,
    )
    if not recent:
        return 0
    without_statement_timeout(session)
    day = Broadcast(author=SUMMARY_AUTHOR, created_at=now, confirmation=f"summary-{today.isoformat()}")
    session.add(day)
    session.flush()
    languages = [language.code for language in profile.languages]
    queued = 0
    for language in languages:
        heard = [item.id for item in recent if reading(item.texts, item.untranslated, language, languages[0])]
        if not heard:
            continue
        _queue(
            session,
            key=f"summary-{today.isoformat()}-",
            body=",".join(map(str, heard)),
            who=wanted & _listens(language, languages),
            broadcast_id=day.id,
            opening=_opening(profile, now),
            now=now,
        )
        queued += 1
    return queued


# The call itself -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallPlan:
    """What a news call reads: the announcements (ids, newest first), to whom, in which language."""

    outbox_id: int
    announcements: tuple[int, ...]
    language: str | None  # the subscriber's language; None if they stopped since it was queued


def read_plan(body: str) -> tuple[int, ...]:
    return tuple(int(part) for part in body.split(",") if part.isascii() and part.isdigit() and len(part) < 12)


def _call(session: Session, outbox_id: int, provider_id: str, attempt: int | None) -> OutboundMessage | None:
    """The news call this report is about, locked for the change: None if there is none, if it was
    never placed (a call waiting in the queue cannot have been answered), if it was placed as
    another call than the provider names, or if the report is about another try of it (attempt:
    the try the worker placed, carried in the call's webhook URLs; None for URLs without it)."""
    call = session.scalar(
        select(OutboundMessage)
        .where(OutboundMessage.id == outbox_id, OutboundMessage.channel == CALL)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if call is None or call.status == QUEUED or (call.provider_id and call.provider_id != provider_id):
        return None
    if attempt is not None and attempt != call.attempts:
        return None
    return call


def _done(call: OutboundMessage, status: str, outcome: str, now: datetime) -> None:
    """The call is settled for good: it is never placed again. Once the provider reports its end
    (or straight away when it never rang), only its status and outcome stay, as an anonymous count.
    A broadcast's call counts as delivered or failed in the usage figures, with the change."""
    if call.broadcast_id is not None and call.status not in (DELIVERED, FAILED):
        session = object_session(call)
        if session is not None:
            kind = usage.DELIVERED if status == DELIVERED else usage.FAILED
            usage.record_now(session, kind, channel=usage.PHONE, at=now, detail=usage.BY_CALL)
    call.status, call.call_outcome, call.updated_at = status, outcome, now


def _forget_number(call: OutboundMessage) -> None:
    call.recipient = ""


def answered(
    session: Session,
    outbox_id: int,
    provider_id: str,
    outcome: str,
    now: datetime,
    *,
    attempt: int | None = None,
    number: str | None = None,
) -> CallPlan | None:
    """The provider says who answered the news call (PERSON or MACHINE): written at once, before a
    word is said, so that an answered call is never placed again. Returns what to read, or None
    when there is no such call (placed, this try, to this number when given) or it failed for good
    (a call stopped while the worker dialled rings, but reads nothing). The caller commits."""
    call = _call(session, outbox_id, provider_id, attempt)
    if call is None or (number is not None and call.recipient and call.recipient != number):
        return None
    if call.status == FAILED:  # given up, refused, or stopped (or erased) while the worker dialled
        return None
    subscriber = find(session, call.recipient) if call.recipient else None
    language = subscriber.language if subscriber else None
    if call.status == DELIVERED:  # the provider asked again: say it again, change nothing
        return CallPlan(call.id, read_plan(call.body) + _folded_into(session, call), language)
    call.provider_id = provider_id
    if outcome != PERSON and subscriber is not None and not subscriber.machine_is_enough:
        # A machine, and the subscriber wants to hear it in person: the end of the call decides.
        call.status, call.call_outcome, call.updated_at = SENT, outcome, now
        return CallPlan(call.id, read_plan(call.body), language)
    _done(call, DELIVERED, outcome, now)
    return CallPlan(call.id, read_plan(call.body) + _fold(session, call, now), language)


def _fold(session: Session, call: OutboundMessage, now: datetime) -> tuple[int, ...]:
    """The number's other news calls still waiting are read in this one (each item once, never a
    second call that rings while the first is on the line, or just after): they are delivered
    with it, under its provider id. Returns their announcements."""
    others = list(
        session.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.recipient == call.recipient,
                OutboundMessage.channel == CALL,
                OutboundMessage.status == QUEUED,
                OutboundMessage.id != call.id,
            )
            .order_by(OutboundMessage.id)
            .with_for_update()
        )
    )
    for other in others:
        _done(other, DELIVERED, call.call_outcome or PERSON, now)
        other.provider_id, other.recipient = call.provider_id, ""
    return tuple(item for other in others for item in read_plan(other.body))


def _folded_into(session: Session, call: OutboundMessage) -> tuple[int, ...]:
    """The announcements of the calls delivered with this one (see _fold)."""
    bodies = session.scalars(
        select(OutboundMessage.body)
        .where(
            OutboundMessage.provider_id == call.provider_id,
            OutboundMessage.channel == CALL,
            OutboundMessage.id != call.id,
        )
        .order_by(OutboundMessage.id)
    )
    return tuple(item for body in bodies for item in read_plan(body))


# How a placed call that nobody took ended, as the provider reports it.
NOT_REACHED = (BUSY, NO_ANSWER, CALL_FAILED)
# The provider's report in the words of telephony.calls: who answered, and how an unanswered call ended.
_ANSWERED_AS = {"human": PERSON, "machine": MACHINE, "fax": CALL_FAILED}
_ENDED_AS = {"busy": BUSY, "no-answer": NO_ANSWER, "failed": CALL_FAILED}


def reported_outcome(ended: str, answered_by: str | None) -> str | None:
    """The outcome for ended() from a status report in the words of telephony.calls: ended
    "answered" (then who answered: "human", "machine", "fax", or None when detection could not
    tell), "busy", "no-answer" or "failed"."""
    if ended == "answered":
        return _ANSWERED_AS.get(answered_by or "")
    return _ENDED_AS.get(ended, CALL_FAILED)


def ended(
    session: Session,
    outbox_id: int,
    provider_id: str,
    outcome: str | None,
    profile: TownProfile,
    now: datetime,
    *,
    attempt: int | None = None,
) -> None:
    """The provider says the call is over: outcome PERSON or MACHINE (it was answered), BUSY,
    NO_ANSWER or CALL_FAILED, or None when it does not say (it was answered, by whom unknown).

    An answered call stays delivered; one that reached nobody (or only the machine of a subscriber
    who wants another try) is tried again in the subscriber's window while retries are left, and
    then given up. A call answered without answered() ever noting it (the answer webhook failed:
    nobody heard the news) counts as failed, and is tried again. The caller commits."""
    call = _call(session, outbox_id, provider_id, attempt)
    if call is None:
        return  # unknown, or a report of another try than this one
    if call.status in (DELIVERED, FAILED):  # answered (and settled then), now over
        _forget_number(call)
        return
    call.provider_id = provider_id
    if outcome in (PERSON, MACHINE, None):
        outcome = call.call_outcome or CALL_FAILED  # the answer was noted (a machine), or never
    subscriber = find(session, call.recipient) if call.recipient else None
    if outcome == PERSON or (outcome == MACHINE and (subscriber is None or subscriber.machine_is_enough)):
        _done(call, DELIVERED, outcome, now)
        _forget_number(call)
        return
    if subscriber is not None and call.attempts <= profile.call_retries:
        window = call.window or subscriber.window
        call.status, call.call_outcome, call.updated_at = QUEUED, outcome, now
        call.next_attempt_at = calling_hours.next_opening(profile, window, now + RETRY_GAP)
        call.provider_id, call.claimed_by = None, None
        return
    _done(call, DELIVERED if outcome == MACHINE else FAILED, outcome, now)
    _forget_number(call)


def withdraw(session: Session, announcement_id: int) -> int:
    """The announcement was taken off (archived): its calls not yet placed are not placed at all.
    (A weekly summary that also reads other news still rings, and leaves this one out.) Returns
    how many calls were taken back; the caller commits."""
    return rows_changed(
        session,
        delete(OutboundMessage).where(
            OutboundMessage.channel == CALL,
            OutboundMessage.status == QUEUED,
            OutboundMessage.body == str(announcement_id),
        ),
    )


def forget_numbers(session: Session, before: datetime) -> int:
    """Settled calls whose end the provider never reported, and calls a stopped worker left that the
    provider could not tell about, keep their number until `before`, then only the count stays; so
    does a call still ringing that was placed before then, whose end nobody could tell (no call
    lasts that long: a late report settles it without the number). Returns how many numbers were
    forgotten."""
    return rows_changed(
        session,
        _outbox.update()
        .where(
            _outbox.c.channel == CALL,
            _outbox.c.recipient != "",
            or_(
                _outbox.c.status.in_([DELIVERED, FAILED, UNKNOWN]) & (_outbox.c.updated_at < before),
                (_outbox.c.status == SENT) & (_outbox.c.claimed_at < before),
            ),
        )
        .values(recipient=""),
    )


# What staff see ------------------------------------------------------------------------------------

# The call figures of a broadcast, in the order staff read them.
FIGURES = ("queued", "ringing", "person", "machine", "busy", "no_answer", "failed", "retrying", "stopped")
_FINAL = {BUSY: "busy", NO_ANSWER: "no_answer", CALL_FAILED: "failed", STOPPED: "stopped"}


def progress(session: Session, broadcast_id: int) -> dict[str, int]:
    """A broadcast's news calls by where they are: waiting, ringing, answered by a person or by a
    machine, busy, not answered or failed for good, and those waiting to be tried again."""
    columns = (OutboundMessage.status, OutboundMessage.call_outcome, OutboundMessage.attempts)
    query = (
        select(*columns, func.count())
        .where(OutboundMessage.broadcast_id == broadcast_id, OutboundMessage.channel == CALL)
        .group_by(*columns)
    )
    figures = dict.fromkeys(FIGURES, 0)
    for status, outcome, attempts, count in session.execute(query):
        figures[_figure(status, outcome, attempts > 0)] += count
    return figures


def _figure(status: str, outcome: str | None, tried: bool) -> str:
    if status == QUEUED:
        return "retrying" if tried else "queued"
    if status in (SENDING, SENT):
        return "ringing"
    if status == DELIVERED:
        return "machine" if outcome == MACHINE else "person"
    if status == UNKNOWN:
        return "failed"
    return _FINAL.get(outcome or "", "failed")


# For the staff pages and the simulator --------------------------------------------------------------


def audience_in_windows(
    session: Session, *, languages: Sequence[str], announcement_id: int | None = None
) -> dict[str, dict[str, int]]:
    """audience, split by the calling window each subscriber chose: {language: {window: count}}
    (a window the town no longer knows rings in the morning, as queue_news places it)."""
    found = {}
    for language in languages:
        query = (
            select(CallSubscriber.window, func.count())
            .where(CallSubscriber.frequency == EVERY_ITEM, _listens(language, languages))
            .group_by(CallSubscriber.window)
        )
        if announcement_id is not None:
            query = query.where(_not_called_for(announcement_id))
        counts = dict.fromkeys(CALL_WINDOWS, 0)
        for window, count in session.execute(query):
            counts[window if window in counts else MORNING] += count
        found[language] = counts
    return found


def subscribed_by_language(session: Session) -> dict[str, int]:
    """How many numbers are called with the news, per language they chose."""
    query = select(CallSubscriber.language, func.count()).group_by(CallSubscriber.language)
    return {language: count for language, count in session.execute(query)}


def pending(session: Session, number: str) -> list[OutboundMessage]:
    """The news calls to this number not yet over (waiting, to be tried again, or ringing), the
    next first."""
    return list(
        session.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.recipient == number,
                OutboundMessage.channel == CALL,
                OutboundMessage.status.in_((QUEUED, SENDING, SENT)),
            )
            .order_by(OutboundMessage.next_attempt_at, OutboundMessage.id)
        )
    )


def ringing(session: Session, number: str) -> OutboundMessage | None:
    """The news call ringing at this number now: placed, and nobody has taken it yet (the oldest,
    should there be several)."""
    return session.scalar(
        select(OutboundMessage)
        .where(
            OutboundMessage.recipient == number,
            OutboundMessage.channel == CALL,
            OutboundMessage.status == SENT,
            OutboundMessage.call_outcome.is_(None) | OutboundMessage.call_outcome.not_in((PERSON, MACHINE)),
            OutboundMessage.provider_id.is_not(None),
        )
        .order_by(OutboundMessage.updated_at, OutboundMessage.id)
        .limit(1)
    )

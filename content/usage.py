"""Usage figures with nobody in them: anonymous events, kept briefly, then counts per day.

Every call, SMS and public page leaves events: what happened (a kind), on which channel, and a
detail from a closed list (a menu's name, a key, a language code, a keyword, a project number).
No event holds a phone number, a pseudonym or a text. A call's events share an id (a keyed hash
of the provider's id for the call, see call_id), so that the day's count can tell how far each
call got and where it ended; counting the day drops the id. Raw events are deleted after their
retention time (`usage_events`, 30 days by default); the counts stay.

Events are noted in memory and written in batches by a thread of their own (as caller visits
are), so noting one never waits for the database. A crash loses at most the last FLUSH_SECONDS
of events; a database that is down keeps up to MOST_PENDING of them for the next try.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.orm import Session

from content.db import rows_changed, without_statement_timeout
from content.failures import log_failure
from content.models import SUBSCRIBED as SUBSCRIBED_STATUS
from content.models import CallSubscriber, Subscriber, UsageDay, UsageEvent

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.5
MOST_PENDING = 50_000  # beyond this, while the database is down, the oldest events are dropped
# A day is counted once it is over and this much longer (events still in memory reach the database).
COUNT_AFTER = timedelta(minutes=10)

# Channels
PHONE = "phone"
SMS = "sms"
WEB = "web"
# The detail of subscriptions, broadcasts and their outcomes that are news by call (by SMS: SMS).
BY_CALL = "call"

# What can happen. The detail says more, from a closed list, never anything a person typed or said.
CALL = "call"  # a call came in; detail "new" or "returning" (called in the last year)
MENU = "menu"  # a menu was reached; detail: its name (ivr.tree)
KEY = "key"  # a key was pressed; detail: the key, or "speech" for words
SILENCE = "silence"  # the caller said nothing at a menu
UNKNOWN = "unknown"  # a key or words the menu did not understand
LANGUAGE = "language"  # the language the call is heard in (at its start, and each change); detail: code
NEWS_HEARD = "news-heard"  # an announcement was read; detail: its id
PROJECT_HEARD = "project-heard"  # a roadmap project was read; detail: its number
SENT_AS_SMS = "sent-as-sms"  # "send me this as SMS" on the phone
SUBSCRIBED = "subscribed"  # news subscription started; detail: "sms" or "call"
UNSUBSCRIBED = "unsubscribed"  # ended (STOP, key 4, erasure); detail: "sms" or "call"
KEYWORD = "keyword"  # an SMS keyword; detail: the keyword's name (NEU, PROJEKTE, …) or "unknown"
VOTE = "vote"  # detail: the poll's id
IDEA = "idea"  # detail: the project's number, or ""
QUESTION = "question"  # detail: the project's number, or ""
VOICE_MESSAGE = "voice-message"  # detail: the project's number, or ""
CALLBACK = "callback"  # a callback was asked for
CALLBACK_DONE = "callback-done"  # detail: IN_TIME or LATE
NEWS_SENT = "news-sent"  # an announcement sent to subscribers (once, on whichever channels)
BROADCAST = "broadcast"  # it went out on a channel; detail: "sms" or "call"
RECIPIENTS = "recipients"  # how many it was sent to; detail: "sms" or "call"; amount: recipients
DELIVERED = "delivered"  # a broadcast message reached its recipient; detail: "sms" or "call"
FAILED = "failed"  # it did not; detail: "sms" or "call"
SEGMENTS = "segments"  # SMS segments sent for broadcasts (what they cost); amount: segments
PAGE = "page"  # a public page was shown; detail: which, one of PAGES
ERASED = "erased"  # someone had their data erased on request; detail: the channel they asked on
PURGED = "purged"  # records deleted or emptied because their time was up; detail: the rule; amount

# CALLBACK_DONE's details: staff called back on or before the day promised (due_on), or later.
IN_TIME = "in-time"
LATE = "late"

# What counting a day adds, per call (the events' call id tells which events are one call's).
CALLS = "calls"  # detail "new" or "returning"
REACHED = "reached"  # calls that reached a menu; detail: the menu
ENDED_IN = "ended-in"  # calls whose last menu was this one: where callers hung up or were done
DURATION = "duration"  # calls by length; detail: one of DURATIONS
CALL_LANGUAGE = "call-language"  # calls by the language they ended in
SUBSCRIBERS = "subscribers"  # subscribers when the day was counted; detail "sms" or "call"
COUNTED = "counted"  # marks a day as counted
DEMO = "demo"  # marks a day whose figures the demo made up (content.demo_usage), not real ones

# The public pages counted (PAGE's details): the start page, the one in Leichte Sprache, the
# roadmap, its JSON for reuse, its Atom feed, the flyer (as a page or a PDF). Staff pages, the
# simulator and the health check are not counted.
PAGES = ("home", "easy", "roadmap", "roadmap-json", "feed", "flyer")

# Call lengths, as the report groups them: up to (minutes, exclusive), and the name.
DURATIONS = ((1, "under-1"), (3, "1-3"), (10, "3-10"), (None, "10-plus"))


class Happened(NamedTuple):
    """An event as counting reads it."""

    at: datetime
    channel: str
    kind: str
    detail: str
    amount: int
    call: str | None


@dataclass(frozen=True)
class Figure:
    """One counted figure of one day."""

    day: date
    channel: str
    kind: str
    detail: str
    count: int


# Noting events ----------------------------------------------------------------------------------


def call_id(provider_call_id: str) -> str | None:
    """The id that ties one call's events together until its day is counted: a keyed hash of the
    provider's id for the call (which comes with every step of it), so that nothing needs carrying
    from step to step. None without a provider id."""
    if not provider_call_id or not has_app_context():
        return None
    key = f"usage:{current_app.config['PSEUDONYM_KEY']}".encode()
    return hmac.new(key, provider_call_id.encode(), hashlib.sha256).hexdigest()[:16]


class UsageLog:
    """Events noted in memory, written in batches by a thread of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._pending: list[dict[str, object]] = []
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()

    def note(self, row: dict[str, object]) -> None:
        with self._lock:
            self._pending.append(row)
            if len(self._pending) > MOST_PENDING:
                del self._pending[: len(self._pending) - MOST_PENDING]
        self._start_writer()

    def flush(self) -> None:
        """Write the noted events now (kept for the next try if the database fails)."""
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(UsageEvent), batch)
            except SQLAlchemyError as error:
                if refuses_rows(error):  # the database is there, but will never take some of these rows
                    self._write_each(batch, error)
                    return
                log_failure(log, f"could not write {len(batch)} usage events; keeping them for the next try", error)
                with self._lock:
                    self._pending[:0] = batch[-MOST_PENDING:]

    def _write_each(self, batch: list[dict[str, object]], error: SQLAlchemyError) -> None:
        """Write the rows of a batch the database refused one by one, dropping those it refuses:
        kept, such a row would make every later batch fail with it."""
        dropped = 0
        for index, row in enumerate(batch):
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(UsageEvent), [row])
            except SQLAlchemyError as each:
                if not refuses_rows(each):  # the database went away meanwhile: keep the rest
                    with self._lock:
                        self._pending[:0] = batch[index:][-MOST_PENDING:]
                    break
                dropped += 1
        if dropped:
            log_failure(log, f"dropped {dropped} usage events the database refuses", error)

    def _start_writer(self) -> None:
        """Start the writer, or a new one where it is gone (it died, or this is a forked process)."""
        if self._writer is not None and self._writer.is_alive():
            return
        with self._lock:
            if self._stop.is_set():
                return
            if self._writer is None or not self._writer.is_alive():
                if self._writer is None:
                    atexit.register(self.flush)
                self._writer = threading.Thread(target=self._write_regularly, name="usage-events", daemon=True)
                self._writer.start()

    def _write_regularly(self) -> None:
        while not self._stop.wait(FLUSH_SECONDS):
            try:
                self.flush()
            except Exception as error:  # anything else: said, and the writer goes on
                log_failure(log, "writing usage events failed", error)

    def close(self) -> None:
        self._stop.set()
        self.flush()


def refuses_rows(error: SQLAlchemyError) -> bool:
    """Whether the database answered and refused the rows themselves (a value it cannot take),
    rather than being away, locked or without the table (then the rows are kept for the next try)."""
    if isinstance(error, DataError | IntegrityError):
        return True
    return isinstance(error, StatementError) and not isinstance(error, DBAPIError)


def event(
    kind: str, *, channel: str, at: datetime, detail: object = "", amount: int = 1, call: str | None = None
) -> dict[str, object]:
    """An event as a row. detail is cut to what the column holds."""
    return {
        "at": at.astimezone(UTC),
        "channel": channel,
        "kind": kind,
        "detail": str(detail)[:48],
        "amount": amount,
        "call": call or None,
    }


def record(
    kind: str, *, channel: str, at: datetime, detail: object = "", amount: int = 1, call: str | None = None
) -> None:
    """Note an event (written a moment later, never waited for). Outside an app, nothing happens."""
    if not has_app_context():
        return
    usage: UsageLog | None = current_app.extensions.get("content.usage")
    if usage is not None:
        usage.note(event(kind, channel=channel, at=at, detail=detail, amount=amount, call=call))


def record_now(
    session: Session, kind: str, *, channel: str, at: datetime, detail: object = "", amount: int = 1
) -> None:
    """Write an event in session's transaction: it stands or falls with the change it counts
    (a broadcast, an erasure, a purge)."""
    session.execute(insert(UsageEvent).values(event(kind, channel=channel, at=at, detail=detail, amount=amount)))


# Counting days -------------------------------------------------------------------------------------


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The day's start and end (exclusive) in the town's time zone, as UTC."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def duration_name(seconds: float) -> str:
    minutes = seconds / 60
    for below, name in DURATIONS:
        if below is None or minutes < below:
            return name
    return DURATIONS[-1][1]  # pragma: no cover - the last has no bound


def count_events(rows: Iterable[Happened], day: date) -> list[Figure]:
    """What a day's events add up to. rows: (at, channel, kind, detail, amount, call), in time order."""
    plain: Counter[tuple[str, str, str]] = Counter()
    calls: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    for at, channel, kind, detail, amount, call in rows:
        plain[(channel, kind, detail)] += amount
        if call:
            calls[call].append((at, kind, detail))
    per_call: Counter[tuple[str, str, str]] = Counter()
    for happened in calls.values():
        started = [detail for _at, kind, detail in happened if kind == CALL]
        if not started:  # a call from an earlier day, or one whose start was lost: counted there
            continue
        per_call[(PHONE, CALLS, started[0])] += 1
        menus = [detail for _at, kind, detail in happened if kind == MENU]
        for menu in set(menus):
            per_call[(PHONE, REACHED, menu)] += 1
        if menus:
            per_call[(PHONE, ENDED_IN, menus[-1])] += 1
        languages = [detail for _at, kind, detail in happened if kind == LANGUAGE]
        if languages:
            per_call[(PHONE, CALL_LANGUAGE, languages[-1])] += 1
        seconds = (happened[-1][0] - happened[0][0]).total_seconds()
        per_call[(PHONE, DURATION, duration_name(seconds))] += 1
    return [Figure(day, channel, kind, detail, count) for (channel, kind, detail), count in (plain + per_call).items()]


def _events_of(session: Session, start: datetime, end: datetime) -> list[Happened]:
    """Events between start and end, and the later events of the calls that began then (a call
    that goes on past midnight is its first day's)."""
    columns = (
        UsageEvent.at,
        UsageEvent.channel,
        UsageEvent.kind,
        UsageEvent.detail,
        UsageEvent.amount,
        UsageEvent.call,
    )
    inside = (UsageEvent.at >= start) & (UsageEvent.at < end)
    began = select(UsageEvent.call).where(inside, UsageEvent.kind == CALL, UsageEvent.call.is_not(None))
    later = (UsageEvent.at >= end) & UsageEvent.call.in_(began)
    query = select(*columns).where(inside | later).order_by(UsageEvent.at, UsageEvent.id)
    found = session.execute(query).all()
    # The later events of those calls count towards the call, not as the day's plain events.
    return [
        Happened(at, channel, kind, detail, amount if at < end else 0, call)
        for at, channel, kind, detail, amount, call in found
    ]


def subscribers_now(session: Session) -> list[tuple[str, int]]:
    sms = (
        session.scalar(select(func.count()).select_from(Subscriber).where(Subscriber.status == SUBSCRIBED_STATUS)) or 0
    )
    calls = session.scalar(select(func.count()).select_from(CallSubscriber)) or 0
    return [(SMS, sms), ("call", calls)]


def count_day(session: Session, day: date, zone: ZoneInfo) -> list[Figure]:
    """The day's figures from its events (not written)."""
    start, end = day_bounds(day, zone)
    return [figure for figure in count_events(_events_of(session, start, end), day) if figure.count]


def counted_days(session: Session, first: date, last: date) -> set[date]:
    query = select(UsageDay.day).where(UsageDay.kind == COUNTED, UsageDay.day >= first, UsageDay.day <= last)
    return set(session.scalars(query))


def count_finished_days(session: Session, zone: ZoneInfo, now: datetime) -> list[date]:
    """Count each day that is over and has events not yet counted; keep its figures, drop its
    calls' ids. Safe to run in several processes at once: a day is counted once (its marker row
    is the day's key), and a process that loses the race rolls back."""
    without_statement_timeout(session)
    last = (now - COUNT_AFTER).astimezone(zone).date() - timedelta(days=1)
    oldest = session.scalar(select(func.min(UsageEvent.at)))
    if oldest is None:
        return []
    first = oldest.astimezone(zone).date()
    done = counted_days(session, first, last)
    counted = []
    day = first
    while day <= last:
        if day not in done:
            _count_and_keep(session, day, zone, now)
            counted.append(day)
        day += timedelta(days=1)
    return counted


def count_days_safely(session: Session, zone: ZoneInfo, now: datetime) -> list[date]:
    """count_finished_days, where another process may be counting the same days: whoever comes
    second counts nothing (its part is rolled back to a savepoint, the rest of the transaction stays)."""
    try:
        with session.begin_nested():
            return count_finished_days(session, zone, now)
    except IntegrityError:
        return []


def _count_and_keep(session: Session, day: date, zone: ZoneInfo, now: datetime) -> None:
    rows = [{"day": day, "channel": "", "kind": COUNTED, "detail": "", "count": 0}]
    if day == now.astimezone(zone).date() - timedelta(days=1):  # the count of subscribers the day ended with
        rows += [
            {"day": day, "channel": channel, "kind": SUBSCRIBERS, "detail": channel, "count": count}
            for channel, count in subscribers_now(session)
        ]
    rows += [
        {"day": f.day, "channel": f.channel, "kind": f.kind, "detail": f.detail, "count": f.count}
        for f in count_day(session, day, zone)
    ]
    session.execute(insert(UsageDay), rows)
    start, end = day_bounds(day, zone)
    began = select(UsageEvent.call).where(
        UsageEvent.at >= start, UsageEvent.at < end, UsageEvent.kind == CALL, UsageEvent.call.is_not(None)
    )
    on_the_day = (UsageEvent.at >= start) & (UsageEvent.at < end)
    session.execute(
        update(UsageEvent)
        .where(UsageEvent.call.is_not(None), on_the_day | UsageEvent.call.in_(began))
        .values(call=None)
    )


def forget_events(session: Session, before: datetime) -> int:
    """Delete the raw events older than before whose day is counted; return how many."""
    return rows_changed(session, delete(UsageEvent).where(UsageEvent.at < before, UsageEvent.call.is_(None)))


# Reading figures ---------------------------------------------------------------------------------


def figures(session: Session, first: date, last: date, zone: ZoneInfo) -> list[Figure]:
    """Every figure of the days first to last: as counted, and for days not yet counted (today),
    counted now from their events."""
    stored = session.execute(
        select(UsageDay.day, UsageDay.channel, UsageDay.kind, UsageDay.detail, UsageDay.count).where(
            UsageDay.day >= first, UsageDay.day <= last, UsageDay.kind != COUNTED
        )
    ).all()
    found = [Figure(*row) for row in stored]
    done = counted_days(session, first, last)
    oldest = session.scalar(select(func.min(UsageEvent.at)))
    if oldest is None:
        return found
    day = max(first, oldest.astimezone(zone).date())  # no day before it has events to count
    while day <= last:
        if day not in done:
            found += count_day(session, day, zone)
        day += timedelta(days=1)
    return found


def total(found: Sequence[Figure], kind: str, detail: str | None = None, channel: str | None = None) -> int:
    """The sum of the figures of a kind (and detail, and channel, where given)."""
    return sum(
        f.count
        for f in found
        if f.kind == kind and (detail is None or f.detail == detail) and (channel is None or f.channel == channel)
    )

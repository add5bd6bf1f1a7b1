"""The report to the council: what the figures of a period say, as plain numbers.

Built from the daily usage counts (content.usage) and from the records that stay anonymous anyway
(votes, ideas, questions, voice messages). The web turns it into the staff page, the CSV files and
the council's PDF; every count about people goes through `shown()` there, so that a count under
SMALL is never shown exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import usage
from content.models import (
    IDEA,
    QUESTION,
    VOICE_MESSAGE,
    CallbackRequest,
    CallerVisit,
    CallSubscriber,
    OutboundMessage,
    Poll,
    Project,
    Submission,
    Subscriber,
    Vote,
)
from content.profile import TownProfile

# A count of people under this is shown as "< 5", so that nobody can be singled out.
SMALL = 5

# The menus of the funnel, in the order a caller goes deeper (ivr.tree's names).
FUNNEL = ("main", "news", "projects", "take-part", "subscribe", "person", "language")


# What residents write may hold a way to reach them: a telephone number (six digits or more, with
# spaces, slashes, hyphens or brackets between them) or an e-mail address. The report prints the
# texts without them (OMITTED instead); a date (24.11.2026) or a postcode (67657) stays.
_PHONE_NUMBER = re.compile(r"\+?\(?\d(?:[\s/()-]*\d){5,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
OMITTED = "[…]"


def without_contact(text: str) -> str:
    """text without the telephone numbers and e-mail addresses written into it."""
    return _PHONE_NUMBER.sub(OMITTED, _EMAIL.sub(OMITTED, text))


def shown(count: int) -> str | None:
    """None where the count may be shown as it is; the stand-in text ("< 5") where it is too small."""
    return f"< {SMALL}" if 0 < count < SMALL else None


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Week:
    monday: date
    new: int
    returning: int


@dataclass(frozen=True)
class ProjectFigures:
    """What people said about one roadmap project (number 0: about none in particular)."""

    number: int
    title: str
    votes: int = 0
    ideas: int = 0
    questions: int = 0
    voice_messages: int = 0
    # The ideas and the questions as written, but for telephone numbers and e-mail addresses in them.
    idea_texts: tuple[str, ...] = ()
    question_texts: tuple[str, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        return self.idea_texts + self.question_texts


@dataclass(frozen=True)
class PollFigures:
    question: str
    project_number: int | None
    closes_at: datetime
    # Each answer: its text, votes by phone, votes by SMS.
    answers: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Broadcasts:
    announcements: int = 0  # how many announcements were sent to subscribers
    recipients: int = 0
    delivered: int = 0
    failed: int = 0
    segments: int = 0  # SMS segments sent (what the provider bills)


@dataclass(frozen=True)
class DataKept:
    """The data-protection section: personal data held now, and what was erased or purged."""

    held: dict[str, int]  # by purpose (see PURPOSES): how many numbers or records
    erased: dict[str, int]  # erasures on request in the period, by the channel asked on
    purged: dict[str, int]  # records purged by retention in the period, by rule
    oldest: date | None  # the day of the oldest personal record held now


@dataclass(frozen=True)
class Report:
    town: str
    period: Period
    made_on: date
    weeks: list[Week]
    calls: int
    returning: int
    funnel: list[tuple[str, int]]  # menu, calls that reached it
    ended_in: list[tuple[str, int]]  # menu, calls that ended there (most first)
    durations: list[tuple[str, int]]  # usage.DURATIONS' names, calls
    languages: list[tuple[str, int]]  # language code, calls (most first)
    keywords: list[tuple[str, int]]  # SMS keyword, times (most first)
    subscribers: list[tuple[date, int, int]]  # day, by SMS, by call (as counted each day)
    subscribed: dict[str, int]  # subscriptions started in the period, by channel (sms, call)
    unsubscribed: dict[str, int]
    pages: list[tuple[str, int]]  # public page, views
    projects: list[ProjectFigures]
    polls: list[PollFigures]
    callbacks: tuple[int, int, int]  # asked, done in time, done late
    broadcasts: Broadcasts
    data: DataKept
    demo_days: int = 0  # days of the period whose figures are the demo's, not real
    # The broadcasts by channel ("sms", "call"): the SMS bear the segments, and so the cost.
    broadcast_channels: dict[str, Broadcasts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# Purposes personal data is held for, as the data-protection section names them.
PURPOSES = ("sms", "calls", "contact", "voice", "callback", "visits", "outbox")


def make(session: Session, profile: TownProfile, period: Period, now: datetime) -> Report:
    zone = ZoneInfo(profile.timezone)
    found = usage.figures(session, period.first, period.last, zone)
    language = profile.default_language.code

    def by_detail(kind: str, channel: str | None = None) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for figure in found:
            if figure.kind == kind and (channel is None or figure.channel == channel):
                totals[figure.detail] += figure.count
        return dict(totals)

    def most_first(totals: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(totals.items(), key=lambda item: (-item[1], item[0]))

    reached = by_detail(usage.REACHED)
    durations = by_detail(usage.DURATION)
    callbacks_done = by_detail(usage.CALLBACK_DONE)
    return Report(
        town=profile.town,
        period=period,
        made_on=now.astimezone(zone).date(),
        weeks=weeks(found, period),
        calls=usage.total(found, usage.CALLS),
        returning=usage.total(found, usage.CALLS, "returning"),
        funnel=[(menu, reached.get(menu, 0)) for menu in FUNNEL],
        ended_in=most_first(by_detail(usage.ENDED_IN)),
        durations=[(name, durations.get(name, 0)) for _below, name in usage.DURATIONS],
        languages=most_first(by_detail(usage.CALL_LANGUAGE)),
        keywords=most_first(by_detail(usage.KEYWORD)),
        subscribers=subscribers(found),
        subscribed=by_detail(usage.SUBSCRIBED),
        unsubscribed=by_detail(usage.UNSUBSCRIBED),
        pages=most_first(by_detail(usage.PAGE)),
        projects=projects(session, period, zone, language),
        polls=polls(session, period, zone, language),
        callbacks=(
            usage.total(found, usage.CALLBACK),
            callbacks_done.get("in-time", 0),
            callbacks_done.get("late", 0),
        ),
        broadcasts=Broadcasts(
            announcements=usage.total(found, usage.NEWS_SENT),
            recipients=usage.total(found, usage.RECIPIENTS),
            delivered=usage.total(found, usage.DELIVERED),
            failed=usage.total(found, usage.FAILED),
            segments=usage.total(found, usage.SEGMENTS),
        ),
        data=DataKept(
            held=held(session),
            erased=by_channel(found, usage.ERASED),
            purged=by_detail(usage.PURGED),
            oldest=oldest_personal_record(session, zone),
        ),
        demo_days=usage.total(found, usage.DEMO),
        broadcast_channels=broadcasts_by_channel(found),
    )


BROADCAST_CHANNELS = ("sms", "call")


def broadcasts_by_channel(found: list[usage.Figure]) -> dict[str, Broadcasts]:
    """The broadcasts' figures by the channel in their detail; SMS segments are the SMS's."""
    return {
        channel: Broadcasts(
            announcements=usage.total(found, usage.BROADCAST, channel),
            recipients=usage.total(found, usage.RECIPIENTS, channel),
            delivered=usage.total(found, usage.DELIVERED, channel),
            failed=usage.total(found, usage.FAILED, channel),
            segments=usage.total(found, usage.SEGMENTS) if channel == "sms" else 0,
        )
        for channel in BROADCAST_CHANNELS
    }


def by_channel(found: list[usage.Figure], kind: str) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for figure in found:
        if figure.kind == kind:
            totals[figure.channel] += figure.count
    return dict(totals)


def weeks(found: list[usage.Figure], period: Period) -> list[Week]:
    """Calls per week (Monday to Sunday), new and returning callers, every week of the period."""
    new: dict[date, int] = defaultdict(int)
    returning: dict[date, int] = defaultdict(int)
    for figure in found:
        if figure.kind == usage.CALLS:
            monday = figure.day - timedelta(days=figure.day.weekday())
            (returning if figure.detail == "returning" else new)[monday] += figure.count
    monday = period.first - timedelta(days=period.first.weekday())
    result = []
    while monday <= period.last:
        result.append(Week(monday, new.get(monday, 0), returning.get(monday, 0)))
        monday += timedelta(days=7)
    return result


def subscribers(found: list[usage.Figure]) -> list[tuple[date, int, int]]:
    """The subscribers each counted day ended with, by SMS and by call."""
    days: dict[date, dict[str, int]] = defaultdict(dict)
    for figure in found:
        if figure.kind == usage.SUBSCRIBERS:
            days[figure.day][figure.detail] = figure.count
    return [(day, counts.get("sms", 0), counts.get("call", 0)) for day, counts in sorted(days.items())]


def _text(texts: dict[str, Any], language: str, name: str) -> str:
    """A record's text in language, or in the first language it has."""
    chosen: dict[str, Any] = texts.get(language) or next(iter(texts.values()), {})
    return str(chosen.get(name) or "")


def projects(session: Session, period: Period, zone: ZoneInfo, language: str) -> list[ProjectFigures]:
    """Participation per project in the period: votes in its polls, ideas, questions, voice messages."""
    start, _ = usage.day_bounds(period.first, zone)
    _, end = usage.day_bounds(period.last, zone)
    titles = {
        number: _text(texts, language, "title")
        for number, texts in session.execute(select(Project.number, Project.texts))
    }
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    texts: dict[tuple[int, str], list[str]] = defaultdict(list)
    received = (Submission.received_at >= start) & (Submission.received_at < end)
    for number, kind, count in session.execute(
        select(Submission.project_number, Submission.kind, func.count())
        .where(received)
        .group_by(Submission.project_number, Submission.kind)
    ):
        counts[number or 0][kind] += count
    for number, kind, text in session.execute(
        select(Submission.project_number, Submission.kind, Submission.text)
        .where(received, Submission.kind.in_((IDEA, QUESTION)), Submission.text.is_not(None))
        .order_by(Submission.received_at)
    ):
        texts[(number or 0, kind)].append(without_contact(text or ""))
    cast = (Vote.cast_at >= start) & (Vote.cast_at < end)
    for number, count in session.execute(
        select(Poll.project_number, func.count())
        .join(Vote, Vote.poll_id == Poll.id)
        .where(cast)
        .group_by(Poll.project_number)
    ):
        counts[number or 0]["votes"] += count
    return [
        ProjectFigures(
            number=number,
            title=titles.get(number, ""),
            votes=kinds.get("votes", 0),
            ideas=kinds.get(IDEA, 0),
            questions=kinds.get(QUESTION, 0),
            voice_messages=kinds.get(VOICE_MESSAGE, 0),
            idea_texts=tuple(texts.get((number, IDEA), ())),
            question_texts=tuple(texts.get((number, QUESTION), ())),
        )
        for number, kinds in sorted(counts.items())
    ]


def polls(session: Session, period: Period, zone: ZoneInfo, language: str) -> list[PollFigures]:
    """The polls open during the period, with their results by channel."""
    start, _ = usage.day_bounds(period.first, zone)
    _, end = usage.day_bounds(period.last, zone)
    found = session.scalars(
        select(Poll).where(Poll.opens_at < end, Poll.closes_at >= start).order_by(Poll.opens_at, Poll.id)
    ).all()
    votes: dict[tuple[int, str], int] = {
        (option, channel): count
        for option, channel, count in session.execute(
            select(Vote.option_id, Vote.channel, func.count())
            .where(Vote.poll_id.in_([p.id for p in found]))
            .group_by(Vote.option_id, Vote.channel)
        )
    }
    return [
        PollFigures(
            question=_text(poll.texts, language, "question"),
            project_number=poll.project_number,
            closes_at=poll.closes_at,
            answers=tuple(
                (
                    _text(option.texts, language, "label"),
                    votes.get((option.id, "phone"), 0),
                    votes.get((option.id, "sms"), 0),
                )
                for option in poll.options
            ),
        )
        for poll in found
    ]


def held(session: Session) -> dict[str, int]:
    """Personal data held now, by purpose: numbers or records that name or stand for a person."""

    def count(model: type, *where: object) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]

    return {
        "sms": count(Subscriber),
        "calls": count(CallSubscriber),
        "contact": count(Submission, Submission.number.is_not(None) | Submission.pseudonym.is_not(None)),
        "voice": count(Submission, Submission.recording_file.is_not(None)),
        "callback": count(CallbackRequest, CallbackRequest.number.is_not(None)),
        "visits": count(CallerVisit),
        "outbox": count(OutboundMessage, OutboundMessage.recipient != ""),
    }


def oldest_personal_record(session: Session, zone: ZoneInfo) -> date | None:
    """When the oldest personal record held now was made."""
    candidates = [
        session.scalar(select(func.min(Subscriber.consent_at))),
        session.scalar(select(func.min(CallSubscriber.consent_at))),
        session.scalar(
            select(func.min(Submission.received_at)).where(
                Submission.number.is_not(None) | Submission.pseudonym.is_not(None)
            )
        ),
        session.scalar(select(func.min(CallbackRequest.requested_at)).where(CallbackRequest.number.is_not(None))),
        session.scalar(select(func.min(CallerVisit.last_call_at))),
        session.scalar(select(func.min(OutboundMessage.created_at)).where(OutboundMessage.recipient != "")),
    ]
    known = [moment for moment in candidates if moment is not None]
    return min(known).astimezone(zone).date() if known else None

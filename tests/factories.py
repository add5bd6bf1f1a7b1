"""Test data in one call each: a subscriber, a submission, an announcement, a project, a poll.

Each factory goes through the same content functions the service uses where there is one
(subscribing, filing an idea), so the data is what a resident or staff member would leave.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from content import inbox, subscriptions
from content.models import IDEA, Announcement, Poll, PollOption, Project, ProjectUpdate, Submission, Subscriber
from tests.twilio_fake import CALLER_NUMBER


def create_subscriber(
    session: Session,
    now: datetime,
    *,
    number: str = CALLER_NUMBER,
    language: str = "de",
    topics: Sequence[str] = (),
    channel: str = "sms",
) -> Subscriber:
    subscriber = subscriptions.subscribe(
        session, number, language=language, channel=channel, wording="START", now=now, topics=topics
    )
    session.commit()
    return subscriber


def create_submission(
    session: Session,
    now: datetime,
    *,
    text: str = "Mehr Bänke am Stiftsplatz",
    kind: str = IDEA,
    number: str | None = CALLER_NUMBER,
    channel: str = "sms",
    project_number: int | None = None,
) -> Submission:
    item = inbox.submit(
        session,
        kind=kind,
        channel=channel,
        language="de",
        number=number,
        pseudonym=None,
        now=now,
        text=text,
        project_number=project_number,
    )
    session.commit()
    return item


def create_announcement(
    session: Session,
    now: datetime,
    *,
    title: str = "Neue Sprechzeiten",
    body: str = "Ab Montag öffnet das Bürgerbüro schon um 7 Uhr.",
    sms: str = "",
    days_ago: int = 0,
    english: bool = True,
    untranslated: str = "note",
) -> Announcement:
    texts = {"de": {"title": title, "body": body, "sms": sms}}
    if english:
        texts["en"] = {"title": "New opening hours", "body": "From Monday the citizens' office opens at 7."}
    item = Announcement(publish_at=now - timedelta(days=days_ago, minutes=1), texts=texts, untranslated=untranslated)
    session.add(item)
    session.commit()
    return item


def create_project(
    session: Session,
    now: datetime,
    *,
    number: int,
    title: str,
    summary: str,
    status: str = "planned",
    field: str = "administration",
    progress: Sequence[tuple[int, str]] = (),
) -> Project:
    project = Project(number=number, field=field, status=status, texts={"de": {"title": title, "summary": summary}})
    for days_ago, text in progress:
        project.updates.append(
            ProjectUpdate(happened_on=(now - timedelta(days=days_ago)).date(), texts={"de": {"text": text}})
        )
    session.add(project)
    session.commit()
    return project


def create_poll(
    session: Session,
    now: datetime,
    *,
    question: str = "Wo soll die nächste Ladesäule stehen?",
    options: tuple[str, ...] = ("Am Rathaus", "Am Bahnhof", "Am Betzenberg"),
    days_open: int = 14,
    opened_days_ago: int = 1,
) -> Poll:
    poll = Poll(
        texts={"de": {"question": question}, "en": {"question": "Where should the next charging point be?"}},
        opens_at=now - timedelta(days=opened_days_ago),
        closes_at=now + timedelta(days=days_open),
    )
    poll.options = [PollOption(position=n, texts={"de": {"label": label}}) for n, label in enumerate(options, 1)]
    session.add(poll)
    session.commit()
    return poll

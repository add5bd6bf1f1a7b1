"""Demo content: Kaiserslautern's town profile, the Leitbild's first nine projects, some news, a poll.

The projects are those of the Leitbild's annex "Erste Projekte"; their summaries are written for
the ear. Progress notes and news are examples for trying the hotline out, dated relative to the
day the demo is loaded so that it always sounds current.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.models import DONE, IN_PROGRESS, PILOT, PLANNED, Announcement, Poll, PollOption, Project, ProjectUpdate
from content.profile import Language, TownProfile
from content.queries import save_town_profile
from content.revisions import changes_by

TEXTS = Path(__file__).resolve().parent / "demo_texts"

# The demo's languages in the order the language menu offers them. Each has its texts in
# demo_texts/<code>.json (greeting, projects, news, poll), written for the ear.
LANGUAGES = (
    Language("de", "de-DE", "Polly.Vicki-Neural"),
    Language("de@easy", "de-DE", "Polly.Vicki-Neural", slow=True),
    Language("en", "en-GB", "Polly.Amy-Neural"),
    Language("tr", "tr-TR", "Polly.Burcu-Neural"),
    Language("ru", "ru-RU", "Polly.Tatyana"),
    Language("uk", "uk-UA", "Google.uk-UA-Standard-A"),
    Language("ar", "ar-AE", "Polly.Hala-Neural"),
    Language("pl", "pl-PL", "Polly.Ola-Neural"),
)


def texts_of(code: str) -> dict[str, Any]:
    path = TEXTS / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# Every language's demo texts, by catalog code (languages without a file have none).
DEMO_TEXTS = {language.code: texts_of(language.code) for language in LANGUAGES}
WRITTEN = {code: texts for code, texts in DEMO_TEXTS.items() if texts}

KAISERSLAUTERN = TownProfile(
    town="Kaiserslautern",
    greeting={code: texts["greeting"] for code, texts in WRITTEN.items()},
    # A number the Bundesnetzagentur keeps free for films and examples: nobody is called by mistake.
    hotline_number="+496990009000",
    staff_number="+496313650",
    office_hours={
        "mon": [["08:00", "16:00"]],
        "tue": [["08:00", "16:00"]],
        "wed": [["08:00", "16:00"]],
        "thu": [["08:00", "18:00"]],
        "fri": [["08:00", "12:00"]],
    },
    holidays_country="DE",
    holidays_subdivision="RP",
    timezone="Europe/Berlin",
    languages=tuple(language for language in LANGUAGES if language.code in WRITTEN),
)

# number, field, status, and how many days ago each of its updates happened (texts: demo_texts)
PROJECTS = [
    (1, "mobility", PILOT, [12]),
    (2, "urban_development", IN_PROGRESS, [30]),
    (3, "economy", IN_PROGRESS, [21]),
    (4, "education", PLANNED, []),
    (5, "health_care", PILOT, [45]),
    (6, "administration", IN_PROGRESS, [8]),
    (7, "safety", PLANNED, []),
    (8, "administration", DONE, [60]),
    (9, "infrastructure", IN_PROGRESS, [3]),
]

# How many days ago each news item was published (texts: demo_texts, in this order).
NEWS = [1, 6, 15]

# Open from the day before loading for a year: a demo that keeps running keeps its poll open.
POLL_OPEN_DAYS = 365


def each_language(*path: str | int) -> dict[str, Any]:
    """One record's texts in every language of the demo: each_language("news", 0) gives
    {"de": {"title": …, "body": …}, "en": {…}, …}."""
    found = {}
    for code, texts in WRITTEN.items():
        value: Any = texts
        for step in path:
            value = value[step]
        found[code] = value
    return found


def labelled(name: str, values: dict[str, str]) -> dict[str, dict[str, str]]:
    """{"de": "Ja"} as {"de": {"label": "Ja"}}: per-language values as the fields of a record."""
    return {code: {name: value} for code, value in values.items()}


def demo_poll(today: date) -> Poll:
    poll = Poll(
        texts=labelled("question", each_language("poll", "question")),
        opens_at=_morning(today - timedelta(days=1)),
        closes_at=_morning(today + timedelta(days=POLL_OPEN_DAYS)),
    )
    count = len(WRITTEN["de"]["poll"]["options"])
    poll.options = [
        PollOption(position=position, texts=labelled("label", each_language("poll", "options", position - 1)))
        for position in range(1, count + 1)
    ]
    return poll


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def has_content(session: Session) -> bool:
    return bool(session.scalar(select(func.count(Project.id))))


def load(session: Session, today: date, *, with_poll: bool = True) -> None:
    """Load the demo town, projects, news and (unless told not to) its open poll; the caller commits."""
    with changes_by("demo"):
        save_town_profile(session, KAISERSLAUTERN)
        for number, field, status, updates in PROJECTS:
            key = str(number)
            project = Project(
                number=number,
                field=field,
                status=status,
                texts={
                    code: {"title": texts["title"], "summary": texts["summary"]}
                    for code, texts in each_language("projects", key).items()
                },
            )
            for index, days_ago in enumerate(updates):
                project.updates.append(
                    ProjectUpdate(
                        happened_on=today - timedelta(days=days_ago),
                        texts=labelled("text", each_language("projects", key, "updates", index)),
                    )
                )
            session.add(project)
        for index, days_ago in enumerate(NEWS):
            session.add(
                Announcement(
                    publish_at=_morning(today - timedelta(days=days_ago)),
                    texts=each_language("news", index),
                )
            )
        if with_poll:
            session.add(demo_poll(today))
        session.flush()

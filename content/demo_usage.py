"""A made-up year of usage for the demo, so that the report to the council shows something.

Only `flask demo load` loads it (not the tests' demo): daily figures for each of the past 365
days, written straight as counted days (content.usage's UsageDay rows, no raw events), each day
marked DEMO so that the report says these are demo figures; and some anonymous ideas, questions
and closed polls with votes on the roadmap's projects. Seeded: the same year every time (relative
to the day it is loaded). One bulk insert: it adds a fraction of a second to `make run`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from content import usage
from content.models import HANDLED, IDEA, OPEN, QUESTION, Poll, PollOption, Submission, UsageDay, Vote

DAYS = 365
SEED = 15  # issue 15, the report to the council

# Calls on an ordinary weekday, Monday first, at the end of the year (the line grows into its use).
WEEKDAY_CALLS = (38, 33, 30, 35, 27, 8, 5)
# How much of the year-end use the line had at the start of the year.
FIRST_DAY_SHARE = 0.55
# Share of calls in each language (the call's last one).
LANGUAGES = {"de": 0.79, "tr": 0.07, "ru": 0.05, "uk": 0.04, "ar": 0.025, "pl": 0.015, "en": 0.01}
# Of the calls, the share that reached each menu (ivr's names, report.FUNNEL's order).
REACHED = {"main": 0.97, "news": 0.62, "projects": 0.34, "take-part": 0.17, "person": 0.12, "language": 0.07}
# Where the calls ended.
ENDED_IN = {"main": 0.27, "news": 0.33, "projects": 0.15, "take-part": 0.09, "person": 0.11, "language": 0.05}
# How long they took (usage.DURATIONS' names).
DURATIONS = {"under-1": 0.21, "1-3": 0.44, "3-10": 0.30, "10-plus": 0.05}
# SMS keywords per call, by their German names (the demo town's first language).
KEYWORDS = {
    "NEU": 0.16,
    "PROJEKTE": 0.06,
    "HILFE": 0.05,
    "START": 0.035,
    "STOP": 0.01,
    "ABSTIMMEN": 0.04,
    "IDEE": 0.02,
    "FRAGE": 0.02,
    "RÜCKRUF": 0.012,
    "DATEN": 0.008,
    "SPRACHE": 0.006,
    "DANKE": 0.02,
    "unknown": 0.03,
}
# Public page views on an ordinary day.
PAGES = {"home": 42, "roadmap": 16, "easy": 4, "roadmap-json": 3, "feed": 11, "flyer": 2}
# About how many days lie between two broadcasts of an announcement.
BROADCAST_EVERY = 9
# Subscribers at the start of the year, and how many start and stop on an ordinary day then.
FIRST_SUBSCRIBERS = {usage.SMS: 60, usage.BY_CALL: 8}

# Ideas and questions about the projects (anonymous: no number, no pseudonym), by project number.
IDEAS = {
    1: ["Mehr Fahrradständer am Hauptbahnhof", "Busfahrpläne als Ansage an den Haltestellen"],
    2: ["Eine Sitzbank mit Schatten am Stiftsplatz", "Mehr Bäume in der Fackelstraße"],
    3: ["Ein Markt für Händler aus der Region am Samstag"],
    4: ["Computerkurse für Ältere in der Stadtbibliothek", "WLAN in allen Schulen"],
    5: ["Termine beim Gesundheitsamt auch per Telefon buchen"],
    6: ["Formulare zum Vorlesen am Telefon", "Längere Öffnungszeiten im Bürgerbüro am Donnerstag"],
    7: ["Mehr Licht im Volkspark am Abend"],
    9: ["Glasfaser auch in den Ortsbezirken", "Ladesäulen am Betzenberg"],
}
QUESTIONS = {
    1: ["Wann fährt der Rufbus auch am Sonntag?"],
    2: ["Wann wird die Fußgängerzone fertig?"],
    4: ["Gibt es Hilfe beim Anmelden für die Schule?"],
    6: ["Kann ich meinen Ausweis online verlängern?", "Wo finde ich das Formular für Wohngeld?"],
    8: ["Wie funktioniert die digitale Terminvergabe?"],
    9: ["Wann kommt schnelles Internet nach Erfenbach?"],
}
# Closed polls on projects: project number, days before loading it closed, days open, German and
# English question, answers (German, English) and how many voted.
POLLS: Sequence[tuple[int, int, int, tuple[str, str], Sequence[tuple[str, str]], int]] = (
    (
        1,
        250,
        21,
        ("Wo soll der nächste Fahrradständer stehen?", "Where should the next bicycle rack be?"),
        (
            ("Am Hauptbahnhof", "At the main station"),
            ("Am Rathaus", "At the town hall"),
            ("Am Pfaffplatz", "At Pfaffplatz"),
        ),
        118,
    ),
    (
        2,
        140,
        28,
        ("Was braucht der Stiftsplatz am meisten?", "What does Stiftsplatz need most?"),
        (("Bänke", "Benches"), ("Bäume", "Trees"), ("Einen Brunnen", "A fountain")),
        164,
    ),
    (
        9,
        45,
        21,
        ("Welcher Ortsbezirk soll zuerst Glasfaser bekommen?", "Which district should get fibre first?"),
        (("Erfenbach", "Erfenbach"), ("Mölschbach", "Mölschbach"), ("Siegelbach", "Siegelbach")),
        97,
    ),
)


def _share(rng: random.Random, total: int, shares: dict[str, float]) -> dict[str, int]:
    """total split by shares (with a little noise), summing to total exactly."""
    weights = {name: share * rng.uniform(0.8, 1.2) for name, share in shares.items()}
    scale = total / sum(weights.values())
    split = {name: int(weight * scale) for name, weight in weights.items()}
    rest = total - sum(split.values())
    for name in rng.sample(list(shares), k=len(shares))[:rest]:
        split[name] += 1
    return split


def _about(rng: random.Random, mean: float) -> int:
    """A count around mean, as events that happen now and then are (Poisson; normal for large means)."""
    if mean >= 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    count, product, limit = 0, rng.random(), math.exp(-mean)
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def days_of_figures(today: date, days: int = DAYS, seed: int = SEED) -> list[dict[str, object]]:
    """The UsageDay rows of the days before today: each day counted and marked as the demo's."""
    rng = random.Random(seed)
    first = today - timedelta(days=days)
    broadcast_days = set()
    day = first + timedelta(days=rng.randint(2, 6))
    while day < today:
        if day.weekday() < 5:
            broadcast_days.add(day)
        day += timedelta(days=rng.randint(BROADCAST_EVERY - 3, BROADCAST_EVERY + 3))
    subscribers = dict(FIRST_SUBSCRIBERS)
    waiting = 0  # call backs asked for and not yet made
    rows: list[dict[str, object]] = []

    def add(day: date, channel: str, kind: str, detail: str, count: int) -> None:
        if count or kind in (usage.COUNTED, usage.SUBSCRIBERS):
            rows.append({"day": day, "channel": channel, "kind": kind, "detail": detail, "count": count})

    for offset in range(days):
        day = first + timedelta(days=offset)
        grown = FIRST_DAY_SHARE + (1 - FIRST_DAY_SHARE) * offset / days
        season = 0.8 if day.month in (7, 8) else 0.55 if (day.month, day.day) >= (12, 23) else 1.0
        peak = 1.7 if day in broadcast_days else 1.3 if day - timedelta(days=1) in broadcast_days else 1.0
        calls = _about(rng, WEEKDAY_CALLS[day.weekday()] * grown * season * peak)
        returning = round(calls * (0.2 + 0.35 * offset / days) * rng.uniform(0.85, 1.15))
        add(day, "", usage.COUNTED, "", 0)
        add(day, "", usage.DEMO, "", 1)
        add(day, usage.PHONE, usage.CALLS, "new", calls - returning)
        add(day, usage.PHONE, usage.CALLS, "returning", returning)
        for menu, share in REACHED.items():
            add(day, usage.PHONE, usage.REACHED, menu, min(calls, round(calls * share * rng.uniform(0.9, 1.1))))
        for table, kind in ((ENDED_IN, usage.ENDED_IN), (DURATIONS, usage.DURATION), (LANGUAGES, usage.CALL_LANGUAGE)):
            for detail, count in _share(rng, calls, table).items():
                add(day, usage.PHONE, kind, detail, count)
        texts = _about(rng, calls * sum(KEYWORDS.values()) * (1.4 if peak > 1 else 1.0))
        keywords = _share(rng, texts, KEYWORDS)
        for name, count in keywords.items():
            add(day, usage.SMS, usage.KEYWORD, name, count)
        # Subscriptions: START by SMS and key 4 on the phone; STOP; calls with the news on the phone.
        by_phone = _about(rng, calls * 0.012)
        started = {usage.SMS: keywords["START"] + by_phone, usage.BY_CALL: _about(rng, calls * 0.012)}
        ended = {usage.SMS: keywords["STOP"], usage.BY_CALL: _about(rng, calls * 0.002)}
        add(day, usage.SMS, usage.SUBSCRIBED, usage.SMS, keywords["START"])
        add(day, usage.PHONE, usage.SUBSCRIBED, usage.SMS, by_phone)
        add(day, usage.PHONE, usage.SUBSCRIBED, usage.BY_CALL, started[usage.BY_CALL])
        add(day, usage.SMS, usage.UNSUBSCRIBED, usage.SMS, ended[usage.SMS])
        add(day, usage.PHONE, usage.UNSUBSCRIBED, usage.BY_CALL, ended[usage.BY_CALL])
        for which in subscribers:
            subscribers[which] = max(0, subscribers[which] + started[which] - ended[which])
            add(day, which, usage.SUBSCRIBERS, which, subscribers[which])
        if day in broadcast_days:
            add(day, "", usage.BROADCAST, usage.SMS, 1)
            for which, delivered_share in ((usage.SMS, 0.975), (usage.BY_CALL, 0.86)):
                recipients = subscribers[which]
                delivered = round(recipients * delivered_share * rng.uniform(0.98, 1.01))
                delivered = min(recipients, delivered)
                add(day, "", usage.RECIPIENTS, which, recipients)
                add(day, usage.PHONE if which == usage.BY_CALL else usage.SMS, usage.DELIVERED, which, delivered)
                add(
                    day,
                    usage.PHONE if which == usage.BY_CALL else usage.SMS,
                    usage.FAILED,
                    which,
                    recipients - delivered,
                )
            add(day, "", usage.SEGMENTS, usage.SMS, round(subscribers[usage.SMS] * rng.uniform(1.6, 2.2)))
        for page, views in PAGES.items():
            weekend = 0.5 if day.weekday() >= 5 and page != "feed" else 1.0
            add(day, usage.WEB, usage.PAGE, page, _about(rng, views * grown * weekend * (1.2 if peak > 1 else 1.0)))
        asked = keywords["RÜCKRUF"] + _about(rng, calls * 0.02)
        add(day, usage.SMS, usage.CALLBACK, "", keywords["RÜCKRUF"])
        add(day, usage.PHONE, usage.CALLBACK, "", asked - keywords["RÜCKRUF"])
        waiting += asked  # called back on working days: those of the weekend on Monday
        if day.weekday() < 5:
            late = sum(rng.random() < 0.08 for _ in range(waiting))
            add(day, "", usage.CALLBACK_DONE, usage.IN_TIME, waiting - late)
            add(day, "", usage.CALLBACK_DONE, usage.LATE, late)
            waiting = 0
        if rng.random() < 0.07:
            add(day, rng.choice((usage.SMS, usage.SMS, usage.PHONE, "staff")), usage.ERASED, "", 1)
        add(day, "", usage.PURGED, "sms_log", texts if offset >= 30 else 0)
        add(day, "", usage.PURGED, "visits", _about(rng, calls * 0.1) if offset >= 200 else 0)
        add(
            day, "", usage.PURGED, "call_numbers", rng.randint(0, 2) if day - timedelta(days=3) in broadcast_days else 0
        )
        add(day, "", usage.PURGED, "callback", _about(rng, asked * 0.8) if offset >= 30 else 0)
    return rows


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=UTC)


def participation(session: Session, today: date, seed: int = SEED) -> None:
    """Anonymous ideas and questions on the projects over the year, and closed polls on three
    projects with their votes (no number, no pseudonym: as if erased or expired)."""
    rng = random.Random(seed)
    for kind, by_project in ((IDEA, IDEAS), (QUESTION, QUESTIONS)):
        for number, texts in by_project.items():
            for text in texts:
                received = _noon(today - timedelta(days=rng.randint(3, DAYS - 1)))
                old = received < _noon(today - timedelta(days=14))
                session.add(
                    Submission(
                        kind=kind,
                        channel="sms",
                        language="de",
                        project_number=number,
                        text=text,
                        number=None,
                        pseudonym=None,
                        received_at=received,
                        status=HANDLED if old else OPEN,
                        handled_by="demo" if old else None,
                        handled_at=received + timedelta(days=1) if old else None,
                        fetch_attempts=0,
                        recording_wanted=False,
                    )
                )
    for number, closed_ago, days_open, question, answers, voters in POLLS:
        closes = _noon(today - timedelta(days=closed_ago))
        poll = Poll(
            texts={"de": {"question": question[0]}, "en": {"question": question[1]}},
            opens_at=closes - timedelta(days=days_open),
            closes_at=closes,
            project_number=number,
            created_at=closes - timedelta(days=days_open + 2),
        )
        poll.options = [
            PollOption(position=position, texts={"de": {"label": de}, "en": {"label": en}})
            for position, (de, en) in enumerate(answers, 1)
        ]
        session.add(poll)
        session.flush()
        weights = [rng.uniform(0.5, 1.5) for _ in poll.options]
        for _ in range(voters):
            option = rng.choices(poll.options, weights)[0]
            cast = poll.opens_at + timedelta(minutes=rng.randint(0, days_open * 24 * 60 - 1))
            channel = "phone" if rng.random() < 0.6 else "sms"
            session.add(Vote(poll_id=poll.id, option_id=option.id, voter=None, channel=channel, cast_at=cast))


def load(session: Session, today: date) -> int:
    """A demo year of usage figures and participation before today (the town's date); the caller
    commits. Returns how many daily figures were written."""
    rows = days_of_figures(today)
    session.execute(insert(UsageDay), rows)
    participation(session, today)
    session.flush()
    return len(rows)

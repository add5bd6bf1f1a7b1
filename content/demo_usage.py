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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
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
# Of the calls, the share that reached each part of the line (ivr.usage_steps' names): at least as
# many as ended there, and under key 4 ("subscribe") at least as many as subscribed, stopped or erased.
REACHED = {
    "main": 0.97,
    "language": 0.08,
    "news": 0.62,
    "projects": 0.34,
    "take-part": 0.17,
    "subscribe": 0.07,
    "person": 0.12,
}
# Where the calls ended.
ENDED_IN = {
    "main": 0.26,
    "language": 0.04,
    "news": 0.33,
    "projects": 0.15,
    "take-part": 0.09,
    "subscribe": 0.03,
    "person": 0.10,
}
# How long they took (usage.DURATIONS' names).
DURATIONS = {"under-1": 0.21, "1-3": 0.44, "3-10": 0.30, "10-plus": 0.05}
# SMS keywords per call, by their German names (the demo town's first language). IDEE and FRAGE
# follow the ideas and questions sent (IDEAS, QUESTIONS), LÖSCHEN and LÖSCHEN JA the erasures by SMS.
KEYWORDS = {
    "NEU": 0.16,
    "PROJEKTE": 0.06,
    "HILFE": 0.05,
    "START": 0.035,
    "STOP": 0.01,
    "ABSTIMMEN": 0.04,
    "RÜCKRUF": 0.012,
    "DATEN": 0.008,
    "SPRACHE": 0.006,
    "DANKE": 0.02,
    "unknown": 0.03,
}
# Public page views on an ordinary day.
PAGES = {"home": 42, "roadmap": 16, "easy": 4, "roadmap-json": 3, "feed": 11, "flyer": 2}
# On about this share of days someone has their data erased; the channel they asked on.
ERASED_SHARE = 0.07
ERASED_ON = (usage.SMS, usage.SMS, usage.PHONE, "staff")
# About how many days lie between two broadcasts of an announcement.
BROADCAST_EVERY = 9
# Subscribers at the start of the year.
FIRST_SUBSCRIBERS = {usage.SMS: 60, usage.BY_CALL: 8}

# Ideas and questions sent by SMS (IDEE, FRAGE), anonymous as if erased or expired (no number, no
# pseudonym): project number (0: about none in particular), language, text. Each is sent once in the
# year, on a day of its own; the day's IDEE and FRAGE keywords count it (and a few not understood).
IDEAS: Sequence[tuple[int, str, str]] = (
    (1, "de", "Mehr Fahrradständer am Hauptbahnhof"),
    (1, "de", "Busfahrpläne als Ansage an den Haltestellen"),
    (1, "de", "Ladesäulen für E-Bikes am Rathaus"),
    (1, "de", "Den Rufbus auch abends bis 23 Uhr fahren lassen"),
    (1, "tr", "Otobüs durağında sesli anons olsun"),
    (2, "de", "Eine Sitzbank mit Schatten am Stiftsplatz"),
    (2, "de", "Mehr Bäume in der Fackelstraße"),
    (2, "de", "Ampeln, die für Ältere länger grün zeigen"),
    (2, "de", "Trinkbrunnen in der Innenstadt"),
    (3, "de", "Ein Markt für Händler aus der Region am Samstag"),
    (3, "de", "Ein Stadtgutschein für die Läden in der Innenstadt"),
    (3, "de", "Leere Läden für Kunst und Vereine öffnen"),
    (4, "de", "Computerkurse für Ältere in der Stadtbibliothek"),
    (4, "de", "WLAN in allen Schulen"),
    (4, "de", "Tablets zum Ausleihen für Familien ohne Computer"),
    (4, "ru", "Курсы немецкого языка онлайн для родителей"),
    (5, "de", "Termine beim Gesundheitsamt auch per Telefon buchen"),
    (5, "de", "Hausnotruf für Alleinlebende bekannter machen"),
    (5, "de", "Einkaufshilfe von Nachbarn über das Bürgertelefon vermitteln"),
    (6, "de", "Formulare zum Vorlesen am Telefon"),
    (6, "de", "Längere Öffnungszeiten im Bürgerbüro am Donnerstag"),
    (6, "de", "Eine Erinnerung per SMS, bevor der Ausweis abläuft"),
    (6, "de", "Bescheide in einfacher Sprache"),
    (6, "ar", "نماذج البلدية باللغة العربية"),
    (7, "de", "Mehr Licht im Volkspark am Abend"),
    (7, "de", "Drohnen bei der Suche nach Vermissten einsetzen"),
    (8, "de", "Ein Wartezimmer mit Anzeige der Nummern im Rathaus"),
    (9, "de", "Glasfaser auch in den Ortsbezirken"),
    (9, "de", "Ladesäulen am Betzenberg"),
    (9, "de", "Freies WLAN am Bahnhofsvorplatz"),
    (9, "tr", "Mahallemize hızlı internet gelsin"),
    (0, "de", "Das Bürgertelefon auch am Samstagvormittag besetzen"),
    (0, "de", "Die Neuigkeiten langsamer vorlesen"),
    (0, "de", "Veranstaltungen der Stadt per SMS ankündigen"),
)
QUESTIONS: Sequence[tuple[int, str, str]] = (
    (1, "de", "Wann fährt der Rufbus auch am Sonntag?"),
    (1, "de", "Wo kann ich das autonome Shuttle ausprobieren?"),
    (1, "de", "Kostet das Laden an den städtischen Säulen etwas?"),
    (2, "de", "Wann wird die Fußgängerzone fertig?"),
    (2, "de", "Was misst der Sensor an der Laterne vor meinem Haus?"),
    (3, "de", "Gibt es Hilfe für kleine Läden beim Online-Verkauf?"),
    (4, "de", "Gibt es Hilfe beim Anmelden für die Schule?"),
    (4, "de", "Bekommt die Grundschule in Erfenbach auch Tablets?"),
    (4, "tr", "Okul kaydı için hangi belgeler gerekli?"),
    (5, "de", "An wen wende ich mich wegen einer Wohnungsanpassung?"),
    (5, "ru", "Где можно получить помощь по уходу за пожилыми?"),
    (6, "de", "Kann ich meinen Ausweis online verlängern?"),
    (6, "de", "Wo finde ich das Formular für Wohngeld?"),
    (6, "de", "Brauche ich für das Bürgerkonto eine E-Mail-Adresse?"),
    (6, "ar", "كيف أحجز موعدا في مكتب المواطنين؟"),
    (7, "de", "Wer darf die Bilder der Drohnen sehen?"),
    (8, "de", "Wie funktioniert die digitale Terminvergabe?"),
    (9, "de", "Wann kommt schnelles Internet nach Erfenbach?"),
    (9, "de", "Muss ich für den Glasfaseranschluss etwas bezahlen?"),
    (0, "de", "Ist das Bürgertelefon kostenlos?"),
    (0, "de", "Wie lange wird meine Nummer gespeichert?"),
)
# Of the IDEE and FRAGE keywords, about this share came with nothing the inbox could use.
NOT_UNDERSTOOD = 0.12
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


@dataclass(frozen=True)
class Sent:
    """An idea or question sent by SMS on a day of the demo year."""

    day: date
    kind: str  # IDEA or QUESTION
    project_number: int  # 0: about none in particular
    language: str
    text: str


def sent_by_sms(today: date, days: int = DAYS, seed: int = SEED) -> list[Sent]:
    """Each of IDEAS and QUESTIONS on a day of its own in the days before today (seeded)."""
    rng = random.Random(seed + 1)
    return [
        Sent(today - timedelta(days=rng.randint(3, days)), kind, number, language, text)
        for kind, texts in ((IDEA, IDEAS), (QUESTION, QUESTIONS))
        for number, language, text in texts
    ]


def _taking_part_keywords(today: date, days: int, seed: int) -> dict[date, Counter[str]]:
    """The IDEE and FRAGE keywords of each day: one per idea or question sent, and now and then
    one more that came with nothing the inbox could use."""
    rng = random.Random(seed + 2)
    keywords: dict[date, Counter[str]] = defaultdict(Counter)
    for sent in sent_by_sms(today, days, seed):
        name = "IDEE" if sent.kind == IDEA else "FRAGE"
        keywords[sent.day][name] += 1 + (rng.random() < NOT_UNDERSTOOD)
    return keywords


def _up_to(rng: random.Random, mean: float, room: int) -> int:
    """_about(mean), but no more than room."""
    return min(room, _about(rng, mean))


def days_of_figures(today: date, days: int = DAYS, seed: int = SEED) -> list[dict[str, object]]:
    """The UsageDay rows of the days before today: each day counted and marked as the demo's.

    Within each day the figures tell one story: key 4 is reached by at least the calls that
    subscribed, stopped or erased there; no part of the line is ended in by more calls than
    reached it; every START, STOP and erasure moves the subscribers; a broadcast is counted for
    each channel it reached someone on; IDEE and FRAGE come with the ideas and questions sent.
    """
    rng = random.Random(seed)
    first = today - timedelta(days=days)
    taking_part = _taking_part_keywords(today, days, seed)
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
        texts = _about(rng, calls * sum(KEYWORDS.values()) * (1.4 if peak > 1 else 1.0))
        keywords = Counter(_share(rng, texts, KEYWORDS)) + taking_part.get(day, Counter())

        # Subscriptions and erasures: what each channel started and ended, and on which channel.
        # On the phone all of it happens under key 4: one call each.
        started: dict[tuple[str, str], int] = Counter()  # (channel asked on, sms or call)
        ended: dict[tuple[str, str], int] = Counter()
        erased = ""
        if rng.random() < ERASED_SHARE:
            erased = rng.choice(ERASED_ON)
            if erased == usage.PHONE and not calls:  # nobody called that day: they wrote
                erased = usage.SMS
        room = calls - (erased == usage.PHONE)  # calls left for key 4's other doings
        started[usage.PHONE, usage.SMS] = _up_to(rng, calls * 0.012, room)
        room -= started[usage.PHONE, usage.SMS]
        started[usage.PHONE, usage.BY_CALL] = _up_to(rng, calls * 0.012, room)
        room -= started[usage.PHONE, usage.BY_CALL]
        started[usage.SMS, usage.SMS] = keywords["START"]
        ended[usage.PHONE, usage.BY_CALL] = _up_to(rng, calls * 0.002, min(room, subscribers[usage.BY_CALL]))
        ended[usage.SMS, usage.SMS] = min(keywords["STOP"], subscribers[usage.SMS])
        if erased == usage.SMS:  # LÖSCHEN, then LÖSCHEN JA to confirm
            keywords["LÖSCHEN"] += 1
            keywords["LÖSCHEN JA"] += 1
        if erased:  # an erased subscriber's subscriptions end with the rest
            for which, share in ((usage.SMS, 0.5), (usage.BY_CALL, 0.2 if erased != usage.SMS else 0.0)):
                left = subscribers[which] - sum(n for (_on, what), n in ended.items() if what == which)
                if left > 0 and rng.random() < share:
                    ended[erased, which] += 1
            add(day, erased, usage.ERASED, "", 1)
        for (channel, which), count in sorted(started.items()):
            add(day, channel, usage.SUBSCRIBED, which, count)
        for (channel, which), count in sorted(ended.items()):
            add(day, channel, usage.UNSUBSCRIBED, which, count)
        for which in subscribers:
            subscribers[which] += sum(n for (_on, what), n in started.items() if what == which)
            subscribers[which] -= sum(n for (_on, what), n in ended.items() if what == which)
            add(day, which, usage.SUBSCRIBERS, which, subscribers[which])
        for name, count in keywords.items():
            add(day, usage.SMS, usage.KEYWORD, name, count)

        # The calls: where they ended, and what they reached (at least that, and key 4's doings).
        ended_in = _share(rng, calls, ENDED_IN)
        on_key_4 = sum(n for (channel, _which), n in started.items() if channel == usage.PHONE)
        on_key_4 += ended[usage.PHONE, usage.BY_CALL] + (erased == usage.PHONE)
        for part, share in REACHED.items():
            least = max(ended_in.get(part, 0), on_key_4 if part == "subscribe" else 0)
            add(
                day,
                usage.PHONE,
                usage.REACHED,
                part,
                min(calls, max(least, round(calls * share * rng.uniform(0.9, 1.1)))),
            )
        for detail, count in ended_in.items():
            add(day, usage.PHONE, usage.ENDED_IN, detail, count)
        for table, kind in ((DURATIONS, usage.DURATION), (LANGUAGES, usage.CALL_LANGUAGE)):
            for detail, count in _share(rng, calls, table).items():
                add(day, usage.PHONE, kind, detail, count)

        if day in broadcast_days:  # one announcement, counted for each channel that had recipients
            add(day, "", usage.NEWS_SENT, "", 1)
            for which, delivered_share in ((usage.SMS, 0.975), (usage.BY_CALL, 0.86)):
                recipients = subscribers[which]
                if not recipients:
                    continue
                delivered = min(recipients, round(recipients * delivered_share * rng.uniform(0.98, 1.01)))
                channel = usage.PHONE if which == usage.BY_CALL else usage.SMS
                add(day, "", usage.BROADCAST, which, 1)
                add(day, "", usage.RECIPIENTS, which, recipients)
                add(day, channel, usage.DELIVERED, which, delivered)
                add(day, channel, usage.FAILED, which, recipients - delivered)
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
        add(day, "", usage.PURGED, "sms_log", sum(keywords.values()) if offset >= 30 else 0)
        add(day, "", usage.PURGED, "visits", _about(rng, calls * 0.1) if offset >= 200 else 0)
        add(
            day, "", usage.PURGED, "call_numbers", rng.randint(0, 2) if day - timedelta(days=3) in broadcast_days else 0
        )
        add(day, "", usage.PURGED, "callback", _about(rng, asked * 0.8) if offset >= 30 else 0)
    return rows


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=UTC)


def participation(session: Session, today: date, seed: int = SEED) -> None:
    """The ideas and questions sent by SMS over the year (sent_by_sms: on the days the figures
    count their IDEE and FRAGE), and closed polls on three projects with their votes; anonymous
    (no number, no pseudonym: as if erased or expired)."""
    rng = random.Random(seed)
    for sent in sent_by_sms(today, seed=seed):
        received = _noon(sent.day)
        old = received < _noon(today - timedelta(days=14))
        session.add(
            Submission(
                kind=sent.kind,
                channel="sms",
                language=sent.language,
                project_number=sent.project_number or None,
                text=sent.text,
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

"""How long callers listen before they get to the point, in seconds of synthesized speech.

Renders the real TwiML of a few situations through the app (signed webhooks, the demo content,
a fixed clock), speaks every <Say> sentence with espeak-ng at the prompt's own rate, adds the
pauses the TwiML asks for, and measures the WAV files with soxi. Polly's rate ("90%") becomes
espeak's words per minute from a baseline sentence measured in the same run: the speed at which
the baseline takes 1/0.9 of its time at espeak's default speed. The voice differs from Polly's,
so the figures are for comparing prompts with each other and over time, not to the second.

Situations (targets from issues 12, 13 and 14), in a town with all eight demo languages:
  first news, first-time caller  greeting until "news: press 1", then until the first item starts
  greeting and main menu          the whole first answer of a call (a German first-time caller)
  … returning caller              the whole first answer for a German caller who called before
  main menu alone                 what the main menu says again on # or *              (<= 30 s)
  what is new, returning caller   until the offer of the new items has been said       (<= 10 s)
  own language, likely (+90)      a first-time caller from Turkey, until Turkish was offered
  own language, not likely        a Polish first-time caller with a German mobile, until Polish was offered
  key 0 outside office hours      the whole answer
  news calls by phone, landline   from key 4 on, each answer until the key the caller presses is named,
                                  for a call with each announcement in the morning, to the thanks (<= 60 s)
  … weekly, on a day              the same for a weekly call on Thursday afternoon (each day before the
                                  one chosen adds about 2 s: Monday is the shortest, Saturday the longest)
  … whole prompts                 the first path with every prompt heard to its end
  news call, a person answers     the whole first answer (greeting, one announcement, the keys)
  news call, answering machine    the whole message

Run: .venv/bin/python benchmarks/speech_seconds.py [--repeat 3]   (needs espeak-ng and sox)
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

TOKEN = "speech-seconds-auth-token"
BASE = "http://localhost"
HOTLINE = "+496313651000"
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)  # the office is open
FRIDAY_EVENING = datetime(2026, 11, 27, 19, 0, tzinfo=BERLIN)  # nobody is in
BASELINE = "Für Aktuelles aus der Stadt drücken Sie die 1. Zum Wiederholen drücken Sie die Stern-Taste."
ESPEAK_DEFAULT_WPM = 175

# One sentence as the phone says it: its text, the voice's language, the rate, the pause after it.
Sentence = tuple[str, str, str, float]


# Speaking ------------------------------------------------------------------------------------------


def wav_seconds(text: str, language: str, wpm: int, folder: Path) -> float:
    out = folder / "said.wav"
    subprocess.run(["espeak-ng", "-v", language, "-s", str(wpm), "-w", str(out), text], check=True)
    return float(subprocess.run(["soxi", "-D", str(out)], check=True, capture_output=True, text=True).stdout)


class Speaker:
    """espeak-ng at Polly's rates: percentages become words per minute from the baseline sentence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.said = functools.cache(lambda text, language, wpm: wav_seconds(text, language, wpm, folder))
        self.baseline = self.said(BASELINE, "de", ESPEAK_DEFAULT_WPM)

    @functools.cache  # noqa: B019  # one speaker per run: the cache lives as long as the run
    def wpm(self, rate: str) -> int:
        """The speed at which the baseline sentence takes as long as Polly would take at rate."""
        share = float(rate.rstrip("%")) / 100 if rate.endswith("%") else 1.0
        wanted, wpm = self.baseline / share, round(ESPEAK_DEFAULT_WPM * share)
        for _ in range(4):  # espeak's speed is not quite proportional: correct a few times
            wpm = max(80, round(wpm * self.said(BASELINE, "de", wpm) / wanted))
        return wpm

    def seconds(self, sentences: list[Sentence]) -> float:
        return sum(self.said(text, language, self.wpm(rate)) + pause for text, language, rate, pause in sentences)


def pause_seconds(value: str | None) -> float:
    match = re.fullmatch(r"(\d+)(ms|s)", value or "")
    if not match:
        return 0.0
    return int(match[1]) / (1000 if match[2] == "ms" else 1)


def sentences_of(twiml: ET.Element) -> list[Sentence]:
    """Every sentence said, in order, with its language, rate and the pause after it."""
    said: list[Sentence] = []
    for say in twiml.iter("Say"):
        language = (say.get("language") or "de-DE").split("-")[0]
        parts = list(say)
        for position, part in enumerate(parts):
            if part.tag != "prosody":
                continue
            following = parts[position + 1] if position + 1 < len(parts) else None
            pause = pause_seconds(following.get("time")) if following is not None and following.tag == "break" else 0
            said.append((" ".join((part.text or "").split()), language, part.get("rate", "100%"), pause))
    return said


def until(sentences: list[Sentence], found: Callable[[str], bool], *, including: bool) -> list[Sentence]:
    """The sentences up to the first one found (with or without it)."""
    for position, (text, *_rest) in enumerate(sentences):
        if found(text):
            return sentences[: position + 1 if including else position]
    raise LookupError("the sentence looked for was not said")


def until_language(sentences: list[Sentence], language: str) -> list[Sentence]:
    """The sentences up to and with the first one in language (its offer: the first said in it)."""
    for position, (_text, said_in, *_rest) in enumerate(sentences):
        if said_in == language:
            return sentences[: position + 1]
    raise LookupError(f"nothing was said in {language}")


# The app, as Twilio calls it ----------------------------------------------------------------------


class Hotline:
    def __init__(self, folder: Path) -> None:
        from app import create_app
        from content import db, demo, migrate, queries

        self.now = TUESDAY_MORNING
        url = f"sqlite:///{folder / 'speech.db'}"
        settings = {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "speech-seconds",
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PSEUDONYM_KEY": "speech-seconds",
            "CLOCK": lambda: self.now,
        }
        self.app = create_app(settings)
        migrate.upgrade(self.app.extensions["content.engine"])
        with self.app.app_context():
            demo.load(db.session(), self.now.date())
            # Every language of the demo, whichever have their texts yet: the offers are what counts.
            queries.save_town_profile(db.session(), replace(demo.KAISERSLAUTERN, languages=demo.LANGUAGES))
            db.session().commit()
        self.client = self.app.test_client()
        self.validator = RequestValidator(TOKEN)

    def post(self, url: str, caller: str, **extra: str) -> ET.Element:
        params = {"CallSid": "CA" + "0" * 32, "From": caller, "To": HOTLINE, **extra}
        signature = self.validator.compute_signature(url, params)
        response = self.client.post(url, data=params, headers={"X-Twilio-Signature": signature})
        twiml = ET.fromstring(response.data)
        verbs = list(twiml)
        if len(verbs) == 1 and verbs[0].tag == "Redirect":
            return self.post(BASE + (verbs[0].text or ""), caller)
        return twiml

    def press(self, twiml: ET.Element, key: str, caller: str) -> ET.Element:
        gather = twiml.find("Gather")
        assert gather is not None, "nothing to press a key at"
        return self.post(BASE + (gather.get("action") or ""), caller, Digits=key)

    def text(self, message: str, **values: object) -> str:
        from content.i18n import translate

        return translate("de", message, **values)

    def profile(self):
        from content import db, queries

        with self.app.app_context():
            return queries.town_profile(db.session())

    def add_news(self) -> str:
        from content import db
        from content.models import Announcement

        title = "Neue Sprechzeiten im Bürgerbüro"
        with self.app.app_context():
            db.session().add(
                Announcement(
                    publish_at=self.now - timedelta(minutes=5),
                    texts={"de": {"title": title, "body": "Ab Montag öffnet das Bürgerbüro schon um 7 Uhr."}},
                )
            )
            db.session().commit()
        return title

    def close(self) -> None:
        self.app.extensions["telephony.desk"].pool.shutdown(wait=True)
        self.app.extensions["content.visits"].close()
        self.app.extensions["content.engine"].dispose()


def situations(hotline: Hotline) -> dict[str, tuple[list[Sentence], float | None]]:
    """What each situation says until its point, and its target in seconds (if it has one)."""
    from ivr import prompts

    for_news = hotline.text(prompts.FOR_NEWS)
    first = hotline.post(BASE + "/voice", "+4915100000001")
    news = hotline.press(first, "1", "+4915100000001")
    newest = "Das Bürgertelefon ist da"
    first_news = until(sentences_of(first), lambda text: text == for_news, including=True) + until(
        sentences_of(news), lambda text: text.startswith(newest), including=False
    )

    returning = "+4915100000002"
    hotline.post(BASE + "/voice", returning)
    hotline.now += timedelta(days=2)
    hotline.add_news()
    hotline.now += timedelta(hours=1)
    again = sentences_of(hotline.post(BASE + "/voice", returning))
    new_offer = until(again, lambda text: text.startswith("Seit Ihrem letzten Anruf"), including=True)

    again_menu = sentences_of(hotline.press(first, "#", "+4915100000001"))  # in the main menu # repeats it

    turkish = until_language(sentences_of(hotline.post(BASE + "/voice", "+905321234567")), "tr")
    polish = until_language(sentences_of(hotline.post(BASE + "/voice", "+4915100000004")), "pl")
    hotline.post(BASE + "/voice", "+4915100000005")
    hotline.now += timedelta(hours=1)
    returning_menu = sentences_of(hotline.post(BASE + "/voice", "+4915100000005"))

    calls, weekly, whole = subscribing_to_calls(hotline)
    person_answers, machine = news_call(hotline)

    hotline.now = FRIDAY_EVENING
    evening = hotline.post(BASE + "/voice", "+4915100000003")
    person = sentences_of(hotline.press(evening, "0", "+4915100000003"))
    return {
        "first news, first-time caller": (first_news, None),
        "greeting and main menu": (sentences_of(first), None),
        "… returning caller": (returning_menu, None),
        "main menu alone (# or *)": (again_menu, 30.0),
        "what is new, returning caller": (new_offer, 10.0),
        "own language, likely (+90)": (turkish, None),
        "own language, not likely": (polish, None),
        "key 0 outside office hours": (person, None),
        "news calls by phone, landline": (calls, 60.0),
        "… weekly, on a day": (weekly, None),
        "… whole prompts": (whole, None),
        "news call, a person answers": (person_answers, None),
        "news call, answering machine": (machine, None),
    }


def subscribing_to_calls(hotline: Hotline) -> tuple[list[Sentence], list[Sentence], list[Sentence]]:
    """A landline asks for news calls from key 4 on: each answer until the sentence that names the
    key pressed next (callers press as soon as they hear it), then the thanks; and the same path
    with every prompt heard whole."""
    from content import calling_hours
    from ivr import prompts

    morning = calling_hours.describe(hotline.profile(), "morning", "de")
    afternoon = calling_hours.describe(hotline.profile(), "afternoon", "de")
    text = hotline.text
    offer = text(prompts.FOR_CALLS, key=1)
    agree = text(prompts.CALLS_AGREE)
    thanks = text(prompts.CALLS_SUBSCRIBED)
    each = [
        ("4", offer),
        ("1", text(prompts.EVERY_ITEM_KEY, key=1)),
        ("1", text(prompts.MORNING_KEY, hours=morning, key=1)),
    ]
    each += [("1", agree), ("1", thanks)]
    thursday = [
        ("4", offer),
        ("1", text(prompts.WEEKLY_KEY, key=2)),
        ("2", text(prompts.DAY_KEY, day="Donnerstag", key=4)),
    ]
    thursday += [("4", text(prompts.AFTERNOON_KEY, hours=afternoon, key=2)), ("2", agree), ("1", thanks)]
    calls = walk_to_thanks(hotline, "+496313659901", each)
    weekly = walk_to_thanks(hotline, "+496313659902", thursday)
    whole = walk_to_thanks(hotline, "+496313659903", [(key, None) for key, _ in each[:-1]] + [each[-1]])
    return calls, weekly, whole


def walk_to_thanks(hotline: Hotline, landline: str, steps: Sequence[tuple[str, str | None]]) -> list[Sentence]:
    """Press each key and hear its answer until the sentence given (None: the whole prompt)."""
    twiml, heard = hotline.post(BASE + "/voice", landline), []
    for key, last in steps:
        twiml = hotline.press(twiml, key, landline)
        said = sentences_of(twiml)
        heard += said if last is None else until(said, functools.partial(str.__eq__, last), including=True)
    return heard


def news_call(hotline: Hotline) -> tuple[list[Sentence], list[Sentence]]:
    """The city calls a landline with the news: what a person hears first, and an answering machine."""
    from sqlalchemy import select

    from content import db, news_calls
    from content.models import SENT, Announcement, OutboundMessage
    from content.news_calls import Choices

    landline, sid = "+496313659904", "CA" + "4" * 32
    hotline.add_news()
    with hotline.app.app_context():
        session = db.session()
        news_calls.subscribe(
            session, landline, language="de", choices=Choices(), wording="(benchmark)", now=hotline.now
        )
        item = session.scalars(select(Announcement).order_by(Announcement.id.desc())).first()
        assert item is not None  # added just now
        news_calls.queue_news(session, item, hotline.profile(), broadcast_id=None, now=hotline.now)
        row = session.scalars(select(OutboundMessage).where(OutboundMessage.recipient == landline)).one()
        row.status, row.provider_id = SENT, sid
        outbox_id = row.id
        session.commit()

    def answered(by: str) -> list[Sentence]:
        url = f"{BASE}/voice/news-call?call={outbox_id}"
        return sentences_of(
            hotline.post(url, HOTLINE, To=landline, Direction="outbound-api", AnsweredBy=by, CallSid=sid)
        )

    return answered("human"), answered("machine_end_beep")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="measure this many times (speech is deterministic)")
    parser.add_argument("--show", action="store_true", help="print the sentences of each situation")
    arguments = parser.parse_args()
    missing = [tool for tool in ("espeak-ng", "soxi") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"Needs {' and '.join(missing)} (Debian packages espeak-ng and sox).")
    with tempfile.TemporaryDirectory() as folder:
        for run in range(arguments.repeat):
            hotline = Hotline(Path(folder) / f"run{run}")
            try:
                measured = situations(hotline)
            finally:
                hotline.close()
            speaker = Speaker(Path(folder))
            print(f"run {run + 1}: espeak-ng at 90% = {speaker.wpm('90%')} wpm, 75% = {speaker.wpm('75%')} wpm")
            print(f"{'situation':34} {'sentences':>9} {'seconds':>8} {'target':>7}")
            for name, (sentences, target) in measured.items():
                seconds = speaker.seconds(sentences)
                goal = f"{target:.0f}" if target else "-"
                mark = "" if target is None else (" ok" if seconds <= target else " over")
                print(f"{name:34} {len(sentences):>9} {seconds:>8.1f} {goal:>7}{mark}")
                if arguments.show:
                    for sentence in sentences:
                        print(f"    {speaker.seconds([sentence]):5.1f}  {sentence[0]}")


if __name__ == "__main__":
    main()

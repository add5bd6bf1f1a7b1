"""Walk the whole menu tree, every key at every menu plus silence, speech and Dial outcomes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

from tests.twilio_fake import Caller, problems

KEYS = list("0123456789*#")
DIAL_OUTCOMES = ["completed", "busy", "no-answer", "failed", "canceled"]
# State that changes how a menu is said (slower, what `*` repeats) or when it offers a person
# (errors in a row), not which keys it answers: a menu is walked once, whatever their values.
# (tests/ivr/test_engine.py checks what they do.)
MANNER = {"said", "slower", "errors"}


def menu_of(url: str) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name not in MANNER]
    return parts.path + "?" + urlencode(query)


# Every menu understands help, slower, no …: more words to try at each (about 4,800 with two polls).
def walk(signer, number: str, max_answers: int = 8000) -> tuple[dict[str, list[str]], int]:
    """Visit every reachable menu URL with every input; return the problems found, and the count."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    start = Caller(signer, number).call()
    queue: list[tuple[str, ET.Element]] = [(start.url, start.element)]
    answers = 0
    while queue:
        url, twiml = queue.pop()
        for issue in problems(twiml):
            found.setdefault(url, []).append(issue)
        for next_url, inputs in next_steps(url, twiml):
            visit = menu_of(next_url) + "?" + repr(sorted(inputs.items()))
            if visit in seen:
                continue
            seen.add(visit)
            caller = Caller(signer, number)
            caller._post(next_url, inputs)
            answers += 1
            assert answers < max_answers, "the menu tree does not end"
            queue.append((f"{next_url} {inputs}", caller.element))
    return found, answers


def next_steps(url: str, twiml: ET.Element) -> list[tuple[str, dict[str, str]]]:
    url = url.split(" ")[0]
    steps = []
    gather = twiml.find("Gather")
    if gather is not None:
        action = urljoin(url, gather.get("action"))
        steps += [(action, {"Digits": key}) for key in KEYS]
        if "repeats=" not in action and "silences=" not in url:  # words once per menu, not per repeat
            hints = [hint.strip() for hint in (gather.get("hints") or "").split(",") if hint.strip()]
            steps += [(action, {"SpeechResult": hint}) for hint in hints]
            steps.append((action, {"SpeechResult": "äh, hm, Kartoffelsalat"}))
    redirect = twiml.find("Redirect")
    if redirect is not None:
        steps.append((urljoin(url, redirect.text or ""), {}))
    record = twiml.find("Record")
    if record is not None:
        recorded = {
            "RecordingDuration": "12",
            "RecordingSid": "RE" + "b" * 32,
            "RecordingUrl": "https://api.twilio.com/x/RE" + "b" * 32,
        }
        steps += [(urljoin(url, record.get("action")), outcome) for outcome in (recorded, {"RecordingDuration": "0"})]
    dial = twiml.find("Dial")
    if dial is not None:
        steps += [(urljoin(url, dial.get("action")), {"DialCallStatus": status}) for status in DIAL_OUTCOMES]
    return steps


@pytest.mark.parametrize(
    "moment",
    [(2026, 11, 24, 10), (2026, 11, 24, 20), (2026, 6, 4, 10)],
    ids=["office hours", "evening", "Corpus Christi holiday"],
)
def test_every_key_at_every_menu_gives_a_spoken_answer(signer, clock, moment) -> None:
    clock.set(*moment)
    found, answers = walk(signer, "+4915112345678")
    assert found == {}
    assert answers > 300  # both languages, nine projects, three news items, every key


def test_the_walk_reaches_every_menu_and_both_languages(signer) -> None:
    reached: set[str] = set()
    caller = Caller(signer).call()
    reached.add(urlsplit(caller.url).path)
    for keys in (["1", "1", "1", "1"], ["2"] + ["1"] * 9, ["9", "1"], ["0"]):
        caller = Caller(signer).call()
        for key in keys:
            caller.press(key)
            reached.add(urlsplit(caller.url).path)
    assert {"/voice", "/voice/main", "/voice/news", "/voice/projects"} <= reached


def test_the_walk_notices_a_prompt_outside_its_gather() -> None:
    twiml = ET.fromstring(
        '<Response><Say>Hallo</Say><Gather input="dtmf speech" timeout="8" finishOnKey="" '
        'language="de-DE" hints="a"><Say>Drücken Sie die 1</Say></Gather><Redirect>/voice</Redirect></Response>'
    )
    assert problems(twiml) == ["a prompt outside its Gather"]


def test_the_walk_notices_a_call_ending_without_goodbye() -> None:
    assert "hangs up without a goodbye" in problems(ET.fromstring("<Response><Say>Tschüss</Say><Hangup/></Response>"))
    assert problems(ET.fromstring("<Response/>")) == ["nothing is said", "the call ends after <None> without a goodbye"]


def test_the_poll_menus_give_a_spoken_answer_to_every_key_too(signer, session, clock) -> None:
    from tests.factories import create_poll

    create_poll(session, clock(), opened_days_ago=3)
    create_poll(session, clock(), question="Soll der Wochenmarkt auch samstags sein?", options=("Ja", "Nein"))
    found, answers = walk(signer, "+4915112345678")
    assert found == {}
    assert answers > 400

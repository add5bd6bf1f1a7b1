"""Walk the whole menu tree, every key at every menu plus silence, speech and Dial outcomes, in every
language the demo town has: no answer a caller would suffer from, no sentence left in English, no
prompt in another language's voice (except the offers of the languages, each in its own), and no
menu with more than five options but the language menu and the days of the week.

The default language is walked in three moments (office hours, evening, a holiday); every other
language once, in office hours: the menus are the same, only their words differ. Words are tried
once per menu where they are the menu's own; the words every menu understands (repeat, back, a
person, the digits …) are proven equal to their keys in every menu by tests/ivr/test_engine.py.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit

import pytest

from content import demo
from content.i18n import translate
from content.models import STATUS_NAMES, Subscriber
from content.profile import Language
from ivr import guide, prompts
from ivr.understanding import phrases
from tests.factories import create_poll
from tests.twilio_fake import BASE_URL, Caller, problems, spoken_text

KEYS = list("0123456789*#")
OPTION_KEYS = list("12345678")  # 9 is the language key of the main menu, 0 a person, * and # the same everywhere
DIAL_OUTCOMES = ["completed", "busy", "no-answer", "failed", "canceled"]
# State that changes how a menu is said (slower, what `*` repeats, how often it was repeated), when
# it offers a person (errors in a row), or where key 9 leads and which language the language menu
# says first, not which keys it answers: a menu is walked once, whatever their values.
# (tests/ivr/test_engine.py and tests/ivr/test_languages.py check what they do.)
MANNER = {"said", "slower", "errors", "repeats", "quick", "likely"}
# What every menu understands besides its own words: tried in every menu by test_engine.
COMMON = (prompts.SAY_REPEAT, prompts.SAY_BACK, prompts.SAY_NO, prompts.SAY_PERSON, *prompts.SAY_DIGITS.values())
NONSENSE = "äh, hm, Kartoffelsalat"
# The demo town's languages (each translator's language joins once its demo texts are there).
LANGUAGES = [language.code for language in demo.KAISERSLAUTERN.languages]
DEFAULT = LANGUAGES[0]
NUMBER = "+4915112345678"


@functools.cache
def menu_of(url: str) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name not in MANNER]
    return parts.path + "?" + urlencode(query)


def language_in(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("lang", [""])[0] or DEFAULT


@dataclass
class Walk:
    """What a walk through the tree in one language found."""

    language: str
    problems: dict[str, list[str]] = field(default_factory=dict)
    answers: int = 0
    # For each menu, the option keys (1–8) that did something there.
    used_keys: dict[str, set[str]] = field(default_factory=dict)

    def note(self, url: str, issue: str) -> None:
        self.problems.setdefault(url, []).append(issue)


def walk(signer, language: str, max_answers: int = 6000) -> Walk:
    """Visit every menu URL of language reachable from a call's start with every input; answers in
    another language (after key 9) are checked but not walked further."""
    found = Walk(language)
    seen: set[str] = set()
    # The call's start, and the main menu as it is once the call is under way: key 9 opens the
    # language menu there (at the start it may switch at once).
    start, main = Caller(signer, NUMBER).call(), Caller(signer, NUMBER)
    main._post(f"{BASE_URL}/voice/main" + (f"?lang={language}" if language != DEFAULT else ""), {})
    queue: list[tuple[str, ET.Element]] = [(start.url, start.element), (main.url, main.element)]
    while queue:
        url, twiml = queue.pop()
        check(found, url, twiml)
        if language_of_answer(url, twiml) != language:
            continue
        for next_url, inputs in next_steps(url, twiml):
            visit = visited_as(next_url, inputs) + "?" + repr(sorted(inputs.items()))
            if visit in seen:
                continue
            seen.add(visit)
            caller = Caller(signer, NUMBER)
            caller._post(next_url, inputs)
            found.answers += 1
            assert found.answers < max_answers, "the menu tree does not end"
            note_key(found, next_url, inputs, caller)
            queue.append((caller.url, caller.element))
    return found


# Where the item of a list (which news, project, poll or answer) changes nothing: words, silence,
# how a call to staff ended, and the keys that type a project's number.
SAME_AT_EVERY_ITEM = {"lang", "silences"}


@functools.cache
def _same_at_every_item(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + "?" + urlencode([(n, v) for n, v in parse_qsl(parts.query) if n in SAME_AT_EVERY_ITEM])


def visited_as(url: str, inputs: dict[str, str]) -> str:
    """What makes a step new: the menu and its state for keys; for the rest, only the menu."""
    if "Digits" in inputs and not urlsplit(url).path.endswith("/project-number"):
        return menu_of(url)
    return _same_at_every_item(url)


def next_steps(url: str, twiml: ET.Element) -> list[tuple[str, dict[str, str]]]:
    steps = []
    gather = twiml.find("Gather")
    if gather is not None:
        action = urljoin(url, gather.get("action"))
        steps += [(action, {"Digits": key}) for key in KEYS]
        if "silences=" not in url:  # words once per menu, not again after silence
            steps += [(action, {"SpeechResult": words}) for words in own_words(gather, language_in(action))]
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


@functools.cache
def common_words(code: str) -> frozenset[str]:
    return frozenset(phrase for message in COMMON for phrase in phrases(translate(code, message)))


def own_words(gather: ET.Element, code: str) -> list[str]:
    """The menu's hints less the words every menu understands, one way to ask for help and to
    slow down, and words that mean nothing here."""
    hints = [hint.strip() for hint in (gather.get("hints") or "").split(",") if hint.strip()]
    own = [hint for hint in hints if hint not in common_words(code)]
    help_me, slower = (phrases(translate(code, message))[0] for message in (prompts.SAY_HELP, prompts.SAY_SLOWER))
    return list(dict.fromkeys([*own, help_me, slower, NONSENSE]))


# What is checked in every answer --------------------------------------------------------------


def check(found: Walk, url: str, twiml: ET.Element) -> None:
    code = language_of_answer(url, twiml)
    for issue in problems(twiml):
        if issue != "hangs up without a goodbye":  # which problems() knows in German and English only
            found.note(url, issue)
    verbs = list(twiml)
    if verbs and verbs[-1].tag == "Hangup" and translate(code, prompts.GOODBYE) not in spoken_text(twiml):
        found.note(url, f"hangs up without a goodbye in {code}")
    for issue in [*untranslated(twiml), *untranslated_hints(twiml, code), *wrong_voices(twiml, code)]:
        found.note(url, issue)


def language_of_answer(url: str, twiml: ET.Element) -> str:
    """The language an answer is in: the one its next step carries on in (after a switch, the new one)."""
    for element in twiml.iter():
        target = element.get("action") or (element.text if element.tag == "Redirect" else None)
        if target:
            return language_in(urljoin(url, target))
    return language_in(url)


@functools.cache
def english_sentences() -> re.Pattern[str]:
    """Every English sentence of the phone, as one pattern that any values fit."""
    messages = [value for value in vars(prompts).values() if isinstance(value, (str, tuple))]
    messages += [*guide.PURPOSES.values(), guide.GENERAL, *STATUS_NAMES.values()]
    spoken = {
        form
        for message in messages
        for form in ([message] if isinstance(message, str) else message)
        if not any(form == say for say in (*COMMON, prompts.SAY_HELP, prompts.SAY_SLOWER))
        # Too few words of its own to tell English from another language ("%(first)s to %(last)s"
        # would find the Polish "to"): such a message is not looked for.
        and len(re.findall(r"[a-z]{2,}", re.sub(r"%\(\w+\)s", "", form))) >= 2
    }
    return re.compile("|".join(re.sub(r"%\\\(\w+\\\)s", ".+", re.escape(form)) for form in spoken))


def untranslated(twiml: ET.Element) -> list[str]:
    """Sentences said in a language other than English that are still English."""
    found = []
    for say in twiml.iter("Say"):
        if (say.get("language") or "").startswith("en"):
            continue
        for prosody in say.iter("prosody"):
            text = " ".join((prosody.text or "").split())
            if english_sentences().fullmatch(text):
                found.append(f"not translated for {say.get('language')}: {text!r}")
    return found


@functools.cache
def english_words() -> tuple[frozenset[str], ...]:
    """The English lists of words a caller may say, each of two phrases or more."""
    said = [value for name, value in vars(prompts).items() if name.startswith("SAY_") and isinstance(value, str)]
    said += [*prompts.SAY_DIGITS.values(), *prompts.SAY_NUMBERS.values()]
    return tuple(frozenset(phrases(words)) for words in said if len(phrases(words)) > 1)


def untranslated_hints(twiml: ET.Element, code: str) -> list[str]:
    """Speech hints of a non-English call that are a whole English list of words: still English."""
    gather = twiml.find("Gather")
    if gather is None or code == "en":
        return []
    hints = {hint.strip() for hint in (gather.get("hints") or "").split(",")}
    return [f"English hints in a {code} call: {sorted(words)}" for words in english_words() if words <= hints]


@functools.cache
def languages() -> dict[str, Language]:
    return {language.code: language for language in demo.KAISERSLAUTERN.languages}


@functools.cache
def offers(code: str) -> frozenset[str]:
    """What an offer of the language says, in that language, for any key."""
    language = languages()[code]
    return frozenset(
        translate(code, message, language=language.name(), key=key)
        for message in (prompts.FOR_LANGUAGE, prompts.FOR_LANGUAGE_TWICE, prompts.FOR_LANGUAGE_BRIEF)
        for key in "123456789"
    )


def wrong_voices(twiml: ET.Element, code: str) -> list[str]:
    """Prompts in another voice than the caller's language's: only the offers of the other languages
    may be, each in its own language's voice, and the default language's text after the note that
    an item exists only in it."""
    caller, default = languages()[code], languages()[DEFAULT]
    note = translate(code, prompts.ONLY_IN_LANGUAGE, language=default.name(code))
    found, said_before = [], ""
    for say in twiml.iter("Say"):
        voice = (say.get("voice"), say.get("language"))
        texts = [" ".join((prosody.text or "").split()) for prosody in say.iter("prosody")]
        if voice != (caller.voice, caller.speech):
            owner = [other for other in languages().values() if (other.voice, other.speech) == voice]
            offered = any(set(texts) <= offers(other.code) for other in owner)
            noted = default in owner and said_before.endswith(note)
            if not (offered or noted):
                found.append(f"in the voice {voice} in a {code} call: {texts}")
        said_before = texts[-1] if texts else ""
    return found


def note_key(found: Walk, url: str, inputs: dict[str, str], caller: Caller) -> None:
    """Whether an option key did something at its menu (not "this key is not used here")."""
    key = inputs.get("Digits")
    gather_was_typed = "project-number" in urlsplit(url).path  # there keys type a number
    if key not in OPTION_KEYS or gather_was_typed:
        return
    code = language_in(url)
    not_used = (translate(code, prompts.KEY_NOT_USED, key=key), translate(code, prompts.TRY_A_PERSON))
    used = found.used_keys.setdefault(menu_of(url), set())
    if not caller.heard.startswith(not_used):
        used.add(key)


# The walks ----------------------------------------------------------------------------------------


@pytest.fixture
def polls(session, clock) -> None:
    """Two polls open at once: the menus to choose one, to answer it and to confirm are walked too."""
    create_poll(session, clock(), opened_days_ago=3)
    create_poll(session, clock(), question="Soll der Wochenmarkt auch samstags sein?", options=("Ja", "Nein"))


# Menus whose keys are a list said whole, one key per entry: the languages, and the days Monday to
# Saturday on which the city may call with the news.
LISTS = {"/voice/language", "/voice/calls-weekday"}


def assert_sound(found: Walk) -> None:
    assert found.problems == {}
    crowded = {menu: sorted(keys) for menu, keys in found.used_keys.items() if len(keys) > 5}
    assert all(urlsplit(menu).path in LISTS for menu in crowded), crowded


@pytest.mark.usefixtures("polls")
@pytest.mark.parametrize(
    "moment",
    [(2026, 11, 24, 10), (2026, 11, 24, 20), (2026, 6, 4, 10)],
    ids=["office hours", "evening", "Corpus Christi holiday"],
)
def test_every_key_at_every_menu_gives_a_spoken_answer(signer, clock, moment) -> None:
    clock.set(*moment)
    found = walk(signer, DEFAULT)
    assert_sound(found)
    assert found.answers > 300  # nine projects, three news items, two polls, every key


@pytest.mark.usefixtures("polls")
@pytest.mark.parametrize("code", [code for code in LANGUAGES if code != DEFAULT])
def test_every_key_at_every_menu_gives_a_spoken_answer_in_each_language(signer, session, code) -> None:
    session.add(Subscriber(number=NUMBER, language=code))  # their SMS language: the call starts in it
    session.commit()
    found = walk(signer, code)
    assert_sound(found)
    assert found.answers > 300


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


def say(voice: str, language: str, *texts: str) -> str:
    parts = "".join(f'<prosody rate="90%">{text}</prosody><break time="350ms"/>' for text in texts)
    return f'<Say voice="{voice}" language="{language}">{parts}</Say>'


def test_the_walk_notices_a_sentence_left_in_english_in_a_german_call() -> None:
    twiml = ET.fromstring(
        f"<Response>{say('Polly.Vicki-Neural', 'de-DE', 'For news from the city, press 1.')}</Response>"
    )
    assert untranslated(twiml) == ["not translated for de-DE: 'For news from the city, press 1.'"]
    fine = ET.fromstring(
        f"<Response>{say('Polly.Vicki-Neural', 'de-DE', 'Für Aktuelles drücken Sie die 1.')}</Response>"
    )
    assert untranslated(fine) == []


def test_the_walk_notices_english_speech_hints_in_a_german_call() -> None:
    gather = '<Response><Gather hints="{}"><Say>…</Say></Gather></Response>'
    english = ET.fromstring(gather.format("aktuelles, " + translate("en", prompts.SAY_PERSON)))
    assert untranslated_hints(english, "de") == [f"English hints in a de call: {sorted(phrases(prompts.SAY_PERSON))}"]
    assert untranslated_hints(ET.fromstring(gather.format(translate("de", prompts.SAY_PERSON))), "de") == []


def test_the_walk_notices_a_prompt_in_the_wrong_voice_but_not_an_offer_in_its_own() -> None:
    german, english = ("Polly.Vicki-Neural", "de-DE"), ("Polly.Amy-Neural", "en-GB")
    wrong = ET.fromstring(f"<Response>{say(*german, 'Aktuelles.')}{say(*english, 'The news.')}</Response>")
    assert wrong_voices(wrong, "de") == [f"in the voice {english} in a de call: ['The news.']"]
    offer = translate("en", prompts.FOR_LANGUAGE, language="English", key="9")
    right = ET.fromstring(f"<Response>{say(*german, 'Aktuelles.')}{say(*english, offer)}</Response>")
    assert wrong_voices(right, "de") == []


def test_the_walk_counts_the_options_of_a_crowded_menu() -> None:
    crowded = Walk("de", used_keys={"/voice/take-part?": set("123456")})
    with pytest.raises(AssertionError):
        assert_sound(crowded)
    assert_sound(Walk("de", used_keys={"/voice/language?": set("12345678")}))

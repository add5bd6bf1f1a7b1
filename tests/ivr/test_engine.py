"""The menu engine never gives up on a caller: in every menu, in every language, whatever they say or do not."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urljoin, urlsplit

import pytest

from content.i18n import translate
from ivr import guide, prompts
from ivr.speaking import NORMAL_RATE, SLOW_RATE
from ivr.understanding import phrases
from tests.factories import create_poll
from tests.ivr.keys import TO_ENGLISH, press
from tests.twilio_fake import Caller, spoken_text

# How a caller reaches each menu from the start of a call (with two open polls), by keys.
MENUS = {
    "main": [],
    "news": ["1"],
    "projects": ["2"],
    "take-part": ["3"],
    "choose-poll": ["3", "1"],
    "poll": ["3", "1", "1"],
    "confirm-vote": ["3", "1", "1", "1"],
    "subscribe": ["4"],
    "erase": ["4", "3"],
    "callback": ["3", "3"],
    "calls-how-often": ["4", "4"],
    "calls-weekday": ["4", "4", "2"],
    "calls-when": ["4", "4", "1"],
    "calls-consent": ["4", "4", "1", "1"],
}
# Switching to English: the main menu offers the town's other language on 9.
LANGUAGES = {"de": [], "en": TO_ENGLISH}
# How each language's prompts name a key: "Für Aktuelles drücken Sie die 1.", "For news, press 1."
PRESS = {
    "de": re.compile(r"(?:^|[.!?] )([^.!?]+?),? drücken Sie die (\d)\."),
    "en": re.compile(r"(?:^|[.!?] )([^.!?]+?),? press (\d)\."),
}
# How the poll names its answers: "Antwort 1: Am Rathaus."
ANSWER = {
    "de": re.compile(r"Antwort (\d): ([^.!?]+)\."),
    "en": re.compile(r"Answer (\d): ([^.!?]+)\."),
}
# Menus whose 1 means yes.
YES_MENUS = {"subscribe", "erase", "callback", "confirm-vote", "calls-consent"}
# Menus that name their keys briefly ("Montag: die 1."), with the words that choose each.
BRIEF_MENUS = {
    "calls-how-often": {"1": prompts.SAY_EVERY_ITEM, "2": prompts.SAY_WEEKLY},
    "calls-when": {"1": prompts.SAY_MORNING, "2": prompts.SAY_AFTERNOON},
}
# The days of the week for news calls: each said by its name.
DAYS = {"de": {"Montag": "1", "Donnerstag": "4", "Samstag": "6"}, "en": {"Monday": "1", "Saturday": "6"}}

_numbers = itertools.count(10_000_000)


def fresh_caller(signer) -> Caller:
    """A caller with a number of their own: what one does (subscribe, vote) does not change another's answer."""
    return Caller(signer, f"+49151{next(_numbers)}")


def at_menu(signer, code: str, menu: str) -> Caller:
    caller = fresh_caller(signer).call()
    for key in LANGUAGES[code] + MENUS[menu]:
        caller.press(key)
    assert urlsplit(caller.gather.get("action")).path == f"/voice/{menu}", caller.heard
    return caller


def answer(signer, action: str, params: dict[str, str]) -> tuple[str, str | None, bool]:
    """What a new caller at the same prompt hears after pressing or saying something."""
    caller = fresh_caller(signer)
    caller._post(action, params)
    return caller.heard, caller.dialled, caller.hung_up


def words(code: str, message: str) -> list[str]:
    return phrases(translate(code, message))


@pytest.fixture
def two_polls(session, clock) -> None:
    create_poll(session, clock(), opened_days_ago=3)
    create_poll(session, clock(), question="Soll der Wochenmarkt auch samstags sein?", options=("Samstags", "Nie"))


# 2. Every phrase a prompt uses for a key, and the common words, in every menu --------------------


@pytest.mark.usefixtures("two_polls")
@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("menu", MENUS)
def test_every_phrase_a_prompt_uses_and_the_common_words_are_understood_in_every_menu(signer, code, menu) -> None:
    caller = at_menu(signer, code, menu)
    action = urljoin(caller.url, caller.gather.get("action"))
    prompt = spoken_text(caller.gather)
    # (Key 9's offers name a language: saying its name switches to it at once, see test_languages.)
    said_for_key = {phrase.strip(): key for phrase, key in PRESS[code].findall(prompt) if key != "9"}
    if menu == "poll":  # which says "Answer 1: …": the answer's words choose it
        # (the test polls' answers are German only: an English caller hears "Antwort 1: …", in German)
        said_for_key |= {label: key for each in {code, "de"} for key, label in ANSWER[each].findall(prompt)}
    for key, message in BRIEF_MENUS.get(menu, {}).items():
        said_for_key |= dict.fromkeys(words(code, message), key)
    if menu == "calls-weekday":
        said_for_key |= DAYS[code]
    if menu != "choose-poll":  # which says "Question 1: …" instead
        assert said_for_key, f"no '…, press N' sentence found in {prompt!r}"
    said_for_key |= dict.fromkeys(words(code, prompts.SAY_REPEAT), "*")
    said_for_key |= dict.fromkeys(words(code, prompts.SAY_BACK) + words(code, prompts.SAY_NO), "#")
    said_for_key |= dict.fromkeys(words(code, prompts.SAY_PERSON), "0")
    if menu in YES_MENUS:
        said_for_key |= dict.fromkeys(words(code, prompts.SAY_YES), "1")
    if menu == "confirm-vote":  # "again" here means "choose again", the menu's own 2
        said_for_key |= dict.fromkeys(words(code, prompts.SAY_AGAIN), "2")
    pressed = {key: answer(signer, action, {"Digits": key}) for key in set(said_for_key.values())}
    for phrase, key in said_for_key.items():
        assert answer(signer, action, {"SpeechResult": phrase}) == pressed[key], (menu, phrase, key)


@pytest.mark.usefixtures("two_polls")
@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("menu", MENUS)
def test_help_and_slower_are_understood_in_every_menu(signer, code, menu) -> None:
    caller = at_menu(signer, code, menu)
    action = urljoin(caller.url, caller.gather.get("action"))
    purpose = translate(code, guide.purpose(menu))
    for phrase in words(code, prompts.SAY_HELP):
        helped = fresh_caller(signer)._post(action, {"SpeechResult": phrase})
        assert helped.heard.startswith(f"{purpose} {translate(code, prompts.HELP_PERSON)}"), (menu, phrase)
    for phrase in words(code, prompts.SAY_SLOWER):
        slower = fresh_caller(signer)._post(action, {"SpeechResult": phrase})
        assert slower.heard.startswith(translate(code, prompts.SLOWER_NOW)) and slower.rates == {SLOW_RATE}, phrase


def test_the_words_callers_actually_used_are_understood_and_unrelated_words_are_not(caller) -> None:
    for said in ("mit einem Menschen sprechen", "Ich möchte mit jemandem sprechen", "Wenn Sie mit einem Menschen"):
        assert caller.call().say(said).dialled == "+496313650", said
    assert caller.call().say("noch mal").heard == caller.call().press("*").heard
    assert caller.call().press("4").say("nein").heard.startswith("Für Aktuelles aus der Stadt")
    for said in ("äh, hm, Kartoffelsalat", "Ich möchte einen Kuchen backen", "Sie"):
        assert caller.call().say(said).heard.startswith("Das habe ich leider nicht verstanden."), said
    assert press(caller.call(), TO_ENGLISH).say("representative").dialled == "+496313650"


# 3. Help says what the menu does and how to reach a person, then the menu ---------------------


def test_hilfe_in_the_news_says_what_the_list_is_for_and_then_the_keys(caller) -> None:
    caller.call().press("1").say("Hilfe")
    assert caller.heard.startswith(
        "Hier hören Sie die Meldungen der Stadt nacheinander, die neueste zuerst."
        " Wenn Sie mit einem Menschen sprechen möchten, drücken Sie die 0 oder sagen Sie „Mensch“."
    )
    assert "Für die nächste Meldung drücken Sie die 1." in caller.heard


def test_a_menu_without_its_own_help_gets_the_general_one() -> None:
    assert guide.purpose("a-menu-added-later") == guide.GENERAL


# 1. Silence: the call back before any goodbye ---------------------------------------------------


@pytest.mark.parametrize("menu", ["main", "news", "projects", "take-part", "subscribe"])
def test_two_silences_after_hours_offer_the_call_back_in_every_menu(signer, clock, menu) -> None:
    clock.set(2026, 11, 24, 20, 0)
    caller = at_menu(signer, "de", menu).silence().silence()
    assert not caller.hung_up
    assert caller.heard.startswith("Ich habe leider wieder nichts gehört. Gerade ist niemand im Büro, aber wir")
    assert "Sie erreichen uns Montag bis Mittwoch von 8 bis 16 Uhr" in caller.heard
    caller.press("1")
    assert caller.heard.startswith("Vielen Dank. Wir rufen Sie am Mittwoch, 25. November, zurück.")


# 4. Repeated errors lead to a person ----------------------------------------------------------


def test_the_third_error_in_a_row_puts_the_caller_through_in_office_hours(caller) -> None:
    caller.call().press("7").press("8").press("#")  # understood: the count starts again
    caller.press("7").say("Kartoffelsalat")
    assert caller.heard.startswith("Das habe ich leider nicht verstanden. Für Aktuelles")
    caller.press("8")
    assert caller.heard.startswith("Das hat leider nicht geklappt. Ein Mensch kann Ihnen weiterhelfen. Einen Moment")
    assert caller.dialled == "+496313650"


def test_the_third_error_in_a_row_offers_the_call_back_after_hours(caller, clock) -> None:
    clock.set(2026, 11, 24, 20, 0)
    caller.call().press("2").press("7").press("8").press("6")
    assert caller.heard.startswith(
        "Das hat leider nicht geklappt. Ein Mensch kann Ihnen weiterhelfen. Gerade ist niemand im Büro, aber wir"
    )
    assert urlsplit(caller.gather.get("action")).path == "/voice/callback"


# 5. Slower speech lasts -------------------------------------------------------------------------


def test_langsamer_makes_the_rest_of_the_call_slower(caller) -> None:
    caller.call()
    keys = list(caller.gather.iter("Say"))[-1]  # the main menu (Leichte Sprache's offer before it is always slow)
    assert {prosody.get("rate") for prosody in keys.iter("prosody")} == {NORMAL_RATE}
    caller.say("langsamer")
    assert caller.heard.startswith("Gern. Ich spreche jetzt langsamer.") and caller.rates == {SLOW_RATE}
    assert "Für Aktuelles aus der Stadt drücken Sie die 1." in caller.heard
    caller.press("1")
    assert "Für die nächste Meldung" in caller.heard and caller.rates == {SLOW_RATE}
    caller.press("1").press("#").press("3")
    assert "Für eine Nachricht an die Stadt" in caller.heard and caller.rates == {SLOW_RATE}


def test_slower_is_understood_in_english(caller) -> None:
    press(caller.call(), TO_ENGLISH).say("slower please")
    assert caller.heard.startswith("Gladly. I will speak more slowly now.") and caller.rates == {SLOW_RATE}


# 6. `*` repeats what was said last ----------------------------------------------------------------


def test_star_after_the_office_hours_repeats_them(caller, clock) -> None:
    clock.set(2026, 11, 27, 13, 0)  # Friday afternoon
    caller.call().press("0")
    hours = "Sie erreichen uns Montag bis Mittwoch von 8 bis 16 Uhr, Donnerstag von 8 bis 18 Uhr und Freitag"
    assert hours in caller.heard
    said = caller.heard
    caller.press("*")
    assert caller.heard == said


def test_star_after_a_confirmation_repeats_the_confirmation_then_the_menu(caller) -> None:
    caller.call().press("3").press("2").press("1")  # no poll open: 1 a message, 2 a call back
    thanks = "Vielen Dank. Wir rufen Sie am Mittwoch, 25. November, zurück."
    assert caller.heard.startswith(thanks)
    caller.press("*")
    assert caller.heard.startswith(f"{thanks} Für Aktuelles aus der Stadt drücken Sie die 1.")
    caller.press("*")
    assert caller.heard.startswith(thanks) and caller.rates == {SLOW_RATE}


def test_star_after_a_message_repeats_its_reference(caller) -> None:
    caller.call().press("3").press("1").record(seconds=12)  # no poll open: 1 a message
    assert "Vorgang" in caller.heard or "Nummer" in caller.heard
    reference = caller.heard.split(".")[1]
    caller.press("*")
    assert reference in caller.heard
    assert len(caller.gather.get("action")) < 2000


# 7. `0` is named in every menu ------------------------------------------------------------------


@pytest.mark.usefixtures("two_polls")
@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("menu", [menu for menu in MENUS if menu != "main"])  # the main menu always did
def test_every_menu_names_the_key_for_a_person(signer, code, menu) -> None:
    caller = at_menu(signer, code, menu)
    named = {"de": ("Für einen Menschen: die 0.", "Menschen sprechen möchten, drücken Sie die 0."), "en": ("0.",)}
    assert any(sentence in caller.heard for sentence in named[code]), caller.heard


# 8. When staff do not answer ---------------------------------------------------------------------


def test_when_staff_do_not_answer_the_call_back_is_offered(caller) -> None:
    caller.call().press("0").dial_ends("no-answer")
    assert caller.heard.startswith(
        "Leider ist gerade niemand frei. Wir können Sie am Mittwoch, 25. November, während der Sprechzeiten"
    )
    caller.press("1")
    assert caller.heard.startswith("Vielen Dank. Wir rufen Sie am Mittwoch, 25. November, zurück.")


def test_zero_after_hours_is_shorter_and_the_offer_comes_first(caller, clock) -> None:
    clock.set(2026, 11, 27, 13, 0)
    caller.call().press("0")
    assert caller.heard.startswith(
        "Gerade ist niemand im Büro, aber wir können Sie am Montag, 30. November, unter dieser Nummer zurückrufen."
    )
    assert len(caller.heard) < 320


# 9. English office hours ---------------------------------------------------------------------------


def test_english_office_hours_say_noon(caller, clock) -> None:
    clock.set(2026, 11, 27, 13, 0)
    press(caller.call(), [*TO_ENGLISH, "0"])
    assert "You can reach us Monday to Wednesday from 8 AM to 4 PM, Thursday from 8 AM to 6 PM" in caller.heard
    assert "and Friday from 8 AM to noon." in caller.heard

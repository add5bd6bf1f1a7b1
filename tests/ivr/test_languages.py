"""Eight languages on the phone: each offered in its own voice, the caller's likely one first and one
key away, the choice remembered, Leichte Sprache slow. The town here has all eight enabled in the
demo's order, whichever catalogs the translators have filled (the tests look at voices and keys)."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from content import demo, privacy, queries
from content.i18n import translate
from content.models import Base, CallerVisit, Subscriber
from content.snapshot import current
from ivr import prompts
from ivr.speaking import NORMAL_RATE, SLOW_RATE
from tests.conftest import written_visits
from tests.twilio_fake import Caller, Texter

VOICES = {language.code: language.voice for language in demo.LANGUAGES}
SPEECH = {language.code: language.speech for language in demo.LANGUAGES}
GERMAN_MOBILE = "+4915112345678"


@pytest.fixture(autouse=True)
def eight_languages(session) -> None:
    profile = current().profile
    queries.save_town_profile(session, dataclasses.replace(profile, languages=demo.LANGUAGES))
    session.commit()


def voices(caller: Caller) -> list[str]:
    """The voice of each <Say> the caller heard last, in order."""
    return [say.get("voice", "") for say in caller.element.iter("Say")]


def language_of(caller: Caller) -> str:
    """The catalog code whose speech locale the caller's Gather listens in."""
    assert caller.gather is not None, caller.heard
    return caller.gather.get("language", "")


@pytest.mark.parametrize(
    ("number", "likely"),
    [
        ("+905321234567", "tr"),
        ("+48501234567", "pl"),
        ("+380501234567", "uk"),
        ("+79161234567", "ru"),
        ("+963944123456", "ar"),
        ("+9647901234567", "ar"),
        ("+966501234567", "ar"),
        ("+201001234567", "ar"),
    ],
)
def test_a_first_call_offers_the_language_the_number_suggests_right_after_the_greeting(signer, number, likely) -> None:
    caller = Caller(signer, number).call()
    others = [code for code in VOICES if code not in ("de", likely)]
    # The greeting in German, then the likely language in its voice, then the others in the town's order.
    assert voices(caller)[:3] == [VOICES["de"], VOICES[likely], VOICES[others[0]]]
    assert language_of(caller) == "de-DE"  # the call itself starts in the default language
    caller.press("9")  # goes straight to it
    assert language_of(caller) == SPEECH[likely] and set(voices(caller)) == {VOICES[likely]}


def test_a_german_number_hears_every_language_in_the_town_order_and_key_9_opens_the_language_menu(signer) -> None:
    caller = Caller(signer, GERMAN_MOBILE).call()
    offers = voices(caller)[1:8]
    assert offers == [VOICES[code] for code in ["de@easy", "en", "tr", "ru", "uk", "ar", "pl"]]
    caller.press("9")
    assert language_of(caller) == "de-DE" and caller.url.endswith("/voice/main")
    # Keys 2 to 8 in the town's order, each said in its own voice; German (key 1) is where the caller is.
    assert voices(caller)[:7] == [VOICES[code] for code in ["de@easy", "en", "tr", "ru", "uk", "ar", "pl"]]
    caller.press("4")
    assert language_of(caller) == "tr-TR" and set(voices(caller)) == {VOICES["tr"]}


def test_the_language_menu_says_the_likely_language_first_and_keeps_every_key(signer) -> None:
    caller = Caller(signer, "+905321234567").call().press("9").press("9")  # Turkish, then the language menu
    assert voices(caller)[:2] == [VOICES["de"], VOICES["de@easy"]]  # Turkish is where the caller is now
    caller.press("8")
    assert language_of(caller) == "pl-PL"
    caller.press("9")  # a language chosen in the call: 9 opens the menu again, with the same keys
    assert voices(caller)[0] == VOICES["tr"]  # the likely one first still
    caller.press("4")
    assert language_of(caller) == "tr-TR"


def test_a_returning_caller_starts_in_the_language_chosen_and_hears_the_way_back_to_german(app, signer) -> None:
    Caller(signer, "+905321234567").call().press("9")
    written_visits(app)
    caller = Caller(signer, "+905321234567").call()
    assert language_of(caller) == "tr-TR"
    assert voices(caller) == [VOICES["tr"], VOICES["de"], VOICES["tr"]]  # welcome and keys, German's offer, …
    caller.press("9")  # … and key 9 goes back to German at once
    assert language_of(caller) == "de-DE"
    written_visits(app)
    assert language_of(Caller(signer, "+905321234567").call()) == "de-DE"  # that choice is kept too


def test_a_caller_who_stayed_in_german_hears_no_offers_the_second_time(app, signer) -> None:
    Caller(signer, GERMAN_MOBILE).call()
    written_visits(app)
    caller = Caller(signer, GERMAN_MOBILE).call()
    assert set(voices(caller)) == {VOICES["de"]}
    caller.press("9")
    assert caller.url.endswith("/voice/main") and len(set(voices(caller))) == 7  # the language menu


def test_an_sms_subscriber_who_never_chose_on_the_phone_starts_in_the_language_of_their_sms(signer, session) -> None:
    session.add(Subscriber(number="+48501234567", language="uk"))
    session.commit()
    caller = Caller(signer, "+48501234567").call()
    assert language_of(caller) == "uk-UA" and voices(caller)[0] == VOICES["uk"]
    assert VOICES["de"] in voices(caller)  # the way back to German, in German


def test_a_choice_on_the_phone_counts_more_than_the_sms_language(app, signer, session) -> None:
    session.add(Subscriber(number="+48501234567", language="uk"))
    session.commit()
    Caller(signer, "+48501234567").call().press("9").press("9").press("8")  # Ukrainian, German, menu, Polish
    written_visits(app)
    assert language_of(Caller(signer, "+48501234567").call()) == "pl-PL"


def test_erasing_a_number_forgets_its_language(app, signer, session) -> None:
    Caller(signer, "+905321234567").call().press("9")
    privacy.erase(session, "+905321234567", asked_on="staff")
    session.commit()
    written_visits(app)
    caller = Caller(signer, "+905321234567").call()
    assert language_of(caller) == "de-DE" and voices(caller)[1] == VOICES["tr"]  # a first call again


def test_erasing_by_sms_forgets_the_language_chosen_on_the_phone_though_nothing_else_is_kept(
    app, signer, session
) -> None:
    Caller(signer, "+905321234567").call().press("9")  # Turkish, remembered with the visit
    written_visits(app)
    assert privacy.as_record(privacy.kept_about(session, "+905321234567"))["phone_language"] == "tr"
    texter = Texter(signer, "+905321234567")
    texter.send("LÖSCHEN")
    texter.send("LÖSCHEN JA")
    caller = Caller(signer, "+905321234567").call()
    assert language_of(caller) == "de-DE" and voices(caller)[1] == VOICES["tr"]  # a first call again


def test_erasing_by_phone_names_the_language_and_forgets_it(app, signer) -> None:
    caller = Caller(signer, "+905321234567").call().press("9").press("4").press("3")  # Turkish, your data, erase
    assert translate("tr", prompts.KEEP_VISIT_LANGUAGE) in caller.heard
    caller.press("1")
    written_visits(app)
    caller = Caller(signer, "+905321234567").call()
    assert language_of(caller) == "de-DE" and voices(caller)[1] == VOICES["tr"]


def test_a_language_chosen_is_kept_under_a_code_never_with_the_number(app, signer, session) -> None:
    Caller(signer, "+905321234567").call().press("9")
    written_visits(app)
    assert session.scalar(select(CallerVisit.language)) == "tr"
    rows = [row for table in Base.metadata.sorted_tables for row in session.execute(select(table))]
    assert [row for row in rows if any("5321234567" in str(value) for value in row)] == []


def test_a_returning_caller_whose_language_the_town_no_longer_offers_is_greeted_in_the_first_one(
    app, signer, session
) -> None:
    Caller(signer, "+905321234567").call().press("9")
    written_visits(app)
    without_turkish = tuple(language for language in demo.LANGUAGES if language.code != "tr")
    queries.save_town_profile(session, dataclasses.replace(current().profile, languages=without_turkish))
    session.commit()
    caller = Caller(signer, "+905321234567").call()
    assert caller.heard.startswith(translate("de", prompts.WELCOME_BACK)) and set(voices(caller)) == {VOICES["de"]}
    caller.press("9")
    assert urlsplit(caller.gather.get("action")).path == "/voice/language"


def test_leichte_sprache_is_always_spoken_slowly_and_its_offer_too(signer) -> None:
    caller = Caller(signer, GERMAN_MOBILE).call()
    easy = [say for say in caller.element.iter("Say")][1]
    assert {prosody.get("rate") for prosody in easy.iter("prosody")} == {SLOW_RATE}
    assert {prosody.get("rate") for prosody in caller.element.find("Gather/Say").iter("prosody")} == {NORMAL_RATE}
    caller.press("9").press("2")
    assert caller.rates == {SLOW_RATE}
    caller.press("1")  # the news, German texts included
    assert caller.rates == {SLOW_RATE}


def test_ukrainian_is_spoken_by_a_google_voice_and_understood_in_ukrainian(signer) -> None:
    caller = Caller(signer, "+380501234567").call()
    ukrainian = [say for say in caller.element.iter("Say") if say.get("language") == "uk-UA"]
    assert [say.get("voice") for say in ukrainian] == ["Google.uk-UA-Standard-A"]
    caller.press("9")
    assert caller.gather.get("language") == "uk-UA" and set(voices(caller)) == {"Google.uk-UA-Standard-A"}


def test_what_we_keep_names_the_language_once_one_was_chosen(signer) -> None:
    kept = translate("de", prompts.KEEP_VISIT_LANGUAGE)
    caller = Caller(signer, GERMAN_MOBILE).call().press("4").press("2")  # SMS and data, then what we keep
    assert translate("de", prompts.KEEP_VISIT) in caller.heard and kept not in caller.heard
    caller = Caller(signer, GERMAN_MOBILE).call().press("9").press("1")  # German, chosen in the language menu
    caller.press("4").press("2")
    assert kept in caller.heard


# Its own name, its name in German, in English or Russian (the town's other languages, other
# scripts), and with the word "language", which is more than "language" alone.
NAMES_OF_TURKISH = ["Türkçe", "Türkisch", "Turkish", "турецкий", "Türkische Sprache"]


@pytest.mark.parametrize("said", NAMES_OF_TURKISH)
def test_saying_a_language_at_the_main_menu_switches_to_it_at_once(signer, said) -> None:
    caller = Caller(signer, GERMAN_MOBILE).call().say(said)
    assert language_of(caller) == "tr-TR" and set(voices(caller)) == {VOICES["tr"]}


@pytest.mark.parametrize("said", ["Polish", "Polnisch", "польский", "البولندية"])
def test_the_language_menu_understands_a_language_named_in_any_of_the_towns_languages(signer, said) -> None:
    caller = Caller(signer, "+905321234567").call().press("9").press("9")  # in Turkish, the language menu
    caller.say(said)
    assert language_of(caller) == "pl-PL"


def test_saying_language_at_the_main_menu_opens_the_language_menu(signer) -> None:
    caller = Caller(signer, GERMAN_MOBILE).call().say("andere Sprache")
    assert urlsplit(caller.gather.get("action")).path == "/voice/language"

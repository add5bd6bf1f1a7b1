"""Texting as people really type, in every script: a Persian keyboard for Arabic words, joined
Arabic letter forms, look-alike letters of another script, digits of any script, marks and emoji
around the word. Above all, STOP is never missed, and erasing still takes the exact word."""

from __future__ import annotations

import pytest

from content import polls, subscriptions
from content.i18n import catalog_codes, translate
from content.models import SUBSCRIBED, UNSUBSCRIBED
from content.sms_text import smart_encode
from sms import prompts
from sms.keywords import EXACT_ONLY, fold, keyword_names, looks_like, names_in, read
from tests.factories import create_poll, create_subscriber
from tests.twilio_fake import CALLER_NUMBER, Texter


def status(session, number: str = CALLER_NUMBER) -> str | None:
    subscriber = subscriptions.find(session, number)
    return subscriber.status if subscriber else None


def test_arabic_typed_on_a_persian_keyboard_is_read_as_arabic() -> None:
    # A Persian keyboard types ی and ک where Arabic has ي and ك; joined letter forms are letters too.
    assert fold("ایقاف") == fold("إيقاف")
    assert fold("اشتراک") == fold("اشتراك")
    assert fold("ﻣﺴﺎﻋﺪﺓ") == fold("مساعدة")


def test_stop_typed_on_a_persian_keyboard_stops(texter, session, clock) -> None:
    create_subscriber(session, clock(), language="ar")
    texter.send("ایقاف")  # إيقاف, with the Persian ya
    assert status(session) == UNSUBSCRIBED


def test_subscribing_typed_on_a_persian_keyboard_subscribes(texter, session) -> None:
    texter.send("اشتراک")  # اشتراك, with the Persian kaf
    assert status(session) == SUBSCRIBED


@pytest.mark.parametrize("body", ["🛑 STOP", "- STOP", "» STOP", "\u061c STOP", "!! СТОП"])
def test_stop_after_an_emoji_or_a_dash_stops(texter, session, clock, body: str) -> None:
    create_subscriber(session, clock())
    texter.send(body)
    assert status(session) == UNSUBSCRIBED


@pytest.mark.parametrize("body", ["СТОР", "стор", "SТОP", "ЅТОР", "SΤΟP", "СТОРР"])
def test_stop_typed_in_cyrillic_or_greek_letters_that_look_like_it_stops(texter, session, clock, body: str) -> None:
    """СТОР is STOP as a Cyrillic keyboard types it (С for S, Р that looks like P): it must stop."""
    create_subscriber(session, clock())
    texter.send(body)
    assert status(session) == UNSUBSCRIBED


@pytest.mark.parametrize("body", ["СТОРА", "СТОРЫ", "STOPS", "ЅТОРЬ"])
def test_a_look_alike_near_miss_of_stop_is_no_stop(texter, session, clock, body: str) -> None:
    create_subscriber(session, clock())
    texter.send(body)
    assert status(session) == SUBSCRIBED


@pytest.mark.parametrize(("body", "code"), [("ПOMOЩЬ", "ru"), ("ДOПOMOГA", "uk"), ("НЕLP", "en")])
def test_a_keyword_with_look_alike_letters_of_another_script_is_that_keyword(signer, body: str, code: str) -> None:
    """A Latin O and M inside ПОМОЩЬ (a phone that switches keyboards mid-word) still asks for help."""
    reply = Texter(signer, "+4917612345000").send(body)
    assert reply == smart_encode(translate(code, prompts.HELP, town="Kaiserslautern"))


def test_no_two_keywords_have_names_that_look_alike() -> None:
    """Reading look-alike letters must never turn one keyword into another, in any catalog."""
    named = [
        (keyword, tuple(fold(word) for word in name.split()))
        for code in catalog_codes()
        for keyword, spelled in names_in(code).items()
        for name in spelled
    ]
    clashes = {
        (one, other)
        for one, words in named
        for other, others in named
        if one != other and len(words) == len(others) and all(map(looks_like, words, others))
    }
    assert not clashes


@pytest.mark.parametrize("body", ["STOP 🙏", "STOP !!", "STOP STOP", "stop stop stop", "СТОП СТОП", "STOPP ✋ STOP"])
def test_stop_with_an_emoji_or_said_again_stops(texter, session, clock, body: str) -> None:
    create_subscriber(session, clock())
    assert texter.send(body) == smart_encode(translate("de", prompts.STOPPED))
    assert status(session) == UNSUBSCRIBED


@pytest.mark.parametrize("body", ["STOP bitte nicht", "STOP 🙏 nicht", "СТОП нет"])
def test_stop_with_other_words_asks_for_the_word_alone(texter, session, clock, body: str) -> None:
    create_subscriber(session, clock())
    assert texter.send(body) == smart_encode(translate("de", prompts.STOP_ALONE))
    assert status(session) == SUBSCRIBED


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("مشروع ٣", "مشروع 3"),
        ("مشروع ۳", "مشروع 3"),
        ("PROJEKT ３", "PROJEKT 3"),
        ("PROJEKT 3️⃣", "PROJEKT 3"),
        ("أخبار ۲", "أخبار 2"),
        ("НОВОСТИ ２", "НОВОСТИ 2"),
    ],
)
def test_a_number_in_arabic_persian_or_full_width_digits_after_the_keyword_counts(
    signer, typed: str, plain: str
) -> None:
    """مشروع ٣ is project 3, written as an Arabic phone writes it, not the list of projects."""
    assert Texter(signer, "+4917712345000").send(typed) == Texter(signer, "+4917712345001").send(plain)


def test_a_vote_in_eastern_arabic_digits_is_counted(texter, session, clock) -> None:
    poll = create_poll(session, clock())
    texter.send("تصويت ٢")
    assert polls.results(session, [poll])[poll.id] == {1: {}, 2: {"sms": 1}, 3: {}}


def test_polish_typed_without_its_letters_is_polish_also_where_no_keyword_name_spells_it_so(texter, session) -> None:
    """UDZIAL is the topic Udział (a Polish phone without ł); the catalogs cannot list every such word."""
    assert fold("GŁOSUJ") == fold("glosuj") and fold("Udział") == fold("UDZIAL")
    texter.send("JĘZYK POLSKI")
    texter.send("START UDZIAL")
    subscriber = subscriptions.find(session, CALLER_NUMBER)
    assert (subscriber.status, tuple(subscriber.topics)) == (SUBSCRIBED, ("participation",))


@pytest.mark.parametrize(
    ("body", "prefer"),
    [
        ("УДАЛИТ", "ru"),
        ("УДАЛИТЬЬ", "ru"),
        ("ВИДАЛИТ", "uk"),
        ("حذفف", "ar"),
        ("حدف", "ar"),
        ("SILL", "tr"),
        ("SİLİN", "tr"),
        ("USUNN", "pl"),
        ("СТОПП", "ru"),
        ("OTPISKAA", "ru"),
        ("İPTALL", "tr"),
        ("توقفف", "ar"),
        ("ايقافف", "ar"),
        ("WYPISZZ", "pl"),
        ("ПОДПИСКИ", "ru"),
        ("ПІДПИСКИ", "uk"),
        ("اشتراكك", "ar"),
        ("ABONEE", "tr"),
    ],
)
def test_near_misses_of_erase_stop_and_subscribe_in_every_language_do_nothing_and_are_never_suggested(
    body, prefer
) -> None:
    names = keyword_names(tuple(catalog_codes()))
    exact = {
        name for table in names.values() for key, spelled in table.items() if key in EXACT_ONLY for name in spelled
    }
    command = read(body, names, prefer=prefer)
    assert command.keyword is None and command.closest not in exact, command

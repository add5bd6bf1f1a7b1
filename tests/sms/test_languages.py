"""Texting in every language of the town: keywords in each language's own script and in the Latin
spelling typed on old phones, replies in that language within two SMS."""

from __future__ import annotations

import re

import pytest

from content import sms_text
from content.demo import KAISERSLAUTERN
from content.i18n import other_names, own_name, translate
from sms import prompts
from sms.keywords import Command, fold, guess_language, names_in, read
from sms.replies import Conversation, language_named
from sms.replies import Texter as ReplyTexter
from tests.twilio_fake import Texter

LANGUAGES = [language.code for language in KAISERSLAUTERN.languages]
NEW_LANGUAGES = ["tr", "ru", "uk", "ar", "pl", "de@easy"]
# Languages with keyword names of their own (Leichte Sprache shares German's: HILFE is HILFE).
OWN_KEYWORDS = ["tr", "ru", "uk", "ar", "pl"]
ASKING = ["help", "news", "projects", "privacy", "vote", "language"]


def test_the_demo_speaks_every_language_of_kaiserslautern() -> None:
    assert LANGUAGES == ["de", "de@easy", "en", "tr", "ru", "uk", "ar", "pl"]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ПОМОЩЬ", "помощь"),
        ("Помощь!", "помощь"),
        ("YARDIM", "yardim"),
        ("yardım", "yardim"),
        ("İPTAL", "iptal"),
        ("مُسَاعَدَة", "مساعده"),  # vowel marks, and the final ta marbuta typed either way
        ("أخبار", "اخبار"),  # hamza on the alif or not
        ("مشروع٣", "مشروع3"),  # an Eastern Arabic digit
        ("WIADOMOŚCI", "wiadomosci"),
        ("LÖSCHEN", "loeschen"),
        ("ДОПОМОГА", "допомога"),
    ],
)
def test_folding_keeps_every_script_and_reads_variants_alike(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_a_number_glued_to_a_cyrillic_keyword_is_its_argument() -> None:
    names = {"ru": {"projects": ["ПРОЕКТЫ", "ПРОЕКТ", "PROEKT"]}}
    assert read("проект3", names) == Command("projects", "ru", "3")
    assert read("PROEKT 3", names) == Command("projects", "ru", "3")


def test_a_name_several_languages_share_is_read_in_the_texters_language() -> None:
    names = {"de": {"help": ["HILFE", "INFO"]}, "ru": {"help": ["ПОМОЩЬ", "INFO"]}}
    assert read("INFO", names, prefer="ru").language == "ru"
    assert read("INFO", names, prefer="de").language == "de"


def test_the_letters_of_a_message_tell_its_language_where_they_can() -> None:
    alphabets = {
        "de": set("abcdefghijklmnopqrstuvwxyzäöüß"),
        "ru": set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
        "uk": set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
        "tr": set("abcçdefgğhıijklmnoöprsştuüvyz"),
    }
    assert guess_language("привет, как дела", alphabets, "de") == "ru"
    assert guess_language("привіт", alphabets, "de") == "uk"
    assert guess_language("teşekkürler", alphabets, "de") == "tr"
    assert guess_language("Hallo", alphabets, "de") == "de"  # Latin letters fit several: the usual one stays
    assert guess_language("👍 123", alphabets, "de") == "de"


def own_and_latin(code: str, keyword: str) -> list[str]:
    """The name shown to people, and the first Latin spelling that only this language uses."""
    names = names_in(code)[keyword]
    others = {fold(name) for other in LANGUAGES if other != code for name in names_in(other)[keyword]}
    latin = [name for name in names if name.isascii() and fold(name) not in others]
    return [names[0], *latin[:1]] if not names[0].isascii() else [names[0]]


@pytest.mark.parametrize("code", ["tr", "ru", "uk", "ar", "pl"])
def test_each_language_has_latin_spellings_for_its_keywords(code: str) -> None:
    for keyword in [*ASKING, "stop", "subscribe", "delete", "idea", "question", "callback"]:
        assert any(name.isascii() for name in names_in(code)[keyword]), keyword


@pytest.mark.parametrize("code", OWN_KEYWORDS)
def test_help_in_own_script_and_in_latin_is_answered_in_that_language(signer, code: str) -> None:
    expected = translate(code, prompts.HELP, town="Kaiserslautern")
    for number, spelled in enumerate(own_and_latin(code, "help")):
        reply = Texter(signer, f"+4917012345{number:03d}").send(spelled)
        assert reply == sms_text.smart_encode(expected), spelled
        assert sms_text.count(reply).segments <= 2


@pytest.mark.parametrize("code", NEW_LANGUAGES)
def test_every_asking_keyword_is_answered_in_that_language_within_two_sms(signer, code: str) -> None:
    news_heading = translate(code, prompts.NEWS_LIST, town="Kaiserslautern")
    texter = Texter(signer, "+4917112345000")  # each message its own MessageSid
    if code not in OWN_KEYWORDS:  # German keywords: the texter chooses the language first
        texter.send(f"{names_in(code)['language'][0]} {own_name(code)}")
    for keyword in ASKING:
        for spelled in own_and_latin(code, keyword):
            reply = texter.send(spelled)
            assert reply, spelled
            assert sms_text.count(reply).segments <= 2, (spelled, reply)
            if keyword == "news":
                assert reply.startswith(sms_text.smart_encode(news_heading)), (spelled, reply)
    one_project = texter.send(f"{names_in(code)['projects'][-1]} 3")
    assert sms_text.count(one_project).segments <= 2, one_project


def test_a_texter_who_chose_leichte_sprache_gets_help_in_it(signer) -> None:
    texter = Texter(signer, "+4917212345000")
    texter.send("SPRACHE LEICHTE SPRACHE")
    assert texter.send("HILFE") == sms_text.smart_encode(translate("de@easy", prompts.HELP, town="Kaiserslautern"))
    assert Texter(signer, "+4917212345001").send("HILFE") == sms_text.smart_encode(
        translate("de", prompts.HELP, town="Kaiserslautern")
    )


@pytest.mark.parametrize(
    ("code", "body"),
    [
        ("ru", "Здравствуйте, вы можете мне помочь?"),
        ("uk", "Привіт, мені потрібна допомога"),
        ("ar", "مرحبا، عندي مشكلة"),
        ("tr", "Merhaba, bir şey soracağım"),
        ("pl", "Dzień dobry, mam problem"),
    ],
)
def test_a_message_in_a_languages_letters_gets_its_answer_in_that_language(signer, code: str, body: str) -> None:
    """No keyword, but written in Cyrillic, Arabic or with Turkish or Polish letters: the answer
    comes in the language the letters belong to, and names its HELP keyword."""
    reply = Texter(signer, "+4917312345000").send(body)
    assert names_in(code)["help"][0] in reply, reply


def test_latin_letters_alone_are_answered_in_the_towns_language(signer) -> None:
    reply = Texter(signer, "+4917312345001").send("Hallo, wie geht es")
    assert names_in("de")["help"][0] in reply


@pytest.mark.parametrize("code", NEW_LANGUAGES)
def test_language_by_its_own_name_sets_the_reply_language(signer, session, code: str) -> None:
    from content import subscriptions

    texter = Texter(signer, "+4917412345000")
    reply = texter.send(f"{names_in('de')['language'][0]} {own_name(code)}")
    assert reply == sms_text.smart_encode(translate(code, prompts.LANGUAGE_SET, language=own_name(code)))
    assert subscriptions.find(session, "+4917412345000").language == code


def test_a_poll_not_written_in_the_texters_language_says_so_before_the_german_question(signer, session, clock) -> None:
    from tests.factories import create_poll

    create_poll(session, clock())  # German and English only
    reply = Texter(signer, "+4917512345000").send(names_in("ru")["vote"][0])
    only_in = translate("ru", "Only in %(language)s:", language=_german_in("ru"))
    assert f"{only_in} Wo soll die nächste Ladesäule stehen?" in reply, reply
    english = Texter(signer, "+4917512345001").send("VOTE")
    assert "Poll until Dec 8, 2026: Where should the next charging point be?" in english  # no note: it is English


def _german_in(code: str) -> str:
    from content.i18n import language_name

    return language_name("de", code)


def test_a_keyword_several_languages_share_is_answered_in_the_language_the_number_suggests(signer, session) -> None:
    """START is Polish as well as German and English: from a Polish number it subscribes in Polish.
    ГОЛОС is Russian and Ukrainian: from a Ukrainian number the answer is Ukrainian."""
    from content import subscriptions

    polish = Texter(signer, "+48601234569")
    assert polish.send("START") == sms_text.smart_encode(translate("pl", prompts.SUBSCRIBED, town="Kaiserslautern"))
    assert subscriptions.find(session, "+48601234569").language == "pl"
    shared = next(
        name
        for name in names_in("uk")["vote"]
        if fold(name) in {fold(other) for other in names_in("ru")["vote"]} and not name.isascii()
    )
    reply = Texter(signer, "+380671234567").send(shared)  # the tests' town has no open poll
    assert reply == sms_text.smart_encode(translate("uk", prompts.NO_POLL)) != translate("ru", prompts.NO_POLL)
    german = Texter(signer, "+4915112340000")
    assert german.send("START") == sms_text.smart_encode(translate("de", prompts.SUBSCRIBED, town="Kaiserslautern"))


@pytest.mark.parametrize(
    ("first", "then", "code"),
    [
        ("SPRACHE DE", "LANGUAGE TURKISH", "tr"),
        ("ЯЗЫК РУССКИЙ", "LANGUAGE GERMAN", "de"),
        ("LANGUAGE EN", "ЯЗЫК АРАБСКИЙ", "ar"),
        ("DİL TÜRKÇE", "JĘZYK POLSKI", "pl"),
        ("لغة العربية", "SPRACHE UKRAINISCH", "uk"),
    ],
)
def test_a_language_is_found_by_its_name_in_any_of_the_towns_languages(signer, session, first, then, code) -> None:
    """A texter whose language is German may write LANGUAGE TURKISH: the keyword's language, or the
    one they think in, names it as well as their reply language does."""
    from content import subscriptions

    texter = Texter(signer, "+4917912345000")
    texter.send(first)
    assert texter.send(then) == sms_text.smart_encode(translate(code, prompts.LANGUAGE_SET, language=own_name(code)))
    assert subscriptions.find(session, "+4917912345000").language == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("YAZYK RUSSKIY", "ru"),
        ("ЯЗЫК по-русски", "ru"),
        ("MOVA UKRAINSKA", "uk"),
        ("LUGHA ARABI", "ar"),
        ("لغة عربي", "ar"),
        ("JEZYK PO POLSKU", "pl"),
        ("SPRACHE EINFACHE SPRACHE", "de@easy"),
    ],
)
def test_a_language_is_found_by_the_other_ways_its_catalog_writes_its_name(signer, typed: str, code: str) -> None:
    reply = Texter(signer, "+4917912345001").send(typed)
    assert reply == sms_text.smart_encode(translate(code, prompts.LANGUAGE_SET, language=own_name(code)))


def test_every_name_of_every_language_chooses_that_language_and_no_other() -> None:
    profile = KAISERSLAUTERN
    codes = [language.code for language in profile.languages]
    for reader in codes:
        talk = Conversation(profile, reader, ReplyTexter(), news=(), projects=())
        for language in profile.languages:
            names = {own_name(language.code), *other_names(language.code), *(language.name(r) for r in codes)}
            for name in names:
                assert language_named(talk, name) == language, (reader, name)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_date_at_the_end_of_a_reply_is_not_followed_by_a_second_full_stop(signer, session, clock, code) -> None:
    """Russian dates end in 'г.' already: 'Крайний срок: 25 ноября 2026 г..' must not happen."""
    from tests.factories import create_poll

    create_poll(session, clock())
    names = names_in(code)
    texter = Texter(signer, "+4918212345000")
    texter.send(f"{names_in('de')['language'][0]} {code}")
    for reply in (texter.send(names["callback"][0]), texter.send(f"{names['vote'][0]} 1")):
        assert not re.search(r"(?<!\.)\.\.(?!\.)", reply), reply


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_reply_in_every_language_fits_two_sms(signer, session, clock, code: str) -> None:
    """Every keyword, taking part and odd input, with a long German-only poll and things kept."""
    from tests.factories import create_announcement, create_poll

    create_poll(session, clock(), options=("Am Rathaus gegenüber der Sparkasse", "Am Hauptbahnhof beim Busbahnhof"))
    create_announcement(session, clock(), title="Nur deutsch", body="Neue Bänke am Rathaus.", english=False)
    names = names_in(code)
    texter = Texter(signer, "+4918312345000")
    texter.send(f"{names_in('de')['language'][0]} {code}")
    bodies = [names["subscribe"][0], f"{names['idea'][0]} 3 Mehr Bänke", f"{names['question'][0]} Wann?"]
    bodies += [names["callback"][0], f"{names['vote'][0]} 2", names["help"][0], names["news"][0]]
    bodies += [f"{names['news'][0]} {n}" for n in (1, 2, 99)] + [names["projects"][0], f"{names['projects'][-1]} 99"]
    bodies += [f"{names['projects'][-1]} {n}" for n in range(1, 10)] + [names["vote"][0], f"{names['vote'][0]} 9"]
    bodies += [names["privacy"][0], names["idea"][0], names["question"][0], names["thanks"][0], "Hallo", "", "👍"]
    bodies += [f"{names['subscribe'][0]} xyz", names["language"][0], f"{names['stop'][0]} bitte", names["delete"][0]]
    bodies += [f"{names['delete'][0]} xyz", names["stop"][0], names["privacy"][0], "x" * 1600, "ب" * 1600]
    for body in bodies:
        reply = texter.send(body)
        assert reply and sms_text.count(reply).segments <= 2, (body[:20], reply)

"""The right words: what people write anyway, suggestions in their language, whole list entries, counts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from content.models import Subscriber
from sms.keywords import EXACT_ONLY, names_in
from tests.factories import create_announcement, create_poll, create_project
from tests.sms.test_texting import short_gsm7

SUGGESTION = re.compile(r"(?:Meinten Sie|Did you mean) (.+?)\?")


def suggested(reply: str) -> str:
    found = SUGGESTION.search(reply)
    assert found, reply
    return found.group(1)


def names(language: str, *, harmless: bool = False) -> set[str]:
    table = names_in(language)
    return {name for keyword, spelled in table.items() if not (harmless and keyword in EXACT_ONLY) for name in spelled}


@pytest.mark.parametrize("word", ["Neuigkeiten", "Nachrichten", "NEUIGKEITEN bitte"])
def test_the_words_for_news_get_the_news(texter, word) -> None:
    assert texter.send(word) == texter.send("NEU")


@pytest.mark.parametrize("word", ["Danke", "Dankeschön", "Vielen Dank!", "danke schön", "OK"])
def test_thanks_get_a_friendly_answer_not_a_guess(texter, word) -> None:
    assert texter.send(word) == "Gern geschehen! Wenn Sie etwas brauchen, schreiben Sie HILFE."


@pytest.mark.parametrize("word", ["Thanks", "Thank you"])
def test_thanks_in_english_are_answered_in_english(texter, word) -> None:
    assert texter.send(word) == "You are welcome! If you need anything, send HELP."


@pytest.mark.parametrize("word", ["Hilfeee", "Ideeee", "Frageee", "Hallo"])
def test_a_german_texter_is_only_offered_harmless_german_keywords(texter, word) -> None:
    reply = texter.send(word)
    assert reply.startswith("Das habe ich leider nicht verstanden.")
    assert suggested(reply) in names("de", harmless=True)


@pytest.mark.parametrize("word", ["Helppp", "Ideaaa", "Voteee"])
def test_an_english_texter_is_only_offered_harmless_english_keywords(texter, word) -> None:
    texter.send("LANGUAGE EN")
    reply = texter.send(word)
    assert reply.startswith("Sorry, I did not understand that.")
    assert suggested(reply) in names("en", harmless=True)


@pytest.mark.parametrize("word", ["Newsletter", "Deletion", "Vorschlag", "STARTT", "Löschung bitte nicht"])
def test_a_word_far_from_every_keyword_gets_no_guess_and_thanks_are_never_guessed(texter, word) -> None:
    assert texter.send(word) == "Das habe ich leider nicht verstanden. Alle Wörter: HILFE"


def test_a_near_miss_of_anmelden_subscribes_nobody(texter, session) -> None:
    assert texter.send("Anmeldung") == "Das habe ich leider nicht verstanden. Alle Wörter: HILFE"
    assert session.scalar(select(Subscriber)) is None


LONG = "Digitale Beteiligung in allen Stadtteilen mit Sprechstunden vor Ort und Begleitung"


@pytest.mark.small_town
def test_projekte_with_long_titles_lists_whole_names_and_says_how_to_get_the_rest(session, clock, texter) -> None:
    titles = {n: f"{LONG} {n}" for n in range(3, 9)}
    for number, title in titles.items():
        create_project(session, clock(), number=number, title=title, summary="Kurz.")
    reply = texter.send("PROJEKTE")
    entries = re.findall(r"(\d+)\) (.+?)\.(?= \d+\)| Und)", reply)
    whole = {"1": "Bürgerbüro online", "2": "Freies Netz im Park", **{str(n): t for n, t in titles.items()}}
    assert len(entries) >= 3 and all(whole[number] == title for number, title in entries)
    rest = 8 - len(entries)
    first_left = int(entries[-1][0]) + 1
    assert reply.endswith(f"Und {rest} weitere: PROJEKT und Nummer, z. B. PROJEKT {first_left}.")
    assert short_gsm7(reply)


@pytest.mark.small_town
def test_neu_with_long_headlines_lists_whole_headlines_and_counts_the_one_left(session, clock, texter) -> None:
    for days in (1, 2, 3):  # older than the small town's own item, which stays first
        create_announcement(session, clock(), title=f"{LONG}, Teil {days}", days_ago=days, english=False)
    reply = texter.send("NEU")
    assert reply == (
        f"Aktuelles aus Musterstadt: 1) Sprechstunde im Rathaus. 2) {LONG}, Teil 1. 3) {LONG}, Teil 2. "
        "Und 1 weitere: NEU und Nummer, z. B. NEU 4."
    )
    assert short_gsm7(reply)


def test_daten_counts_read_correctly(texter) -> None:
    texter.send("START")
    assert "speichern wir" not in texter.send("DATEN").split("Beenden mit STOP.")[1]  # 0: not mentioned
    texter.send("IDEE Mehr Bänke am Stiftsplatz")
    assert texter.send("DATEN").endswith(
        "Zu Ihrer Nummer speichern wir außerdem: 1 Idee oder Frage. Um alles zu löschen, senden Sie LÖSCHEN."
    )
    texter.send("FRAGE Wann öffnet das Bürgerbüro?")
    texter.send("RÜCKRUF")
    assert "außerdem: 2 Ideen oder Fragen und 1 Rückrufwunsch." in texter.send("DATEN")


def test_daten_without_a_subscription_does_not_say_nothing_is_kept(texter) -> None:
    texter.send("IDEE Mehr Bänke am Stiftsplatz")
    assert texter.send("DATEN") == (
        "Zu Ihrer Nummer speichern wir: 1 Idee oder Frage. Um alles zu löschen, senden Sie LÖSCHEN."
    )


def test_stopp_with_more_words_changes_nothing_and_says_how_to_stop(texter, session) -> None:
    texter.send("START")
    assert texter.send("Stopp bitte nicht") == (
        "Um die Neuigkeiten per SMS zu beenden, senden Sie nur das Wort STOP, ohne weitere Wörter."
    )
    assert session.scalar(select(Subscriber)).status == "subscribed"
    assert texter.send("Stopp.").startswith("Sie bekommen keine Neuigkeiten mehr per SMS.")


def test_the_poll_by_sms_ends_each_answer_with_its_full_stop(texter, session, clock) -> None:
    create_poll(session, clock(), options=("Am Rathaus", "Im Volkspark"))
    reply = texter.send("ABSTIMMEN")
    assert "1) Am Rathaus. 2) Im Volkspark. Zum Abstimmen" in reply


def test_daten_lists_a_vote_as_loeschen_does(texter, session, clock) -> None:
    create_poll(session, clock())
    texter.send("IDEE Bänke am Markt")
    texter.send("ABSTIMMEN 1")
    kept = "1 Idee oder Frage und 1 Stimme in einer Abstimmung"
    assert kept in texter.send("DATEN")
    assert kept in texter.send("LÖSCHEN")

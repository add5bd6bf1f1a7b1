"""Reading the first word: folding, typos, glued numbers, and anything at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sms.keywords import fold, read, typo_distance

NAMES = {
    "de": {
        "help": ["HILFE", "INFO"],
        "news": ["NEU"],
        "projects": ["PROJEKTE", "PROJEKT"],
        "stop": ["STOP", "STOPP", "ABMELDEN"],
        "delete": ["LÖSCHEN"],
        "delete_confirmed": ["LÖSCHEN JA"],
        "callback": ["RÜCKRUF"],
        "thanks": ["DANKE", "VIELEN DANK"],
    },
    "en": {
        "help": ["HELP"],
        "news": ["NEWS"],
        "projects": ["PROJECTS", "PROJECT"],
        "stop": ["STOP", "UNSUBSCRIBE"],
        "delete": ["DELETE"],
    },
}


@pytest.mark.parametrize(
    ("body", "keyword", "language", "argument"),
    [
        ("HILFE", "help", "de", ""),
        ("  hilfe  ", "help", "de", ""),
        ("Help me", "help", "en", "me"),
        ("neu", "news", "de", ""),
        ("NEU 2", "news", "de", "2"),
        ("Projekt 3", "projects", "de", "3"),
        ("PROJEKT3", "projects", "de", "3"),
        ("projects", "projects", "en", ""),
        ("LOESCHEN", "delete", "de", ""),
        ("löschen", "delete", "de", ""),
        ("Löschen ja", "delete_confirmed", "de", ""),
        ("LOESCHEN JA!", "delete_confirmed", "de", ""),
        ("Vielen Dank!", "thanks", "de", ""),
        ("RUECKRUF bitte", "callback", "de", "bitte"),
        ("Rückruf", "callback", "de", ""),
        ("PROJEKTR", "projects", "de", ""),
        ("Stop.", "stop", "de", ""),
        ("\u202eSTOP\u202c", "stop", "de", ""),
    ],
)
def test_keywords_are_read_whatever_the_spelling(body, keyword, language, argument) -> None:
    command = read(body, NAMES)
    assert (command.keyword, command.language, command.argument) == (keyword, language, argument)


@pytest.mark.parametrize(
    ("body", "closest"), [("NEX", {"NEU"}), ("Hallo", {"HELP", "HILFE"}), ("PROJEKTXYZ", {"PROJEKT"})]
)
def test_short_words_must_be_exact_and_unknown_ones_name_the_closest(body, closest) -> None:
    command = read(body, NAMES)
    assert command.keyword is None and command.closest in closest


def test_the_suggestion_is_in_the_texters_language_when_it_can_be() -> None:
    assert read("Hallo", NAMES, prefer="de").closest == "HILFE"
    assert read("Hallo", NAMES, prefer="en").closest == "HELP"


@pytest.mark.parametrize(
    "body", ["LÖSEN", "LOESEN", "LOSCHEN", "Lóschen", "Löschung bitte nicht", "ABMELDNE", "UNSUBSCRIBR", "STOPPP"]
)
def test_near_misses_of_erase_and_stop_are_no_keyword_and_never_suggested(body) -> None:
    command = read(body, NAMES, prefer="de")
    assert command.keyword is None
    assert command.closest not in {"LÖSCHEN", "LÖSCHEN JA", "DELETE", "STOP", "STOPP", "ABMELDEN", "UNSUBSCRIBE"}


def test_folding_and_distance() -> None:
    assert fold("LÖSCHEN") == fold("loeschen") == "loeschen"
    assert typo_distance("abmelden", "abmeldne") == 1
    assert typo_distance("", "neu") == 3


@given(st.text(max_size=2000))
def test_any_text_is_read_without_error(body: str) -> None:
    command = read(body, NAMES)
    assert command.keyword is None or command.keyword in {keyword for table in NAMES.values() for keyword in table}
    assert len(command.argument) <= 1600

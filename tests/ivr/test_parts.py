"""The small parts of the menu: call state in URLs, understanding speech, speaking."""

from __future__ import annotations

import pytest

from content.profile import Language
from ivr.menu import digits_for_speech
from ivr.speaking import SLOW_RATE, Line, speak
from ivr.state import CallState
from ivr.understanding import fold, understand

GERMAN = Language("de", "de-DE", "Polly.Vicki-Neural")
ENGLISH = Language("en", "en-GB", "Polly.Amy-Neural")


def test_the_state_survives_the_round_trip_through_a_url() -> None:
    state = CallState(lang="en", item=4, repeats=1, silences=0, new=2)
    assert CallState.from_query(state.query()) == state
    assert CallState().query() == {}


@pytest.mark.parametrize(
    "args",
    [
        {"lang": "../etc", "item": "-3", "repeats": "²", "silences": "1e9", "new": "x"},
        {"lang": "<Say>", "item": "9" * 40},
        {"lang": "de-DE;DROP"},
        {"lang": "de\n", "said": "abc\n"},  # "$" alone would let a line end through
    ],
)
def test_a_tampered_state_falls_back_to_defaults(args) -> None:
    state = CallState.from_query(args)
    assert state.lang == "" and state.said == "" and state.item == 0 and state.repeats == 0 and state.silences == 0


def test_repeats_silences_and_errors_are_capped() -> None:
    state = CallState.from_query({"repeats": "7", "silences": "99", "item": "12", "errors": "5", "slower": "9"})
    assert (state.repeats, state.silences, state.item, state.errors, state.slower) == (2, 3, 12, 3, 1)


def test_what_was_said_is_kept_only_in_its_compact_form() -> None:
    assert CallState.from_query({"said": "eNqLVg"}).said == "eNqLVg"
    assert CallState.from_query({"said": "<Say>hello</Say>"}).said == ""
    assert CallState.from_query({"said": "a" * 601}).said == ""


@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("Aktuelles bitte", "1"),
        ("ZURÜCK", "#"),
        ("zuruck", "#"),
        ("ich möchte mit einem Mitarbeiter sprechen", "0"),
        ("Drei", "3"),
        ("3", "3"),
        ("Taste Stern", "*"),
        ("", None),
        ("🙂🙂", None),
        ("Wetter morgen", None),
    ],
)
def test_spoken_words_are_matched_to_keys(said, key) -> None:
    choices = [("1", ["aktuelles"]), ("#", ["zurück"]), ("0", ["mitarbeiter"]), ("3", ["drei"]), ("*", ["stern"])]
    assert understand(said, choices) == key


def test_folding_ignores_case_and_accents() -> None:
    assert fold("Zurück") == fold("ZURUCK") == "zuruck"


def test_lines_in_two_languages_become_two_says_with_their_voices() -> None:
    says = speak(
        [Line("Hallo.", GERMAN), Line("Noch was.", GERMAN), Line("Hello.", ENGLISH), Line(" ", ENGLISH)], slow=True
    )
    assert len(says) == 2 and [say.voice for say in says] == ["Polly.Vicki-Neural", "Polly.Amy-Neural"]
    assert [say.sentences for say in says] == [("Hallo.", "Noch was."), ("Hello.",)]
    assert {say.rate for say in says} == {SLOW_RATE}


def test_phone_numbers_are_read_digit_by_digit_in_groups() -> None:
    assert digits_for_speech("0631 3650") == "0 6 3 1, 3 6 5 0"
    assert digits_for_speech("+49 631-3650") == "+ 4 9, 6 3 1, 3 6 5 0"
    assert digits_for_speech("069 90009000") == "0 6 9, 9 0 0 0, 9 0 0 0"  # eight digits in two parts
    assert digits_for_speech("0631 3651234") == "0 6 3 1, 3 6 5 1, 2 3 4"
    assert digits_for_speech("0631 36510") == "0 6 3 1, 3 6 5 1 0"


def test_no_menu_shares_its_address_with_an_action() -> None:
    from ivr.tree import ACTIONS, NODES

    assert set(ACTIONS) & set(NODES) == set()
    assert {"news-call"} & (set(ACTIONS) | set(NODES)) == set()  # the news call's own webhook (ivr.views)

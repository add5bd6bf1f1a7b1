"""The main menu's key 4 understood by its own words: what its sentence says ("Neuigkeiten per SMS
oder Anruf und Ihre Daten"), and what a caller who wants to be called would say."""

from __future__ import annotations

import pytest

KEY_FOUR = "Hier bekommen Sie Neuigkeiten"


@pytest.mark.parametrize(
    "words",
    ["Neuigkeiten per SMS oder Anruf", "Neuigkeiten per Anruf", "ich möchte angerufen werden", "Ihre Daten", "SMS"],
)
def test_the_words_of_key_four_lead_there(caller, words: str) -> None:
    caller.call().say(words)
    assert caller.heard.startswith(KEY_FOUR), caller.heard


def test_the_news_alone_are_still_key_one(caller) -> None:
    caller.call().say("Neuigkeiten")
    assert caller.heard.startswith("Es gibt 3 Meldungen."), caller.heard

"""The rule for a language without its own text, by SMS: NEU with the note, or without the item."""

from __future__ import annotations

from tests.factories import create_announcement


def german_only(session, clock, untranslated: str) -> None:
    create_announcement(
        session, clock(), title="Nur deutsch", body="Neue Bänke am Rathaus.", english=False, untranslated=untranslated
    )


def test_with_the_note_english_texters_read_the_german_item_after_the_note(texter, session, clock) -> None:
    german_only(session, clock, "note")
    texter.send("SPRACHE EN")
    assert texter.send("NEU").startswith("News from Kaiserslautern: 1) Nur deutsch. 2) The citizens' line is here.")
    assert "Only in German: Nur deutsch. Neue Bänke am Rathaus." in texter.send("NEU 1")


def test_a_skipped_item_is_not_in_english_news_and_the_numbers_stay_right(texter, session, clock) -> None:
    german_only(session, clock, "skip")
    texter.send("SPRACHE EN")
    listing = texter.send("NEU")
    assert listing.startswith("News from Kaiserslautern: 1) The citizens' line is here.")
    assert "Nur deutsch" not in listing
    assert "The citizens' line is here." in texter.send("NEU 1")
    assert "Nur deutsch" in texter.send("SPRACHE DE") + texter.send("NEU 1")

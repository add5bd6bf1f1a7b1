"""The rule for a language without its own text, on the phone: the note, or the item left out."""

from __future__ import annotations

from tests.factories import create_announcement
from tests.ivr.keys import TO_ENGLISH, press


def german_only(session, clock, untranslated: str) -> None:
    create_announcement(
        session, clock(), title="Nur deutsch", body="Neue Bänke am Rathaus.", english=False, untranslated=untranslated
    )


def test_a_skipped_item_is_not_heard_in_english_and_the_count_and_positions_stay_right(caller, session, clock) -> None:
    german_only(session, clock, "skip")
    press(caller.call(), [*TO_ENGLISH, "1"])
    assert "There are 3 announcements." in caller.heard and "Nur deutsch" not in caller.heard
    assert "Announcement 1 of 3" in caller.heard and "The citizens' line is here." in caller.heard
    for position in (2, 3):
        caller.press("1")
        assert f"Announcement {position} of 3" in caller.heard and "Nur deutsch" not in caller.heard
    caller.press("1")
    assert "That was the last announcement." in caller.heard
    # German callers hear it whatever the rule (the call starts in English, remembered: 9 is German at once)
    caller.call().press("9").press("1")
    assert "Es gibt 4 Meldungen." in caller.heard and "Nur deutsch. Neue Bänke am Rathaus." in caller.heard

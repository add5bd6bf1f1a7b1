"""Office hours and holidays, phone numbers and pseudonyms, spoken text: the small pure rules."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from content import calling_hours, channel_texts, clean, office_hours, phone, texts
from content.demo import KAISERSLAUTERN
from content.profile import Language, TownProfile, profile_from_settings
from telephony import text as telephony_text

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ((2026, 11, 24, 7, 59), False),
        ((2026, 11, 24, 8, 0), True),
        ((2026, 11, 24, 15, 59), True),
        ((2026, 11, 24, 16, 0), False),
        ((2026, 11, 26, 17, 30), True),  # Thursday: open until 18:00
        ((2026, 11, 27, 12, 30), False),  # Friday afternoon
        ((2026, 11, 28, 10, 0), False),  # Saturday
        ((2026, 12, 25, 10, 0), False),  # Christmas Day, a Friday
        ((2026, 6, 4, 10, 0), False),  # Corpus Christi: a holiday in Rhineland-Palatinate
        ((2026, 3, 30, 8, 30), True),  # the Monday after the switch to summer time
    ],
)
def test_office_hours_follow_the_local_clock_and_holidays(moment, open_) -> None:
    assert office_hours.is_open(KAISERSLAUTERN, datetime(*moment, tzinfo=BERLIN)) is open_


def test_holidays_depend_on_the_state() -> None:
    berlin_city = TownProfile(holidays_subdivision="BE", office_hours=KAISERSLAUTERN.office_hours)
    corpus_christi = datetime(2026, 6, 4, 10, 0, tzinfo=BERLIN)
    assert office_hours.is_open(berlin_city, corpus_christi)
    assert not office_hours.is_open(KAISERSLAUTERN, corpus_christi)


def test_office_hours_are_said_grouped_in_each_language() -> None:
    assert office_hours.describe(KAISERSLAUTERN, "de") == (
        "Montag bis Mittwoch von 8 bis 16 Uhr, Donnerstag von 8 bis 18 Uhr und Freitag von 8 bis 12 Uhr"
    )
    assert office_hours.describe(KAISERSLAUTERN, "en") == (
        "Monday to Wednesday from 8 AM to 4 PM, Thursday from 8 AM to 6 PM, and Friday from 8 AM to noon"
    )
    split = TownProfile(office_hours={"mon": [["08:30", "12:00"], ["13:00", "15:45"]]})
    assert office_hours.describe(split, "de") == "Montag von 8:30 bis 12 Uhr und von 13 bis 15:45 Uhr"
    assert office_hours.describe(split, "en") == "Monday from 8:30 AM to noon and from 1 PM to 3:45 PM"
    assert office_hours.describe(TownProfile(), "de") == ""


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+496313650", "+496313650"),
        ("0631 3650", "+496313650"),
        ("+49 (151) 123-45678", "+4915112345678"),
        ("+4915112345678", "+4915112345678"),
        ("+49 151 12345678\n", "+4915112345678"),
        ("client:anna", None),
        ("sip:anna@example.org", None),
        ("anonymous", None),
        ("", None),
        (None, None),
        ("1" * 100, None),
    ],
)
def test_caller_numbers_are_normalised_or_treated_as_withheld(raw, e164) -> None:
    assert phone.caller_number(raw) == e164


def test_pseudonyms_are_stable_per_key_and_reveal_nothing() -> None:
    one = phone.pseudonym("+4915112345678", "key-one")
    assert one == phone.pseudonym("+4915112345678", "key-one")
    assert one != phone.pseudonym("+4915112345678", "key-two")
    assert one != phone.pseudonym("+4915112345679", "key-one")
    assert "15112345678" not in one and len(one) == 64


def test_numbers_are_said_as_a_local_caller_would_dial_them() -> None:
    assert phone.spoken_form("+496313650") == "0631 3650"
    assert phone.spoken_form("+441632960961") == "+44 1632 960961"


def test_the_spoken_variant_is_derived_unless_staff_override_it() -> None:
    written = {"title": "Neue Sprechzeiten", "body": "Mehr unter https://example.org/zeiten  ab Montag"}
    assert channel_texts.spoken(written, "title", "body") == "Neue Sprechzeiten. Mehr unter ab Montag."
    assert (
        channel_texts.spoken({**written, "spoken": "Ab Montag neue Zeiten"}, "title", "body")
        == "Ab Montag neue Zeiten."
    )


def test_the_language_falls_back_to_the_default_then_to_any() -> None:
    both = {"de": {"title": "a"}, "en": {"title": "b"}}
    assert texts.pick_language(both, "en", "de") == "en"
    assert texts.pick_language({"de": {"title": "a"}}, "en", "de") == "de"
    assert texts.pick_language({"tr": {"title": "a"}, "en": {"title": ""}}, "en", "de") == "tr"
    assert texts.pick_language({}, "en", "de") is None


def test_the_profile_round_trips_through_settings_and_ignores_junk() -> None:
    assert profile_from_settings(KAISERSLAUTERN.to_settings()) == KAISERSLAUTERN
    junk = profile_from_settings({"town": "X", "unknown": 1, "languages": [{"code": "de"}, "nonsense"]})
    assert junk.town == "X" and junk.languages == TownProfile().languages
    assert Language("en", "en-GB", "v").name() == "English" and Language("en", "en-GB", "v").name("de") == "Englisch"


def test_a_time_with_a_zone_is_no_time_of_the_towns_day_and_is_left_out() -> None:
    """Times of day are the town's own: one with a zone ("09:00Z") cannot be compared with the local
    time, and would break every question whether the office or a calling window is open."""
    profile = profile_from_settings(
        {
            "office_hours": {"tue": [["08:00Z", "16:00Z"], ["17:00", "18:00"]]},
            "calling_hours": {"morning": ["09:00+01:00", "12:00+01:00"], "afternoon": ["15:00", "19:00"]},
        }
    )
    assert profile.office_hours == {"tue": [["17:00", "18:00"]]}
    assert profile.calling_hours == {"morning": ["09:00", "12:00"], "afternoon": ["15:00", "19:00"]}
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert not office_hours.is_open(profile, tuesday) and calling_hours.is_open(profile, "morning", tuesday)


def allowed_in_xml(code: int) -> bool:
    """XML 1.0, section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


# The staff forms clean with content.clean, the provider's webhooks and TwiML with telephony.text
# (telephony may not import content): both keep exactly what XML 1.0 allows, code point by code point.
@pytest.mark.parametrize("xml_safe", [clean.xml_safe, telephony_text.xml_safe], ids=["content", "telephony"])
def test_text_keeps_exactly_the_characters_xml_allows(xml_safe) -> None:
    assert xml_safe(EVERY_CHARACTER) == "".join(c for c in EVERY_CHARACTER if allowed_in_xml(ord(c)))
    assert xml_safe("Grüß\x0c Gott\x1b!\x00") == "Grüß Gott!"
    kept = "Zeile\tmit Tab\r\nund Umbruch, ß, 🎉, \x7f, \x85"
    assert xml_safe(kept) == kept

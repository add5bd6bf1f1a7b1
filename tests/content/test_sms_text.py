"""Segment counting and smart encoding against the published GSM 03.38 / UCS-2 rules."""

from __future__ import annotations

import pytest

from content.sms_text import count, fits, smart_encode


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("1" * 160, "GSM-7", 160, 1),
        ("1" * 161, "GSM-7", 161, 2),
        ("1" * 306, "GSM-7", 306, 2),
        ("1" * 307, "GSM-7", 307, 3),
        ("1" * 153 * 3, "GSM-7", 459, 3),
        ("1" * (153 * 3 + 1), "GSM-7", 460, 4),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters count two
        ("€" * 80 + "1", "GSM-7", 161, 2),
        ("1" * 152 + "€" + "1" * 152, "GSM-7", 306, 3),  # the € is not split from its escape
        ("1" * 158 + "[", "GSM-7", 160, 1),
        ("Grüße aus Kaiserslautern: Ärger, Öl, Übung, ß, à, é", "GSM-7", 51, 1),
        ("1" * 159 + "🙂", "UCS-2", 161, 3),  # one emoji forces UCS-2
        ("a" * 70, "GSM-7", 70, 1),
        ("ş" * 70, "UCS-2", 70, 1),
        ("ş" * 71, "UCS-2", 71, 2),
        ("ş" * 134, "UCS-2", 134, 2),
        ("ş" * 135, "UCS-2", 135, 3),
        ("ş" * 66 + "🙂" + "ş", "UCS-2", 69, 1),
        ("ş" * 66 + "🙂" + "ş" * 66, "UCS-2", 134, 3),  # the surrogate pair is not split
    ],
)
def test_segments_follow_the_published_rules(text, encoding, units, segments) -> None:
    counted = count(text)
    assert (counted.encoding, counted.units, counted.segments) == (encoding, units, segments)


def test_smart_encoding_keeps_german_typography_in_gsm7() -> None:
    written = "„Herzlich“ – so heißt es… ‚bald‘\u00a0mehr"
    assert smart_encode(written) == "\"Herzlich\" - so heißt es... 'bald' mehr"
    counted = count(written)
    assert counted.encoding == "GSM-7"
    assert set(counted.replaced) == {"„", "“", "–", "…", "‚", "‘", "\u00a0"}
    assert counted.forcing_ucs2 == ()


def test_what_still_forces_ucs2_is_named() -> None:
    counted = count("Ça va? Şimdi 🙂")
    assert counted.encoding == "UCS-2" and counted.forcing_ucs2 == ("Ş", "🙂")


def test_two_segments_is_306_gsm7_characters() -> None:
    assert fits("x" * 306) and not fits("x" * 307)

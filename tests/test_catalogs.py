"""Every message in the code is in each catalog, translated, with the same placeholders and plurals;
every SMS message fits in two messages in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from content import sms_text
from content.i18n import catalog_codes, own_name, translate
from sms import prompts

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "N_plural": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Every catalog translates everything (English is the source language: its catalog only names it).
TRANSLATED = [code for code in catalog_codes() if code != "en"]


def messages_in_code() -> set[str]:
    found = set()
    for directory in ("content", "ivr", "sms", "web"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / directory, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(code: str):
    with open(ROOT / "translations" / code / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=code)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code: str) -> None:
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog(code)
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string]) and "fuzzy" not in m.flags
    }
    assert messages_in_code() - translated == set()


@pytest.mark.parametrize("code", catalog_codes())
def test_translations_keep_the_placeholders(code: str) -> None:
    for message in catalog(code):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in filter(None, strings):
            assert set(PLACEHOLDER.findall(string)) <= expected | {"count"}, (message.id, string)
            assert set(PLACEHOLDER.findall(string)) >= expected - {"count"}, (message.id, string)


def test_the_code_has_messages_to_translate() -> None:
    assert len(messages_in_code()) > 50


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_messages_have_every_form_of_the_language(code: str) -> None:
    forms = catalog(code).num_plurals
    for message in catalog(code):
        if isinstance(message.id, tuple) and any(message.string):
            assert len(message.string) == forms and all(message.string), message.id


@pytest.mark.parametrize("code", catalog_codes())
def test_each_catalog_names_its_language_in_itself(code: str) -> None:
    assert own_name(code) not in {"", code}


# Values of a typical length for the SMS messages' placeholders.
SAMPLE = {
    "town": "Kaiserslautern",
    "date": "27.11.2026",
    "count": 12,
    "number": 12,
    "last": 3,
    "reference": "0042",
    "topic": "Mobilität",
    "topics": "Mobilität, Bildung, Verwaltung",
    "closest": "HILFE",
    "channel": "SMS",
    "key": 2,
    "label": "Im Volkspark.",
    "question": "Wo soll das nächste freie WLAN entstehen?",
    "items": "Ihr Abo der Nachrichten per SMS, 2 Ideen",
}
# Messages that are only part of a reply (names, list entries), or shown on the web page.
SMS_PARTS = {
    *prompts.KEYWORD_NAMES.values(),
    *prompts.OTHER_NAMES.values(),
    *prompts.KEYWORD_PURPOSES.values(),
    *prompts.CHANNELS.values(),
    prompts.YES,
    prompts.NO,
}


def sms_messages() -> list[str | tuple[str, str]]:
    return [
        value
        for name, value in vars(prompts).items()
        if name.isupper() and isinstance(value, (str, tuple)) and value not in SMS_PARTS
    ]


@pytest.mark.parametrize("code", catalog_codes())
def test_every_sms_message_fits_in_two_messages(code: str) -> None:
    """Two SMS: 306 characters in the GSM alphabet, 134 in any other script (Cyrillic, Arabic,
    Turkish and Polish letters), so each language writes for its own budget."""
    choices = ", ".join(own_name(other) for other in catalog_codes())
    values = {**SAMPLE, "language": own_name(code), "choices": choices, "confirm": "LÖSCHEN JA"}
    too_long = {}
    for message in sms_messages():
        text = translate(code, message, **values)
        if not sms_text.fits(text):
            too_long[text] = sms_text.count(text)
    assert too_long == {}

"""Every message in the code is in each catalog, translated, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "N_plural": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Catalogs that must translate everything (English is the source language).
TRANSLATED = ["de"]


def messages_in_code() -> set[str]:
    found = set()
    for directory in ("content", "ivr", "sms"):
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


@pytest.mark.parametrize("code", ["de", "en"])
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

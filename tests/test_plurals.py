"""Counts are said right in every language: "1 Idee", "2 Ideen", never "1 Ideen".

Every message with a count is a plural message (N_plural / ngettext), and a test renders each one
with 0, 1 and 2 in every catalog. A message that is not a plural may carry only placeholders that
are no counts; a new placeholder name must be added to NOT_COUNTS below, with what it holds, or
the message must become a plural.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from content.i18n import translate_plural

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "translations" / "messages.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LANGUAGES = sorted(path.name for path in (ROOT / "translations").iterdir() if (path / "LC_MESSAGES").is_dir())

# Placeholders that never hold a count of things, and what they hold instead.
NOT_COUNTS = {
    "amount": "an amount of money",
    "callbacks_due": "a date",
    "channel": "a channel's name",
    "char": "a character of a text",
    "choices": "a list of language names",
    "closest": "a keyword",
    "code": "a language's code",
    "cost": "an amount of money",
    "date": "a date",
    "day": "a weekday and date",
    "days": "the days of a week a period covers, as in '1.–4. Januar'",
    "description": "a voice's description",
    "email": "a staff member's address",
    "end": "a time of day",
    "example": "an example message",
    "first": "a time or date, as in 'from first to last'",
    "letters": "a list of letters",
    "page": "a page's number in a document",
    "part": "a part of the phone line, by its name",
    "one": "how many characters one SMS holds (70 or 160: never one)",
    "two": "how many characters two SMS hold (134 or 306)",
    "free": "a port number to try",
    "hours": "office hours, spoken",
    "keyword": "a keyword",
    "items": "a list of what is kept, each with its own plural",
    "key": "a telephone key",
    "label": "a poll answer",
    "language": "a language's name",
    "last": "a time, date or number, as in 'from first to last'",
    "message": "a typed message",
    "note": "a note in a language",
    "number": "an identifying number: a project's, an item's or a telephone number",
    "numbers": "a list of project numbers",
    "port": "a port number",
    "position": "a place in a list, as in 'announcement 2 of 5'",
    "price": "an amount of money",
    "quarter": "a quarter of a year (1 to 4)",
    "question": "a poll question",
    "reference": "a reference number to quote",
    "role": "a staff role's name",
    "rule": "what readers of an untranslated language get",
    "sender": "the town's short name",
    "share": "a percentage",
    "sent": "the characters sent instead",
    "start": "a time of day",
    "status": "a project status",
    "text": "a text",
    "time": "a time of day",
    "title": "a title",
    "topic": "a topic's name",
    "topics": "a list of topic names",
    "total": "the length of a list, as in 'announcement 2 of 5'",
    "town": "the town's name",
    "voice": "a voice's name",
    "week": "the day a week begins, as a date",
    "what": "what a prompt offers before naming its key",
    "words": "a list of keywords",
    "year": "a year, as in 2026",
}


def template() -> list:
    with open(TEMPLATE, "rb") as file:
        return [message for message in read_po(file) if message.id]


def test_messages_that_are_not_plurals_carry_no_count() -> None:
    counted = {
        message.id: sorted(set(PLACEHOLDER.findall(message.id)) - set(NOT_COUNTS))
        for message in template()
        if isinstance(message.id, str)
    }
    assert {message: names for message, names in counted.items() if names} == {}


PLURALS = [message.id for message in template() if not isinstance(message.id, str)]


def test_there_are_plural_messages() -> None:
    assert len(PLURALS) >= 9


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("message", PLURALS, ids=lambda message: message[0][:40])
def test_each_plural_reads_right_for_none_one_and_two(language: str, message: tuple[str, str]) -> None:
    values = {name: f"<{name}>" for name in PLACEHOLDER.findall(message[1]) if name != "count"}
    said = {count: translate_plural(language, message, count, **values) for count in (0, 1, 2)}
    category = {count: Locale.parse(language).plural_form(count) for count in said}
    for count, text in said.items():
        # The number itself, or, where the language has a form for just none, one or two (Arabic
        # "لا أفكار", "دقيقة واحدة", "دقيقتان"; German "eine Idee"), that form saying it by word.
        by_word = category[count] in {"zero", "one", "two"}
        assert by_word or re.search(rf"(?<!\d){count}(?!\d)", text), (language, count, text)
        assert "%(" not in text, text
    # Counts of the same plural category (by the language's rules) read alike; where the categories
    # differ the words may still be the same ("1 SMS", "2 SMS"), so only the first is checked.
    form = {count: re.sub(rf"(?<!\d){count}(?!\d)", "#", text) for count, text in said.items()}
    for a, b in ((0, 1), (0, 2), (1, 2)):
        if category[a] == category[b]:
            assert form[a] == form[b], (language, said)

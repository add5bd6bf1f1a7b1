"""The keys that take a call to a language, whichever languages the demo town has: with two,
key 9 switches at once; with more, it opens the language menu, whose keys follow the town's order."""

from __future__ import annotations

from content import demo
from tests.twilio_fake import Caller

CODES = [language.code for language in demo.KAISERSLAUTERN.languages]


def to_language(code: str) -> list[str]:
    """From the main menu of a call that key 9 does not switch at once (a German number, or a
    language chosen during the call), to the language code."""
    return ["9"] if len(CODES) == 2 else ["9", str(CODES.index(code) + 1)]


TO_ENGLISH = to_language("en")
TO_GERMAN = to_language("de")


def press(caller: Caller, keys: list[str]) -> Caller:
    for key in keys:
        caller.press(key)
    return caller

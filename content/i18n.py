"""Message catalogs: every word a caller hears or a texter reads comes through here.

Catalogs live in translations/<code>/LC_MESSAGES/messages.po; the build extracts the messages
from the code and compiles the catalogs (make catalogs). Adding a language is a new catalog and a
Setting, never a code change.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, in the caller's language."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for extraction."""
    return singular, plural


@functools.cache
def translations(code: str) -> NullTranslations:
    return Translations.load(str(CATALOGS), [code])


def translate(code: str, message: str | tuple[str, str], /, **values: Any) -> str:
    """A message in a language; a plural message (N_plural) takes its count from values["count"]."""
    if isinstance(message, tuple):
        return translate_plural(code, message, values.pop("count"), **values)
    text = translations(code).gettext(message)
    return text % values if values else text


def translate_plural(code: str, message: tuple[str, str], count: int, /, **values: object) -> str:
    text = translations(code).ngettext(message[0], message[1], count)
    return text % {"count": count, **values}

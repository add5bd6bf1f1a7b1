"""Message catalogs: every word a caller hears or a texter reads comes through here.

Catalogs live in translations/<code>/LC_MESSAGES/messages.po; the build extracts the messages
from the code and compiles the catalogs (make catalogs). Adding a language is a new catalog and a
Setting, never a code change.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, in the caller's language."""
    return message


# Each catalog names its own language, in that language: "Deutsch", "Türkçe", "Leichte Sprache".
# A code may carry a variant after "@" (de@easy: German in Leichte Sprache), which Babel knows
# as a modifier: dates and plural rules are German, the words are the catalog's own.
OWN_NAME = N_("(the name of this catalog's language, in that language)")


# Other ways texters write the language's name, comma-separated: as old phones type it in Latin
# letters (RUSSKIY), or the short everyday word (عربي). A catalog may leave it empty.
OTHER_NAMES = N_("(other ways to write this catalog's language name, comma-separated: in Latin letters, short forms)")


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for extraction."""
    return singular, plural


@functools.cache
def translations(code: str) -> NullTranslations:
    return Translations.load(str(CATALOGS), [code])


@functools.cache
def catalog_codes() -> list[str]:
    """The languages there is a catalog for, e.g. ["ar", "de", "de@easy", "en", …]; read once, like
    the catalogs themselves (a new catalog needs a restart)."""
    return sorted(path.parent.parent.name for path in CATALOGS.glob("*/LC_MESSAGES/messages.po"))


def locale_of(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return None


def own_name(code: str) -> str:
    """The language's name in itself, as its catalog says it (else as Babel knows it)."""
    name = translations(code).gettext(OWN_NAME)
    if name != OWN_NAME:
        return name
    locale = locale_of(code)
    return (locale.get_display_name(locale) if locale else None) or code


def other_names(code: str) -> list[str]:
    """The other ways of writing the language's name that its catalog gives (OTHER_NAMES)."""
    names = translations(code).gettext(OTHER_NAMES)
    return [] if names == OTHER_NAMES else [name.strip() for name in names.split(",") if name.strip()]


def language_name(code: str, in_language: str) -> str:
    """A language's name as a reader of in_language says it ("de" in "en": "German").
    A variant (de@easy) has no name in other languages: its own name stands for it."""
    locale, reader = locale_of(code), locale_of(in_language)
    if code == in_language or locale is None or reader is None or locale.modifier:
        return own_name(code)
    return locale.get_display_name(reader) or own_name(code)


def is_right_to_left(code: str) -> bool:
    locale = locale_of(code)
    return bool(locale and locale.character_order == "right-to-left")


def html_language(code: str) -> str:
    """The code as a web page's lang attribute wants it (BCP 47): "de@easy" is "de", "pt_BR" "pt-BR"."""
    return code.partition("@")[0].replace("_", "-")


def translate(code: str, message: str | tuple[str, str], /, **values: Any) -> str:
    """A message in a language; a plural message (N_plural) takes its count from values["count"]."""
    if isinstance(message, tuple):
        return translate_plural(code, message, values.pop("count"), **values)
    text = translations(code).gettext(message)
    return text % values if values else text


def translate_plural(code: str, message: tuple[str, str], count: int, /, **values: object) -> str:
    text = translations(code).ngettext(message[0], message[1], count)
    return text % {"count": count, **values}

"""Understanding what a caller said: matching the recognised words to the keys of a menu."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[^\W_]+|[*#]")

# A choice: the key it stands for, and the phrases that mean it.
Choice = tuple[str, Sequence[str]]


def fold(text: str) -> str:
    """Casefold and drop accents, so that "Zurück", "zuruck" and "ZURÜCK" are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def phrases(message: str) -> list[str]:
    """Split a translated, comma-separated list of phrases."""
    return [phrase.strip() for phrase in message.split(",") if phrase.strip()]


def _contains(heard: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(heard[start : start + size] == phrase for start in range(len(heard) - size + 1))


def understand(speech: str, choices: Iterable[Choice]) -> str | None:
    """The key whose phrase the caller said, first choice first; a spoken digit counts as well."""
    heard = words(speech)
    if not heard:
        return None
    choices = list(choices)
    for key, options in choices:
        if any(_contains(heard, words(option)) for option in options):
            return key
    for word in heard:
        if len(word) == 1 and (word.isdigit() or word in "*#"):
            return word
    return None

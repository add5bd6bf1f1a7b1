"""Understanding what a caller said: matching the recognised words to the keys of a menu."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[^\W_]+|[*#]")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")

# A choice: the key it stands for, and the phrases that mean it.
Choice = tuple[str, Sequence[str]]

# Endings that change with grammar ("Menschen", "jemandem", "messages"); a word keeps at least
# SHORTEST_STEM letters, so that short words stay as they are.
_ENDINGS = ("en", "em", "er", "es", "e", "n", "s")
SHORTEST_STEM = 4


# The Ukrainian apostrophe comes as a letter (U+02BC) as often as "'" or "’", which split words:
# it splits them too, so that "пʼять", "п'ять" and "п’ять" are the same two words.
_APOSTROPHES = str.maketrans({"\u02bc": "'"})


def fold(text: str) -> str:
    """Casefold and drop accents, so that "Zurück", "zuruck" and "ZURÜCK" are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A word without its grammatical endings: "menschen" -> "mensch", "jemandem" -> "jemand"."""
    while True:
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= SHORTEST_STEM:
                word = word[: -len(ending)]
                break
        else:
            return word


def terms(text: str) -> list[str]:
    """The words of text as they are compared: folded, without endings."""
    return [stem(word) for word in words(text)]


def phrases(message: str) -> list[str]:
    """Split a translated, comma-separated list of phrases."""
    return [phrase.strip() for phrase in message.split(",") if phrase.strip()]


def sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if sentence.strip()]


def _contains(heard: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(heard[start : start + size] == phrase for start in range(len(heard) - size + 1))


def understand(speech: str, choices: Iterable[Choice]) -> str | None:
    """The key whose phrase the caller said; the longest phrase heard wins, on a tie the first choice.

    "Wenn Sie mit einem Menschen sprechen möchten" says more than "sprechen": the most specific
    phrase decides. A spoken digit counts when no phrase was heard.
    """
    heard = terms(speech)
    if not heard:
        return None
    best: tuple[int, str] | None = None
    for key, options in choices:
        for option in options:
            phrase = terms(option)
            if phrase and _contains(heard, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), key)
    if best is not None:
        return best[1]
    for word in heard:
        if len(word) == 1 and (word.isdigit() or word in "*#"):
            return word
    return None


def negated(speech: str, negations: Iterable[str], meant: Iterable[str] = ()) -> bool:
    """Whether the caller's words say no somewhere ("Nein, nicht löschen", "Das will ich nicht"),
    other than in the words of what they chose (a poll's answer may be "Nie")."""
    said = set(terms(speech)) - {term for phrase in meant for term in terms(phrase)}
    return any(stem(word) in said for negation in negations for word in words(negation))


def offered_keys(prompt: str, naming: Sequence[str]) -> list[Choice]:
    """What a prompt itself says for each key: "For news from the city, press 1." -> ("1", ["for news from the city"]).

    naming: the words that name a key in this language, before the digit ("press"; "drücken Sie die").
    """
    if not naming:
        return []
    found: list[Choice] = []
    size = len(naming)
    for sentence in sentences(prompt):
        said = words(sentence)
        for at in range(1, len(said) - size):
            key = said[at + size]
            if said[at : at + size] == list(naming) and len(key) == 1 and key.isdigit():
                found.append((key, [" ".join(said[:at])]))
                break
    return found

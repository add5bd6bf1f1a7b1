"""Reading an SMS: which keyword its first word is, in which language, and what follows it.

The first word decides. Case, accents and umlaut spellings do not matter (LOESCHEN = LÖSCHEN),
obvious typos of longer keywords are accepted, and a number glued to the word counts as its
argument (PROJEKT3). Keyword names come from the message catalogs, so a new language brings
its own names without a code change.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9]")
_GLUED_NUMBER = re.compile(r"^([a-z]+?)(\d+)$")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
LONGEST_BODY = 1600


def fold(word: str) -> str:
    """LÖSCHEN, Löschen and loeschen all become "loeschen"; anything but letters and digits goes."""
    word = word.casefold().translate(_UMLAUTS)
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _NOT_WORD.sub("", word)


def typo_distance(a: str, b: str) -> int:
    """Edits between a and b: insertions, deletions, substitutions and swapped neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def typos_allowed(name: str) -> int:
    """Short keywords must be exact; longer ones may have one typo, long ones two."""
    return 0 if len(name) < 4 else 1 if len(name) <= 6 else 2


@dataclass(frozen=True)
class Command:
    keyword: str | None  # e.g. "news"; None if the first word is no keyword
    language: str | None  # the language whose keyword name was used
    argument: str  # the rest of the message, tidied
    closest: str | None = None  # for an unknown word: the keyword name it is nearest to


def tidy(body: str) -> str:
    """The message without invisible and control characters, single-spaced, at most 1,600 characters."""
    return " ".join(_INVISIBLE.sub("", body[: LONGEST_BODY * 2]).split())[:LONGEST_BODY]


def read(body: str, names: Mapping[str, Mapping[str, Sequence[str]]], prefer: str | None = None) -> Command:
    """Read a message; names maps language -> keyword -> its names in that language.

    For a word that is no keyword, the closest name is suggested, in the prefer language if it
    has one as close as any other.
    """
    text = tidy(body)
    first, _, rest = text.partition(" ")
    word = fold(first)
    glued = _GLUED_NUMBER.match(word)
    candidates = [
        (fold(name), name, keyword, language)
        for language, table in names.items()
        for keyword, spelled in table.items()
        for name in spelled
        if fold(name)
    ]
    attempts = [(word, rest)]
    if glued:
        attempts.append((glued.group(1), f"{glued.group(2)} {rest}".strip()))
    for attempt, argument in attempts:
        for folded, _name, keyword, language in candidates:
            if folded == attempt:
                return Command(keyword, language, argument)
    if not word or not candidates:
        return Command(None, None, text)
    scored = sorted(
        (typo_distance(word, folded), language != prefer, folded, name, keyword, language)
        for folded, name, keyword, language in candidates
    )
    best = [entry for entry in scored if entry[0] == scored[0][0]]
    distance, _, folded, name, keyword, language = best[0]
    if distance <= typos_allowed(folded) and len({entry[4] for entry in best}) == 1:
        return Command(keyword, language, rest)
    return Command(None, None, text, closest=name)

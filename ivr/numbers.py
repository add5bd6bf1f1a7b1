"""Numbers a caller says or types: "fünf", "Projekt fünf", "5" (speech recognition often gives
digits), or 1, 2 and the hash key on the keypad.

A number's name may be several words: "on bir" (Turkish 11), "ثلاثة عشر" (Arabic 13), and
"п'ять" (Ukrainian 5), which the apostrophe splits in two. Names are matched as runs of words,
the longest first, so that "on bir" is 11 and not 10, and "ثلاثة عشر" 13 and not 3.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ivr import prompts
from ivr.understanding import phrases, words

# Longer than any project number a town will print; longer input is a slip of the finger.
MOST_DIGITS = 4


def names_of_numbers(text: Callable[[str], str]) -> dict[int, list[str]]:
    """The words for 0 to 20 in the caller's language (text translates a message), folded."""
    messages = {int(key): message for key, message in prompts.SAY_DIGITS.items() if key.isdigit()}
    messages |= prompts.SAY_NUMBERS
    return {number: [" ".join(words(name)) for name in phrases(text(message))] for number, message in messages.items()}


def _numbers_in(said: list[str], names: Mapping[int, Sequence[str]]) -> list[tuple[int | None, int]]:
    """Each number in the words said, in order, with how many words it took (None: too many digits)."""
    spelled = sorted(
        ((name.split(), number) for number, forms in names.items() for name in forms if name),
        key=lambda entry: -len(entry[0]),
    )
    found: list[tuple[int | None, int]] = []
    at = 0
    while at < len(said):
        word = said[at]
        if word.isdecimal():  # digits, also Arabic-Indic ones ("٥")
            found.append((int(word) if len(word) <= MOST_DIGITS else None, 1))
            at += 1
            continue
        size, number = next(((len(name), n) for name, n in spelled if said[at : at + len(name)] == name), (1, None))
        if number is not None:
            found.append((number, size))
        at += size
    return found


def number_said(speech: str, names: Mapping[int, Sequence[str]]) -> int | None:
    """The first number in what the caller said, in digits or in words."""
    found = _numbers_in(words(speech), names)
    return found[0][0] if found else None


def number_typed(keys: str) -> int | None:
    """The number typed on the keypad (the hash key that ends it may come along)."""
    keys = keys.strip().removesuffix("#")
    if not (keys.isascii() and keys.isdigit()) or len(keys) > MOST_DIGITS:
        return None
    return int(keys)


def only_a_number(speech: str, names: Mapping[int, Sequence[str]]) -> bool:
    """The caller said a number and nothing else ("fünf", "5", "п'ять"), not "Projekt fünf"."""
    said = words(speech)
    found = _numbers_in(said, names)
    return len(found) == 1 and found[0][1] == len(said) and found[0][0] is not None

"""Numbers a caller says or types: "fünf", "Projekt fünf", "5" (speech recognition often gives
digits), or 1, 2 and the hash key on the keypad."""

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


def number_said(speech: str, names: Mapping[int, Sequence[str]]) -> int | None:
    """The first number in what the caller said, in digits or in words."""
    for word in words(speech):
        if word.isascii() and word.isdigit():
            return int(word) if len(word) <= MOST_DIGITS else None
        for number, said in names.items():
            if word in said:
                return number
    return None


def number_typed(keys: str) -> int | None:
    """The number typed on the keypad (the hash key that ends it may come along)."""
    keys = keys.strip().removesuffix("#")
    if not (keys.isascii() and keys.isdigit()) or len(keys) > MOST_DIGITS:
        return None
    return int(keys)


def only_a_number(speech: str, names: Mapping[int, Sequence[str]]) -> bool:
    """The caller said a number and nothing else ("fünf", "5"), not "Projekt fünf"."""
    said = words(speech)
    return len(said) == 1 and number_said(said[0], names) is not None

"""Turning sentences into speech: slow, clear, with pauses, in each language's own voice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from content.profile import Language
from telephony.voice import Say

# A little slower than the voice's default, for callers who hear less well; slower still on request.
NORMAL_RATE = "90%"
SLOW_RATE = "75%"
PAUSE = "350ms"
SLOW_PAUSE = "700ms"


# Where a line came from: its catalog message (a pair for plurals) and the values put into it.
Source = tuple[str | tuple[str, str], tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Line:
    """One sentence (or a few) to say, and the language to say it in."""

    text: str
    language: Language
    # The message and values it was made from, so that it can be said again (`*`); None for content.
    source: Source | None = field(default=None, compare=False)


def speak(lines: Sequence[Line], *, slow: bool = False) -> list[Say]:
    """Say lines: one Say per run of lines in the same language, in that language's voice.

    Slowly if asked to, and a language that is always spoken slowly (Leichte Sprache) always.
    """
    runs: list[tuple[Language, list[str]]] = []
    for line in lines:
        if not line.text.strip():
            continue
        if not runs or runs[-1][0] != line.language:
            runs.append((line.language, []))
        runs[-1][1].append(line.text)
    return [Say(tuple(said), lang.voice, lang.speech, *_manner(slow or lang.slow)) for lang, said in runs]


def _manner(slow: bool) -> tuple[str, str]:
    """The rate and the pause after each sentence."""
    return (SLOW_RATE, SLOW_PAUSE) if slow else (NORMAL_RATE, PAUSE)

"""Turning sentences into TwiML speech: slow, clear, with pauses, in each language's own voice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twilio.twiml import TwiML

from content.profile import Language

# A little slower than the voice's default, for callers who hear less well; slower still on request.
NORMAL_RATE = "90%"
SLOW_RATE = "75%"
PAUSE = "350ms"
SLOW_PAUSE = "700ms"


@dataclass(frozen=True)
class Line:
    """One sentence (or a few) to say, and the language to say it in."""

    text: str
    language: Language


def speak(parent: TwiML, lines: Sequence[Line], *, slow: bool = False) -> None:
    """Append <Say> elements for lines to parent, one per run of lines in the same language."""
    rate, pause = (SLOW_RATE, SLOW_PAUSE) if slow else (NORMAL_RATE, PAUSE)
    say = None
    current: Language | None = None
    for line in lines:
        if not line.text.strip():
            continue
        if say is None or line.language != current:
            current = line.language
            say = parent.say(voice=current.voice, language=current.speech)
        say.prosody(line.text, rate=rate)
        say.break_(time=pause)

"""Playing a phone locally (the browser simulator, `flask call`, `flask text`): what the caller
does, and what the hotline's answer asks of them next, in words of our own.

The provider's package builds and signs its webhook requests from these and reads its answers
back (for Twilio: telephony/twilio/local.py), so the same signed path serves a real call and a
simulated one.
"""

from __future__ import annotations

from dataclasses import dataclass

from telephony.voice import Ask, Connect, GoTo, HangUp, Record, Say, VoiceAnswer

# How putting a caller through to staff may end.
ANSWERED, BUSY, NO_ANSWER = "answered", "busy", "no-answer"
CONNECT_OUTCOMES = (ANSWERED, BUSY, NO_ANSWER)


@dataclass(frozen=True)
class CallerDoes:
    """One thing a caller does at a step of the call (all empty: they stay silent)."""

    key: str = ""
    words: str = ""
    connect_outcome: str = ""  # at a put-through: ANSWERED, BUSY or NO_ANSWER
    recorded_seconds: int = 0  # at a recording: how long the message was (0: nothing recorded)


@dataclass(frozen=True)
class Turn:
    """One answer of the hotline, as a phone follows it."""

    said: tuple[tuple[str, str], ...]  # (what is said, in which speech locale)
    waits_for: Ask | Record | Connect | None  # what the caller is asked to do, if anything
    otherwise: str | None  # where the call goes on without the caller (a GoTo), if anywhere
    hangs_up: bool


def turn(answer: VoiceAnswer) -> Turn:
    said: list[tuple[str, str]] = []
    waits_for: Ask | Record | Connect | None = None
    otherwise: str | None = None
    for command in answer.commands:
        says = command.prompt if isinstance(command, Ask) else (command,) if isinstance(command, Say) else ()
        said.extend((" ".join(say.sentences), say.language) for say in says)
        if isinstance(command, Ask | Record | Connect) and waits_for is None:
            waits_for = command
        elif isinstance(command, GoTo) and otherwise is None:
            otherwise = command.url
    hangs_up = any(isinstance(command, HangUp) for command in answer.commands)
    return Turn(tuple(said), waits_for, otherwise, hangs_up)

"""What the provider tells about a call, in words of our own: the provider's package reads its
webhook's fields into these, and the voice menu reads only these.

Whatever the provider sent, missing, garbled or huge, ends up as one of the values described
here; reading a step never fails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class PutThrough(enum.Enum):
    """How putting the caller through to a person ended."""

    TALKED = "talked"  # somebody answered
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"  # the line failed, or the caller gave up before anybody answered


@dataclass(frozen=True)
class CallStep:
    """One step of a call: who calls, and what they did at the last prompt."""

    call_id: str = ""
    caller: str | None = None  # the caller's number as the provider gave it; None when withheld or missing
    key: str | None = None  # the key (or keys) pressed
    speech: str | None = None  # the words recognised, without characters XML forbids (telephony.text)
    put_through: PutThrough | None = None  # only after a put-through: how it ended


@dataclass(frozen=True)
class RecordingReport:
    """A voice message the provider recorded for us."""

    recording_id: str | None = None  # None when the report names no recording of this provider
    url: str = ""  # where the provider keeps it (https only); "" when unknown
    seconds: int | None = None  # its length; None when unknown
    complete: bool = False  # stored at the provider and ready to fetch

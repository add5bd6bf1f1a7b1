"""What the provider tells about a call, in words of our own: the provider's package reads its
webhook's fields into these, and the voice menu reads only these.

Whatever the provider sent, missing, garbled or huge, ends up as one of the values described
here; reading a step never fails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


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
    # A call the city placed (a news call): who took it, by the provider's answering-machine
    # detection: PERSON, MACHINE, FAX, or None when it cannot tell (then it is treated as a person).
    answered_by: str | None = None
    outbound: bool = False  # the city placed this call; caller is then the number it called


# Who answered a call the city placed, and how such a call ended (the same words as the outbox's
# call outcomes in content.models).
PERSON = "human"
MACHINE = "machine"
FAX = "fax"
BUSY = "busy"
NO_ANSWER = "no-answer"
FAILED = "failed"
ANSWERED = "answered"


@dataclass(frozen=True)
class CallEnd:
    """What the provider's status report says about a call the city placed."""

    call_id: str = ""
    # ANSWERED, BUSY, NO_ANSWER or FAILED once it is over; None while it rings or is under way, or
    # for a status we do not know.
    ended: str | None = None
    answered_by: str | None = None  # PERSON, MACHINE, FAX or None, as in CallStep


class Dialler(Protocol):
    """How the worker places news calls through the provider."""

    def place(self, to: str, answer_url: str, status_url: str, fallback_url: str) -> str:
        """Ring `to`; once answered, the provider asks answer_url what to say (and fallback_url if
        answer_url fails or is too slow: never the provider's own "application error"), and reports
        the call's progress to status_url. Returns the provider's id of the call. Raises
        telephony.messages.ProviderError: one whose perhaps_done is true may have rung all the same."""
        ...

    def find(self, to: str, since: datetime) -> list[str]:
        """The provider's ids of the calls placed to `to` since then (for a worker that died while
        placing one). Raises ProviderError when the provider cannot tell."""
        ...

    def status(self, provider_id: str) -> CallEnd | None:
        """How a call placed earlier stands now, as the provider tells (for a status report that
        never arrived); None if the provider cannot tell. Raises ProviderError."""
        ...


class LocalDialler:
    """Without provider credentials (the demo): say on the console that the call would ring now.
    Nobody answers it; the simulator's own phone is rung by the worker without any dialler."""

    def __init__(self) -> None:
        self.count = 0

    def place(self, to: str, answer_url: str, status_url: str, fallback_url: str) -> str:
        self.count += 1
        # The demo's stand-in phone, on the operator's console: the end of the number only.
        print(f"[news call to …{to[-3:]}] rings: {answer_url}", flush=True)
        return f"LOCAL{self.count:010d}"

    def find(self, to: str, since: datetime) -> list[str]:
        return []  # it places nothing anywhere: a call it "placed" before is surely not ringing

    def status(self, provider_id: str) -> CallEnd | None:
        return None  # nobody answers it: it can tell nothing


@dataclass(frozen=True)
class RecordingReport:
    """A voice message the provider recorded for us."""

    recording_id: str | None = None  # None when the report names no recording of this provider
    url: str = ""  # where the provider keeps it (https only); "" when unknown
    seconds: int | None = None  # its length; None when unknown
    complete: bool = False  # stored at the provider and ready to fetch

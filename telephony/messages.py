"""What the provider tells about text messages, in words of our own, and how we send through it.

The SMS service and the worker see only these types; the provider's package (telephony/twilio/)
turns its webhook parameters, status values and error codes into them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# What became of a message we sent (the same words as the outbox's statuses).
SENT = "sent"  # the provider has it and is passing it on
DELIVERED = "delivered"  # it arrived
UNDELIVERED = "undelivered"  # it did not arrive
FAILED = "failed"  # the provider refused it for good

# What the provider already did for a texter before we saw the message (its own opt-out handling).
STOPPED = "stop"
STARTED = "subscribe"


@dataclass(frozen=True)
class IncomingSms:
    message_id: str  # the provider's id, the same when it sends the message again
    sender: str  # the number as the provider gave it ("" if none)
    body: str  # without characters XML forbids (telephony.text)
    handled_by_provider: str | None = None  # STOPPED or STARTED: the provider already confirmed it


@dataclass(frozen=True)
class DeliveryReport:
    message_id: str  # the provider's id of the message we sent
    status: str | None  # SENT, DELIVERED, UNDELIVERED, FAILED; None for a status we do not know
    error: str = ""  # the provider's error, for staff
    recipient_opted_out: bool = False  # the recipient told the provider to stop all messages


@dataclass(frozen=True)
class Sent:
    provider_id: str
    delivered: bool = False  # the local stand-in delivers at once


class ProviderError(Exception):
    def __init__(self, status: int, message: str, *, recipient_opted_out: bool = False, reached: bool = True) -> None:
        super().__init__(f"provider answered {status}: {message}")
        self.status = status
        self.recipient_opted_out = recipient_opted_out
        # False: no connection to the provider was made, so the request never reached it.
        self.reached = reached

    @property
    def retryable(self) -> bool:
        """Too many requests, the provider's own trouble or no answer at all: try again later."""
        return self.status == 429 or self.status >= 500 or self.status == 0

    @property
    def throttled(self) -> bool:
        """The provider turned the request away for now (too many at once): it did nothing."""
        return self.status == 429

    @property
    def perhaps_done(self) -> bool:
        """Whether the provider may have done what it was asked all the same: no answer came back
        after the request went out (a timeout, a connection reset), or it answered with trouble of
        its own (5xx), which can come after the work was done. Asking again could do it twice."""
        return self.reached and (self.status == 0 or self.status >= 500)


class Sender(Protocol):
    def send(self, to: str, body: str, status_callback: str | None) -> Sent: ...

    def find(self, to: str, body: str, since: datetime) -> str | None:
        """The provider id of this message if the provider has it; None if it surely has not."""
        ...

    def status(self, provider_id: str) -> DeliveryReport | None:
        """What became of a message sent earlier, as the provider tells now (for a delivery report
        that never arrived); None if the provider cannot tell. Raises ProviderError."""
        ...


class Recordings(Protocol):
    """The provider's copies of voice messages: fetched into the city's storage, then deleted."""

    def download(self, url: str) -> bytes: ...

    def delete(self, recording_id: str) -> None: ...


class LocalSender:
    """Without provider credentials (the demo): 'deliver' at once and show it on the console."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        self.count += 1
        print(f"[SMS to …{to[-3:]}] {body}", flush=True)  # the demo's stand-in phone, on the operator's console
        return Sent(provider_id=f"LOCAL{self.count:010d}", delivered=True)

    def find(self, to: str, body: str, since: datetime) -> str | None:
        return None

    def status(self, provider_id: str) -> DeliveryReport | None:
        return None  # it delivers at once: nothing it sent waits for a report

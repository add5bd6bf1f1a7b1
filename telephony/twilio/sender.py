"""Handing a message to the provider: Twilio through its own client, or a local stand-in.

One accessor (`sender_for`) picks the sender from the configuration, so tests swap the
endpoint (TWILIO_API_BASE_URL, a local fake of Twilio's API), never the code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"
# Twilio's error for a number that opted out (texted STOP to the sender).
OPTED_OUT = 21610

# The client logs request URLs and parameters at INFO: numbers and bodies must stay out of logs.
_quiet = logging.getLogger("sms.twilio_client")
_quiet.setLevel(logging.WARNING)


class ProviderError(Exception):
    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"provider answered {status} (code {code}): {message}")
        self.status, self.code = status, code

    @property
    def retryable(self) -> bool:
        """Too many requests or the provider's own trouble: try again later."""
        return self.status == 429 or self.status >= 500 or self.status == 0


@dataclass(frozen=True)
class Sent:
    provider_id: str
    delivered: bool = False  # the local stand-in delivers at once


class Sender(Protocol):
    def send(self, to: str, body: str, status_callback: str | None) -> Sent: ...

    def find(self, to: str, body: str, since: datetime) -> str | None:
        """The provider id of this message if the provider has it; None if it surely has not."""
        ...


class _PointedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, pointed at another API base (a local fake in tests)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10, logger=_quiet)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def http_client_for(api_base_url: str | None) -> TwilioHttpClient:
    """Twilio's HTTP client, quiet in the logs, pointed at api_base_url if one is configured."""
    return _PointedHttpClient(api_base_url) if api_base_url else TwilioHttpClient(timeout=10, logger=_quiet)


class TwilioSender:
    def __init__(self, account_sid: str, auth_token: str, *, messaging_service_sid: str | None,
                 from_number: str | None, api_base_url: str | None = None) -> None:
        self.client = Client(account_sid, auth_token, http_client=http_client_for(api_base_url))
        self.sender = {"messaging_service_sid": messaging_service_sid} if messaging_service_sid else {"from_": from_number}

    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        try:
            message = self.client.messages.create(to=to, body=body, status_callback=status_callback, **self.sender)
        except TwilioRestException as error:
            raise ProviderError(error.status, error.code, error.msg) from None
        except OSError as error:  # connection refused, timeout, reset
            raise ProviderError(0, None, type(error).__name__) from None
        return Sent(provider_id=message.sid)

    def find(self, to: str, body: str, since: datetime) -> str | None:
        try:
            messages = self.client.messages.list(to=to, date_sent_after=since, limit=50)
        except (TwilioRestException, OSError) as error:
            raise ProviderError(getattr(error, "status", 0) or 0, None, "lookup failed") from None
        return next((m.sid for m in messages if m.body == body), None)


class LocalSender:
    """Without Twilio credentials (the demo): 'deliver' at once and show it on the console."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        self.count += 1
        print(f"[SMS to …{to[-3:]}] {body}", flush=True)  # noqa: T201 - the demo's stand-in phone
        return Sent(provider_id=f"LOCAL{self.count:010d}", delivered=True)

    def find(self, to: str, body: str, since: datetime) -> str | None:
        return None


def sender_for(config: dict[str, Any]) -> Sender:
    if config.get("TWILIO_ACCOUNT_SID") and (config.get("TWILIO_MESSAGING_SERVICE_SID") or config.get("TWILIO_PHONE_NUMBER")):
        return TwilioSender(
            config["TWILIO_ACCOUNT_SID"],
            config["TWILIO_AUTH_TOKEN"],
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID"),
            from_number=config.get("TWILIO_PHONE_NUMBER"),
            api_base_url=config.get("TWILIO_API_BASE_URL"),
        )
    return LocalSender()

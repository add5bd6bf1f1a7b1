"""Sending SMS through Twilio's REST API, with Twilio's own client.

Tests point the client at a local fake of Twilio's API (TWILIO_API_BASE_URL), never swap the code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from telephony.messages import DeliveryReport, LocalSender, ProviderError, Sender, Sent
from telephony.twilio.http import NotReached, PooledHttpClient
from telephony.twilio.messages import OPTED_OUT, report

# What Twilio's message ids look like (SM…, MM… with media): nothing else goes into an API path.
MESSAGE_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")
NOT_FOUND = 404
# How many of a number's newest messages are looked through for one a stopped worker sent.
LOOKUP_LIMIT = 100


def http_client_for(api_base_url: str | None) -> PooledHttpClient:
    """Twilio's client's transport, quiet in the logs, pointed at api_base_url if one is configured."""
    return PooledHttpClient(api_base_url)


# Six digits or more, with the spaces, dashes, dots, slashes and brackets people write numbers
# with: a phone number in one of Twilio's error texts ("The 'To' number +49151… is not a valid
# phone number"). Twilio's error codes and the links to them have five.
PHONE_NUMBER = re.compile(r"\+?\d(?:[ \-./()]*\d){5,}")
A_NUMBER = "[number]"


def without_numbers(text: str) -> str:
    """Twilio's words with every phone number in them blotted out: they are stored for staff."""
    return PHONE_NUMBER.sub(A_NUMBER, text)


def refused(error: TwilioRestException) -> ProviderError:
    """Twilio's refusal in our words: its HTTP status, its error code, and its message without the
    phone number it may quote (it is stored with the message or call, and shown to staff)."""
    message = without_numbers(str(error.msg or ""))
    return ProviderError(error.status, f"code {error.code}: {message}", recipient_opted_out=error.code == OPTED_OUT)


def unanswered(error: OSError) -> ProviderError:
    """No answer from Twilio's API (connection refused, reset, timed out), by its kind only: the
    request either never reached Twilio (NotReached) or went out and nothing came back."""
    return ProviderError(0, type(error).__name__, reached=not isinstance(error, NotReached))


class TwilioSender:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        messaging_service_sid: str | None,
        from_number: str | None,
        api_base_url: str | None = None,
    ) -> None:
        self.client = Client(account_sid, auth_token, http_client=http_client_for(api_base_url))
        self.sender = (
            {"messaging_service_sid": messaging_service_sid} if messaging_service_sid else {"from_": from_number}
        )

    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        try:
            message = self.client.messages.create(to=to, body=body, status_callback=status_callback, **self.sender)
        except TwilioRestException as error:
            raise refused(error) from None
        except OSError as error:  # connection refused, timeout, reset
            raise unanswered(error) from None
        return Sent(provider_id=str(message.sid))

    def find(self, to: str, body: str, since: datetime) -> str | None:
        # Not filtered by DateSent: a message Twilio still holds queued has none yet, and would be
        # missed, then sent again. The newest messages to the number, created since then, will do.
        try:
            messages = self.client.messages.list(to=to, limit=LOOKUP_LIMIT)
        except (TwilioRestException, OSError) as error:
            raise ProviderError(getattr(error, "status", 0) or 0, "lookup failed") from None
        created_since = (m for m in messages if m.date_created is None or m.date_created >= since)
        return next((str(m.sid) for m in created_since if m.body == body), None)

    def status(self, provider_id: str) -> DeliveryReport | None:
        if not MESSAGE_SID.fullmatch(provider_id):
            return None
        message = fetched(self.client.messages(provider_id).fetch)
        if message is None:
            return None
        return report(provider_id, str(message.status or ""), str(message.error_code or ""))


def fetched(fetch: Callable[[], Any]) -> Any | None:
    """One of Twilio's resources (a message, a call) as it stands now; None when Twilio does not
    know it (deleted, or never Twilio's). Raises ProviderError when Twilio cannot be asked."""
    try:
        return fetch()
    except TwilioRestException as error:
        if error.status == NOT_FOUND:
            return None
        raise refused(error) from None
    except OSError as error:  # connection refused, timeout, reset
        raise unanswered(error) from None


def sender(config: Mapping[str, Any]) -> Sender:
    """Twilio with an account and a sender configured; otherwise the console stand-in (the demo)."""
    if config.get("TWILIO_ACCOUNT_SID") and (
        config.get("TWILIO_MESSAGING_SERVICE_SID") or config.get("TWILIO_PHONE_NUMBER")
    ):
        return TwilioSender(
            config["TWILIO_ACCOUNT_SID"],
            config["TWILIO_AUTH_TOKEN"],
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID"),
            from_number=config.get("TWILIO_PHONE_NUMBER"),
            api_base_url=config.get("TWILIO_API_BASE_URL"),
        )
    return LocalSender()

"""Placing news calls through Twilio's REST API (the Calls resource), with Twilio's own client.

Tests point the client at a local fake of Twilio's API (TWILIO_API_BASE_URL), never swap the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from telephony.calls import CallEnd, Dialler, LocalDialler
from telephony.messages import ProviderError
from telephony.twilio.calls import call_end
from telephony.twilio.sender import fetched, http_client_for, refused, unanswered

# How long the phone rings before Twilio gives up ("no-answer"). Older residents take a while to
# reach the phone; much longer, and the network's own mailbox answers instead of them.
RING_SECONDS = 40
# Everything Twilio can tell about a placed call: the voice menu's status webhook reads each one.
EVENTS = ["initiated", "ringing", "answered", "completed"]
# Answering machine detection that waits for the end of the greeting (Twilio's AnsweredBy is then
# machine_end_beep, _silence or _other): the short message is spoken after the beep, not into it.
MACHINE_DETECTION = "DetectMessageEnd"
# How many of a number's calls are looked through for one a stopped worker placed.
LOOKUP_LIMIT = 20
# What Twilio's call ids look like: nothing else goes into an API path.
CALL_SID = re.compile(r"CA[0-9a-f]{32}")


class TwilioDialler:
    def __init__(self, account_sid: str, auth_token: str, *, from_number: str, api_base_url: str | None = None) -> None:
        self.client = Client(account_sid, auth_token, http_client=http_client_for(api_base_url))
        # The number residents see, and can call back: the hotline's own.
        self.from_number = from_number

    def place(self, to: str, answer_url: str, status_url: str, fallback_url: str) -> str:
        try:
            call = self.client.calls.create(
                to=to,
                from_=self.from_number,
                url=answer_url,
                method="POST",
                # The console's fallback URL is the number's, for calls to it: a call placed
                # through the API names its own, or a failing answer URL ends in Twilio's
                # "application error" on the resident's phone.
                fallback_url=fallback_url,
                fallback_method="POST",
                status_callback=status_url,
                status_callback_method="POST",
                status_callback_event=EVENTS,
                machine_detection=MACHINE_DETECTION,
                timeout=RING_SECONDS,
            )
        except TwilioRestException as error:
            raise refused(error) from None
        except OSError as error:  # connection refused, timeout, reset: perhaps placed all the same
            raise unanswered(error) from None
        return str(call.sid)

    def find(self, to: str, since: datetime) -> list[str]:
        """The calls to `to` that started since then, and those Twilio still holds queued: a call
        beyond the account's calls per second waits at Twilio undialled, without a start time,
        and a filter on the start time would miss it (then it would be placed a second time)."""
        since = since.astimezone(UTC)  # the client writes the time with a Z, whatever its zone
        try:
            started = self.client.calls.list(to=to, start_time_after=since, limit=LOOKUP_LIMIT)
            waiting = self.client.calls.list(to=to, status="queued", limit=LOOKUP_LIMIT)
        except (TwilioRestException, OSError) as error:
            raise ProviderError(getattr(error, "status", 0) or 0, "lookup failed") from None
        return _ids(
            [call.sid for call in started if call.start_time is None or call.start_time >= since],
            [call.sid for call in waiting if call.date_created is None or call.date_created >= since],
        )

    def status(self, provider_id: str) -> CallEnd | None:
        if not CALL_SID.fullmatch(provider_id):
            return None
        call = fetched(self.client.calls(provider_id).fetch)
        if call is None:
            return None
        # Read as the status callback that never came would have been.
        return call_end(
            {"CallSid": provider_id, "CallStatus": str(call.status or ""), "AnsweredBy": str(call.answered_by or "")}
        )


def _ids(*found: Iterable[str | None]) -> list[str]:
    """Each id once, in the order found (Twilio lists the newest first)."""
    return list(dict.fromkeys(str(sid) for ids in found for sid in ids if sid))


def dialler(config: Mapping[str, Any]) -> Dialler:
    """Twilio with an account and the hotline's number; otherwise the console stand-in (the demo).
    A messaging service sends SMS only: a call needs TWILIO_PHONE_NUMBER."""
    if config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_PHONE_NUMBER"):
        return TwilioDialler(
            config["TWILIO_ACCOUNT_SID"],
            config["TWILIO_AUTH_TOKEN"],
            from_number=config["TWILIO_PHONE_NUMBER"],
            api_base_url=config.get("TWILIO_API_BASE_URL"),
        )
    return LocalDialler()

"""Voice messages at Twilio: download a recording with the account's credentials, then delete it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from telephony.messages import ProviderError, Recordings
from telephony.twilio.http import TWILIO_API
from telephony.twilio.sender import http_client_for, refused


class TwilioRecordings:
    """Twilio's recordings API, with the account's credentials (media URLs may require them)."""

    def __init__(self, account_sid: str, auth_token: str, api_base_url: str | None = None) -> None:
        self.auth = (account_sid, auth_token)
        self.base = (api_base_url or TWILIO_API).rstrip("/")
        self.client = Client(account_sid, auth_token, http_client=http_client_for(api_base_url))

    def download(self, url: str) -> bytes:
        # Only ever send the account's credentials to Twilio's own API (or the configured stand-in).
        if not url.startswith(TWILIO_API + "/"):
            raise ProviderError(400, "not a Twilio recording address")
        try:
            response = requests.get(self.base + url[len(TWILIO_API) :] + ".mp3", auth=self.auth, timeout=30)
        except requests.RequestException as error:
            raise ProviderError(0, type(error).__name__) from None
        if response.status_code != 200:
            raise ProviderError(response.status_code, "download failed")
        return response.content

    def delete(self, recording_id: str) -> None:
        try:
            self.client.recordings(recording_id).delete()
        except TwilioRestException as error:
            if error.status != 404:  # already gone is what we wanted
                raise refused(error) from None
        except OSError as error:
            raise ProviderError(0, type(error).__name__) from None


def recordings(config: Mapping[str, Any]) -> Recordings | None:
    """The account's recordings, or None without credentials (the demo cannot fetch any)."""
    if config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN"):
        return TwilioRecordings(
            config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], config.get("TWILIO_API_BASE_URL")
        )
    return None

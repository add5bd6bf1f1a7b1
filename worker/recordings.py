"""Voice messages into the city's own storage: fetch each recording from the provider, keep it in
RECORDINGS_DIR, then delete the provider's copy. Run by the worker; a failed fetch is tried again
later, so no message is lost.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import requests
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from content.models import Submission
from telephony.twilio.sender import TWILIO_API, ProviderError, http_client_for

log = logging.getLogger(__name__)

BATCH = 20
LONGEST_WAIT = timedelta(hours=6)


class Recordings(Protocol):
    def download(self, url: str) -> bytes: ...

    def delete(self, sid: str) -> None: ...


class TwilioRecordings:
    """Twilio's recordings API, with the account's credentials (media URLs may require them)."""

    def __init__(self, account_sid: str, auth_token: str, api_base_url: str | None = None) -> None:
        self.auth = (account_sid, auth_token)
        self.base = (api_base_url or TWILIO_API).rstrip("/")
        self.client = Client(account_sid, auth_token, http_client=http_client_for(api_base_url))

    def download(self, url: str) -> bytes:
        # Only ever send the account's credentials to Twilio's own API (or the configured stand-in).
        if not url.startswith(TWILIO_API + "/"):
            raise ProviderError(400, None, "not a Twilio recording address")
        try:
            response = requests.get(self.base + url[len(TWILIO_API):] + ".mp3", auth=self.auth, timeout=30)
        except requests.RequestException as error:
            raise ProviderError(0, None, type(error).__name__) from None
        if response.status_code != 200:
            raise ProviderError(response.status_code, None, "download failed")
        return response.content

    def delete(self, sid: str) -> None:
        try:
            self.client.recordings(sid).delete()
        except TwilioRestException as error:
            if error.status != 404:  # already gone is what we wanted
                raise ProviderError(error.status, error.code, error.msg) from None
        except OSError as error:
            raise ProviderError(0, None, type(error).__name__) from None


def recordings_for(config: dict[str, Any]) -> Recordings | None:
    """The provider's recordings, or None without credentials (the demo cannot fetch any)."""
    if config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN"):
        return TwilioRecordings(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], config.get("TWILIO_API_BASE_URL"))
    return None


def keep(directory: Path, name: str, audio: bytes) -> None:
    """Write the file whole or not at all, readable by the service's user only."""
    partial = directory / f".{name}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(audio)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(directory / name)


def fetch_due(session: Session, recordings: Recordings, directory: Path, now: datetime) -> int:
    """Fetch the recordings that are due, delete them at the provider; return how many were done."""
    due = select(Submission).where(
        Submission.recording_url.is_not(None), or_(Submission.fetch_after.is_(None), Submission.fetch_after <= now)
    )
    done = 0
    for item in session.scalars(due.order_by(Submission.id).limit(BATCH)).all():
        try:
            if item.recording_wanted and item.recording_file is None:
                name = f"{item.id}-{item.recording_sid}.mp3"
                keep(directory, name, recordings.download(item.recording_url or ""))
                item.recording_file = name
            recordings.delete(item.recording_sid or "")
            item.recording_url, item.fetch_after = None, None
            done += 1
        except ProviderError as error:
            item.fetch_attempts += 1
            item.fetch_after = now + min(timedelta(minutes=2 ** min(item.fetch_attempts, 10)), LONGEST_WAIT)
            log.warning("voice message %s: fetching failed (%s), attempt %s", item.id, error.status, item.fetch_attempts)
        session.commit()
    return done

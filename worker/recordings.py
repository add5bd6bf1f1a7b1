"""Voice messages into the city's own storage: fetch each recording from the provider, keep it in
RECORDINGS_DIR, then delete the provider's copy. Run by the worker; a failed fetch is tried again
later, so no message is lost.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from content.models import Submission
from telephony.messages import ProviderError, Recordings

log = logging.getLogger(__name__)

BATCH = 20
LONGEST_WAIT = timedelta(hours=6)


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
            log.warning(
                "voice message %s: fetching failed (%s), attempt %s", item.id, error.status, item.fetch_attempts
            )
        session.commit()
    return done

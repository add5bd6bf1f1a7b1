"""The last town profile read from the database, kept for the moments the database is away.

Held in memory and in a small file under instance/, so that even a freshly started process can
tell a caller the staff number while the database is unreachable.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from flask import current_app

from content.profile import TownProfile, profile_from_settings

log = logging.getLogger(__name__)

FILE_NAME = "last-known-profile.json"


def _path() -> Path:
    return Path(current_app.instance_path) / FILE_NAME


def remember(profile: TownProfile) -> None:
    if current_app.extensions.get("content.last_known") == profile:
        return
    current_app.extensions["content.last_known"] = profile
    try:
        path = _path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as file:
            json.dump(profile.to_settings(), file)
        os.replace(file.name, path)
    except OSError:
        log.exception("could not keep the last known town profile on disk")


def recall() -> TownProfile | None:
    """The last known profile, from memory or disk; None if there never was one. No database."""
    profile: TownProfile | None = current_app.extensions.get("content.last_known")
    if profile is not None:
        return profile
    try:
        profile = profile_from_settings(json.loads(_path().read_text()))
    except (OSError, ValueError, TypeError):
        return None
    current_app.extensions["content.last_known"] = profile
    return profile

"""The service's sense of now (the CLOCK setting: the real time, or a test's)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app


def now() -> datetime:
    clock: Callable[[], datetime] = current_app.config["CLOCK"]
    return clock()

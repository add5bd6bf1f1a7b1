"""What the log may say about a failure: its kind and where it happened, never its message.

A database's message can quote the row it refused ("Key (number)=(+49…) already exists"), and
an error raised while handling an SMS can quote the SMS. The log is read by operators and kept
by hosting platforms, so it gets the error's class, the database's error code and the code
lines it passed through, which is what is needed to find the fault.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

# How many of the innermost code lines the log shows.
FRAMES = 6


def described(error: BaseException) -> str:
    """ "IntegrityError (UniqueViolation, SQLSTATE 23505) at outbox.py:52 enqueue < …" """
    kind = type(error).__name__
    cause = getattr(error, "orig", None)  # the database driver's own error, wrapped by SQLAlchemy
    if isinstance(cause, BaseException):
        code = getattr(cause, "sqlstate", None) or getattr(cause, "sqlite_errorname", None)
        kind += f" ({type(cause).__name__}{f', {code}' if code else ''})"
    frames = traceback.extract_tb(error.__traceback__)[-FRAMES:]
    where = " < ".join(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in reversed(frames))
    return f"{kind} at {where}" if where else kind


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    """Log that what failed, and how, without a word of the data involved."""
    log.error("%s: %s", what, described(error))

"""The seam to the telephone provider.

The rest of the service uses `telephony.provider` (the webhook guard, and reading requests into
and rendering answers from the neutral types) and the neutral types themselves: `voice` (what a
call hears and may do next), `calls` (what a call webhook tells), `messages` (SMS in, delivery
reports, sending) and `local` (playing a phone locally). Everything provider-specific lives in
the provider's package, `telephony/twilio/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Refuse to start with a TELEPHONY_PROVIDER that names no provider's package."""
    from telephony import deadline, provider

    provider.check(app.config)
    deadline.init_app(app)

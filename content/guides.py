"""How to use the hotline, as the phone and SMS parts describe themselves.

The public page and the staff pages show the keys of the main menu and the SMS keywords. Those
belong to ivr/ and sms/, which content/ must not import; instead each registers a guide here
when the app is built, so the page always shows what the menu and the keywords really are.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

# A guide gives, for a language code, rows of (what to press or send, what it does, the language
# that says it: the page's, or another's, as the phone offers each language in its own).
Guide = Callable[[str], list[tuple[str, str, str]]]


def register(app: Flask, channel: str, guide: Guide) -> None:
    app.extensions.setdefault("content.guides", {})[channel] = guide


def guide(channel: str, language: str) -> list[tuple[str, str, str]]:
    """The guide a part registered for channel ("phone", "sms"), or nothing if none did."""
    registered = current_app.extensions.get("content.guides", {}).get(channel)
    return registered(language) if registered else []

"""The SMS service: keyword grammar and replies, delivery reports, and the outbox worker."""

from __future__ import annotations

from flask import Flask

from content import guides
from content.i18n import translate
from sms import prompts, views


def keyword_guide(language: str) -> list[tuple[str, str, str]]:
    """The SMS keywords in language, each with what it gives."""
    return [
        (translate(language, prompts.KEYWORD_NAMES[keyword]), translate(language, purpose), language)
        for keyword, purpose in prompts.KEYWORD_PURPOSES.items()
    ]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    guides.register(app, "sms", keyword_guide)

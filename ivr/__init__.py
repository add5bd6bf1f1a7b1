"""The voice hotline: the menu tree, answered in the neutral voice commands of telephony."""

from __future__ import annotations

from flask import Flask

from content import guides, snapshot
from content.i18n import translate
from ivr import languages, nodes, views


def key_guide(language: str) -> list[tuple[str, str, str]]:
    """The main menu's keys and what the caller hears for each, in language; each other language's
    offer in that language."""
    keys = [(key, translate(language, prompt), language) for key, prompt in nodes.MAIN_MENU_SENTENCES]
    for other in snapshot.current().profile.languages:
        if other.code != language:
            keys.append((languages.LANGUAGE_KEY, languages.offer(other, languages.LANGUAGE_KEY).text, other.code))
    return keys


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    guides.register(app, "phone", key_guide)

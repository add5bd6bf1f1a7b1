"""The voice hotline: the menu tree rendered as TwiML."""

from __future__ import annotations

from flask import Flask

from ivr import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)

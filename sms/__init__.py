"""The SMS service: keyword grammar and replies (and, to come, the outbox worker)."""

from __future__ import annotations

from flask import Flask

from sms import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)

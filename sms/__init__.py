"""The SMS service: keyword grammar and replies, delivery reports, and the outbox worker."""

from __future__ import annotations

from flask import Flask

from sms import cli, views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    cli.init_app(app)

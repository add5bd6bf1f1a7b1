"""The one outbound worker process: sends the outbox, fetches voice messages, purges daily."""

from __future__ import annotations

from flask import Flask

from worker import cli


def init_app(app: Flask) -> None:
    cli.init_app(app)

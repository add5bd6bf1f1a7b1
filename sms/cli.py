"""Operator command: flask outbox run (the Procfile's worker)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from content import db
from sms.sender import sender_for
from sms.worker import Worker, run

outbox_commands = AppGroup("outbox", help="Outbound messages.")

# Messages per second when SMS_PER_SECOND is not set: within what a Twilio number may send.
DEFAULT_PER_SECOND = 10.0
DEFAULT_STALE_SECONDS = 60.0
DEFAULT_CONCURRENCY = 4  # requests to the provider in flight at once


def status_url(message_id: int) -> str | None:
    base = current_app.config.get("PUBLIC_BASE_URL")
    return f"{base.rstrip('/')}/sms/status?outbox={message_id}" if base else None


def make_worker() -> Worker:
    config = current_app.config
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def url(message_id: int) -> str | None:
        with app.app_context():
            return status_url(message_id)

    return Worker(
        db.engine(),
        sender_for(config),
        clock=config["CLOCK"],
        per_second=float(config.get("SMS_PER_SECOND") or DEFAULT_PER_SECOND),
        status_url=url,
        stale_seconds=float(config.get("OUTBOX_STALE_SECONDS") or DEFAULT_STALE_SECONDS),
        concurrency=int(config.get("OUTBOX_CONCURRENCY") or DEFAULT_CONCURRENCY),
    )


@outbox_commands.command("run")
@click.option("--until-idle", is_flag=True, help="Stop when nothing is left to send.")
def run_command(until_idle: bool) -> None:
    """Send queued messages: paced, retried, each at most once."""
    run(make_worker(), until_idle=until_idle)


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_commands)

"""Operator commands: flask outbox run (the Procfile's worker) and flask recordings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from content import clock, db, privacy, queries
from telephony import provider
from telephony.messages import LocalSender
from worker import delivery
from worker.recordings import fetch_due
from worker.sending import Worker, run

outbox_commands = AppGroup("outbox", help="Outbound messages.")


def make_worker() -> Worker:
    config = current_app.config

    def url(message_id: int) -> str | None:
        """Where the provider reports this message's fate (read per message, no app context: it
        is asked for every SMS)."""
        base = config.get("PUBLIC_BASE_URL")
        return f"{base.rstrip('/')}/sms/status?outbox={message_id}" if base else None

    sender = provider.sender(config)
    if config["HOTLINE_ENV"] == "production" and isinstance(sender, LocalSender):
        raise click.ClickException(
            "No SMS can be sent: set TWILIO_ACCOUNT_SID and TWILIO_PHONE_NUMBER (or "
            "TWILIO_MESSAGING_SERVICE_SID). In production SMS are never printed instead."
        )
    return Worker(
        db.engine(),
        sender,
        clock=config["CLOCK"],
        per_second=config["SMS_PER_SECOND"],
        status_url=url,
        stale_seconds=config["OUTBOX_STALE_SECONDS"],
        concurrency=config["OUTBOX_CONCURRENCY"],
    )


# The worker purges expired personal data this often (and the release step once per deploy).
PURGE_EVERY = timedelta(days=1)
# It asks the provider for delivery reports that never came this often, or at once while a round
# finds a full batch.
LOOK_UP_EVERY = timedelta(minutes=5)


def make_chores() -> Callable[[], None]:
    """What the worker does between messages: fetch voice messages, ask for delivery reports that
    never came, purge once a day."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own way to the app object
    recordings = provider.recordings(app.config)
    sender = provider.sender(app.config)
    last_purge: list[datetime] = []
    next_look_up: list[datetime] = []

    def chores() -> None:
        with app.app_context():
            now = clock.now()
            if recordings is not None:
                fetch_due(db.session(), recordings, privacy.recordings_dir(), now)
            if not next_look_up or now >= next_look_up[0]:
                asked = delivery.look_up(db.session(), sender, now)
                next_look_up[:] = [now if asked == delivery.BATCH else now + LOOK_UP_EVERY]
            if not last_purge or now - last_purge[0] >= PURGE_EVERY:
                privacy.purge(db.session(), queries.town_profile(db.session()), now, privacy.recordings_dir())
                db.session().commit()
                last_purge[:] = [now]

    return chores


@outbox_commands.command("run")
@click.option("--until-idle", is_flag=True, help="Stop when nothing is left to send.")
def run_command(until_idle: bool) -> None:
    """Send queued messages: paced, retried, each at most once; fetch voice messages; ask for lost
    delivery reports; purge daily."""
    run(make_worker(), until_idle=until_idle, chores=make_chores())


@click.command("recordings")
@with_appcontext
def recordings_command() -> None:
    """Fetch the voice messages that are due into RECORDINGS_DIR and delete them at the provider."""
    recordings = provider.recordings(current_app.config)
    if recordings is None:
        raise click.ClickException("No voice message can be fetched: no provider account is set (TWILIO_ACCOUNT_SID).")
    done = fetch_due(db.session(), recordings, privacy.recordings_dir(), clock.now())
    click.echo(f"{done} voice messages fetched.")


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_commands)
    app.cli.add_command(recordings_command)

"""Operator commands: flask outbox run (the Procfile's worker) and flask recordings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from content import clock, db, news_calls, privacy, queries, usage
from content.profile import TownProfile
from telephony import provider
from telephony.calls import LocalDialler
from telephony.messages import LocalSender
from worker import call_ends, delivery
from worker.calling import CallPlacer, calling_day_begun
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
    worker = Worker(
        db.engine(),
        sender,
        clock=config["CLOCK"],
        per_second=config["SMS_PER_SECOND"],
        status_url=url,
        stale_seconds=config["OUTBOX_STALE_SECONDS"],
        concurrency=config["OUTBOX_CONCURRENCY"],
    )
    worker.calls = call_placer(worker, config)
    return worker


def calling(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """The settings news calls are placed with: from TWILIO_PHONE_NUMBER, or else from the town's
    hotline number (a town that sends its SMS through a messaging service): the number residents
    know, and can call back."""
    if config.get("TWILIO_PHONE_NUMBER"):
        return config
    return {**config, "TWILIO_PHONE_NUMBER": queries.town_profile(db.session()).hotline_number}


def call_placer(worker: Worker, config: Mapping[str, Any]) -> CallPlacer | None:
    """How the worker places news calls; None when it cannot (then they wait, queued). In
    production it refuses to start without what calls need, as it does for SMS."""
    dialler = provider.dialler(calling(config))
    base = config.get("PUBLIC_BASE_URL") or ""
    production = config["HOTLINE_ENV"] == "production"
    if isinstance(dialler, LocalDialler) and production:
        raise click.ClickException(
            "No news call can be placed: set TWILIO_PHONE_NUMBER (or the hotline's number in the town's "
            "settings), the number residents see and can call back. In production calls are never printed instead."
        )
    if not isinstance(dialler, LocalDialler) and not base:
        why = (
            "No news call can be placed: set PUBLIC_BASE_URL (e.g. https://hotline.example.org), the address "
            "Twilio asks what to say once a resident answers."
        )
        if production:
            raise click.ClickException(why)
        click.echo(f"{why} News calls stay queued until then.", err=True)
        return None
    return CallPlacer(
        worker,
        dialler,
        per_second=config["CALLS_PER_SECOND"],
        base_url=base,
        concurrency=config["OUTBOX_CONCURRENCY"],
    )


# The worker purges expired personal data this often (and the release step once per deploy).
PURGE_EVERY = timedelta(days=1)
# It asks the provider for delivery reports that never came this often, or at once while a round
# finds a full batch.
LOOK_UP_EVERY = timedelta(minutes=5)


def make_chores() -> Callable[[], None]:
    """What the worker does between messages: fetch voice messages, ask for delivery reports and
    news call ends that never came, queue the day's weekly news calls, purge once a day."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own way to the app object
    recordings = provider.recordings(app.config)
    sender = provider.sender(app.config)
    dialler = provider.dialler(calling(app.config))
    last_purge: list[datetime] = []
    next_look_up: list[datetime] = []
    summaries_queued: list[date] = []
    usage_counted: list[date] = []

    def chores() -> None:
        with app.app_context():
            now, profile = clock.now(), queries.town_profile(db.session())  # read once per round
            queue_summaries(profile, now, summaries_queued)
            count_usage(profile, now, usage_counted)
            if recordings is not None:
                fetch_due(db.session(), recordings, privacy.recordings_dir(), now)
            if not next_look_up or now >= next_look_up[0]:
                asked = delivery.look_up(db.session(), sender, now)
                asked_calls = call_ends.look_up(db.session(), dialler, profile, now)
                full = asked == delivery.BATCH or asked_calls == call_ends.BATCH
                next_look_up[:] = [now if full else now + LOOK_UP_EVERY]
            if not last_purge or now - last_purge[0] >= PURGE_EVERY:
                privacy.purge(db.session(), profile, now, privacy.recordings_dir())
                db.session().commit()
                last_purge[:] = [now]

    return chores


def queue_summaries(profile: TownProfile, now: datetime, done: list[date]) -> None:
    """Once a day, when its first calling window opens: the weekly summaries due today (once per
    day in the database too, so that a restarted or second worker changes nothing)."""
    session = db.session()
    today = calling_day_begun(profile, now)
    if today is None or today in done:
        return
    news_calls.queue_summaries(session, profile, queries.scheduled_announcements(session), now)
    session.commit()
    done[:] = [today]


def count_usage(profile: TownProfile, now: datetime, done: list[date]) -> None:
    """Once a day, soon after midnight: count the usage events of the day before (content.usage);
    a second worker doing the same at once counts nothing."""
    today = (now - usage.COUNT_AFTER).astimezone(ZoneInfo(profile.timezone)).date()
    if today in done:
        return
    usage.count_days_safely(db.session(), ZoneInfo(profile.timezone), now)
    db.session().commit()
    done[:] = [today]


@outbox_commands.command("run")
@click.option("--until-idle", is_flag=True, help="Stop when nothing is left to send.")
def run_command(until_idle: bool) -> None:
    """Send queued messages and place news calls in calling hours: paced, retried, each at most
    once; fetch voice messages; ask for lost delivery reports; queue weekly news calls; purge daily."""
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

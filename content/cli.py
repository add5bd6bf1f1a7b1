"""Operator commands: flask db upgrade, flask demo load, flask news send, flask purge, flask dev-token."""

from __future__ import annotations

import socket
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from content import clock, db, demo, demo_usage, migrate, news_calls, outbox, privacy, queries, snapshot
from content.i18n import N_, translate
from content.models import Announcement, Broadcast
from content.profile import TownProfile

# Messages a clerk reads in the terminal speak the town's first language, like the staff pages;
# the commands' --help stays English, for the operators who install and run the service.
HAS_CONTENT = N_("The database has content already; the demo was not loaded.")
NOT_EMPTY = N_("The database has content already. Load the demo into an empty one.")
DEMO_LOADED = N_("Demo content loaded: Kaiserslautern, 9 projects, 3 news items.")
FIGURES_LOADED = N_("Also loaded: a year of sample figures for the report to the council (/staff/report).")
PORT_BUSY = N_("Port %(port)s is in use. Try: make run PORT=%(free)s")


def say(message: str | tuple[str, str], **values: Any) -> str:
    """A terminal message in the town's first language (German before the database is set up)."""
    try:
        code = snapshot.current().profile.default_language.code
    except SQLAlchemyError:
        db.rollback_quietly()
        code = TownProfile().default_language.code
    return translate(code, message, **values)


db_commands = AppGroup("db", help="Database schema.")
demo_commands = AppGroup("demo", help="Demo content.")


@db_commands.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Bring the database schema up to date (or to REVISION)."""
    migrate.upgrade(db.engine(), revision)
    click.echo(f"Database schema is at {revision}.")


@db_commands.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrate.run(db.engine(), "revision", message=message, autogenerate=True)


@demo_commands.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing if there is content already.")
@click.option(
    "--figures/--no-figures",
    default=True,
    help="With a made-up year of usage figures, ideas and closed polls, for the report (marked as demo figures).",
)
def load_command(if_empty: bool, figures: bool) -> None:
    """Load the Kaiserslautern demo: town profile, the nine first projects, some news, and a year of demo figures."""
    session = db.session()
    if demo.has_content(session):
        if if_empty:
            click.echo(say(HAS_CONTENT))
            return
        raise click.ClickException(say(NOT_EMPTY))
    demo.load(session, clock.now().date())
    if figures:  # only here: the tests' demo (demo.load) carries no year of figures
        demo_usage.load(session, clock.now().astimezone(ZoneInfo(demo.KAISERSLAUTERN.timezone)).date())
    session.commit()
    click.echo(say(DEMO_LOADED))
    if figures:
        click.echo(say(FIGURES_LOADED))


news_commands = AppGroup("news", help="Announcements.")


@news_commands.command("send")
@click.argument("announcement_id", type=int)
@click.option("--author", default="cli", help="Who sends it, for the record.")
@click.option("--again", is_flag=True, help="Send it although it was sent before: every subscriber gets it twice.")
def send_command(announcement_id: int, author: str, again: bool) -> None:
    """Queue a public announcement as SMS to every subscriber, each in their language, and a news
    call to every call subscriber who wants one for each announcement (never twice for an item)."""
    session = db.session()
    announcement = session.get(Announcement, announcement_id)
    if announcement is None:
        raise click.ClickException(f"There is no announcement {announcement_id}.")
    if not announcement.is_public(clock.now()):
        raise click.ClickException(f"Announcement {announcement_id} is not public now (a draft, scheduled or over).")
    earlier = session.scalar(select(Broadcast.id).where(Broadcast.announcement_id == announcement_id).limit(1))
    if earlier is not None and not again:
        raise click.ClickException(
            f"Announcement {announcement_id} was sent before (broadcast {earlier}). "
            "To send it to every SMS subscriber once more, add --again (nobody is called twice for it)."
        )
    languages = [language.code for language in queries.town_profile(session).languages]
    sent = outbox.broadcast(session, announcement, languages=languages, author=author, now=clock.now())
    session.commit()
    calls = sum(news_calls.progress(session, sent.id).values())
    queued = sum(outbox.progress(session, sent.id).values()) - calls
    click.echo(
        f"Broadcast {sent.id}: {queued} SMS queued, {calls} news call{'' if calls == 1 else 's'} queued "
        "(each rings in the calling time its subscriber chose). The worker (flask outbox run) sends them."
    )


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete the personal data whose retention time is over (the worker also does it daily)."""
    session = db.session()
    touched = privacy.purge(session, queries.town_profile(session), clock.now(), privacy.recordings_dir())
    session.commit()
    click.echo("Purged: " + ", ".join(f"{kind} {count}" for kind, count in touched.items()))


@click.command("dev-token")
@with_appcontext
def dev_token_command() -> None:
    """Show the development Twilio auth token, for signing local test requests."""
    if str(current_app.config["HOTLINE_ENV"]).lower() == "production":
        raise click.ClickException("Not in production: the auth token stays secret there.")
    click.echo(current_app.config["TWILIO_AUTH_TOKEN"])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on this port now. Like the server (Werkzeug), the probe may
    reuse a port whose last connections are still closing (TIME_WAIT): only a listener makes it busy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port_after(port: int) -> int:
    """The next port after this one that is free, to suggest."""
    candidate = port + 1
    while candidate < 65535 and not port_is_free(candidate):
        candidate += 1
    return candidate


@click.command("port-free")
@click.argument("port", type=click.IntRange(1, 65535))
@with_appcontext
def port_free_command(port: int) -> None:
    """Exit 0 if PORT is free to serve on; else say which port to try instead, and exit 1."""
    if not port_is_free(port):
        click.echo(say(PORT_BUSY, port=port, free=free_port_after(port)), err=True)
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(db_commands)
    app.cli.add_command(demo_commands)
    app.cli.add_command(news_commands)
    app.cli.add_command(dev_token_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(port_free_command)

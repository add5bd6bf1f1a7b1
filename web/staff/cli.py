"""flask staff add: the first account, and any account, from the command line."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from content import db
from content.cli import say
from content.i18n import N_
from content.models import ROLE_NAMES, ROLES
from web.staff import throttle
from web.staff.accounts import new_account
from web.staff.auth import MIN_PASSWORD_LENGTH, SHORT_PASSWORD, end_sessions, find, hash_password

staff_commands = AppGroup("staff", help="Staff accounts.")

ACCOUNT_EXISTS = N_("There is an account for %(email)s already. Use: flask staff password %(email)s")
NO_ACCOUNT = N_("There is no account for %(email)s.")
CREATED = N_("Account %(email)s created with the role %(role)s.")
NEW_PASSWORD = N_("New password set for %(email)s; its sessions are ended.")


def read_password() -> str:
    """Prompted twice on a terminal, else the first line of standard input; never an argument."""
    if sys.stdin.isatty():
        return click.prompt(
            say(N_("Password")),
            hide_input=True,
            confirmation_prompt=say(N_("Repeat the password")),
        )
    return sys.stdin.readline().rstrip("\r\n")


@staff_commands.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
def add_command(email: str, role: str) -> None:
    """Create a staff account; the password is asked for (or read from standard input)."""
    if find(email):
        raise click.ClickException(say(ACCOUNT_EXISTS, email=email))
    password = read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(say(SHORT_PASSWORD, count=MIN_PASSWORD_LENGTH))
    session = db.session()
    session.add(new_account(email, password, role))
    session.commit()
    click.echo(say(CREATED, email=email.strip().lower(), role=say(ROLE_NAMES[role])))


@staff_commands.command("password")
@click.argument("email")
def password_command(email: str) -> None:
    """Set a new password for an account (and open it again after failed logins); its sessions end."""
    user = find(email)
    if user is None:
        raise click.ClickException(say(NO_ACCOUNT, email=email))
    password = read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(say(SHORT_PASSWORD, count=MIN_PASSWORD_LENGTH))
    user.password_hash = hash_password(password)
    end_sessions(user)
    throttle.forget_address(db.session(), current_app.config["SECRET_KEY"], user.email)
    db.session().commit()
    click.echo(say(NEW_PASSWORD, email=user.email))


def init_app(app: Flask) -> None:
    app.cli.add_command(staff_commands)

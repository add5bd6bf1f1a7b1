"""flask staff add: the first account, and any account, from the command line."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from content import db
from content.models import ROLES
from web.staff import throttle
from web.staff.accounts import new_account
from web.staff.auth import MIN_PASSWORD_LENGTH, end_sessions, find, hash_password

staff_commands = AppGroup("staff", help="Staff accounts.")


def read_password() -> str:
    """Prompted twice on a terminal, else the first line of standard input; never an argument."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@staff_commands.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
def add_command(email: str, role: str) -> None:
    """Create a staff account; the password is asked for (or read from standard input)."""
    if find(email):
        raise click.ClickException(f"There is an account for {email} already. Use: flask staff password {email}")
    password = read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    session = db.session()
    session.add(new_account(email, password, role))
    session.commit()
    click.echo(f"Account {email.strip().lower()} created with the role {role}.")


@staff_commands.command("password")
@click.argument("email")
def password_command(email: str) -> None:
    """Set a new password for an account (and open it again after failed logins); its sessions end."""
    user = find(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email}.")
    password = read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = hash_password(password)
    end_sessions(user)
    throttle.forget_address(db.session(), current_app.config["SECRET_KEY"], user.email)
    db.session().commit()
    click.echo(f"New password set for {user.email}; its sessions are ended.")


def init_app(app: Flask) -> None:
    app.cli.add_command(staff_commands)

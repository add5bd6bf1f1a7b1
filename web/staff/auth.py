"""Logging in and out, who is logged in, and what their role lets them do."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from content import clock, db
from content.i18n import N_, translate
from content.models import ROLE_NAMES, StaffSession, StaffUser
from web.pages import page_language
from web.staff.blueprint import bp

MIN_PASSWORD_LENGTH = 12
# After this many failed logins in a row, each further attempt must wait, twice as long each time.
FREE_ATTEMPTS = 3
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=15)
# Checked against when the address is unknown, so that a wrong address takes as long as a wrong password.
_NOBODY = generate_password_hash("nobody has this password")

WRONG_LOGIN = N_("The e-mail address or the password is not right.")
WAIT = N_("Too many failed attempts. Please wait %(seconds)s seconds and try again.")
SHORT_PASSWORD = N_("A password needs at least %(count)s characters.")

F = TypeVar("F", bound=Callable[..., Any])


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password)


# Sessions: the signed cookie holds a random token; the database holds its digest (StaffSession).
# Only a token whose row still exists counts, so deleting the row ends every copy of the cookie.
SESSION_TOKEN = "staff_session"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _session_lifetime() -> timedelta:
    # A session ends this long after logging in, however often it is used (the cookie alone is renewed on use).
    lifetime: timedelta = current_app.permanent_session_lifetime
    return lifetime


def start_session(user: StaffUser, now: datetime) -> str:
    """A new session for this account; returns the token for the cookie (the caller commits)."""
    store = db.session()
    store.execute(delete(StaffSession).where(StaffSession.started_at <= now - _session_lifetime()))
    token = secrets.token_urlsafe(32)
    store.add(StaffSession(id=_digest(token), user_id=user.id, started_at=now))
    return token


def end_session(token: str) -> None:
    """End this session wherever its cookie was copied to (the caller commits)."""
    db.session().execute(delete(StaffSession).where(StaffSession.id == _digest(token)))


def end_sessions(user: StaffUser) -> None:
    """End every session of this account: it was closed, or its role or password changed (the caller commits)."""
    db.session().execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def logged_in() -> StaffUser | None:
    token = session.get(SESSION_TOKEN)
    if not isinstance(token, str):
        return None
    query = (
        select(StaffUser)
        .join(StaffSession, StaffSession.user_id == StaffUser.id)
        .where(
            StaffSession.id == _digest(token),
            StaffSession.started_at > clock.now() - _session_lifetime(),
            StaffUser.active.is_(True),
        )
    )
    user = db.session().scalar(query)
    if user is None:
        session.pop(SESSION_TOKEN, None)
    return user


def needs(role: str) -> Callable[[F], F]:
    """Let the view run only for staff with this role (or admins)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not g.staff.may(role):
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]  # functools.wraps keeps the view's signature

    return decorate


def wait_before_next_try(user: StaffUser, now: datetime) -> timedelta:
    """How long this account must wait before the next attempt counts (zero: it may try now)."""
    if user.failed_logins < FREE_ATTEMPTS or user.last_failed_at is None:
        return timedelta(0)
    wait = min(FIRST_WAIT * 2 ** (user.failed_logins - FREE_ATTEMPTS), LONGEST_WAIT)
    left: timedelta = max(user.last_failed_at + wait - now, timedelta(0))
    return left


def find(email: str) -> StaffUser | None:
    query = select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    return db.session().scalar(query)


class LoginForm(FlaskForm):
    email = EmailField(validators=[DataRequired()])
    password = PasswordField(validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    """Only ever go on to a page of this site after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("staff.home")


def check_login(email: str, password: str, now: datetime) -> tuple[StaffUser | None, str | None]:
    """The account if the password is right; otherwise why not (the caller commits the count)."""
    user = find(email)
    if user is not None and not user.active:
        user = None
    if user is None:
        check_password_hash(_NOBODY, password)
        return None, translate(page_language(), WRONG_LOGIN)
    wait = wait_before_next_try(user, now)
    if wait:
        return None, translate(page_language(), WAIT, seconds=int(wait.total_seconds()) + 1)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        user.last_failed_at = now
        return None, translate(page_language(), WRONG_LOGIN)
    user.failed_logins, user.last_failed_at = 0, None
    return user, None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Log a staff member in with e-mail address and password."""
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        now = clock.now()
        user, problem = check_login(form.email.data or "", form.password.data or "", now)
        token = start_session(user, now) if user is not None else None
        db.session().commit()
        if token is not None:
            session.clear()
            session.permanent = True
            session[SESSION_TOKEN] = token
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if problem else 200
    return render_template("staff/login.html", form=form, problem=problem), status


@bp.post("/logout")
def logout() -> Any:
    """Log out: end the session in the database, so that no copy of the cookie opens a page again."""
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        end_session(token)
        db.session().commit()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(translate(page_language(), N_("You are logged out.")))
    return redirect(url_for("staff.login"))


@bp.get("/")
def home() -> str:
    """The overview: what this staff member can do here."""
    return render_template("staff/home.html", role_names=ROLE_NAMES)

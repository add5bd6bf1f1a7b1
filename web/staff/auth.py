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
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from content import clock, db
from content.i18n import N_, N_plural, translate, translate_plural
from content.models import StaffSession, StaffUser
from web.pages import page_language
from web.staff import browsers, throttle
from web.staff.blueprint import bp
from web.staff.forms import StaffForm

MIN_PASSWORD_LENGTH = 12
# Checked against when the address has no open account: the same method and cost as every real
# password, so that a wrong address takes as long as a wrong password.
_NOBODY = generate_password_hash("nobody has this password")

WRONG_LOGIN = N_("The e-mail address or the password is not right.")
WAIT = N_plural(
    "Too many failed attempts. Please wait %(count)s second and try again.",
    "Too many failed attempts. Please wait %(count)s seconds and try again.",
)
SHORT_PASSWORD = N_plural(
    "A password needs at least %(count)s character.", "A password needs at least %(count)s characters."
)

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


def find(email: str) -> StaffUser | None:
    query = select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    return db.session().scalar(query)


class LoginForm(StaffForm):
    email = EmailField(validators=[DataRequired()])
    password = PasswordField(validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    """Only ever go on to a page of this site after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("staff.home")


def check_login(
    email: str, password: str, now: datetime, source: str, browser: browsers.Browser | None
) -> tuple[StaffUser | None, str | None]:
    """The account if the password is right; otherwise why not, in the same words and after the same
    work for every address, whether it has an account or not (see web.staff.throttle; the caller commits)."""
    user = find(email)
    if user is not None and not user.active:
        user = None
    store, secret = db.session(), current_app.config["SECRET_KEY"]
    counters = throttle.counters(secret, email, source, browsers.knows(browser, user.id if user else None))
    wait = throttle.wait(store, counters, now)
    if wait:
        return None, translate_plural(page_language(), WAIT, int(wait.total_seconds()) + 1)
    right = check_password_hash(user.password_hash if user else _NOBODY, password)
    if user is None or not right:
        throttle.count_failure(store, counters, now)
        return None, translate(page_language(), WRONG_LOGIN)
    throttle.clear(store, counters)
    return user, None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Log a staff member in with e-mail address and password."""
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        now, browser = clock.now(), browsers.known()
        source = throttle.source_of(request.remote_addr)
        user, problem = check_login(form.email.data or "", form.password.data or "", now, source, browser)
        token = start_session(user, now) if user is not None else None
        db.session().commit()
        if user is not None and token is not None:
            session.clear()
            session.permanent = True
            session[SESSION_TOKEN] = token
            response = redirect(_safe_next(request.args.get("next")))
            browsers.remember(response, browsers.with_account(browser, user.id))
            return response
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

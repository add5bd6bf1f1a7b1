"""The staff pages under /staff/: log in, write news, keep the roadmap and the town profile current.

Every request here is checked before the view runs: a form sent without a valid CSRF token is
refused, and anyone not logged in is sent to the login page. Roles are checked per view.
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask, Response, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from content import revisions
from content.i18n import N_, translate
from web import pages
from web.staff import (
    accounts,
    announcements,
    auth,
    broadcasts,
    cli,
    inbox,
    overview,
    polls,
    preview,
    projects,
    report,
    report_pdf,
    settings,
    subscribers,
)
from web.staff.blueprint import bp

__all__ = ["init_app", "bp"]
_VIEWS = (
    accounts,
    announcements,
    auth,
    broadcasts,
    inbox,
    overview,
    polls,
    preview,
    projects,
    report,
    report_pdf,
    settings,
    subscribers,
)  # they add their routes to bp

OPEN_TO_ALL = {"staff.login", "staff.static"}


@bp.before_request
def only_staff() -> ResponseReturnValue | None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        pages.csrf.protect()
    g.staff = auth.logged_in()
    if g.staff is None and request.endpoint not in OPEN_TO_ALL:
        return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
    if g.staff is not None:
        # Every change this request makes to public content is recorded under this staff member.
        g.revision_author = revisions.attribute_to(g.staff.email)
    return None


@bp.teardown_request
def end_attribution(_exc: BaseException | None) -> None:
    token = g.pop("revision_author", None)
    if token is not None:
        revisions.forget(token)


CHANNEL_NAMES = {"phone": N_("by telephone"), "sms": N_("by SMS")}


@bp.context_processor
def plain_words() -> dict[str, Any]:
    """Names for what is stored as a code: a language ("Deutsch"), a channel ("by telephone")."""
    language = pages.page_language()

    def language_name(code: str) -> str:
        try:
            return Locale.parse(code).get_display_name(language) or code
        except (ValueError, TypeError, UnknownLocaleError):
            return code

    def channel_name(channel: str) -> str:
        return translate(language, CHANNEL_NAMES[channel]) if channel in CHANNEL_NAMES else channel

    return {"language_name": language_name, "channel_name": channel_name}


@bp.after_request
def private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def form_expired(_error: CSRFError) -> tuple[str, int]:
    return render_template("staff/refused.html", reason="csrf"), 400


@bp.errorhandler(403)
def not_allowed(_error: Exception) -> tuple[str, int]:
    return render_template("staff/refused.html", reason="role"), 403


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    cli.init_app(app)

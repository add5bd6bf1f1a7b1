"""The staff pages under /staff/: log in, write news, keep the roadmap and the town profile current.

Every request here is checked before the view runs: a form sent without a valid CSRF token is
refused, and anyone not logged in is sent to the login page. Roles are checked per view.
"""

from __future__ import annotations

from flask import Flask, Response, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from content import revisions
from web import pages
from web.staff import accounts, announcements, auth, cli, inbox, polls, projects, settings, subscribers
from web.staff.blueprint import bp

__all__ = ["init_app", "bp"]
_VIEWS = (accounts, announcements, auth, inbox, polls, projects, settings, subscribers)  # they add their routes to bp

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

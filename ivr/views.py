"""The voice webhooks: thin views that read the request, ask the menu, and return TwiML."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cached_property

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from content import db, last_known, queries
from content.models import Announcement, Project
from content.phone import caller_number, pseudonym
from content.profile import TownProfile
from ivr import menu, nodes
from ivr.call import Call, Heard
from ivr.state import CallState
from webhooks import twilio_webhook, twiml

log = logging.getLogger(__name__)

bp = Blueprint("ivr", __name__, url_prefix="/voice")


class StoredContent:
    """Announcements and projects from the content store, read once per request when needed."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    @cached_property
    def announcements(self) -> list[Announcement]:
        return queries.public_announcements(db.session(), self.now)

    @cached_property
    def projects(self) -> list[Project]:
        return queries.roadmap(db.session())


def node_url(name: str, state: CallState) -> str:
    return url_for("ivr.step", node=name, **state.query())


def this_call(state: CallState, profile: TownProfile | None = None) -> Call:
    now = current_app.config["CLOCK"]()
    return Call(
        profile=profile or queries.town_profile(db.session()),
        state=state,
        now=now,
        content=StoredContent(now),
        url=node_url,
    )


def heard() -> Heard:
    return Heard(key=request.form.get("Digits"), speech=request.form.get("SpeechResult"))


@bp.post("")
@twilio_webhook
def incoming() -> Response:
    """Greet a new call, note the caller's visit by pseudonym, and offer the main menu."""
    call = this_call(CallState())
    previous = None
    number = caller_number(request.form.get("From"))
    if number:
        key = current_app.config["PSEUDONYM_KEY"]
        previous = queries.remember_call(db.session(), pseudonym(number, key), call.now)
    if previous is not None:
        call = call.but(since=int(previous.timestamp()))
    return twiml(nodes.welcome(call, previous))


@bp.post("/dialled")
@twilio_webhook
def dialled() -> Response:
    """Twilio reports how the forwarding to staff ended."""
    call = this_call(CallState.from_query(request.args))
    return twiml(nodes.after_dial(call, request.form.get("DialCallStatus", "")))


@bp.post("/fallback")
@twilio_webhook
def fallback() -> Response:
    """Twilio's fallback URL: apologise and give the staff number, without the database."""
    return twiml(menu.apology(this_call(CallState.from_query(request.args), profile=remembered_profile())))


@bp.post("/<node>")
@twilio_webhook
def step(node: str) -> Response:
    """Answer the caller's key, words or silence at a menu."""
    call = this_call(CallState.from_query(request.args))
    return twiml(menu.respond(nodes.NODES.get(node, nodes.MAIN), call, heard()))


def remembered_profile() -> TownProfile:
    return last_known.recall() or TownProfile()


@bp.errorhandler(Exception)
def spoken_apology(error: Exception) -> Response | HTTPException:
    """Whatever broke, the caller hears an apology and the staff number, never a 500."""
    if isinstance(error, HTTPException):
        return error
    log.exception("voice webhook failed at %s", request.path)
    try:
        db.session().rollback()
    except Exception:  # noqa: BLE001 - the database may be the thing that broke
        log.warning("rollback after a failed voice webhook failed too")
    return twiml(menu.apology(this_call(CallState.from_query(request.args), profile=remembered_profile())))

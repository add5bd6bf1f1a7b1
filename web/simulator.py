"""Try the hotline without a phone: the browser simulator and the terminal's flask call / flask text.

Both drive the real webhooks, signed exactly as Twilio signs them, with the app's own auth token.
The signing stays on the server: the browser only says which key it pressed or what it texted,
to which of our own webhook addresses; the caller's number is the simulator's, never one the
browser chooses. So the simulator cannot sign a request for anyone else.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import ColumnElement, func, select
from werkzeug.test import TestResponse

from content import db, snapshot
from content.clean import xml_safe
from content.models import SMS, VOICE_MESSAGE, OutboundMessage, Submission
from content.phone import SIMULATED_NUMBER, spoken_form
from telephony import provider
from telephony.calls import PERSON
from telephony.local import CONNECT_OUTCOMES, CallerDoes, Turn, turn
from telephony.voice import KEYPAD, Ask, Connect, Record
from web import pages
from web.staff import auth

# What the page is told the caller is asked for: keys or words, a message, the staff phone's outcome.
WAITS = {Ask: "keys", Record: "message", Connect: "person"}

LONGEST_INPUT = 1600
LONGEST_MESSAGE = 600  # seconds of a recorded message, as the caller types it


@dataclass(frozen=True)
class Answer:
    status: int
    body: str  # the provider's document (TwiML for Twilio)
    path: str  # the webhook that answered, with its query: where relative addresses in it lead


class SimulatedPhone:
    """One phone in the simulator: its number, the call in progress, and signed requests to our webhooks."""

    def __init__(self, app: Flask, hotline: str | None = None) -> None:
        self.app = app
        self.number = SIMULATED_NUMBER
        # A news call the city placed to this phone: who took it (a person), else None (we called).
        self.answered_by: str | None = None
        with app.app_context():
            self.hotline = hotline or snapshot.current().profile.hotline_number or ""
            self.call_id = provider.new_call_id()

    def new_call(self) -> None:
        with self.app.app_context():
            self.call_id = provider.new_call_id()
        self.answered_by = None

    def voice(self, path: str, does: CallerDoes) -> Answer:
        """A step of the call: post to a voice webhook (its path and query) with what the caller did."""
        if not is_voice_path(path):
            raise ValueError("the simulator only calls the hotline's own voice webhooks")
        with self.app.app_context():
            form, headers = provider.local_call(
                self._url(path),
                does,
                call_id=self.call_id,
                caller=self.number,
                hotline=self.hotline,
                answered_by=self.answered_by,
            )
        return self._post(path, form, headers)

    def answer_news_call(self, path: str, call_id: str) -> Answer:
        """Take the news call the city placed to this phone (the provider's id call_id): a person
        answers, and the call's webhook (path, with the call's query) says what they hear."""
        self.call_id, self.answered_by = call_id, PERSON
        return self.voice(path, CallerDoes())

    def news_call_ended(self, path: str, ended: str, call_id: str) -> Answer:
        """The provider's status report on a news call to this phone: ANSWERED (and over), BUSY
        (declined) or NO_ANSWER (nobody took it)."""
        if not is_voice_path(path):
            raise ValueError("the simulator only reports to the hotline's own voice webhooks")
        with self.app.app_context():
            form, headers = provider.local_call_end(
                self._url(path), ended, call_id=call_id, caller=self.number, hotline=self.hotline
            )
        return self._post(path, form, headers)

    def text(self, body: str) -> list[str] | None:
        """Send an SMS to the hotline; its replies, or None if it did not answer."""
        with self.app.app_context():
            form, headers = provider.local_sms(
                self._url("/sms"), body[:LONGEST_INPUT], sender=self.number, hotline=self.hotline
            )
        answer = self._post("/sms", form, headers)
        if answer.status != 200:
            return None
        with self.app.app_context():
            return provider.read_sms(answer.body)

    def turn(self, answer: Answer) -> Turn:
        """What the answer says and asks next, with every address made absolute (a path of ours)."""
        with self.app.app_context():
            read = turn(provider.read_voice(answer.body))
        waits_for = read.waits_for
        if waits_for is not None:
            waits_for = replace(waits_for, action=_resolve(answer.path, waits_for.action))
        otherwise = _resolve(answer.path, read.otherwise) if read.otherwise else None
        return replace(read, waits_for=waits_for, otherwise=otherwise)

    def _url(self, path: str) -> str:
        return self._base() + path

    def _base(self) -> str:
        return str(self.app.config.get("PUBLIC_BASE_URL") or "http://localhost").rstrip("/")

    def _post(self, path: str, form: dict[str, str], headers: dict[str, str]) -> Answer:
        client = self.app.test_client()

        def post() -> TestResponse:
            return client.post(path, data=form, base_url=self._base(), headers=headers)

        # In a thread of its own: the webhook gets its own app context, as a request from Twilio would.
        with ThreadPoolExecutor(max_workers=1) as pool:
            response = pool.submit(post).result()
        return Answer(response.status_code, response.get_data(as_text=True), path)


def _resolve(path: str, address: str) -> str:
    parts = urlsplit(urljoin(path, address))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def caller_does(inputs: Mapping[str, Any]) -> CallerDoes:
    """What the browser says the caller did, checked: a key of the keypad, words, an outcome, a length."""
    key = str(inputs.get("key") or "")
    seconds = str(inputs.get("seconds") or "")
    outcome = str(inputs.get("outcome") or "")
    return CallerDoes(
        key=key if len(key) == 1 and key in KEYPAD else "",
        words=str(inputs.get("words") or "").strip()[:LONGEST_INPUT],
        connect_outcome=outcome if outcome in CONNECT_OUTCOMES else "",
        recorded_seconds=min(int(seconds), LONGEST_MESSAGE)
        if seconds.isascii() and seconds.isdigit() and len(seconds) < 6
        else 0,
    )


def is_voice_path(path: str) -> bool:
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc and (parts.path == "/voice" or parts.path.startswith("/voice/"))


# Where a news call is answered and reported (ivr.views): signed for the browser, a path of its
# choosing there would settle another resident's call as if they had picked up.
NEWS_CALL_PATH = "/voice/news-call"


def is_news_call_path(path: str) -> bool:
    """Whether path leads to a news call's webhooks, however it is spelt (%2D, //, ./)."""
    found = posixpath.normpath("/" + unquote(urlsplit(path).path).lstrip("/"))
    return found == NEWS_CALL_PATH or found.startswith(NEWS_CALL_PATH + "/")


# The page ---------------------------------------------------------------------------------------

bp = Blueprint("simulator", __name__, url_prefix="/simulator")


@bp.before_request
def only_where_allowed() -> ResponseReturnValue | None:
    """Open in development; in production only for logged-in staff who may change something (it
    sends real requests: votes, ideas, subscriptions), not for the read-only report role."""
    if request.method not in ("GET", "HEAD"):
        pages.csrf.protect()
    if pages.is_production(current_app):
        user = auth.logged_in()
        if user is None:
            return redirect(url_for("staff.login", next=request.path))
        if user.only_reads:
            abort(403)
    return None


def phone() -> SimulatedPhone:
    simulated = SimulatedPhone(current_app._get_current_object())  # type: ignore[attr-defined]  # the proxy's own way to the app object
    call_id = session.get("simulator_call")
    if isinstance(call_id, str):
        simulated.call_id = call_id
    if session.get("simulator_news_call") is not None:  # the city called, and the visitor took it
        simulated.answered_by = PERSON
    return simulated


@bp.get("")
def page() -> str:
    """A phone on screen: call the hotline, press keys, speak, and text it."""
    return render_template("simulator.html", number=spoken_form(SIMULATED_NUMBER))


@bp.post("/voice")
def voice() -> Response:
    """One step of the simulated call; a call starts at /voice with a new call id."""
    wanted = request.get_json(silent=True)
    if not isinstance(wanted, dict):
        abort(400)
    path = str(wanted.get("path") or "/voice")
    simulated = phone()
    if path == "/voice":
        simulated.new_call()
        session["simulator_call"] = simulated.call_id
        session.pop("simulator_news_call", None)
    if is_news_call_path(path):
        abort(400)  # answered and reported only as the phone rings (web.ringing), for this phone's own call
    inputs = wanted.get("inputs")
    if not isinstance(inputs, dict):
        inputs = {}
    does = caller_does(inputs)
    try:
        answer = simulated.voice(path, does)
    except ValueError:
        abort(400)
    if answer.status != 200:
        return jsonify(status=answer.status)
    if does.recorded_seconds:
        keep_typed_message(str(inputs.get("message") or ""))
    return jsonify(status=answer.status, **as_json(simulated.turn(answer)))


def keep_typed_message(typed: str) -> None:
    """The simulator records nothing: the message the caller typed becomes the voice message's
    text, so that staff can read it, and hear it in the browser's voice, in the inbox."""
    text = xml_safe(typed).strip()[:LONGEST_INPUT]
    if not text:
        return
    session = db.session()
    item = session.scalar(
        select(Submission)
        .where(
            Submission.kind == VOICE_MESSAGE,
            Submission.number == SIMULATED_NUMBER,
            Submission.text.is_(None),
            Submission.recording_url.is_(None),
        )
        .order_by(Submission.id.desc())
        .limit(1)
    )
    if item is not None:
        item.text = text
        session.commit()


def as_json(read: Turn) -> dict[str, Any]:
    """The answer for the page: what is said, and what the caller may do next where."""
    waits = read.waits_for
    return {
        "said": [list(pair) for pair in read.said],
        "waits_for": WAITS.get(type(waits)) if waits is not None else None,
        "action": waits.action if waits is not None else None,
        "otherwise": read.otherwise,
    }


@bp.post("/sms")
def sms() -> Response:
    """Text the hotline from the simulated phone; the answer comes back at once."""
    wanted = request.get_json(silent=True)
    if not isinstance(wanted, dict):
        abort(400)
    body = str(wanted.get("body") or "")
    replies = phone().text(body)
    return jsonify(status=200 if replies is not None else 500, replies=replies or [])


def _texts_to_the_phone() -> tuple[ColumnElement[bool], ...]:
    # News calls go through the outbox too, but ring the phone instead (web.ringing).
    return OutboundMessage.recipient == SIMULATED_NUMBER, OutboundMessage.channel == SMS


@bp.get("/messages")
def messages() -> Response:
    """What the hotline sent to the simulated phone through the outbox (confirmations, news, answers)."""
    after = request.args.get("after", "0")
    if after == "latest":
        newest = db.session().scalar(select(func.max(OutboundMessage.id)).where(*_texts_to_the_phone()))
        return jsonify(messages=[], latest=newest or 0)
    since = int(after) if after.isascii() and after.isdigit() and len(after) < 12 else 0
    query = (
        select(OutboundMessage.id, OutboundMessage.body)
        .where(*_texts_to_the_phone(), OutboundMessage.id > since)
        .order_by(OutboundMessage.id)
        .limit(50)
    )
    return jsonify(messages=[{"id": row.id, "body": row.body} for row in db.session().execute(query)])

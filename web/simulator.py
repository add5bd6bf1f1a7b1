"""Try the hotline without a phone: the browser simulator and the terminal's flask call / flask text.

Both drive the real webhooks, signed exactly as Twilio signs them, with the app's own auth token.
The signing stays on the server: the browser only says which key it pressed or what it texted,
to which of our own webhook addresses; the caller's number is the simulator's, never one the
browser chooses. So the simulator cannot sign a request for anyone else.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

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
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from content import db
from web import pages
from content.models import OutboundMessage
from content.phone import SIMULATED_NUMBER, spoken_form
from web.staff import auth

# What a simulated phone may send besides what the simulator sets itself.
CALLER_INPUTS = ("Digits", "SpeechResult", "Confidence", "DialCallStatus", "RecordingDuration")
LONGEST_INPUT = 1600


@dataclass(frozen=True)
class Answer:
    status: int
    twiml: str
    path: str  # the webhook that answered, with its query: where relative URLs in the TwiML lead


class SimulatedPhone:
    """One phone in the simulator: its number, the call in progress, and signed requests to our webhooks."""

    def __init__(self, app: Flask, hotline: str | None = None) -> None:
        self.app = app
        self.number = SIMULATED_NUMBER
        self.hotline = hotline or app.config.get("TWILIO_PHONE_NUMBER") or ""
        self.call_sid = "CA" + secrets.token_hex(16)

    def new_call(self) -> None:
        self.call_sid = "CA" + secrets.token_hex(16)

    def voice(self, path: str, inputs: dict[str, str]) -> Answer:
        """A step of the call: post to a voice webhook (its path and query) with what the caller did."""
        if not is_voice_path(path):
            raise ValueError("the simulator only calls the hotline's own voice webhooks")
        params = {key: str(inputs[key])[:LONGEST_INPUT] for key in CALLER_INPUTS if inputs.get(key)}
        if params.get("RecordingDuration"):
            params["RecordingSid"] = "RE" + secrets.token_hex(16)
        params |= {"CallSid": self.call_sid, "From": self.number, "To": self.hotline, "CallStatus": "in-progress",
                   "Direction": "inbound", "AccountSid": "AC" + "0" * 32}
        return self._post(path, params)

    def text(self, body: str) -> Answer:
        """Send an SMS to the hotline."""
        params = {"MessageSid": "SM" + secrets.token_hex(16), "From": self.number, "To": self.hotline,
                  "Body": body[:LONGEST_INPUT], "NumMedia": "0", "AccountSid": "AC" + "0" * 32}
        return self._post("/sms", params)

    def _post(self, path: str, params: dict[str, str]) -> Answer:
        base = (self.app.config.get("PUBLIC_BASE_URL") or "http://localhost").rstrip("/")
        signature = RequestValidator(self.app.config["TWILIO_AUTH_TOKEN"]).compute_signature(base + path, params)
        client = self.app.test_client()

        def post():  # type: ignore[no-untyped-def]
            return client.post(path, data=params, base_url=base, headers={"X-Twilio-Signature": signature})

        # In a thread of its own: the webhook gets its own app context, as a request from Twilio would.
        with ThreadPoolExecutor(max_workers=1) as pool:
            response = pool.submit(post).result()
        return Answer(response.status_code, response.get_data(as_text=True), path)


def is_production(app: Flask) -> bool:
    return str(app.config.get("HOTLINE_ENV", "")).lower() == "production"


def is_voice_path(path: str) -> bool:
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc and (parts.path == "/voice" or parts.path.startswith("/voice/"))


# The page ---------------------------------------------------------------------------------------

bp = Blueprint("simulator", __name__, url_prefix="/simulator")


@bp.before_request
def only_where_allowed() -> Response | None:
    """Open in development; in production only for logged-in staff (it sends real requests)."""
    if request.method not in ("GET", "HEAD"):
        pages.csrf.protect()
    if is_production(current_app) and auth.logged_in() is None:
        return redirect(url_for("staff.login", next=request.path))
    return None


bp.after_request(pages.protect_page)


def phone() -> SimulatedPhone:
    simulated = SimulatedPhone(current_app._get_current_object())  # type: ignore[attr-defined]
    call_sid = session.get("simulator_call")
    if call_sid:
        simulated.call_sid = call_sid
    return simulated


@bp.get("")
def page() -> str:
    """A phone on screen: call the hotline, press keys, speak, and text it."""
    return render_template("simulator.html", number=spoken_form(SIMULATED_NUMBER))


@bp.post("/voice")
def voice() -> Response:
    """One step of the simulated call; a call starts at /voice with a new call id."""
    wanted = request.get_json(silent=True) or {}
    path = str(wanted.get("path") or "/voice")
    simulated = phone()
    if path == "/voice":
        simulated.new_call()
        session["simulator_call"] = simulated.call_sid
    inputs = wanted.get("inputs") if isinstance(wanted.get("inputs"), dict) else {}
    try:
        answer = simulated.voice(path, inputs)
    except ValueError:
        abort(400)
    return jsonify(status=answer.status, twiml=answer.twiml, path=answer.path)


@bp.post("/sms")
def sms() -> Response:
    """Text the hotline from the simulated phone; the answer comes back at once."""
    body = str((request.get_json(silent=True) or {}).get("body") or "")
    answer = phone().text(body)
    replies = [] if answer.status != 200 else ["".join(m.itertext()) for m in ET.fromstring(answer.twiml).iter("Message")]
    return jsonify(status=answer.status, replies=replies)


@bp.get("/messages")
def messages() -> Response:
    """What the hotline sent to the simulated phone through the outbox (confirmations, news, answers)."""
    after = request.args.get("after", "0")
    if after == "latest":
        newest = db.session().scalar(select(func.max(OutboundMessage.id)).where(OutboundMessage.recipient == SIMULATED_NUMBER))
        return jsonify(messages=[], latest=newest or 0)
    since = int(after) if after.isascii() and after.isdigit() and len(after) < 12 else 0
    query = (
        select(OutboundMessage.id, OutboundMessage.body)
        .where(OutboundMessage.recipient == SIMULATED_NUMBER, OutboundMessage.id > since)
        .order_by(OutboundMessage.id)
        .limit(50)
    )
    return jsonify(messages=[{"id": row.id, "body": row.body} for row in db.session().execute(query)])

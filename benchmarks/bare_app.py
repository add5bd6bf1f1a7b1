"""The baseline: a bare Flask app with the same signature check, answering constant TwiML."""

from flask import Flask, Response

from telephony.provider import signed

CONSTANT_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf speech" numDigits="1">'
    "<Say>Hallo.</Say></Gather></Response>"
)


def create_bare_app() -> Flask:
    import os

    app = Flask(__name__)
    app.config["TWILIO_AUTH_TOKEN"] = os.environ["TWILIO_AUTH_TOKEN"]
    app.config["PUBLIC_BASE_URL"] = os.environ["PUBLIC_BASE_URL"]

    @app.post("/voice", defaults={"node": ""})
    @app.post("/voice/<node>")
    @signed
    def answer(node: str) -> Response:
        return Response(CONSTANT_TWIML, mimetype="text/xml")

    return app

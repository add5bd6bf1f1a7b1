"""TRANSITIONAL: to be removed once ivr/ and sms/ answer through telephony.provider.document."""

from __future__ import annotations

from typing import Any

from flask import Response


def twiml(document: Any) -> Response:
    body = document if isinstance(document, str) else document.to_xml()
    return Response(body, status=200, mimetype="text/xml")

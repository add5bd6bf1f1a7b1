"""Shared Twilio plumbing: the signature check every webhook sits behind, and the TwiML response.

This module imports no project package, so that voice and SMS can both use it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"


def public_url() -> str:
    """Return the URL Twilio requested, as Twilio saw it (the one it signed).

    With PUBLIC_BASE_URL set, the scheme and host come from there; otherwise from the request,
    which ProxyFix has already corrected for trusted proxies.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return request.url
    path = request.full_path if request.query_string else request.path
    return base.rstrip("/") + request.script_root + path


def is_signed_by_twilio() -> bool:
    """Tell whether this request carries a valid X-Twilio-Signature for our auth token."""
    signature = request.headers.get(SIGNATURE_HEADER, "")
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    if not signature or not token:
        return False
    return RequestValidator(token).validate(public_url(), request.form, signature)


def twilio_webhook(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403) any request not signed by Twilio, before the view can read or store anything.

    There is deliberately no switch to turn this off: local tools sign with the development token.
    """

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not is_signed_by_twilio():
            log.warning("refused unsigned or forged webhook request to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return checked


def twiml(document: Any) -> Response:
    """Return TwiML (a VoiceResponse, a MessagingResponse, or its XML) as the HTTP response."""
    body = document if isinstance(document, str) else document.to_xml()
    return Response(body, status=200, mimetype="text/xml")

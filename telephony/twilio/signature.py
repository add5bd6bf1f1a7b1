"""Twilio's request signature: the one place that checks it (every webhook) and makes it (the
simulator and `flask call`, which sign their requests with the same auth token)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Request
from twilio.request_validator import RequestValidator

HEADER = "X-Twilio-Signature"


def public_url(request: Request, base_url: str | None) -> str:
    """The URL Twilio requested, as Twilio saw it (the one it signed).

    With a public base URL, scheme and host come from there; otherwise from the request, which
    ProxyFix has already corrected for trusted proxies.
    """
    if not base_url:
        return request.url
    path = request.full_path if request.query_string else request.path
    return base_url.rstrip("/") + request.script_root + path


def is_signed(request: Request, auth_token: str, base_url: str | None) -> bool:
    """Whether the request carries a valid signature for our auth token."""
    signature = request.headers.get(HEADER, "")
    if not signature or not auth_token:
        return False
    return bool(RequestValidator(auth_token).validate(public_url(request, base_url), request.form, signature))


def signed_headers(url: str, params: Mapping[str, str], auth_token: str) -> dict[str, str]:
    """The headers Twilio would send with these parameters to url."""
    return {HEADER: RequestValidator(auth_token).compute_signature(url, dict(params))}

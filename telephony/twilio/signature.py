"""Twilio's request signature: the one place that checks it (every webhook) and makes it (the
simulator and `flask call`, which sign their requests with the same auth token)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Request
from twilio.request_validator import RequestValidator

HEADER = "X-Twilio-Signature"
# What stays unescaped when a path is rebuilt from its decoded form (as werkzeug does).
PATH_SAFE = "!$&'()*+,/:;=@%"
_ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def public_url(request: Request, base_url: str | None) -> str:
    """The URL Twilio requested, as Twilio saw it (the one it signed).

    Path and query are taken as they were sent, escapes and all: rebuilt from their decoded form,
    %2F or %C3%A4 would no longer be what Twilio signed. With a public base URL, scheme and host
    come from there (and its path, for a proxy that strips it); otherwise from the request, which
    ProxyFix has already corrected for trusted proxies. A prefix (the base URL's path, the script
    root) stands once in front: not again when what was requested already begins with it.
    """
    if base_url:
        configured = urlsplit(base_url)
        origin, prefix = f"{configured.scheme}://{configured.netloc}", configured.path
    else:
        origin, prefix = f"{request.scheme}://{request.host}", ""
    requested = as_requested(request.environ)
    return origin + under(prefix, under(quote(request.script_root, safe=PATH_SAFE), requested))


def as_requested(environ: Mapping[str, Any]) -> str:
    """Path and query as the client sent them (gunicorn's and werkzeug's RAW_URI, or REQUEST_URI);
    rebuilt from the WSGI path and the raw query only where the server gives neither."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    if raw:
        raw = _ABSOLUTE_FORM.sub("", wsgi_text(raw))  # "POST http://host/voice HTTP/1.1" names the host too
        return raw if raw.startswith("/") else "/" + raw
    path = quote(wsgi_text(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")), safe=PATH_SAFE)
    query = wsgi_text(environ.get("QUERY_STRING", ""))
    return (path or "/") + (f"?{query}" if query else "")


def under(prefix: str, requested: str) -> str:
    """requested below the path prefix, unless it already is (then the prefix is not doubled)."""
    prefix = prefix.rstrip("/")
    path = requested.partition("?")[0]
    if not prefix or path == prefix or path.startswith(prefix + "/"):
        return requested
    return prefix + requested


def wsgi_text(value: str) -> str:
    """A WSGI environ string (bytes as Latin-1, PEP 3333) as the text that was sent."""
    try:
        return value.encode("latin-1").decode()
    except UnicodeError:
        return value


def is_signed(request: Request, auth_token: str, base_url: str | None) -> bool:
    """Whether the request carries a valid signature for our auth token."""
    signature = request.headers.get(HEADER, "")
    if not signature or not auth_token:
        return False
    return bool(RequestValidator(auth_token).validate(public_url(request, base_url), request.form, signature))


def signed_headers(url: str, params: Mapping[str, str], auth_token: str) -> dict[str, str]:
    """The headers Twilio would send with these parameters to url."""
    return {HEADER: RequestValidator(auth_token).compute_signature(url, dict(params))}

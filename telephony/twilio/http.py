"""How the twilio client's REST calls travel: one pool of kept-alive connections (urllib3).

Twilio's default HTTP client goes through requests, which looks through the whole environment
for proxy settings on every call: a third of the outbox worker's time per SMS. This client is
the documented way to give the twilio library another transport (a twilio.http.HttpClient); it
reads the proxy settings once, when the worker starts, and otherwise sends what the library asks.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

import urllib3
from twilio.http import HttpClient
from twilio.http.response import Response

TWILIO_API = "https://api.twilio.com"

# The client logs request URLs and parameters at INFO: numbers and bodies must stay out of logs.
quiet = logging.getLogger("telephony.twilio.client")
quiet.setLevel(logging.WARNING)


class _NoRequestsToTheApi(logging.Filter):
    """Keeps urllib3's DEBUG and INFO notes about requests to the provider's API out of the logs:
    they show the request's URL, and a look-up's names the phone number. Only this client's hosts:
    urllib3 still tells about every other request, and its warnings about these ones."""

    def __init__(self) -> None:
        super().__init__()
        self.hosts: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        named = record.args.values() if isinstance(record.args, dict) else record.args or ()
        return not any(isinstance(value, str) and value in self.hosts for value in named)


_without_api_requests = _NoRequestsToTheApi()
# urllib3's pools log through these two loggers for all pools alike; a filter sits on the logger
# itself (a parent's filters never see a child's records).
for _name in ("urllib3.connectionpool", "urllib3.poolmanager"):
    logging.getLogger(_name).addFilter(_without_api_requests)

# Requests to the API at once per process (the worker's OUTBOX_CONCURRENCY is far below).
POOL_SIZE = 32


class NotReached(ConnectionError):
    """No connection to the API could be made (refused, no route, no name, timed out while
    connecting): the request never left, so the provider surely did nothing."""


def _pool(api_base: str) -> urllib3.PoolManager:
    host = urlsplit(api_base).hostname or ""
    _without_api_requests.hosts.add(host)
    proxy = urllib.request.getproxies().get(urlsplit(api_base).scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        return urllib3.ProxyManager(proxy, maxsize=POOL_SIZE, retries=False)
    return urllib3.PoolManager(maxsize=POOL_SIZE, retries=False)


def _body(data: dict[str, Any] | None, headers: dict[str, str]) -> str | None:
    if not data:
        return None
    if headers.get("Content-Type", "").endswith("json"):
        return json.dumps(data)
    headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return urlencode(data, doseq=True)


class PooledHttpClient(HttpClient):  # type: ignore[misc]  # twilio ships no type hints: its base is Any
    """The twilio library's requests, over kept-alive connections, to api_base (Twilio's API, or
    the tests' local fake of it)."""

    def __init__(self, api_base: str | None = None, timeout: float = 10) -> None:
        super().__init__(quiet, False, timeout)
        self.api_base = (api_base or TWILIO_API).rstrip("/")
        self.pool = _pool(self.api_base)

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if url.startswith(TWILIO_API):
            url = self.api_base + url[len(TWILIO_API) :]
        if params:
            url += "?" + urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        body = _body(data, sent)
        try:
            answer = self.pool.request(
                method.upper(), url, body=body, headers=sent, timeout=timeout or self.timeout, redirect=allow_redirects
            )
        except urllib3.exceptions.ConnectTimeoutError as error:  # and NewConnectionError: refused, no route
            # Only the kind: the URL of a look-up names the phone number.
            raise NotReached(f"Twilio's API could not be reached ({type(error).__name__})") from None
        except urllib3.exceptions.HTTPError as error:  # reset or timed out after the request went out
            raise ConnectionError(f"Twilio's API did not answer ({type(error).__name__})") from None
        return Response(answer.status, answer.data.decode("utf-8", "replace"), answer.headers)

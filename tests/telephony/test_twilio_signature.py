"""Twilio signs the exact URL it requested: the check rebuilds that URL as it was requested, with
its percent-escapes as sent, through the test client and through real servers (werkzeug's and
gunicorn with the Procfile's configuration). A wrong signature is refused all the same."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app import create_app
from telephony.twilio import signature
from tests.conftest import AUTH_TOKEN, app_settings
from tests.twilio_fake import BASE_URL, CALLER_NUMBER, twilio_signature
from tests.web.browser import LiveServer

ROOT = Path(__file__).resolve().parent.parent.parent
PARAMS = {"From": CALLER_NUMBER, "CallSid": "CA" + "1" * 32}
# What the hostile test sent, each correctly signed by Twilio's rules and refused (403) before.
ESCAPED = [
    "/voice?x=%2F",
    "/voice?x=%C3%A4",
    "/voice?x=%7E",
    "/voice?x=%27",
    "/voice?x=%22",
    "/voice?x=%3C",
    "/voice/m%C3%A4in",
    "/voice/m%C3%A4in?x=%2F&y=%7E&z=%27%22%3C",
]


def signed(url: str, token: str = AUTH_TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": twilio_signature(token, url, PARAMS)}


def wrong_signatures(url: str) -> list[dict[str, str]]:
    """A signature for the URL decoded (not what Twilio requested), and one with another auth token."""
    return [signed(unquote(url)), signed(url, token="not-our-token")]


def test_our_signer_and_twilios_library_sign_every_escaped_url_alike() -> None:
    validator = RequestValidator(AUTH_TOKEN)
    for target in ESCAPED:
        url = BASE_URL + target
        assert validator.compute_signature(url, PARAMS) == twilio_signature(AUTH_TOKEN, url, PARAMS)
        assert validator.validate(url, PARAMS, twilio_signature(AUTH_TOKEN, url, PARAMS))


# Through the test client ------------------------------------------------------------------------


# A server that does not tell the raw URI: the path is rebuilt from its decoded form, the query is raw.
NO_RAW_URI = {"RAW_URI": "", "REQUEST_URI": ""}


@pytest.mark.parametrize("server", [{}, NO_RAW_URI], ids=["raw URI", "no raw URI"])
@pytest.mark.parametrize("target", ESCAPED)
def test_a_url_is_checked_with_its_escapes_as_requested(client, target: str, server: dict[str, str]) -> None:
    def status(headers: dict[str, str]) -> int:
        return client.post(target, data=PARAMS, headers=headers, environ_overrides=server).status_code

    assert status(signed(BASE_URL + target)) == 200
    for wrong in wrong_signatures(BASE_URL + target):
        assert status(wrong) == 403


@pytest.mark.parametrize("target", ESCAPED)
def test_a_public_base_url_with_a_path_gives_scheme_host_and_prefix_once(app, client, target: str) -> None:
    """Behind a proxy that strips /hotline: Twilio requested https://example.org/hotline/voice…"""
    app.config["PUBLIC_BASE_URL"] = "https://example.org/hotline/"
    url = "https://example.org/hotline" + target
    assert client.post(target, data=PARAMS, headers=signed(url)).status_code == 200
    assert client.post(target, data=PARAMS, headers=signed(BASE_URL + target)).status_code == 403
    doubled = "https://example.org/hotline/hotline" + target
    assert client.post(target, data=PARAMS, headers=signed(doubled)).status_code == 403
    for wrong in wrong_signatures(url):
        assert client.post(target, data=PARAMS, headers=wrong).status_code == 403


@pytest.mark.parametrize("public_base_url", [None, "https://example.org", "https://example.org/hotline"])
def test_a_prefix_told_by_a_trusted_proxy_is_added_once(app, database_url, public_base_url) -> None:
    """A proxy that strips /hotline and says so (X-Forwarded-Prefix): with or without it in PUBLIC_BASE_URL."""
    proxied = create_app(
        app_settings(
            database_url, app.instance_path, CLOCK=app.config["CLOCK"], PROXY_HOPS=1, PUBLIC_BASE_URL=public_base_url
        )
    )
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "example.org", "X-Forwarded-Prefix": "/hotline"}
    client = proxied.test_client()
    for target in ESCAPED:
        url = "https://example.org/hotline" + target
        assert client.post(target, data=PARAMS, headers={**forwarded, **signed(url)}).status_code == 200
        for wrong in [*wrong_signatures(url), signed("https://example.org/hotline/hotline" + target)]:
            assert client.post(target, data=PARAMS, headers={**forwarded, **wrong}).status_code == 403
    proxied.extensions["content.engine"].dispose()


# The URL rebuilt, part by part -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "requested"),
    [
        ({"RAW_URI": "/voice?x=%2F", "PATH_INFO": "/voice", "QUERY_STRING": "x=%2F"}, "/voice?x=%2F"),
        ({"REQUEST_URI": "/voice/m%C3%A4in?x=%7E", "PATH_INFO": "/voice/m\xc3\xa4in"}, "/voice/m%C3%A4in?x=%7E"),
        ({"RAW_URI": "http://127.0.0.1:5000/voice?x=%27"}, "/voice?x=%27"),  # a request line naming the host
        ({"RAW_URI": "https://example.org?x=1"}, "/?x=1"),
        # No raw URI: the WSGI path (UTF-8 bytes as Latin-1) escaped again, the query as it came.
        ({"PATH_INFO": "/voice/m\xc3\xa4in", "QUERY_STRING": "x=%2F&y=%27"}, "/voice/m%C3%A4in?x=%2F&y=%27"),
        ({"SCRIPT_NAME": "/hotline", "PATH_INFO": "/voice"}, "/hotline/voice"),
        ({}, "/"),
    ],
)
def test_the_path_and_query_are_read_as_they_were_sent(environ: dict[str, str], requested: str) -> None:
    assert signature.as_requested(environ) == requested


@pytest.mark.parametrize(
    ("prefix", "requested", "url_path"),
    [
        ("", "/voice?x=1", "/voice?x=1"),
        ("/", "/voice", "/voice"),
        ("/hotline", "/voice?x=1", "/hotline/voice?x=1"),
        ("/hotline/", "/hotline/voice?x=1", "/hotline/voice?x=1"),
        ("/hotline", "/hotline?x=/hotline", "/hotline?x=/hotline"),
        ("/hotline", "/hotlines/voice", "/hotline/hotlines/voice"),
    ],
)
def test_a_prefix_stands_once_in_front(prefix: str, requested: str, url_path: str) -> None:
    assert signature.under(prefix, requested) == url_path


# Through real servers ---------------------------------------------------------------------------


def post(url: str, headers: dict[str, str]) -> int:
    """POST the call's form to url exactly as written (urllib sends the escapes untouched)."""
    request = urllib.request.Request(url, urlencode(PARAMS).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_werkzeugs_server_checks_each_url_as_requested(app) -> None:
    with LiveServer(app) as server:
        for target in ESCAPED:
            url = server.url + target
            assert post(url, signed(url)) == 200, target
            for wrong in wrong_signatures(url):
                assert post(url, wrong) == 403, target


def test_an_app_mounted_under_a_path_by_the_server_gets_the_path_once(app) -> None:
    """The server itself mounts the app at /hotline: the raw URI already holds the script root."""
    with LiveServer(DispatcherMiddleware(lambda environ, start: [], {"/hotline": app})) as server:
        for target in ESCAPED:
            url = server.url + "/hotline" + target
            assert post(url, signed(url)) == 200, target
            assert post(url, signed(server.url + "/hotline/hotline" + target)) == 403, target


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """The Procfile's web process (gunicorn.conf.py) on a loopback socket opened here and handed over:
    requests wait in the socket's queue until gunicorn takes them, no port is guessed, no waiting."""
    listener = socket.create_server(("127.0.0.1", 0))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HOTLINE_INSTANCE_PATH": str(tmp_path / "gunicorn"),
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SECRET_KEY": "s",
        "PSEUDONYM_KEY": "p",
        "PUBLIC_BASE_URL": "https://example.org/hotline",  # behind a proxy that strips /hotline
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
    }
    command = [
        *(sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"),
        *("--bind", f"fd://{listener.fileno()}", "app:create_app()"),
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, pass_fds=(listener.fileno(),), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
        listener.close()
    assert b"Traceback" not in errors, errors.decode()[-2000:]


def test_gunicorn_checks_each_url_as_requested(gunicorn: str) -> None:
    for target in ESCAPED:
        url = "https://example.org/hotline" + target
        assert post(gunicorn + target, signed(url)) == 200, target
        for wrong in [*wrong_signatures(url), signed(gunicorn + target)]:
            assert post(gunicorn + target, wrong) == 403, target

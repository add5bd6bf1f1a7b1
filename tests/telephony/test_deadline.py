"""Every webhook answers well inside the provider's 15 s, whatever the database does: the
database's own timeouts end most waits, the deadline ends the rest, and the fallback URLs answer
even when every view is stuck (also from outside the app, as the operator hosts them)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from tests.conftest import AUTH_TOKEN, app_settings
from tests.twilio_fake import BASE_URL, Caller, Signer, Texter

APOLOGY = "Entschuldigung, wir haben gerade ein technisches Problem."


@dataclass
class SilentDatabase:
    url: str
    held: list[socket.socket]


@pytest.fixture
def silent_database() -> Iterator[SilentDatabase]:
    """A PostgreSQL address that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield SilentDatabase(f"postgresql://hotline@127.0.0.1:{listener.getsockname()[1]}/hotline", held)
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def app_on(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Apps on another database; when the test ends, their stuck views are waited for."""
    made: list[Flask] = []

    def make(database_url: str, **settings: object) -> Flask:
        made.append(create_app(app_settings(database_url, tmp_path / "instance", TESTING=True, **settings)))
        return made[-1]

    yield make
    for app in made:
        app.extensions["telephony.desk"].pool.shutdown(wait=True)
        app.extensions["content.engine"].dispose()


def test_a_view_stuck_on_the_database_is_answered_with_the_apology_at_the_deadline(
    silent_database, app_on, caplog
) -> None:
    app = app_on(silent_database.url, WEBHOOK_DEADLINE_SECONDS=0.2)
    signer = Signer(app.test_client(), AUTH_TOKEN)
    assert Caller(signer).call().heard.startswith(APOLOGY)
    assert Texter(signer).send("NEU").startswith("Entschuldigung, wir haben gerade ein technisches Problem.")
    assert "voice webhook failed at /voice: TooLate" in caplog.text
    assert "SMS webhook failed at /sms: TooLate" in caplog.text


def test_a_silent_database_ends_in_the_connect_timeout_before_the_deadline(silent_database, app_on, caplog) -> None:
    app = app_on(silent_database.url, WEBHOOK_DEADLINE_SECONDS=60)
    assert Caller(Signer(app.test_client(), AUTH_TOKEN)).call().heard.startswith(APOLOGY)
    assert "voice webhook failed at /voice: OperationalError" in caplog.text
    assert "TooLate" not in caplog.text


def test_when_every_view_is_stuck_webhooks_apologise_at_once_and_the_fallbacks_answer(
    app, signer, caplog, monkeypatch
) -> None:
    from content import snapshot

    stuck = threading.Event()
    real = snapshot.current
    monkeypatch.setattr(snapshot, "current", lambda: stuck.wait() and real())  # a database that hangs
    app.config["WEBHOOK_DEADLINE_SECONDS"] = 0.2
    desk = app.extensions["telephony.desk"]
    try:
        for n in range(desk.threads):
            assert Caller(signer, number=f"+491511234{n:04d}").call().heard.startswith(APOLOGY)
        assert desk.busy == desk.threads  # each view still waits on the database
        caplog.clear()
        assert Caller(signer).call().heard.startswith(APOLOGY)
        assert desk.busy == desk.threads  # it did not even start: nothing would have answered it
        voice = signer.post(BASE_URL + "/voice/fallback", {"CallSid": "CA" + "0" * 32})
        sms = signer.post(BASE_URL + "/sms/fallback", {"MessageSid": "SM" + "0" * 32, "Body": "NEU"})
    finally:
        stuck.set()
        desk.pool.shutdown(wait=True)  # the stuck views end before the test's database goes
    assert APOLOGY in voice.get_data(as_text=True) and APOLOGY in sms.get_data(as_text=True)
    assert "voice webhook failed at /voice: TooLate" in caplog.text
    assert "/voice/fallback" not in caplog.text and "/sms/fallback" not in caplog.text


def test_a_database_that_did_not_answer_is_not_asked_again_for_a_moment(silent_database, app_on) -> None:
    app = app_on(silent_database.url, WEBHOOK_DEADLINE_SECONDS=60)
    signer = Signer(app.test_client(), AUTH_TOKEN)
    assert Caller(signer).call().heard.startswith(APOLOGY)  # after the connect timeout
    tried = len(silent_database.held)
    for _ in range(5):
        assert Caller(signer).call().heard.startswith(APOLOGY)
    assert len(silent_database.held) == tried  # the others were answered without a new attempt


@pytest.mark.parametrize("channel", ["voice", "sms"])
def test_the_fallback_to_host_outside_the_app_is_what_the_app_says(app, signer, channel) -> None:
    signer.post(BASE_URL + "/voice", {"CallSid": "CA" + "1" * 32, "From": "+4915112345678"})  # profile now known
    answered = signer.post(BASE_URL + f"/{channel}/fallback", {}).get_data(as_text=True)
    printed = app.test_cli_runner().invoke(args=[channel, "fallback"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == answered + "\n"
    nginx = app.test_cli_runner().invoke(args=[channel, "fallback", "--nginx"]).output
    assert nginx.startswith(f"location = /{channel}/fallback {{\n") and f"return 200 '{answered}';" in nginx


def test_pages_and_feeds_stuck_on_the_database_answer_503_at_the_deadline(app, client, monkeypatch) -> None:
    """A feed reader or a health check waiting on a hung database must not hold the server's
    threads: it gets its 503 (in its own format) at the deadline, like a caller gets the apology."""
    from content import snapshot

    stuck = threading.Event()
    real = snapshot.current
    monkeypatch.setattr(snapshot, "current", lambda: stuck.wait() and real())
    app.config["WEBHOOK_DEADLINE_SECONDS"] = 0.2
    try:
        feed = client.get("/roadmap.json")
        page = client.get("/roadmap")
    finally:
        stuck.set()
        app.extensions["web.desk"].pool.shutdown(wait=True)
    assert (feed.status_code, feed.json) == (503, {"error": "temporarily unavailable"})
    assert page.status_code == 503 and "text/html" in page.content_type

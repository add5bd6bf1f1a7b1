"""Every webhook answers well inside the provider's 15 s, whatever the database does: the
database's own timeouts end most waits, the deadline ends the rest, and the fallback URLs answer
even when every view is stuck (also from outside the app, as the operator hosts them)."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import AUTH_TOKEN
from tests.twilio_fake import BASE_URL, Caller, Signer, Texter

APOLOGY = "Entschuldigung, wir haben gerade ein technisches Problem."


@pytest.fixture
def silent_database() -> Iterator[str]:
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
    yield f"postgresql://hotline@127.0.0.1:{listener.getsockname()[1]}/hotline"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def app_on(database_url: str, tmp_path: Path, **settings: object):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret-key",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "PSEUDONYM_KEY": "test-pseudonym-key",
            **settings,
        }
    )


def test_a_view_stuck_on_the_database_is_answered_with_the_apology_at_the_deadline(
    silent_database, tmp_path, caplog
) -> None:
    app = app_on(silent_database, tmp_path, WEBHOOK_DEADLINE_SECONDS=0.2)
    signer = Signer(app.test_client(), AUTH_TOKEN)
    assert Caller(signer).call().heard.startswith(APOLOGY)
    assert Texter(signer).send("NEU").startswith("Entschuldigung, wir haben gerade ein technisches Problem.")
    assert "voice webhook failed at /voice: TooLate" in caplog.text
    assert "SMS webhook failed at /sms: TooLate" in caplog.text


def test_a_silent_database_ends_in_the_connect_timeout_before_the_deadline(silent_database, tmp_path, caplog) -> None:
    app = app_on(silent_database, tmp_path, WEBHOOK_DEADLINE_SECONDS=60)
    assert Caller(Signer(app.test_client(), AUTH_TOKEN)).call().heard.startswith(APOLOGY)
    assert "voice webhook failed at /voice: OperationalError" in caplog.text
    assert "TooLate" not in caplog.text


def test_the_fallback_urls_answer_while_every_view_is_stuck(app, signer, caplog) -> None:
    desk = app.extensions["telephony.desk"]
    stuck = threading.Event()
    app.config["WEBHOOK_DEADLINE_SECONDS"] = 0.2
    try:
        for _ in range(desk.pool._max_workers):
            desk.pool.submit(stuck.wait)
        caplog.set_level(logging.INFO)
        voice = signer.post(BASE_URL + "/voice/fallback", {"CallSid": "CA" + "0" * 32})
        sms = signer.post(BASE_URL + "/sms/fallback", {"MessageSid": "SM" + "0" * 32, "Body": "NEU"})
        assert Caller(signer).call().heard.startswith(APOLOGY)  # the views wait their turn, and give up
    finally:
        stuck.set()
    assert APOLOGY in voice.get_data(as_text=True) and APOLOGY in sms.get_data(as_text=True)
    assert "/voice/fallback" not in caplog.text and "/sms/fallback" not in caplog.text


@pytest.mark.parametrize("channel", ["voice", "sms"])
def test_the_fallback_to_host_outside_the_app_is_what_the_app_says(app, signer, channel) -> None:
    signer.post(BASE_URL + "/voice", {"CallSid": "CA" + "1" * 32, "From": "+4915112345678"})  # profile now known
    answered = signer.post(BASE_URL + f"/{channel}/fallback", {}).get_data(as_text=True)
    printed = app.test_cli_runner().invoke(args=[channel, "fallback"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == answered + "\n"
    nginx = app.test_cli_runner().invoke(args=[channel, "fallback", "--nginx"]).output
    assert nginx.startswith(f"location = /{channel}/fallback {{\n") and f"return 200 '{answered}';" in nginx

"""Forged requests are refused; broken databases and broken data still give a spoken answer."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from app import create_app
from content.models import CallerVisit, Project, Setting
from tests.conftest import AUTH_TOKEN, app_settings, written_visits
from tests.twilio_fake import BASE_URL, CALLER_NUMBER, Caller, Signer, problems, twilio_signature

UNREACHABLE_DATABASE = "postgresql://postgres@127.0.0.1:9/nowhere"


def test_the_signer_matches_twilios_published_examples() -> None:
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675310",
        "Digits": "1234",
        "From": "+14158675310",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params) == "GvWf1cFY/Q7PnoempGyD5oXAezc="
    params.update(Caller="+14158675309", From="+14158675309")
    assert twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


@pytest.mark.parametrize("path", ["/voice", "/voice/main", "/voice/news?item=1", "/voice/dialled", "/voice/fallback"])
def test_unsigned_requests_are_refused(client, path) -> None:
    assert client.post(path, data={"From": CALLER_NUMBER}).status_code == 403


def test_a_forged_signature_is_refused_and_nothing_is_stored(client, session) -> None:
    params = {"From": CALLER_NUMBER, "CallSid": "CA1"}
    forged = twilio_signature("not-our-token", BASE_URL + "/voice", params)
    response = client.post("/voice", data=params, headers={"X-Twilio-Signature": forged})
    assert response.status_code == 403
    written_visits(client.application)
    assert session.scalars(select(CallerVisit)).all() == []


def test_a_signature_for_other_parameters_or_another_url_is_refused(client) -> None:
    signed = twilio_signature(AUTH_TOKEN, BASE_URL + "/voice", {"From": CALLER_NUMBER})
    tampered = client.post("/voice", data={"From": "+4930123456"}, headers={"X-Twilio-Signature": signed})
    elsewhere = client.post("/voice/main", data={"From": CALLER_NUMBER}, headers={"X-Twilio-Signature": signed})
    assert tampered.status_code == elsewhere.status_code == 403


def test_a_404_for_an_unknown_path_is_not_dressed_up(signer) -> None:
    assert signer.post(BASE_URL + "/voice/main/extra", {}).status_code == 404


def test_behind_a_proxy_the_public_url_is_what_twilio_signed(app, database_url, tmp_path) -> None:
    proxied = create_app({**_config(app, database_url, tmp_path), "PROXY_HOPS": 1})
    params = {"From": CALLER_NUMBER}
    signature = twilio_signature(AUTH_TOKEN, "https://hotline.example.org/voice", params)
    headers = {"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "hotline.example.org"}
    assert proxied.test_client().post("/voice", data=params, headers=headers).status_code == 200
    # Without trusting the proxy, the same headers prove nothing.
    assert app.test_client().post("/voice", data=params, headers=headers).status_code == 403
    proxied.extensions["content.engine"].dispose()


def test_public_base_url_overrides_the_host_the_app_sees(app, database_url, tmp_path) -> None:
    configured = create_app({**_config(app, database_url, tmp_path), "PUBLIC_BASE_URL": "https://hotline.example.org/"})
    signed = Signer(configured.test_client(), AUTH_TOKEN)
    assert signed.post("https://hotline.example.org/voice/main?item=2", {}).status_code == 200
    assert signed.post(BASE_URL + "/voice/main", {}).status_code == 403
    configured.extensions["content.engine"].dispose()


def test_the_fallback_speaks_without_a_database(app, tmp_path, caller) -> None:
    caller.call()  # a normal call: the town profile is now the last known one
    broken = create_app({**_config(app, UNREACHABLE_DATABASE, tmp_path)})
    fallback = Caller(Signer(broken.test_client(), AUTH_TOKEN))
    fallback._post(BASE_URL + "/voice/fallback", {"ErrorCode": "11200"})
    assert fallback.heard.startswith("Entschuldigung, wir haben gerade ein technisches Problem.")
    assert "Sie erreichen die Stadtverwaltung unter der Nummer 0 6 3 1, 3 6 5 0." in fallback.heard
    assert fallback.hung_up and problems(fallback.element) == []


def test_with_the_database_gone_a_caller_still_hears_an_apology_and_the_number(app, tmp_path, caller, caplog) -> None:
    caller.call()
    broken = create_app({**_config(app, UNREACHABLE_DATABASE, tmp_path)})
    gone = Caller(Signer(broken.test_client(), AUTH_TOKEN))
    with caplog.at_level(logging.ERROR):
        gone.call()
    assert "0 6 3 1, 3 6 5 0" in gone.heard and gone.hung_up
    gone._post(BASE_URL + "/voice/news?item=2", {"Digits": "1"})
    assert "technisches Problem" in gone.heard
    assert CALLER_NUMBER not in caplog.text and CALLER_NUMBER[1:] not in caplog.text
    assert broken.test_client().get("/healthz").status_code == 503


def test_a_fresh_process_with_no_database_ever_still_apologises(tmp_path) -> None:
    broken = create_app(
        {
            "DATABASE_URL": UNREACHABLE_DATABASE,
            "INSTANCE_PATH": str(tmp_path),
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "SECRET_KEY": "s",
            "PSEUDONYM_KEY": "p",
        }
    )
    caller = Caller(Signer(broken.test_client(), AUTH_TOKEN)).call()
    assert caller.heard.startswith("Entschuldigung") and caller.hung_up


def test_malformed_office_hours_count_as_closed_and_the_hotline_keeps_working(caller, session) -> None:
    session.get(Setting, "office_hours").value = {"mon": "whenever", "tue": [["soon", "later"], ["16:00", "08:00"]]}
    session.commit()
    caller.call().press("0")
    assert caller.dialled is None and caller.heard.startswith("Gerade ist niemand im Büro, aber wir können Sie")


def test_an_error_inside_a_voice_view_still_gives_a_spoken_answer(caller, session) -> None:
    session.scalar(select(Project).where(Project.number == 1)).texts = ["not", "a", "mapping"]
    session.commit()
    caller.call()
    assert "Für Aktuelles" in caller.heard  # the rest of the hotline is unaffected
    caller.press("2")
    assert "technisches Problem" in caller.heard and caller.hung_up


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"Digits": ""},
        {"Digits": "12345"},
        {"Digits": "\x00"},
        {"Digits": "A"},
        {"SpeechResult": ""},
        {"SpeechResult": "🙂" * 500},
        {"SpeechResult": "x" * 100_000},
        {"SpeechResult": "\u202eevil\u202c <Say>injected</Say> & ; DROP TABLE"},
        {"From": "not a number", "Digits": "1"},
        {"DialCallStatus": "surprise"},
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/voice",
        "/voice/main",
        "/voice/news?item=99",
        "/voice/projects?item=-1",
        "/voice/language",
        "/voice/dialled",
        "/voice/nowhere?lang=xx&repeats=NaN&silences=9999999999999999999",
    ],
)
def test_odd_input_gets_a_spoken_answer(signer, path, params) -> None:
    caller = Caller(signer)
    caller._post(BASE_URL + path, params)
    assert problems(caller.element) == []
    assert "injected" not in caller.heard


def _config(app, database_url, tmp_path) -> dict:
    return app_settings(database_url, app.instance_path, CLOCK=app.config["CLOCK"])

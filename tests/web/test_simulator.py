"""The browser simulator's server side: who may use it, and what it will sign."""

from __future__ import annotations

import re

import pytest

from telephony.local import CallerDoes
from tests.web.markup import elements
from web.simulator import caller_does


def token(client) -> str:
    return re.search(r'data-token="([^"]+)"', client.get("/simulator").get_data(as_text=True)).group(1)


def test_in_production_only_logged_in_staff_may_simulate(app, client, editor) -> None:
    app.config["HOTLINE_ENV"] = "production"
    stranger = app.test_client()
    assert stranger.get("/simulator").status_code == 302
    assert stranger.post("/simulator/sms", json={"body": "NEU"}).status_code in (302, 400)
    assert editor.client.get("/simulator").status_code == 200


def test_a_step_without_csrf_token_is_refused(client) -> None:
    assert client.post("/simulator/voice", json={"path": "/voice"}).status_code == 400


def test_the_simulator_signs_nothing_but_the_voice_webhooks(client) -> None:
    headers = {"X-CSRFToken": token(client)}
    for path in ("/staff/accounts", "https://evil.example/voice", "/sms/status"):
        assert client.post("/simulator/voice", json={"path": path}, headers=headers).status_code == 400
    answer = client.post(
        "/simulator/voice", json={"path": "/voice", "inputs": {"From": "+4915112345678"}}, headers=headers
    ).get_json()
    assert (answer["status"], answer["waits_for"]) == (200, "keys")
    assert answer["action"] == "/voice/main" and answer["otherwise"].startswith("/voice/main?")
    # The greeting, each other language of the town offered in its voice, then the main menu.
    (greeting, language), *offers, (said, again) = answer["said"]
    assert ["English: 9.", "en-GB"] in offers
    assert greeting == "Herzlich willkommen beim Bürgertelefon der herzlich-digitalen Stadt Kaiserslautern."
    assert said.endswith("Zum Wiederholen drücken Sie die Stern-Taste.") and language == again == "de-DE"


def test_the_simulator_is_heard_behind_a_public_base_url_with_a_path(app, client) -> None:
    """It signs https://example.org/hotline/voice; the check must not make that …/hotline/hotline/voice."""
    app.config["PUBLIC_BASE_URL"] = "https://example.org/hotline"
    headers = {"X-CSRFToken": token(client)}
    answer = client.post("/simulator/voice", json={"path": "/voice"}, headers=headers).get_json()
    assert (answer["status"], answer["waits_for"]) == (200, "keys")


def test_texts_the_hotline_sends_later_show_up_in_the_chat(client) -> None:
    headers = {"X-CSRFToken": token(client)}
    latest = client.get("/simulator/messages?after=latest").get_json()["latest"]
    client.post("/simulator/voice", json={"path": "/voice"}, headers=headers)
    heard = client.post("/simulator/voice", json={"path": "/voice/subscribe-now"}, headers=headers).get_json()
    assert heard["said"][0][0].startswith("Vielen Dank")
    messages = client.get(f"/simulator/messages?after={latest}").get_json()["messages"]
    assert len(messages) == 1 and "STOP" in messages[0]["body"]  # the confirmation, through the outbox
    assert client.get(f"/simulator/messages?after={messages[0]['id']}").get_json()["messages"] == []


@pytest.mark.parametrize(
    ("inputs", "does"),
    [
        ({"key": "1"}, CallerDoes(key="1")),
        ({"key": "12"}, CallerDoes()),  # one key at a time, as on the keypad
        ({"key": "A"}, CallerDoes()),
        ({"words": "  Projekte  "}, CallerDoes(words="Projekte")),
        ({"words": "x" * 5000}, CallerDoes(words="x" * 1600)),
        ({"outcome": "busy"}, CallerDoes(connect_outcome="busy")),
        ({"outcome": "completed"}, CallerDoes()),  # the provider's word, not ours
        ({"seconds": "7"}, CallerDoes(recorded_seconds=7)),
        ({"seconds": "99999"}, CallerDoes(recorded_seconds=600)),
        ({"seconds": "-3"}, CallerDoes()),
        ({"From": "+4915112345678", "Digits": "1"}, CallerDoes()),  # provider fields are never passed on
    ],
)
def test_the_browser_can_only_say_what_a_caller_can_do(inputs: dict[str, str], does: CallerDoes) -> None:
    assert caller_does(inputs) == does


@pytest.mark.parametrize("body", ["[1, 2]", '"x"', "5", "null"])
def test_a_step_that_is_not_a_json_object_is_refused(client, body: str) -> None:
    headers = {"X-CSRFToken": token(client), "Content-Type": "application/json"}
    assert client.post("/simulator/voice", data=body, headers=headers).status_code == 400
    assert client.post("/simulator/sms", data=body, headers=headers).status_code == 400


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_what_the_visitor_types_finds_its_own_direction(client, lang: str) -> None:
    """An Arabic SMS typed on the German page, a German word on the Arabic one: right to left or
    left to right by what is typed, not by the page."""
    page = client.get("/simulator", query_string={"lang": lang}).get_data(as_text=True)
    fields = elements(page, "input", id="sms-body") + elements(page, "input", id="words")
    fields += elements(page, "textarea", id="message")
    assert [field.attrs.get("dir") for field in fields] == ["auto", "auto", "auto"]

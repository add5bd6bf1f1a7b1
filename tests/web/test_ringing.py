"""The simulator's phone rings with a news call: answered, declined or left to ring out, through
the real signed webhooks of the news call; and `flask call --answer` in the terminal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from content import news_calls, outbox
from content.models import BUSY, CALL, DELIVERED, NO_ANSWER, PERSON, QUEUED, SENT, OutboundMessage
from content.phone import SIMULATED_NUMBER
from tests.factories import create_announcement
from web.ringing import RING_FOR

TITLE = "Neue Sprechzeiten"


def token(client) -> dict[str, str]:
    found = re.search(r'data-token="([^"]+)"', client.get("/simulator").get_data(as_text=True))
    return {"X-CSRFToken": found.group(1)}


def news_call_to(session, now, number: str = SIMULATED_NUMBER) -> int:
    """A call subscription for number (as under key 4) and a published item: one news call queued."""
    news_calls.subscribe(
        session, number, language="de", choices=news_calls.Choices(), wording="Ja, rufen Sie mich an.", now=now
    )
    item = create_announcement(session, now, title=TITLE)
    outbox.broadcast(session, item, languages=["de", "en"], author="redaktion", now=now)
    session.commit()
    return session.scalar(select(OutboundMessage.id).where(OutboundMessage.channel == CALL))


def placed(session, outbox_id: int, now, provider_id: str | None = None) -> str:
    """The worker's part, as its contract says: a call to the simulated number never reaches the
    provider; it is marked placed ("sent", with a provider id SIMULATED…) and rings until answered."""
    provider_id = provider_id or f"SIMULATED{outbox_id:012d}"
    session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == outbox_id)
        .values(status=SENT, provider_id=provider_id, attempts=OutboundMessage.attempts + 1, updated_at=now)
    )
    session.commit()
    return provider_id


def the_call(session, outbox_id: int) -> OutboundMessage:
    session.expire_all()
    return session.get(OutboundMessage, outbox_id)


@pytest.fixture
def ringing(session, clock) -> int:
    """A news call ringing at the simulated phone: its outbox id."""
    outbox_id = news_call_to(session, clock())
    placed(session, outbox_id, clock())
    return outbox_id


def test_the_phone_rings_the_visitor_answers_hears_the_news_and_hangs_up(client, session, ringing) -> None:
    headers = token(client)
    assert client.get("/simulator/ringing").get_json() == {"ringing": True}
    answer = client.post("/simulator/answer", json={}, headers=headers).get_json()
    assert answer["status"] == 200 and answer["waits_for"] == "keys"
    assert any(TITLE in said for said, _language in answer["said"])
    # Answered: written before a word is said, so it is never placed again for this item.
    call = the_call(session, ringing)
    assert (call.status, call.call_outcome) == (DELIVERED, PERSON)
    assert client.get("/simulator/ringing").get_json() == {"ringing": False}

    # The same step loop as a call to the hotline: * says it again.
    again = client.post("/simulator/voice", json={"path": answer["action"], "inputs": {"key": "*"}}, headers=headers)
    assert any(TITLE in said for said, _language in again.get_json()["said"])
    assert the_call(session, ringing).recipient == SIMULATED_NUMBER  # until the call is over
    assert client.post("/simulator/hung-up", json={}, headers=headers).get_json() == {"status": 200}
    call = the_call(session, ringing)  # over: the number goes, the count stays
    assert (call.status, call.call_outcome, call.recipient) == (DELIVERED, PERSON, "")


def test_a_news_call_rings_and_is_not_shown_as_a_text_in_the_chat(client, session, clock) -> None:
    latest = client.get("/simulator/messages?after=latest").get_json()["latest"]
    client.post("/simulator/sms", json={"body": "START"}, headers=token(client))  # news by SMS, too
    call = news_call_to(session, clock())
    texts = client.get(f"/simulator/messages?after={latest}").get_json()["messages"]
    assert [TITLE in text["body"] for text in texts] == [True]  # the news by SMS, not the call's row
    assert client.get("/simulator/messages?after=latest").get_json()["latest"] < call
    assert client.get("/simulator/ringing").get_json() == {"ringing": False}  # until the worker places it


def test_declining_is_a_busy_line_tried_again_later(client, session, ringing, clock) -> None:
    assert client.post("/simulator/decline", json={}, headers=token(client)).get_json() == {"status": 200}
    call = the_call(session, ringing)
    assert (call.status, call.call_outcome, call.attempts, call.provider_id) == (QUEUED, BUSY, 1, None)
    assert call.next_attempt_at > clock()  # in a later calling window
    assert client.get("/simulator/ringing").get_json() == {"ringing": False}


def test_a_call_nobody_answers_rings_out_as_not_answered(client, session, ringing, clock) -> None:
    clock.now += RING_FOR - timedelta(seconds=1)
    assert client.get("/simulator/ringing").get_json() == {"ringing": True}
    clock.now += timedelta(seconds=1)
    assert client.get("/simulator/ringing").get_json() == {"ringing": False}
    call = the_call(session, ringing)
    assert (call.status, call.call_outcome) == (QUEUED, NO_ANSWER)
    assert client.post("/simulator/answer", json={}, headers=token(client)).get_json() == {"status": 404}


def test_only_calls_to_the_simulated_phone_ring_in_the_simulator(client, session, clock) -> None:
    """A call to a resident's phone, or one that went to the provider, is nobody's to answer here."""
    resident = news_call_to(session, clock(), number="+496313650001")
    placed(session, resident, clock(), provider_id="CA" + "1" * 32)
    headers = token(client)
    assert client.get("/simulator/ringing").get_json() == {"ringing": False}
    assert client.post("/simulator/answer", json={"call": resident}, headers=headers).get_json() == {"status": 404}
    assert client.post("/simulator/decline", json={"call": resident}, headers=headers).get_json() == {"status": 404}
    call = the_call(session, resident)
    assert (call.status, call.call_outcome, call.recipient) == (SENT, None, "+496313650001")


def test_answering_and_declining_need_the_pages_token(client, ringing) -> None:
    for path in ("/simulator/answer", "/simulator/decline", "/simulator/hung-up"):
        assert client.post(path, json={}).status_code == 400
    assert client.get("/simulator/ringing").get_json() == {"ringing": True}


def test_the_terminal_answers_the_ringing_news_call(app, session, ringing) -> None:
    result = app.test_cli_runner().invoke(args=["call", "--answer"], input="#\n")
    assert result.exit_code == 0, result.output
    assert "(the citizens' line is calling you: answered)" in result.output
    assert TITLE in result.output and result.output.rstrip().endswith("(call ended)")
    call = the_call(session, ringing)  # answered, and reported over when the terminal hung up
    assert (call.status, call.call_outcome, call.recipient) == (DELIVERED, PERSON, "")


def test_the_terminal_says_when_no_news_call_is_ringing(app) -> None:
    result = app.test_cli_runner().invoke(args=["call", "--answer"])
    assert result.exit_code == 0
    assert result.output == "(no news call is ringing at the simulated phone, 01522 8817386)\n"


@pytest.mark.parametrize(
    "path",
    [
        "/voice/news-call?call={id}",
        "/voice/news-call?call={id}&try=1",
        "/voice/news-call/status?call={id}",
        "/voice/news%2Dcall?call={id}",
        "/voice/x/../news-call?call={id}",
    ],
)
def test_the_simulators_steps_cannot_answer_or_report_anybodys_news_call(client, session, clock, path) -> None:
    """/simulator/voice signs what the browser asks for: never the news call's own webhooks, which
    would settle another resident's call as if they had picked up (the phone rings its own way)."""
    resident = news_call_to(session, clock(), number="+496313650001")
    placed(session, resident, clock(), provider_id="CA" + "1" * 32)
    headers = token(client)
    answer = client.post("/simulator/voice", json={"path": path.format(id=resident), "inputs": {}}, headers=headers)
    assert answer.status_code == 400
    call = the_call(session, resident)
    assert (call.status, call.call_outcome, call.recipient) == (SENT, None, "+496313650001")


def test_the_phone_answers_the_try_that_rings(client, session, ringing, clock) -> None:
    """Declined once (busy), then placed again: the answer names the second try, and is taken."""
    headers = token(client)
    client.post("/simulator/decline", json={}, headers=headers)
    clock.now += timedelta(hours=3)
    placed(session, ringing, clock())  # the worker's second try
    answer = client.post("/simulator/answer", json={}, headers=headers).get_json()
    assert answer["status"] == 200 and any(TITLE in said for said, _language in answer["said"])
    call = the_call(session, ringing)
    assert (call.status, call.call_outcome, call.attempts) == (DELIVERED, PERSON, 2)
    assert client.post("/simulator/hung-up", json={}, headers=headers).get_json() == {"status": 200}
    assert the_call(session, ringing).recipient == ""  # the end of this try, reported: the number goes

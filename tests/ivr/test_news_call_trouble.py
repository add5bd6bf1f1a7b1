"""A news call when something breaks: the resident hears who called them and a goodbye that fits a
call the city made (never the hotline's "thank you for calling"), and a promise to call again only
where the call is tried again."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from app import create_app
from content.models import CALL_FAILED, QUEUED
from tests.conftest import AUTH_TOKEN, app_settings
from tests.factories import create_announcement
from tests.ivr.calling import LANDLINE, Resident, call, news_call, subscribe
from tests.telephony import test_deadline
from tests.twilio_fake import BASE_URL, Caller, Signer, problems

# A database that accepts connections and never answers, and apps made on it (see tests.telephony).
silent_database = test_deadline.silent_database
app_on = test_deadline.app_on

UNREACHABLE_DATABASE = "postgresql://postgres@127.0.0.1:9/nowhere"
WHO = "Hier ist das Bürgertelefon der Stadt Kaiserslautern."
SORRY = "Entschuldigung, wir haben gerade ein technisches Problem."
AGAIN = "Wir rufen Sie später noch einmal an."
HOTLINE = "0 6 9, 9 0 0 0, 9 0 0 0"
ON_THE_HOTLINE = (
    f"Sie können die Neuigkeiten jederzeit im Bürgertelefon hören, unter {HOTLINE}. Noch einmal: {HOTLINE}."
)
BYE = "Auf Wiederhören!"
SID = "CA" + "7" * 32


@pytest.fixture
def broken(app, signer) -> Iterator[Signer]:
    """The app on a database that refuses every connection, after a call made the town known."""
    Caller(signer).call()
    made = create_app(app_settings(UNREACHABLE_DATABASE, app.instance_path, CLOCK=app.config["CLOCK"]))
    yield Signer(made.test_client(), AUTH_TOKEN)
    made.extensions["telephony.desk"].pool.shutdown(wait=True)
    made.extensions["content.engine"].dispose()


def heard_at(signer: Signer, path: str, **form: str) -> Resident:
    """A step of a news call (its path and state) as Twilio posts it for the resident."""
    phone = Resident(signer, LANDLINE)
    phone.outbound, phone.call_sid = True, SID
    phone._post(BASE_URL + path, form)
    return phone


# The answer ---------------------------------------------------------------------------------------


def test_an_answer_that_fails_says_who_calls_and_that_we_call_again(broken) -> None:
    phone = Resident(broken, LANDLINE).answer_try(1, SID, 1)
    assert phone.heard == f"{WHO} {SORRY} {AGAIN} {BYE}" and phone.hung_up
    assert problems(phone.element) == []


def test_on_the_last_try_it_promises_nothing_and_says_where_to_hear_the_news(broken) -> None:
    phone = Resident(broken, LANDLINE).answer_try(1, SID, 3)  # the town's default: two retries after the first
    assert phone.heard == f"{WHO} {SORRY} {ON_THE_HOTLINE} {BYE}" and phone.hung_up


def test_the_promise_holds_an_answer_that_failed_is_tried_again(app, broken, signer, session, clock) -> None:
    subscribe(session, clock())
    outbox_id, sid = news_call(session, clock(), create_announcement(session, clock()))
    phone = Resident(broken, LANDLINE).answer_try(outbox_id, sid, 1)  # the database was away
    assert AGAIN in phone.heard
    assert Resident(signer, LANDLINE).try_ends(outbox_id, sid, 1, "completed") == 204  # and back for the report
    row = call(session, outbox_id)
    assert (row.status, row.call_outcome, row.provider_id) == (QUEUED, CALL_FAILED, None)


# The steps of the call ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/voice/call-news?news=1&item=1",
        "/voice/call-callback?news=1&item=1",
        "/voice/calls-stop?news=1&item=1",
        "/voice/stop-calls?news=1&item=1",
        "/voice/calls-kept?news=1&item=1",
        "/voice/send-news?news=1&item=1&mobile=1",
        "/voice/dialled?news=1&item=1",
    ],
)
def test_a_step_of_the_news_call_that_fails_says_who_calls_and_where_to_hear_the_news(broken, path) -> None:
    phone = heard_at(broken, path, Digits="1")
    assert phone.heard == f"{WHO} {SORRY} {ON_THE_HOTLINE} {BYE}"
    assert phone.hung_up and problems(phone.element) == []


def test_it_is_said_in_the_residents_language(broken) -> None:
    phone = heard_at(broken, "/voice/call-news?news=1&item=1&lang=tr", Digits="*")
    assert phone.heard.startswith("Burası Kaiserslautern Vatandaş Hattı.") and phone.hung_up
    assert {say.get("language") for say in phone.element.iter("Say")} == {"tr-TR"}


def test_the_hotlines_own_callers_still_hear_its_apology(broken) -> None:
    phone = Caller(broken)
    phone._post(BASE_URL + "/voice/news?item=2", {"Digits": "1"})
    assert phone.heard.startswith(SORRY) and WHO not in phone.heard


# The provider's fallback URL for news calls ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "ending"), [("", AGAIN), ("?call=4&try=1", AGAIN), ("?call=4&try=3", ON_THE_HOTLINE)]
)
def test_the_fallback_says_who_calls_without_a_database(broken, caplog, query, ending) -> None:
    with caplog.at_level(logging.ERROR):
        phone = heard_at(broken, "/voice/news-call/fallback" + query, ErrorCode="11200")
    assert phone.heard == f"{WHO} {SORRY} {ending} {BYE}" and problems(phone.element) == []
    assert "/voice/news-call/fallback" not in caplog.text  # answered, not failed: it asks no database


def test_the_fallback_is_signed(client) -> None:
    assert client.post("/voice/news-call/fallback", data={"CallSid": SID}).status_code == 403


# A database that hangs: the answer comes at the deadline ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ending"),
    [("/voice/news-call?call=1&try=1", AGAIN), ("/voice/call-news?news=1&item=1", ON_THE_HOTLINE)],
)
def test_a_news_call_on_a_hung_database_is_answered_at_the_deadline(
    signer, silent_database, app_on, caplog, path, ending
) -> None:
    Caller(signer).call()  # the town is known (its profile is kept in the instance folder both apps use)
    hung = Signer(app_on(silent_database.url, WEBHOOK_DEADLINE_SECONDS=0.2).test_client(), AUTH_TOKEN)
    phone = heard_at(hung, path, AnsweredBy="human", Digits="*")
    assert phone.heard == f"{WHO} {SORRY} {ending} {BYE}" and problems(phone.element) == []
    assert f"voice webhook failed at {path.split('?')[0]}: TooLate" in caplog.text

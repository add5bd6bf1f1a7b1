"""Placing news calls through Twilio's Calls API: the real twilio client, talking HTTP to the fake
of Twilio's API on loopback (tests/fake_twilio_api.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from telephony import provider
from telephony.calls import LocalDialler
from telephony.messages import ProviderError
from telephony.twilio.dialler import TwilioDialler
from tests.fake_twilio_api import FakeTwilioApi
from tests.twilio_fake import ACCOUNT_SID, HOTLINE_NUMBER

TOKEN = "test-auth-token-0123456789abcdef"
RESIDENT = "+496311234567"
NEIGHBOUR = "+496317654321"
ANSWER = "https://hotline.example.org/voice/news-call?call=7&try=1"
STATUS = "https://hotline.example.org/voice/news-call/status?call=7&try=1"
FALLBACK = "https://hotline.example.org/voice/news-call/fallback?call=7&try=1"
URLS = (ANSWER, STATUS, FALLBACK)
BERLIN = ZoneInfo("Europe/Berlin")


class Moment:
    """Twilio's sense of now, which the test moves."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def moment() -> Moment:
    return Moment()


@pytest.fixture
def fake(moment: Moment) -> Iterator[FakeTwilioApi]:
    api = FakeTwilioApi(ACCOUNT_SID, TOKEN, clock=moment).start()
    yield api
    api.stop()


@pytest.fixture
def dialler(fake: FakeTwilioApi) -> TwilioDialler:
    return TwilioDialler(ACCOUNT_SID, TOKEN, from_number=HOTLINE_NUMBER, api_base_url=fake.url)


def test_a_call_is_placed_from_the_hotline_with_its_webhooks_and_answering_machine_detection(fake, dialler) -> None:
    sid = dialler.place(RESIDENT, *URLS)
    (call,) = fake.calls
    assert call["sid"] == sid and sid.startswith("CA")
    assert (call["to"], call["from"]) == (RESIDENT, HOTLINE_NUMBER)
    assert (call["url"], call["method"]) == (ANSWER, "POST")
    assert (call["status_callback"], call["status_callback_method"]) == (STATUS, "POST")
    assert (call["fallback_url"], call["fallback_method"]) == (FALLBACK, "POST")
    assert call["status_callback_event"] == ["initiated", "ringing", "answered", "completed"]
    assert call["machine_detection"] == "DetectMessageEnd"
    assert call["timeout"] == "40"


@pytest.mark.parametrize(
    ("status", "code", "throttled", "perhaps_done"),
    [(429, 20429, True, False), (500, None, False, True), (503, None, False, True)],
)
def test_provider_trouble_is_an_error_to_try_again(fake, dialler, status, code, throttled, perhaps_done) -> None:
    """429: Twilio did nothing. Its own trouble (5xx) can come after it placed the call."""
    fake.fail_calls(RESIDENT, status, code)
    with pytest.raises(ProviderError) as refused:
        dialler.place(RESIDENT, *URLS)
    error = refused.value
    assert (error.status, error.retryable, error.throttled, error.perhaps_done) == (
        status,
        True,
        throttled,
        perhaps_done,
    )
    assert fake.calls == []


def test_a_number_that_cannot_be_called_is_refused_for_good_without_the_number_in_the_error(fake, dialler) -> None:
    fake.fail_calls(RESIDENT, 400, 21215)  # Twilio: no permission to call this number (and it says which)
    with pytest.raises(ProviderError) as refused:
        dialler.place(RESIDENT, *URLS)
    assert not refused.value.retryable and not refused.value.perhaps_done
    assert "code 21215: Unable to create record: Account not authorized to call [number]. Perhaps" in str(refused.value)
    assert RESIDENT[1:] not in str(refused.value)


def test_an_api_that_cannot_be_reached_surely_placed_nothing(fake, dialler) -> None:
    fake.stop()
    with pytest.raises(ProviderError) as refused:
        dialler.place(RESIDENT, *URLS)
    error = refused.value
    assert (error.status, error.retryable, error.reached, error.perhaps_done) == (0, True, False, False)


def test_an_answer_that_never_comes_back_may_mean_the_call_rings(fake, dialler) -> None:
    fake.fail_calls(RESIDENT, 0, placed=True)  # Twilio places it; the connection closes before its answer
    with pytest.raises(ProviderError) as refused:
        dialler.place(RESIDENT, *URLS)
    error = refused.value
    assert (error.status, error.retryable, error.reached, error.perhaps_done) == (0, True, True, True)
    (call,) = fake.calls_to(RESIDENT)
    assert dialler.find(RESIDENT, datetime(2026, 11, 24, 8, 50, tzinfo=UTC)) == [call["sid"]]


def test_a_call_twilio_still_holds_queued_is_found_though_it_has_no_start_time(fake, dialler, moment) -> None:
    sid = dialler.place(RESIDENT, *URLS)
    assert fake.call(sid)["start_time"] is None
    assert dialler.find(RESIDENT, moment.now - timedelta(minutes=10)) == [sid]


def test_the_calls_to_a_number_since_a_moment_are_found_newest_first(fake, dialler, moment) -> None:
    earlier = dialler.place(RESIDENT, *URLS)
    fake.dial(earlier)
    moment.now += timedelta(hours=2)
    since = moment.now - timedelta(minutes=10)
    later, again = dialler.place(RESIDENT, *URLS), dialler.place(RESIDENT, *URLS)
    fake.dial(later)
    fake.dial(again)
    dialler.place(NEIGHBOUR, *URLS)
    assert dialler.find(RESIDENT, since) == [again, later]
    assert dialler.find(NEIGHBOUR, since + timedelta(hours=1)) == []


def test_a_moment_in_another_time_zone_means_the_same_moment(fake, dialler, moment) -> None:
    """The client writes the time with a Z whatever its zone: ten o'clock in Berlin is nine UTC."""
    sid = dialler.place(RESIDENT, *URLS)
    fake.dial(sid)  # started at 09:00 UTC, 10:00 in Berlin
    assert dialler.find(RESIDENT, datetime(2026, 11, 24, 9, 50, tzinfo=BERLIN)) == [sid]
    assert dialler.find(RESIDENT, datetime(2026, 11, 24, 10, 10, tzinfo=BERLIN)) == []


def test_a_lookup_the_api_does_not_answer_is_an_error_not_an_empty_list(fake, dialler, moment) -> None:
    fake.stop()
    with pytest.raises(ProviderError):
        dialler.find(RESIDENT, moment.now)


def test_the_fake_tells_what_twilio_would_post_to_the_webhooks(fake, dialler) -> None:
    sid = dialler.place(RESIDENT, *URLS)
    answered = fake.answer_form(sid, answered_by="machine_end_beep")
    assert answered | {"AccountSid": ""} == {
        "CallSid": sid,
        "AccountSid": "",
        "From": HOTLINE_NUMBER,
        "To": RESIDENT,
        "Direction": "outbound-api",
        "ApiVersion": "2010-04-01",
        "CallStatus": "in-progress",
        "AnsweredBy": "machine_end_beep",
    }
    ended = fake.status_form(sid, "completed", seconds=31)
    assert (ended["CallStatus"], ended["AnsweredBy"], ended["CallDuration"]) == ("completed", "machine_end_beep", "31")
    assert dialler.client.calls(sid).fetch().status == "completed"


def test_a_busy_line_is_reported_without_who_answered(fake, dialler) -> None:
    sid = dialler.place(RESIDENT, *URLS)
    ended = fake.status_form(sid, "busy")
    assert (ended["CallStatus"], ended["CallDuration"], "AnsweredBy" in ended) == ("busy", "0", False)


def test_twilio_places_calls_with_an_account_and_the_hotlines_own_number() -> None:
    account = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TOKEN}
    assert isinstance(provider.dialler(account | {"TWILIO_PHONE_NUMBER": HOTLINE_NUMBER}), TwilioDialler)
    # A messaging service sends SMS only; without an account nothing reaches Twilio.
    assert isinstance(provider.dialler(account | {"TWILIO_MESSAGING_SERVICE_SID": "MG" + "1" * 32}), LocalDialler)
    assert isinstance(provider.dialler({"TWILIO_PHONE_NUMBER": HOTLINE_NUMBER}), LocalDialler)


def test_the_demos_stand_in_shows_a_call_on_the_console_without_the_number(capsys) -> None:
    local = LocalDialler()
    first, second = local.place(RESIDENT, *URLS), local.place(RESIDENT, *URLS)
    assert first.startswith("LOCAL") and first != second
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == f"[news call to …567] rings: {ANSWER}"
    assert RESIDENT not in printed and "1234567" not in printed
    assert local.find(RESIDENT, datetime(2026, 11, 24, tzinfo=UTC)) == []


@pytest.mark.parametrize(
    ("happened", "ended", "answered_by"),
    [
        (lambda fake, sid: fake.dial(sid), None, None),  # still ringing
        (lambda fake, sid: fake.status_form(sid, "busy"), "busy", None),
        (lambda fake, sid: fake.status_form(sid, "no-answer"), "no-answer", None),
        (
            lambda fake, sid: (fake.answer_form(sid, "machine_end_beep"), fake.status_form(sid, "completed")),
            "answered",
            "machine",
        ),
        (lambda fake, sid: (fake.answer_form(sid, "human"), fake.status_form(sid, "completed")), "answered", "human"),
    ],
)
def test_how_a_call_ended_is_asked_for_when_its_report_never_came(fake, dialler, happened, ended, answered_by) -> None:
    sid = dialler.place(RESIDENT, *URLS)
    happened(fake, sid)
    report = dialler.status(sid)
    assert report is not None and (report.call_id, report.ended, report.answered_by) == (sid, ended, answered_by)


def test_a_call_twilio_does_not_know_tells_nothing_and_a_strange_id_is_never_sent(fake, dialler) -> None:
    assert dialler.status("CA" + "0" * 32) is None  # 404 at Twilio
    assert dialler.status("../Messages") is None
    assert fake.looked_up_calls == ["CA" + "0" * 32]


def test_twilio_in_trouble_while_asked_is_a_provider_error(fake, dialler) -> None:
    fake.fail_call_look_ups(500)
    with pytest.raises(ProviderError):
        dialler.status("CA" + "1" * 32)

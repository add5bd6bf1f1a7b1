"""No phone number in what talking to Twilio leaves behind: its error texts, which are stored with
the message or call for staff, and urllib3's debug notes of the requests (a look-up's URL names
the number). The real twilio client, talking to the fake of Twilio's API on loopback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import urllib3

from telephony.messages import ProviderError
from telephony.twilio.dialler import TwilioDialler
from telephony.twilio.sender import TwilioSender, without_numbers
from tests.fake_twilio_api import FakeTwilioApi
from tests.twilio_fake import ACCOUNT_SID, HOTLINE_NUMBER

TOKEN = "test-auth-token-0123456789abcdef"
RESIDENT = "+4915112345678"


@pytest.fixture
def fake() -> Iterator[FakeTwilioApi]:
    api = FakeTwilioApi(ACCOUNT_SID, TOKEN).start()
    yield api
    api.stop()


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        (
            "The 'To' number +4915112345678 is not a valid phone number.",
            "The 'To' number [number] is not a valid phone number.",
        ),
        (
            "Account not authorized to call +49 631 365-1000. See https://www.twilio.com/docs/errors/21215",
            "Account not authorized to call [number]. See https://www.twilio.com/docs/errors/21215",
        ),
        ("Unable to create record: +49 (0)631 / 12 34 56 is blocked", "Unable to create record: [number] is blocked"),
        ("Too many requests: 429, try again in 30 seconds", "Too many requests: 429, try again in 30 seconds"),
    ],
)
def test_a_phone_number_in_twilios_words_is_blotted_out_and_the_rest_kept(said: str, kept: str) -> None:
    assert without_numbers(said) == kept


def test_an_sms_twilio_refuses_leaves_its_code_and_words_without_the_number(fake) -> None:
    sender = TwilioSender(
        ACCOUNT_SID, TOKEN, messaging_service_sid=None, from_number=HOTLINE_NUMBER, api_base_url=fake.url
    )
    fake.fail(RESIDENT, 400, code=21211)
    with pytest.raises(ProviderError) as refused:
        sender.send(RESIDENT, "Hallo", None)
    said = "Unable to create record: The 'To' number [number] is not a valid phone number."
    assert str(refused.value) == f"provider answered 400: code 21211: {said}"


def test_urllib3_keeps_requests_to_twilio_out_of_its_debug_notes_and_only_those(fake, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3")
    dialler = TwilioDialler(ACCOUNT_SID, TOKEN, from_number=HOTLINE_NUMBER, api_base_url=fake.url)
    assert dialler.find(RESIDENT, datetime(2026, 11, 24, tzinfo=UTC)) == []  # GET …/Calls.json?To=%2B4915…
    # Another host (the same fake by another name): urllib3 still tells about it.
    elsewhere = fake.url.replace("127.0.0.1", "localhost") + "/elsewhere"
    assert urllib3.PoolManager().request("GET", elsewhere).status == 404
    notes = [record.getMessage() for record in caplog.records if record.name.startswith("urllib3")]
    assert [note for note in notes if "Calls.json" in note or "12345678" in note] == []
    assert any("/elsewhere" in note for note in notes), notes

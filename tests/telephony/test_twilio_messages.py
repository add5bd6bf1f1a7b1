"""Twilio's SMS webhooks and REST errors become neutral messages: nothing Twilio leaks past telephony/."""

from __future__ import annotations

import pytest

from telephony.messages import (
    DELIVERED,
    FAILED,
    SENT,
    STARTED,
    STOPPED,
    UNDELIVERED,
    DeliveryReport,
    LocalSender,
    ProviderError,
)
from telephony.twilio import messages
from telephony.twilio.sender import TwilioSender
from tests.fake_twilio_api import FakeTwilioApi
from tests.twilio_fake import ACCOUNT_SID, CALLER_NUMBER

TOKEN = "test-auth-token-0123456789abcdef"


def test_an_incoming_sms_keeps_its_id_sender_body_and_the_providers_opt_out() -> None:
    sms = messages.incoming_sms(
        {"MessageSid": "SM" + "a" * 32, "From": CALLER_NUMBER, "Body": "NEU 2", "OptOutType": "stop"}
    )
    assert (sms.message_id, sms.sender, sms.body, sms.handled_by_provider) == (
        "SM" + "a" * 32,
        CALLER_NUMBER,
        "NEU 2",
        STOPPED,
    )
    assert messages.incoming_sms({"SmsSid": "SM1", "OptOutType": "START"}).handled_by_provider == STARTED


def test_an_sms_body_is_read_without_the_characters_xml_forbids() -> None:
    body = messages.incoming_sms({"Body": "IDEE Mehr\x00 Bänke\x0c\x1b\ufffe\r\nam Markt"}).body
    assert body == "IDEE Mehr Bänke\r\nam Markt"


@pytest.mark.parametrize("form", [{}, {"MessageSid": "x" * 5000, "From": "☎" * 900}, {"OptOutType": "\x00HELP"}])
def test_odd_or_missing_sms_fields_give_safe_values(form: dict[str, str]) -> None:
    sms = messages.incoming_sms(form)
    assert len(sms.message_id) <= 64 and len(sms.sender) <= 64
    assert sms.handled_by_provider is None


@pytest.mark.parametrize(
    ("twilio_status", "ours"),
    [
        ("accepted", SENT),
        ("queued", SENT),
        ("sending", SENT),
        ("sent", SENT),
        ("delivered", DELIVERED),
        ("undelivered", UNDELIVERED),
        ("failed", FAILED),
        ("read", None),
        ("", None),
    ],
)
def test_twilios_message_statuses_map_to_ours(twilio_status: str, ours: str | None) -> None:
    assert messages.delivery_report({"MessageSid": "SM1", "MessageStatus": twilio_status}).status == ours


def test_a_report_with_error_21610_says_the_recipient_opted_out() -> None:
    report = messages.delivery_report({"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "21610"})
    assert (report.status, report.error, report.recipient_opted_out) == (UNDELIVERED, "code 21610", True)
    other = messages.delivery_report({"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30003"})
    assert (other.error, other.recipient_opted_out) == ("code 30003", False)


def test_the_sender_reports_an_opted_out_recipient_and_a_retryable_overload_in_neutral_words() -> None:
    fake = FakeTwilioApi(ACCOUNT_SID, TOKEN).start()
    try:
        sender = TwilioSender(
            ACCOUNT_SID, TOKEN, messaging_service_sid=None, from_number="+496313651000", api_base_url=fake.url
        )
        fake.fail(CALLER_NUMBER, 400, code=21610)
        with pytest.raises(ProviderError) as opted_out:
            sender.send(CALLER_NUMBER, "Hallo", None)
        assert (opted_out.value.recipient_opted_out, opted_out.value.retryable) == (True, False)
        fake.fail("+4915199999999", 429, code=20429)
        with pytest.raises(ProviderError) as busy:
            sender.send("+4915199999999", "Hallo", None)
        assert (busy.value.recipient_opted_out, busy.value.retryable) == (False, True)
        assert sender.send("+4915188888888", "Hallo", None).provider_id.startswith("SM")
    finally:
        fake.stop()


def test_the_sender_asks_what_became_of_a_message_in_neutral_words() -> None:
    fake = FakeTwilioApi(ACCOUNT_SID, TOKEN).start()
    try:
        sender = TwilioSender(
            ACCOUNT_SID, TOKEN, messaging_service_sid=None, from_number="+496313651000", api_base_url=fake.url
        )
        on_its_way = sender.send(CALLER_NUMBER, "Hallo", None).provider_id
        opted_out = sender.send("+4915199999999", "Hallo", None).provider_id
        fake.reports(opted_out, "undelivered", error_code=21610)
        assert sender.status(on_its_way) == DeliveryReport(on_its_way, SENT)  # Twilio: "queued"
        assert sender.status(opted_out) == DeliveryReport(opted_out, UNDELIVERED, "code 21610", True)
        assert sender.status("SM" + "0" * 32) is None  # Twilio does not know it
        assert sender.status("../Calls/CA1") is None and fake.looked_up == [on_its_way, opted_out, "SM" + "0" * 32]
        fake.fail(on_its_way, 503)
        with pytest.raises(ProviderError) as trouble:
            sender.status(on_its_way)
        assert trouble.value.retryable
    finally:
        fake.stop()


def test_the_local_stand_in_cannot_tell_what_became_of_a_message() -> None:
    assert LocalSender().status("LOCAL0000000001") is None

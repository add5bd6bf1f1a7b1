"""Texting as people really type, in every script: a Persian keyboard for Arabic words, joined
Arabic letter forms, look-alike letters of another script, digits of any script, marks and emoji
around the word. Above all, STOP is never missed, and erasing still takes the exact word."""

from __future__ import annotations

import pytest

from content import subscriptions
from content.models import SUBSCRIBED, UNSUBSCRIBED
from sms.keywords import fold
from tests.factories import create_subscriber
from tests.twilio_fake import CALLER_NUMBER


def status(session, number: str = CALLER_NUMBER) -> str | None:
    subscriber = subscriptions.find(session, number)
    return subscriber.status if subscriber else None


def test_arabic_typed_on_a_persian_keyboard_is_read_as_arabic() -> None:
    # A Persian keyboard types ی and ک where Arabic has ي and ك; joined letter forms are letters too.
    assert fold("ایقاف") == fold("إيقاف")
    assert fold("اشتراک") == fold("اشتراك")
    assert fold("ﻣﺴﺎﻋﺪﺓ") == fold("مساعدة")


def test_stop_typed_on_a_persian_keyboard_stops(texter, session, clock) -> None:
    create_subscriber(session, clock(), language="ar")
    texter.send("ایقاف")  # إيقاف, with the Persian ya
    assert status(session) == UNSUBSCRIBED


def test_subscribing_typed_on_a_persian_keyboard_subscribes(texter, session) -> None:
    texter.send("اشتراک")  # اشتراك, with the Persian kaf
    assert status(session) == SUBSCRIBED


@pytest.mark.parametrize("body", ["🛑 STOP", "- STOP", "» STOP", "\u061c STOP", "!! СТОП"])
def test_stop_after_an_emoji_or_a_dash_stops(texter, session, clock, body: str) -> None:
    create_subscriber(session, clock())
    texter.send(body)
    assert status(session) == UNSUBSCRIBED

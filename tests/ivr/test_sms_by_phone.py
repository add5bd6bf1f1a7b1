"""Key 4 subscribes a mobile caller to the news by SMS; key 2 in a list sends the item as SMS."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from content.models import QUEUED, SUBSCRIBED, OutboundMessage, Subscriber
from tests.ivr.keys import TO_ENGLISH, press
from tests.twilio_fake import Caller, Texter

MOBILE = "+4915112345678"
LANDLINE = "+496313651234"
# What key 4 is for: its first sentence, whoever calls.
PURPOSE = (
    "Hier bekommen Sie Neuigkeiten per SMS oder als Anruf, "
    "und Sie hören oder löschen, was wir zu Ihrer Nummer speichern."
)
# The same for a landline, where only the calls are offered.
LANDLINE_PURPOSE = (
    "Hier bekommen Sie Neuigkeiten als Anruf, und Sie hören oder löschen, was wir zu Ihrer Nummer speichern."
)
NOT_A_MOBILE = "Sie rufen nicht von einem Handy an. Für die Neuigkeiten per SMS brauchen wir eine Handynummer."


def queued(session) -> list[OutboundMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def test_key_4_explains_then_subscribes_a_mobile_caller_with_consent_and_a_confirmation_sms(
    caller, session, clock
) -> None:
    caller.call().press("4")
    assert caller.heard.startswith(f"{PURPOSE} Sie bekommen dann jede neue Meldung als SMS auf Ihr Handy.")
    assert "Wenn Sie einverstanden sind, drücken Sie die 1." in caller.heard
    caller.press("1")
    assert caller.heard.startswith("Vielen Dank. Sie bekommen gleich eine SMS zur Bestätigung.")
    assert "Für Aktuelles aus der Stadt" in caller.heard
    subscriber = session.scalar(select(Subscriber))
    assert (subscriber.number, subscriber.status, subscriber.consent_channel) == (MOBILE, SUBSCRIBED, "phone")
    assert subscriber.consent_at == clock() and "Beenden können Sie das jederzeit" in subscriber.consent_wording
    (sms,) = queued(session)
    assert (sms.recipient, sms.status) == (MOBILE, QUEUED)
    assert sms.body == "Sie bekommen jetzt die Neuigkeiten aus Kaiserslautern per SMS. Beenden jederzeit mit STOP."
    caller.call().press("4")
    assert caller.heard.startswith(f"{PURPOSE} Sie bekommen die Neuigkeiten schon per SMS.")
    assert "einverstanden" not in caller.heard
    assert len(queued(session)) == 1


def test_key_4_then_hash_changes_nothing(caller, session) -> None:
    caller.call().press("4").press("#")
    assert "Für Aktuelles aus der Stadt" in caller.heard
    assert session.scalar(select(Subscriber)) is None


def test_a_landline_caller_is_offered_calls_and_hears_that_sms_need_a_mobile_number(signer, session) -> None:
    landline = Caller(signer, number=LANDLINE).call().press("4")
    assert landline.heard.startswith(f"{LANDLINE_PURPOSE} Für Neuigkeiten als Anruf drücken Sie die 1.")
    landline._post(urljoin(landline.url, "/voice/subscribe-now"), {"Digits": "1"})
    assert landline.heard.startswith("Für SMS brauchen wir eine Handynummer.")
    withheld = Caller(signer, number="+266696687").call().press("1").press("2")
    assert withheld.heard.startswith("Für SMS brauchen wir eine Handynummer.")
    assert session.scalar(select(Subscriber)) is None and queued(session) == []


def test_key_2_sends_the_news_item_as_sms_once_and_stays_at_the_item(caller, session) -> None:
    caller.call().press("1").press("1")
    assert "Meldung 2 von 3" in caller.heard
    caller.press("2")
    assert caller.heard.startswith("Die SMS ist unterwegs. Für die nächste Meldung drücken Sie die 1.")
    caller.press("2")
    (sms,) = queued(session)
    assert sms.recipient == MOBILE and sms.body.startswith("Digital-Sprechstunde im Rathaus. Jeden ersten Mittwoch")
    caller.press("1")
    assert "Meldung 3 von 3" in caller.heard


def test_key_2_sends_a_project_in_the_callers_language(caller, session) -> None:
    press(caller.call(), [*TO_ENGLISH, "2", "1", "2"])
    assert caller.heard.startswith("The SMS is on its way.")
    (sms,) = queued(session)
    # The same words as PROJECT 2 by SMS (content.channel_texts), in the caller's language.
    assert sms.body.startswith("Project 2: Smart infrastructure, living lab. Status: in progress. Latest (")


# Numbers that look like E.164 but whose country code no country has (phonenumbers cannot parse them).
NO_COUNTRY = ["+99912345678", "+999999999999999"]
# The two menu points that need a mobile number: news by SMS (key 4) and "send me this as SMS"
# (key 2 at a news item).
NEEDS_A_MOBILE = {
    "subscribe": (("4",), f"{PURPOSE} {NOT_A_MOBILE}"),
    "send as SMS": (("1", "2"), "Für SMS brauchen wir eine Handynummer."),
}


@pytest.mark.parametrize(("keys", "told"), NEEDS_A_MOBILE.values(), ids=NEEDS_A_MOBILE.keys())
@pytest.mark.parametrize("number", NO_COUNTRY)
def test_a_number_of_no_country_hears_that_sms_needs_a_mobile(signer, session, number, keys, told) -> None:
    odd = Caller(signer, number=number).call()
    for key in keys:
        odd.press(key)
    assert odd.heard.startswith(told)
    assert "technisches Problem" not in odd.heard and not odd.hung_up
    assert session.scalar(select(Subscriber)) is None and queued(session) == []


def test_what_we_keep_tells_a_caller_who_stopped_the_sms_that_the_number_is_kept(texter, caller) -> None:
    texter.send("START")
    texter.send("STOP")
    caller.call().press("4").press("2")
    assert caller.heard.startswith("Sie haben die Neuigkeiten per SMS beendet. Wir speichern Ihre Nummer nur,")


def test_what_we_keep_tells_a_texter_who_only_chose_a_language_why_the_number_is_kept(signer) -> None:
    Texter(signer, number=LANDLINE).send("SPRACHE DE")  # a landline texts: only the language is kept
    caller = Caller(signer, number=LANDLINE).call().press("4").press("2")
    assert caller.heard.startswith("Wir speichern Ihre Nummer nur, um Ihre Sprache zu kennen.")

"""A number called with the news (subscribed on the phone) by SMS: DATEN names the calls, LÖSCHEN
lists and erases them, in every language within two SMS."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from content import news_calls, queries
from content.i18n import catalog_codes, translate
from content.models import CallSubscriber, OutboundMessage, Subscriber
from content.news_calls import Choices
from content.sms_text import ELLIPSIS, count, smart_encode
from sms import prompts
from sms.keywords import names_in
from tests.factories import create_announcement, create_poll
from tests.ivr.calling import MOBILE, calls_to, news_call
from tests.twilio_fake import Texter

CALLS = "Ihre Anmeldung für Anrufe mit Neuigkeiten"


def called(session, clock, language: str = "de") -> None:
    news_calls.subscribe(session, MOBILE, language=language, choices=Choices(), wording="(phone)", now=clock())
    session.commit()


def test_daten_names_the_calls_of_a_number_that_gets_no_sms(texter, session, clock) -> None:
    called(session, clock)
    news_call(session, clock(), create_announcement(session, clock()), MOBILE)  # waiting: no SMS sent
    assert texter.send("DATEN") == f"Zu Ihrer Nummer speichern wir: {CALLS}. Um alles zu löschen, senden Sie LÖSCHEN."


def test_daten_names_the_calls_after_the_sms_subscription(texter, session, clock) -> None:
    texter.send("START")
    called(session, clock)
    assert texter.send("DATEN").endswith(
        f"Beenden mit STOP. Zu Ihrer Nummer speichern wir außerdem: {CALLS}. Um alles zu löschen, senden Sie LÖSCHEN."
    )


def test_loeschen_lists_the_calls_and_loeschen_ja_ends_them(texter, session, clock) -> None:
    texter.send("START")
    called(session, clock)
    news_call(session, clock(), create_announcement(session, clock()), MOBILE)
    pending = create_announcement(session, clock(), title="Noch eine")
    news_calls.queue_news(session, pending, queries.town_profile(session), broadcast_id=None, now=clock())
    session.commit()
    assert texter.send("LÖSCHEN").startswith(
        "Zu Ihrer Nummer speichern wir: Ihre Anmeldungen für Neuigkeiten per SMS und per Anruf. Senden Sie"
    )
    assert texter.send("LÖSCHEN JA").startswith("Erledigt")
    session.expire_all()
    assert session.scalar(select(CallSubscriber)) is None and session.scalar(select(Subscriber)) is None
    assert calls_to(session, MOBILE) == [] and session.scalar(select(OutboundMessage.recipient)) in (None, "")


@pytest.mark.parametrize("code", catalog_codes())
def test_the_calls_are_named_whole_in_every_language_however_much_else_is_kept(signer, session, clock, code) -> None:
    """An SMS subscriber with calls, an idea, a callback and a vote: in Cyrillic or Arabic (134
    characters in two SMS) the subscription's own sentence gives way to the list, so that the
    calls are named; LÖSCHEN names them too."""
    create_poll(session, clock())
    names = names_in(code)
    texter = Texter(signer, MOBILE)
    texter.send(f"{names_in('de')['language'][0]} {code}")
    for body in (
        names["subscribe"][0],
        f"{names['idea'][0]} Mehr Bänke",
        names["callback"][0],
        f"{names['vote'][0]} 1",
    ):
        texter.send(body)
    called(session, clock, code)
    calls, both = (
        smart_encode(translate(code, message)) for message in (prompts.KEPT_CALLS, prompts.KEPT_SUBSCRIPTIONS)
    )
    privacy, delete = texter.send(names["privacy"][0]), texter.send(names["delete"][0])
    assert calls in privacy or both in privacy, privacy  # after DATEN's own sentence, or in the list instead
    assert both in delete, delete
    for reply in (privacy, delete):
        assert ELLIPSIS not in reply and count(reply).segments <= 2, reply

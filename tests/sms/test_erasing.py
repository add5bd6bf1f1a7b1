"""LÖSCHEN erases nothing by itself: it says what would go and waits ten minutes for LÖSCHEN JA."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from content.i18n import catalog_codes, translate
from content.models import CallbackRequest, ErasureRequest, Submission, Subscriber
from content.sms_text import count as sms_count
from content.sms_text import smart_encode
from sms.keywords import confirmation, names_in
from sms.prompts import KEPT, KEPT_SUBSCRIPTION
from tests.factories import create_poll
from tests.sms.test_texting import short_gsm7
from tests.test_races import AT_ONCE, at_once
from tests.twilio_fake import Texter

ASKED = "Senden Sie LÖSCHEN JA innerhalb von 10 Minuten, dann löschen wir das."
ERASED = "Erledigt: Wir haben Ihre Nummer und alles, was dazu gehört, gelöscht."


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def subscribed(texter, session):
    """A texter who subscribed and sent an idea: there is something to lose."""
    texter.send("START")
    texter.send("IDEE Mehr Bänke am Stiftsplatz")
    return texter


@pytest.mark.parametrize(
    "body", ["LÖSEN", "LOESEN", "LOSCHEN", "Lóschen", "Löschung bitte nicht", "Löschen bitte nicht", "LÖSCHEN NEIN"]
)
def test_a_near_miss_never_erases_and_never_suggests_loeschen(subscribed, session, body) -> None:
    reply = subscribed.send(body)
    assert "Erledigt" not in reply and "Meinten Sie LÖSCHEN" not in reply
    assert count(session, Subscriber) == 1 and session.scalar(select(Submission)).number is not None


def test_loeschen_lists_what_is_kept_and_asks_first(subscribed, session, clock) -> None:
    create_poll(session, clock())
    subscribed.send("ABSTIMMEN 1")
    subscribed.send("RÜCKRUF")
    subscribed.send("IDEE Ein Trinkbrunnen am Schillerplatz")
    reply = subscribed.send("LÖSCHEN")
    assert reply == (
        "Zu Ihrer Nummer speichern wir: Ihre Anmeldung für Neuigkeiten per SMS, 2 Ideen oder Fragen, "
        f"1 Rückrufwunsch und 1 Stimme in einer Abstimmung. {ASKED} Ideen und Stimmen bleiben, aber ohne Ihre Nummer."
    )
    assert short_gsm7(reply)
    assert (count(session, Subscriber), count(session, CallbackRequest), count(session, ErasureRequest)) == (1, 1, 1)


def test_loeschen_ja_within_ten_minutes_erases(subscribed, session, clock) -> None:
    assert ASKED in subscribed.send("LÖSCHEN")
    clock.now += timedelta(minutes=9)
    assert subscribed.send("Löschen ja").startswith(ERASED)
    assert (count(session, Subscriber), count(session, ErasureRequest)) == (0, 0)
    assert session.scalar(select(Submission)).number is None


def test_loeschen_ja_after_ten_minutes_asks_again(subscribed, session, clock) -> None:
    subscribed.send("LÖSCHEN")
    clock.now += timedelta(minutes=11)
    assert ASKED in subscribed.send("LÖSCHEN JA")
    assert count(session, Subscriber) == 1
    assert subscribed.send("LOESCHEN JA").startswith(ERASED)  # the new question counts from now


def test_loeschen_ja_without_a_question_only_asks(subscribed, session) -> None:
    assert ASKED in subscribed.send("LÖSCHEN JA")
    assert count(session, Subscriber) == 1


@pytest.mark.parametrize("answer", ["LÖSCHEN NEIN", "NEU", "LÖSCHEN JA bitte nicht alles"])
def test_anything_but_loeschen_ja_leaves_everything(subscribed, session, answer) -> None:
    subscribed.send("LÖSCHEN")
    assert "Erledigt" not in subscribed.send(answer)
    assert count(session, Subscriber) == 1 and session.scalar(select(Submission)).number is not None


def test_loeschen_nein_withdraws_the_question(subscribed, session) -> None:
    subscribed.send("LÖSCHEN")
    assert subscribed.send("Löschen nein") == "Gut, wir löschen nichts."
    assert count(session, ErasureRequest) == 0
    assert ASKED in subscribed.send("LÖSCHEN JA")


def test_delete_yes_confirms_in_english(texter, session) -> None:
    texter.send("SUBSCRIBE")
    assert "Send DELETE YES within 10 minutes" in texter.send("DELETE")
    assert texter.send("delete yes").startswith("Done: we have erased your number")
    assert count(session, Subscriber) == 0


def test_a_retried_confirmation_gets_the_same_answer_and_changes_nothing(subscribed, session) -> None:
    assert ASKED in subscribed.send("LÖSCHEN")
    first = subscribed.send("LÖSCHEN JA", sid="SM" + "c" * 32)
    subscribed.send("START")  # subscribed again after the erasure
    assert subscribed.send("LÖSCHEN JA", sid="SM" + "c" * 32) == first
    assert count(session, Subscriber) == 1 and count(session, ErasureRequest) == 0


def test_a_second_confirmation_finds_nothing_left_and_says_so(subscribed, session) -> None:
    subscribed.send("LÖSCHEN")
    assert subscribed.send("LÖSCHEN JA").startswith(ERASED)
    reply = subscribed.send("LÖSCHEN JA")
    assert reply == "Zu Ihrer Nummer speichern wir nichts, es gibt also nichts zu löschen."
    assert count(session, ErasureRequest) == 0


def test_loeschen_with_nothing_kept_asks_nothing(texter, session) -> None:
    assert texter.send("LÖSCHEN") == "Zu Ihrer Nummer speichern wir nichts, es gibt also nichts zu löschen."
    assert count(session, ErasureRequest) == 0


def test_confirmations_at_once_erase_once_and_each_get_an_answer(app, subscribed, session) -> None:
    subscribed.send("LÖSCHEN")

    def confirm(signer, index: int, start) -> str:
        texter = Texter(signer)
        start.wait()
        return texter.send("LÖSCHEN JA", sid=f"SM{index:032d}")

    answers = at_once(app, confirm)
    nothing_left = "Zu Ihrer Nummer speichern wir nichts, es gibt also nichts zu löschen."
    assert len([answer for answer in answers if answer.startswith(ERASED)]) == 1
    assert [answer for answer in answers if not answer.startswith(ERASED)] == [nothing_left] * (AT_ONCE - 1)
    assert (count(session, Subscriber), count(session, ErasureRequest)) == (0, 0)


def test_the_refusal_works_in_every_language_not_only_the_reply_language(texter, session) -> None:
    texter.send("START")
    texter.send("LANGUAGE EN")
    assert "DELETE YES" in texter.send("LÖSCHEN")
    assert texter.send("LÖSCHEN NEIN") == "Fine: nothing is erased."
    assert session.scalar(select(ErasureRequest)) is None


def test_a_decomposed_umlaut_is_the_same_keyword(texter, session) -> None:
    texter.send("START")
    assert "LÖSCHEN JA" in texter.send(unicodedata.normalize("NFD", "LÖSCHEN"))
    assert session.scalar(select(ErasureRequest)) is not None


@pytest.mark.parametrize("code", catalog_codes())
@pytest.mark.parametrize("more", [False, True])
def test_the_erasure_question_names_what_is_kept_in_every_language(
    signer, session, clock, code: str, more: bool
) -> None:
    """In two SMS, in every language (67 characters each in Cyrillic or Arabic): at least the most
    lasting thing kept, then the whole question."""
    create_poll(session, clock())
    names = names_in(code)
    texter = Texter(signer, "+4918012345000")
    texter.send(f"{names_in('de')['language'][0]} {code}")
    texter.send(names["subscribe"][0])
    if more:  # ideas, a callback and a vote: the list gives way, the subscription stays first
        texter.send(f"{names['idea'][0]} Mehr Bänke")
        texter.send(names["callback"][0])
        texter.send(f"{names['vote'][0]} 1")
    reply = texter.send(names["delete"][0])
    subscription = smart_encode(translate(code, KEPT_SUBSCRIPTION))
    if not more:  # one thing kept: said whole
        assert reply.startswith(smart_encode(translate(code, KEPT, items=subscription))), reply
    assert subscription in reply and confirmation(code) in reply and sms_count(reply).segments <= 2, reply

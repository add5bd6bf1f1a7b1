"""Words written only in German, heard by a caller of another language: the note in the caller's
language first, then the German words in the German voice, on every path of the call."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from content import channel_texts, demo, queries
from content.i18n import translate
from content.models import OutboundMessage
from content.snapshot import current
from ivr import prompts
from tests.factories import create_announcement, create_poll
from tests.twilio_fake import Caller

TURKISH_MOBILE = "+905321234567"
VOICES = {language.code: language.voice for language in demo.LANGUAGES}


@pytest.fixture(autouse=True)
def german_and_turkish(session) -> None:
    languages = tuple(language for language in demo.LANGUAGES if language.code in ("de", "tr"))
    queries.save_town_profile(session, dataclasses.replace(current().profile, languages=languages))
    session.commit()


def said(caller: Caller) -> list[tuple[str, str]]:
    """Each line the caller heard last, with its voice."""
    return [
        (say.get("voice", ""), " ".join((line.text or "").split()))
        for say in caller.element.iter("Say")
        for line in say.iter("prosody")
    ]


def tr(message: str, **values: object) -> str:
    return translate("tr", message, **values)


def german_answer_then(sentence: str) -> list[tuple[str, str]]:
    """The note (Turkish), answer 2 with its German words (German voice), then the Turkish sentence."""
    return [
        (VOICES["tr"], tr(prompts.ONLY_IN_LANGUAGE, language="Almanca")),
        (VOICES["de"], translate("de", prompts.POLL_CHOICE, key=2, label="Am Bahnhof.")),
        (VOICES["tr"], sentence),
    ]


def test_a_german_answer_is_confirmed_and_counted_in_the_german_voice_after_the_note(session, clock, signer) -> None:
    create_poll(session, clock())  # its answers are written in German only
    caller = Caller(signer, TURKISH_MOBILE).call().press("9").press("3").press("1")  # Turkish, take part, the poll
    caller.press("2")
    answer = tr(prompts.ANSWER_NUMBER, key=2)
    assert said(caller)[:3] == german_answer_then(tr(prompts.POLL_CONFIRM, label=answer))
    caller.press("1")
    assert said(caller)[:3] == german_answer_then(tr(prompts.VOTE_COUNTED, label=answer))
    caller.press("*")  # again: the caller's own sentence, not a note without the German after it
    assert said(caller)[0] == (VOICES["tr"], tr(prompts.VOTE_COUNTED, label=answer))
    caller.press("1")  # the poll again: the vote so far comes first
    assert said(caller)[:3] == german_answer_then(tr(prompts.POLL_YOUR_VOTE, label=answer))
    caller.press("2").press("1")
    assert said(caller)[:3] == german_answer_then(tr(prompts.VOTE_CHANGED, label=answer))


def test_a_german_caller_hears_the_answer_in_the_sentence_itself(session, clock, signer) -> None:
    create_poll(session, clock())
    caller = Caller(signer, "+4915112345678").call().press("3").press("1").press("2")
    assert said(caller)[0] == (VOICES["de"], translate("de", prompts.POLL_CONFIRM, label="Am Bahnhof"))


def test_confirming_an_answer_of_a_poll_that_closed_meanwhile_says_so(signer) -> None:
    caller = Caller(signer, "+4915112345678")
    caller._post("http://localhost/voice/confirm-vote?item=999&choice=2", {})
    assert caller.heard.startswith(translate("de", prompts.POLL_CLOSED))


def test_a_german_item_sent_as_sms_from_the_phone_says_first_that_it_is_only_in_german(session, clock, signer) -> None:
    create_announcement(session, clock(), title="Nur deutsch", body="Neue Bänke am Rathaus.", english=False)
    Caller(signer, TURKISH_MOBILE).call().press("9").press("1").press("2")  # Turkish, the news, as SMS
    (sms,) = session.scalars(select(OutboundMessage))
    note = translate("tr", channel_texts.ONLY_IN, language="Almanca")
    assert (sms.recipient, sms.body) == (TURKISH_MOBILE, f"{note} Nur deutsch. Neue Bänke am Rathaus.")

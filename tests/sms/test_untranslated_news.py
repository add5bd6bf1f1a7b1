"""The rule for a language without its own text, by SMS: NEU with the note (in the list too), or
without the item; a project's title in PROJEKTE and poll answers after the same note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from content.channel_texts import only_in
from content.i18n import translate
from content.models import Project
from content.sms_text import smart_encode
from sms import prompts
from sms.keywords import names_in
from tests.factories import create_announcement, create_poll
from tests.twilio_fake import Texter


def german_only(session, clock, untranslated: str) -> None:
    create_announcement(
        session, clock(), title="Nur deutsch", body="Neue Bänke am Rathaus.", english=False, untranslated=untranslated
    )


def test_with_the_note_english_texters_read_the_german_item_after_the_note(texter, session, clock) -> None:
    german_only(session, clock, "note")
    texter.send("SPRACHE EN")
    listing = texter.send("NEU")
    assert listing.startswith(
        "News from Kaiserslautern: 1) Only in German: Nur deutsch. 2) The citizens' line is here."
    )
    assert "Only in German: Nur deutsch. Neue Bänke am Rathaus." in texter.send("NEU 1")


def test_a_skipped_item_is_not_in_english_news_and_the_numbers_stay_right(texter, session, clock) -> None:
    german_only(session, clock, "skip")
    texter.send("SPRACHE EN")
    listing = texter.send("NEU")
    assert listing.startswith("News from Kaiserslautern: 1) The citizens' line is here.")
    assert "Nur deutsch" not in listing
    assert "The citizens' line is here." in texter.send("NEU 1")
    assert "Nur deutsch" in texter.send("SPRACHE DE") + texter.send("NEU 1")


@pytest.mark.parametrize("code", ["en", "tr", "ru", "uk", "ar", "pl", "de@easy"])
def test_a_project_only_in_german_is_listed_after_the_note_in_every_language(texter, session, code: str) -> None:
    project = session.scalar(select(Project).where(Project.number == 1))
    project.texts = {"de": {"title": "Nur deutsch", "summary": "Nur auf Deutsch geschrieben."}}
    session.commit()
    texter.send(f"{names_in('de')['language'][0]} {code}")
    listing = texter.send(names_in(code)["projects"][0])
    assert listing.startswith(f"{translate(code, prompts.PROJECT_LIST)} 1) {only_in('de', code)} Nur deutsch. "), (
        listing
    )


@pytest.mark.parametrize("code", ["tr", "ru", "uk", "ar", "pl"])
def test_news_only_in_german_is_listed_after_the_note_in_every_language(texter, session, clock, code: str) -> None:
    german_only(session, clock, "note")
    texter.send(f"{names_in('de')['language'][0]} {code}")
    listing = texter.send(names_in(code)["news"][0])
    heading = translate(code, prompts.NEWS_LIST, town="Kaiserslautern")
    assert listing.startswith(smart_encode(f"{heading} 1) {only_in('de', code)} Nur deutsch. ")), listing


def test_poll_answers_only_in_german_get_the_note_once_where_the_question_is_english(texter, session, clock) -> None:
    create_poll(session, clock())  # the question in German and English, the answers in German only
    texter.send("LANGUAGE EN")
    reply = texter.send("VOTE")
    assert "be? Only in German: 1) Am Rathaus. 2) Am Bahnhof. 3) Am Betzenberg." in reply, reply
    russian = Texter(texter.signer, "+4917812345000").send("ГОЛОС")  # the question is German too: one note
    assert russian.count(only_in("de", "ru")) == 1, russian

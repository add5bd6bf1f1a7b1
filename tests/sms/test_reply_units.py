"""The keyword handlers are pure: (what we know, the words after the keyword) -> the reply. No HTTP, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from content.models import SUBSCRIBED
from content.snapshot import NewsItem, RoadmapProject, UpdateNote
from sms.keywords import Command
from sms.replies import Conversation, Texter, answer
from tests.town import MUSTERSTADT

NEWS = (
    NewsItem(
        2,
        datetime(2026, 11, 20, 8, tzinfo=UTC),
        None,
        {"de": {"title": "Sprechstunde", "body": "Jeden Mittwoch.", "sms": "Mittwochs Sprechstunde, 9-12 Uhr."}},
    ),
    NewsItem(1, datetime(2026, 11, 2, 8, tzinfo=UTC), None, {"de": {"title": "Neu", "body": "Das Telefon ist da."}}),
)
PROJECTS = (
    RoadmapProject(
        1,
        "administration",
        "in_progress",
        {"de": {"title": "Bürgerbüro online", "summary": "Bald."}},
        UpdateNote(date(2026, 11, 21), {"de": {"text": "Drei Anträge sind fertig."}}),
    ),
)


def talk(texter: Texter | None = None) -> Conversation:
    return Conversation(MUSTERSTADT, "de", texter or Texter(), NEWS, PROJECTS)


def test_neu_lists_the_headlines_numbered_newest_first() -> None:
    reply = answer(talk(), Command("news", "de", ""))
    assert reply.text.startswith("Aktuelles aus Musterstadt: 1) Sprechstunde. 2) Neu.")
    assert reply.change is None


def test_neu_with_a_number_sends_that_items_sms_version_with_its_date() -> None:
    assert answer(talk(), Command("news", "de", "1")).text == "20.11.2026: Mittwochs Sprechstunde, 9-12 Uhr."
    assert answer(talk(), Command("news", "de", "2")).text == "02.11.2026: Neu. Das Telefon ist da."
    assert answer(talk(), Command("news", "de", "3")).text == "Eine Meldung 3 gibt es nicht. Die Liste: NEU"


def test_projekt_with_a_number_names_status_latest_note_and_summary() -> None:
    reply = answer(talk(), Command("projects", "de", "1"))
    assert reply.text == (
        "Projekt 1: Bürgerbüro online. Stand: in Arbeit. Neuester Stand (21.11.2026): Drei Anträge sind fertig. Bald."
    )


def test_start_promises_the_news_and_asks_the_view_to_subscribe() -> None:
    reply = answer(talk(), Command("subscribe", "de", ""))
    assert (reply.change, reply.topics) == ("subscribe", ())
    assert "Musterstadt" in reply.text and "STOP" in reply.text


def test_start_again_with_the_same_choice_changes_nothing() -> None:
    reply = answer(talk(Texter(status=SUBSCRIBED, language="de")), Command("subscribe", "de", ""))
    assert reply.change is None and reply.text.startswith("Sie bekommen die Neuigkeiten schon per SMS.")


def test_stop_alone_asks_the_view_to_stop_and_stop_with_more_words_only_explains() -> None:
    assert answer(talk(), Command("stop", "de", "")).change == "stop"
    more = answer(talk(), Command("stop", "de", "bitte nicht"))
    assert (more.change, more.text) == (
        None,
        "Um die Neuigkeiten per SMS zu beenden, senden Sie nur das Wort STOP, ohne weitere Wörter.",
    )


def test_an_unknown_word_gets_the_closest_keyword_as_a_hint() -> None:
    reply = answer(talk(), Command(None, "de", "HILF", closest="HILFE"))
    assert "HILFE" in reply.text and reply.change is None


def test_projekte_ends_on_a_whole_title_and_counts_the_rest() -> None:
    long = "Sprechstunden für digitale Fragen in jedem Stadtteil, mit Begleitung"
    projects = tuple(
        RoadmapProject(n, "administration", "planned", {"de": {"title": f"{long} {n}"}}, None) for n in range(1, 9)
    )
    reply = answer(Conversation(MUSTERSTADT, "de", Texter(), NEWS, projects), Command("projects", "de", "")).text
    assert reply == (
        f"Digitale Projekte: 1) {long} 1. 2) {long} 2. 3) {long} 3. Und 5 weitere: PROJEKT und Nummer, z. B. PROJEKT 4."
    )


def test_danke_is_answered_without_a_guess() -> None:
    assert answer(talk(), Command("thanks", "de", "")).text.startswith("Gern geschehen!")

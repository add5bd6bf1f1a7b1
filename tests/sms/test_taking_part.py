"""Taking part by SMS: ABSTIMMEN, IDEE, FRAGE, RÜCKRUF, DATEN and LÖSCHEN."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from content.i18n import catalog_codes
from content.models import CallbackRequest, Submission, Subscriber, Vote
from content.sms_text import ELLIPSIS, count
from sms.keywords import names_in
from tests.factories import create_poll
from tests.twilio_fake import CALLER_NUMBER, Texter


def test_without_an_open_poll_abstimmen_says_so(texter) -> None:
    assert texter.send("ABSTIMMEN") == "Zurzeit gibt es keine Abstimmung."


def test_a_texter_reads_the_poll_votes_and_changes_the_vote(session, clock, texter) -> None:
    create_poll(session, clock())
    listing = texter.send("abstimmen")
    assert (
        "Wo soll die nächste Ladesäule stehen?" in listing and "2) Am Bahnhof" in listing and "ABSTIMMEN 1" in listing
    )
    assert texter.send("ABSTIMMEN 2").startswith("Danke! Ihre Stimme: Am Bahnhof.")
    assert texter.send("ABSTIMMEN 3") == "Ihre Stimme ist geändert: Am Betzenberg."
    assert texter.send("ABSTIMMEN 7") == "Bitte senden Sie ABSTIMMEN und eine Zahl von 1 bis 3."
    votes = session.scalars(select(Vote)).all()
    assert len(votes) == 1 and votes[0].channel == "sms" and CALLER_NUMBER not in votes[0].voter


def test_an_idea_for_a_project_and_a_question_get_reference_numbers(session, texter) -> None:
    reply = texter.send("IDEE 3 Ein Coworking-Platz im Bahnhof wäre schön")
    idea = session.scalar(select(Submission))
    assert reply == f"Danke für Ihre Idee! Ihre Vorgangsnummer ist {idea.reference}."
    assert len(idea.reference) == 4 and idea.reference.startswith("000")
    assert (idea.kind, idea.project_number, idea.text, idea.number) == (
        "idea",
        3,
        "Ein Coworking-Platz im Bahnhof wäre schön",
        CALLER_NUMBER,
    )
    assert "Wir antworten per SMS" in texter.send("FRAGE Wann öffnet das Bürgerbüro?")
    assert texter.send("IDEE").startswith("Bitte schreiben Sie Ihre Idee")
    assert session.scalar(select(func.count()).select_from(Submission)) == 2


def test_a_callback_is_promised_for_the_next_working_day(session, clock, texter) -> None:
    clock.set(2026, 11, 27, 17)  # a Friday evening
    assert "Montag, 30. November 2026" in texter.send("RÜCKRUF")
    assert "Montag, 30. November 2026" in texter.send("rueckruf")  # asking twice is one request
    requests = session.scalars(select(CallbackRequest)).all()
    assert [r.due_on for r in requests] == [date(2026, 11, 30)]


def test_daten_tells_and_loeschen_erases_everything_linked_to_the_number(session, clock, texter) -> None:
    create_poll(session, clock())
    texter.send("START")
    texter.send("ABSTIMMEN 1")
    texter.send("IDEE Mehr Bänke am Stiftsplatz")
    texter.send("RÜCKRUF")
    kept = "speichern wir außerdem: 1 Idee oder Frage, 1 Rückrufwunsch und 1 Stimme in einer Abstimmung."
    assert kept in texter.send("DATEN")
    assert texter.send("LÖSCHEN").endswith("Ideen und Stimmen bleiben, aber ohne Ihre Nummer.")
    assert session.scalar(select(Subscriber)) is not None  # asking erases nothing
    assert texter.send("LÖSCHEN JA").startswith("Erledigt")
    session.expire_all()
    assert session.scalar(select(Subscriber)) is None
    assert session.scalar(select(CallbackRequest)) is None
    idea = session.scalar(select(Submission))
    assert idea.text == "Mehr Bänke am Stiftsplatz" and idea.number is None and idea.pseudonym is None
    vote = session.scalar(select(Vote))
    assert vote is not None and vote.voter is None  # the vote still counts, anonymous


@pytest.mark.parametrize("code", catalog_codes())
def test_privacy_never_cuts_the_list_of_what_is_kept_in_the_middle(signer, session, clock, code: str) -> None:
    """A subscriber who also sent an idea, asked for a callback and voted: DATEN says what it can
    whole within two SMS (in Cyrillic or Arabic, 134 characters), and never ends in '...'."""
    create_poll(session, clock())
    names = names_in(code)
    texter = Texter(signer, "+4918112345000")
    texter.send(f"{names_in('de')['language'][0]} {code}")
    for body in (
        names["subscribe"][0],
        f"{names['idea'][0]} Mehr Bänke",
        names["callback"][0],
        f"{names['vote'][0]} 1",
    ):
        texter.send(body)
    reply = texter.send(names["privacy"][0])
    assert ELLIPSIS not in reply and count(reply).segments <= 2, reply
    if code == "en":  # room for everything: the list, and how to erase it
        assert reply.endswith(
            "1 idea or question, 1 callback request, and 1 vote in a poll. To erase it all, send DELETE."
        )

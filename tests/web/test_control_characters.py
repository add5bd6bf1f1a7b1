"""A control character in what staff write, texters send or callers say never breaks a document.

XML 1.0 forbids most C0 controls (a form feed, an escape, NUL), U+FFFE, U+FFFF and lone
surrogates; PostgreSQL cannot store NUL at all. Text is cleaned where it enters (staff forms, the
provider's webhooks), and TwiML and the Atom feed never carry such a character even when a row
stored earlier holds one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from content.models import Announcement, Poll, Project, Setting, Submission, Subscriber
from content.profile import RETENTION_DAYS
from content.snapshot import current
from tests.factories import create_announcement, create_submission
from tests.twilio_fake import BASE_URL, CALLER_NUMBER, Caller
from tests.web.conftest import CALLING_TIMES

# Pasted from a word processor or a terminal: a form feed, an escape, NUL.
PASTED = "\x0c\x1b\x00"
# What a row written before the cleaning (or by hand) may hold; PostgreSQL refuses NUL, so not that.
STORED = "\x0c\x1b\x01\ufffe"
FORBIDDEN = set(PASTED + STORED)


def has_forbidden(text: str) -> bool:
    return bool(FORBIDDEN & set(text))


def announcement_texts(title: str, body: str) -> dict[str, str]:
    return {"title_de": title, "body_de": body, "title_en": "Office hours", "body_en": "From Monday."}


def settings_values(greeting: str) -> dict[str, str]:
    return {
        "town": "Kaiserslautern",
        "hotline_number": "0631 365-1000",
        "staff_number": "0631 365-0",
        "holidays_subdivision": "RP",
        "timezone": "Europe/Berlin",
        "languages": "de de-DE Polly.Vicki-Neural\nen en-GB Polly.Amy-Neural",
        "greeting_de": greeting,
        **{f"retention_{kind}": "30" for kind in RETENTION_DAYS},
        **CALLING_TIMES,
    }


def words(text: str) -> str:
    """Single-spaced: a stored form feed may have become a space on the way (it is white space)."""
    return " ".join(text.split())


def newest_announcement(session) -> Announcement:
    session.expire_all()
    return session.scalars(select(Announcement).order_by(Announcement.id.desc())).first()


# Staff forms --------------------------------------------------------------------------------------


def test_a_greeting_pasted_with_control_characters_is_saved_without_them(app, admin, caller) -> None:
    response = admin.submit("/staff/settings", settings_values(f"Grüß{PASTED} Gott\tin Kaiserslautern!"))
    assert response.status_code == 302
    with app.app_context():
        assert current().profile.greeting["de"] == "Grüß Gott\tin Kaiserslautern!"
    caller.call()  # the welcome parses as XML
    assert "Grüß Gott" in caller.heard


def test_an_announcement_pasted_with_control_characters_is_published_without_them(
    app, editor, session, caller, texter, client
) -> None:
    title, body = f"Neue{PASTED} Sprechstunde", f"Ab Montag{PASTED}\r\ngibt es eine Sprechstunde."
    response = editor.submit("/staff/announcements/new", {**announcement_texts(title, body), "action": "publish"})
    assert response.status_code == 302
    item = newest_announcement(session)
    assert item.texts["de"]["title"] == "Neue Sprechstunde"
    assert item.texts["de"]["body"] == "Ab Montag\r\ngibt es eine Sprechstunde."
    caller.call().press("1")
    assert "Neue Sprechstunde" in caller.heard
    assert "Neue Sprechstunde" in texter.send("NEU")
    ET.fromstring(client.get("/roadmap.atom").data)


def test_projects_updates_and_polls_are_saved_without_control_characters(editor, session) -> None:
    editor.submit(
        "/staff/projects/new",
        {"status": "planned", "field": "participation", "title_de": f"Bürger{PASTED}haushalt", "summary_de": "Alle."},
    )
    project = session.scalars(select(Project).order_by(Project.number.desc())).first()
    assert project.texts["de"]["title"] == "Bürgerhaushalt"
    editor.submit(
        f"/staff/projects/{project.number}/updates/new", {"happened_on": "2026-11-20", "text_de": f"Los{PASTED}!"}
    )
    session.expire_all()
    assert project.latest_update.texts["de"]["text"] == "Los!"
    editor.submit(
        "/staff/polls/new",
        {
            "question_de": f"Welche{PASTED} Farbe?",
            "option1_de": f"Rot{PASTED}",
            "option2_de": "Blau",
            "opens_at": "2026-11-24T09:00",
            "closes_at": "2026-12-24T09:00",
        },
    )
    poll = session.scalars(select(Poll).order_by(Poll.id.desc())).first()
    assert poll.texts["de"]["question"] == "Welche Farbe?"
    assert [option.texts["de"]["label"] for option in poll.options] == ["Rot", "Blau"]


def test_an_answer_to_an_idea_leaves_without_control_characters(moderator, session, clock) -> None:
    item = create_submission(session, clock())
    moderator.submit("/staff/inbox", {"answer": f"Danke{PASTED}, wir prüfen das."}, to=f"/staff/inbox/{item.id}/answer")
    session.expire_all()
    assert session.get(Submission, item.id).answer == "Danke, wir prüfen das."


def test_the_preview_shows_the_text_without_control_characters(editor) -> None:
    token = editor.token("/staff/announcements/new")
    preview = editor.client.post(
        "/staff/preview", data={"title_de": f"Neu{PASTED}", "body_de": "Text.", "csrf_token": token}
    ).get_json()["de"]
    assert "Neu" in preview["sms"] and not has_forbidden(preview["sms"]) and not has_forbidden(preview["spoken"])


# Webhooks ---------------------------------------------------------------------------------------


def test_an_sms_with_control_characters_is_stored_without_them(signer, session) -> None:
    params = {"MessageSid": "SM" + "1" * 32, "From": CALLER_NUMBER, "Body": f"START{PASTED}", "OptOutType": "START"}
    assert signer.post(BASE_URL + "/sms", params).status_code == 200
    subscriber = session.scalar(select(Subscriber))
    assert subscriber is not None and not has_forbidden(subscriber.consent_wording)


# Rows stored before: every document still parses ----------------------------------------------


@pytest.fixture
def stored_badly(session, clock) -> None:
    """A greeting and the newest announcement holding characters XML cannot carry, put in directly."""
    session.get(Setting, "greeting").value = {"de": f"Willkommen{STORED} beim Bürgertelefon!"}
    create_announcement(session, clock(), title=f"Baustelle{STORED} am Markt", body=f"Ab{STORED} Montag gesperrt.")
    session.commit()


def test_the_welcome_still_parses_with_a_stored_control_character(stored_badly, signer) -> None:
    response = signer.post(BASE_URL + "/voice", {"From": CALLER_NUMBER, "CallSid": "CA1"})
    welcome = ET.fromstring(response.data)
    assert "Willkommen beim Bürgertelefon" in " ".join(welcome.itertext())


def test_the_news_still_parse_with_a_stored_control_character(stored_badly, signer) -> None:
    caller = Caller(signer).call().press("1")  # Caller parses every answer as XML
    assert "Baustelle am Markt" in caller.heard


def test_neu_still_answers_with_a_stored_control_character(stored_badly, texter) -> None:
    assert "Baustelle am Markt" in words(texter.send("NEU"))  # Texter parses the reply as XML
    assert "Ab Montag gesperrt" in words(texter.send("NEU 1"))


def test_the_atom_feed_still_parses_with_a_stored_control_character(stored_badly, client) -> None:
    feed = ET.fromstring(client.get("/roadmap.atom").data)
    assert "Baustelle am Markt" in " ".join(feed.itertext())


def test_a_nul_in_a_message_id_gets_the_answer_not_the_apology(texter) -> None:
    """Found by 10,000 hostile requests: PostgreSQL refused to store MessageSid "\\x00"."""
    for sid in ("\x00", "SM\x00"):
        answer = texter.send("NEU", sid=sid)
        assert answer.startswith("Aktuelles aus Kaiserslautern: 1)") and "technisches Problem" not in answer

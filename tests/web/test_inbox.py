"""The moderation inbox, the call-back queue, polls and the right of access, through the test client."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from content import db
from content.models import OutboundMessage, Poll, Submission
from tests.factories import create_poll
from tests.twilio_fake import CALLER_NUMBER, Texter
from tests.web.conftest import StaffMember, add_account


def test_a_moderator_reads_filters_and_answers_by_sms(app, moderator, texter, session) -> None:
    texter.send("IDEE 3 Ein Coworking-Platz im Bahnhof")
    texter.send("FRAGE Wann öffnet das Bürgerbüro?")
    page = moderator.client.get("/staff/inbox").get_data(as_text=True)
    assert "Ein Coworking-Platz im Bahnhof" in page and "Wann öffnet das Bürgerbüro?" in page
    assert CALLER_NUMBER not in page and "15112345678" not in page  # moderators never see the number
    only_ideas = moderator.client.get("/staff/inbox?kind=idea&project=3").get_data(as_text=True)
    assert "Coworking" in only_ideas and "Bürgerbüro" not in only_ideas
    question = session.scalar(select(Submission).where(Submission.kind == "question"))
    response = moderator.submit(
        "/staff/inbox", {"answer": "Ab Montag, 8 Uhr – herzlich willkommen!"}, to=f"/staff/inbox/{question.id}/answer"
    )
    assert response.status_code == 302
    sent = session.scalar(select(OutboundMessage))
    assert (sent.recipient, sent.body) == (
        CALLER_NUMBER,
        "Kaiserslautern, zu Ihrem Vorgang 0002: Ab Montag, 8 Uhr - herzlich willkommen!",
    )
    session.expire_all()
    assert session.get(Submission, question.id).status == "handled"
    assert "Bürgerbüro" not in moderator.client.get("/staff/inbox").get_data(as_text=True)  # open ones by default


def test_an_answer_too_long_with_the_town_and_reference_in_front_is_refused(app, moderator, texter, session) -> None:
    texter.send("FRAGE Wann öffnet das Bürgerbüro?")
    item = session.scalar(select(Submission))
    page = moderator.submit("/staff/inbox", {"answer": "x" * 300}, to=f"/staff/inbox/{item.id}/answer")
    assert page.status_code == 302 and session.scalar(select(OutboundMessage)) is None
    shown = moderator.client.get(page.headers["Location"]).get_data(as_text=True)
    assert "ist diese Antwort länger als zwei SMS" in shown


def test_an_erased_number_cannot_be_answered(app, moderator, texter, session) -> None:
    texter.send("FRAGE Wo ist das Fundbüro?")
    texter.send("LÖSCHEN")
    texter.send("LÖSCHEN JA")
    item = session.scalar(select(Submission))
    page = moderator.submit("/staff/inbox", {"answer": "Im Rathaus."}, to=f"/staff/inbox/{item.id}/answer")
    assert page.status_code == 302 and session.scalar(select(OutboundMessage)) is None


def test_voice_messages_play_for_moderators_only(app, moderator, tmp_path, clock) -> None:
    # No `session` fixture here: its app context would make two browsers share Flask's g (and CSRF token).
    app.config["RECORDINGS_DIR"] = str(tmp_path)
    (tmp_path / "7-RE1.mp3").write_bytes(b"ID3 audio")
    item = Submission(
        kind="voice",
        channel="phone",
        language="de",
        recording_file="7-RE1.mp3",
        received_at=clock(),
        fetch_attempts=0,
        recording_wanted=True,
        status="open",
    )
    with app.app_context():
        db.session().add(item)
        db.session().commit()
    page = moderator.client.get("/staff/inbox?kind=voice").get_data(as_text=True)
    assert f'src="/staff/inbox/{item.id}/recording"' in page
    audio = moderator.client.get(f"/staff/inbox/{item.id}/recording")
    assert audio.status_code == 200 and audio.mimetype == "audio/mpeg" and audio.data == b"ID3 audio"
    audio.close()
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    editor = StaffMember(app.test_client())
    assert editor.login("redaktion@kaiserslautern.de").status_code == 302
    assert editor.client.get(f"/staff/inbox/{item.id}/recording").status_code == 403
    assert app.test_client().get(f"/staff/inbox/{item.id}/recording").status_code == 302


def test_the_council_export_has_the_content_but_no_numbers(moderator, texter) -> None:
    texter.send('IDEE =HYPERLINK("http://evil") Bänke')
    Texter(texter.signer, number="+4915199990000").send("FRAGE Wer mäht den Rasen?")
    export = moderator.client.get("/staff/inbox.csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:3] == ["reference", "kind", "channel"]
    assert {row[1] for row in rows[1:]} == {"idea", "question"}
    body = export.get_data(as_text=True)
    assert "15112345678" not in body and "15199990000" not in body
    assert any(row[8].startswith("'=HYPERLINK") for row in rows[1:])  # no formula in the spreadsheet


def test_the_call_back_queue_marks_overdue_requests(app, moderator, texter, clock) -> None:
    texter.send("RÜCKRUF")
    page = moderator.client.get("/staff/callbacks").get_data(as_text=True)
    assert "+4915112345678" in page and "überfällig" not in page
    clock.now += timedelta(days=2)  # Thursday: Wednesday's promise is overdue
    assert moderator.login("buergerdialog@kaiserslautern.de").status_code == 302  # a new working day, a new login
    page = moderator.client.get("/staff/callbacks").get_data(as_text=True)
    assert 'class="overdue"' in page and "überfällig" in page
    moderator.submit("/staff/callbacks", {}, to="/staff/callbacks/1/done")
    assert "Niemand wartet auf einen Rückruf." in moderator.client.get("/staff/callbacks").get_data(as_text=True)


def test_an_editor_creates_a_poll_that_is_heard_and_texted_and_published_when_closed(
    app, editor, caller, texter, client, session, clock
) -> None:
    response = editor.submit(
        "/staff/polls/new",
        {
            "question_de": "Welcher Name für den neuen Platz?",
            "option1_de": "Lautrer Platz",
            "option2_de": "Bürgerplatz",
            "opens_at": "2026-11-24T08:00",
            "closes_at": "2026-12-01T18:00",
            "project_number": "2",
        },
    )
    assert response.status_code == 302
    caller.call().press("3").press("1")
    assert "Welcher Name für den neuen Platz?" in caller.heard
    caller.press("2").press("1")
    texter_two = Texter(texter.signer, number="+4915177777777")
    texter_two.send("ABSTIMMEN 1")
    page = editor.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<td>1: Lautrer Platz</td><td>0</td><td>1</td><td>1</td>" in page
    assert "<td>2: Bürgerplatz</td><td>1</td><td>0</td><td>1</td>" in page
    assert "Welcher Name" not in client.get("/roadmap").get_data(as_text=True)  # results only after closing
    clock.now += timedelta(days=8)
    assert "Ergebnisse der Abstimmungen" in client.get("/roadmap").get_data(as_text=True)
    polls = client.get("/roadmap.json").get_json()["polls"]
    assert [r["votes"] for r in polls[0]["results"]] == [1, 1] and polls[0]["project_number"] == 2


def test_a_poll_needs_two_answers_and_closes_after_it_opens(app, editor, session) -> None:
    response = editor.submit(
        "/staff/polls/new",
        {"question_de": "Ja?", "option1_de": "Ja", "opens_at": "2026-11-24T08:00", "closes_at": "2026-12-01T18:00"},
    )
    assert response.status_code == 422
    response = editor.submit(
        "/staff/polls/new",
        {
            "question_de": "Ja?",
            "option1_de": "Ja",
            "option2_de": "Nein",
            "opens_at": "2026-11-24T08:00",
            "closes_at": "2026-11-20T18:00",
        },
    )
    assert response.status_code == 422 and 'id="closes_at-errors"' in response.get_data(as_text=True)
    assert session.scalar(select(Poll)) is None


def test_answers_stay_fixed_once_people_voted(app, editor, session, clock, texter) -> None:
    poll = create_poll(session, clock())
    texter.send("ABSTIMMEN 1")
    response = editor.submit(
        f"/staff/polls/{poll.id}",
        {
            "question_de": "Wo?",
            "option1_de": "Rathaus",
            "option2_de": "Bahnhof",
            "opens_at": "2026-11-23T10:00",
            "closes_at": "2026-12-08T10:00",
        },
    )
    assert response.status_code == 422
    session.expire_all()
    assert len(session.get(Poll, poll.id).options) == 3


def test_an_admin_hands_a_person_everything_kept_about_their_number(app, admin, texter) -> None:
    texter.send("START")
    texter.send("IDEE Mehr Grün am Messeplatz")
    Texter(texter.signer, number="+4915155555555").send("IDEE Etwas anderes")
    export = admin.submit("/staff/subscribers", {"number": "0151 12345678"}, to="/staff/subscribers/export")
    assert export.headers["Content-Disposition"].startswith("attachment")
    record = export.get_json()
    assert record["subscription"]["status"] == "subscribed"
    assert [s["text"] for s in record["submissions"]] == ["Mehr Grün am Messeplatz"]
    assert "15155555555" not in export.get_data(as_text=True)

"""The staff pages through the test client: login, roles, CSRF, announcements, projects, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from content import db
from content.models import Announcement, OutboundMessage, Project, Revision, StaffUser, Subscriber
from content.profile import RETENTION_DAYS
from content.snapshot import current
from tests.web.conftest import PASSWORD, StaffMember, add_account

STAFF_PAGES = [
    "/staff/",
    "/staff/announcements",
    "/staff/announcements/new",
    "/staff/announcements/1",
    "/staff/inbox",
    "/staff/callbacks",
    "/staff/polls",
    "/staff/polls/new",
    "/staff/inbox.csv",
    "/staff/projects",
    "/staff/projects/1",
    "/staff/projects/1/updates/new",
    "/staff/settings",
    "/staff/subscribers",
    "/staff/accounts",
    "/staff/broadcasts/1",
    "/staff/broadcasts/1.json",
]


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def announcement_texts(
    title: str = "Neue Sprechstunde", body: str = "Ab Montag gibt es eine Sprechstunde im Rathaus."
) -> dict:
    return {
        "title_de": title,
        "body_de": body,
        "title_en": "New office hours",
        "body_en": "From Monday there are office hours.",
    }


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_send_strangers_to_the_login(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_a_wrong_password_is_refused_and_then_slowed_down(app, client, clock) -> None:
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    staff = StaffMember(client)
    for _attempt in range(3):
        response = staff.login("redaktion@kaiserslautern.de", "wrong password!")
        assert response.status_code == 401
        assert "nicht richtig" in response.get_data(as_text=True)
    # Now even the right password has to wait.
    response = staff.login("redaktion@kaiserslautern.de", "wrong again, too")
    response = staff.login("redaktion@kaiserslautern.de")
    assert response.status_code == 401
    assert "Sekunden" in response.get_data(as_text=True)
    clock.now += timedelta(seconds=11)
    assert staff.login("redaktion@kaiserslautern.de").status_code == 302
    assert client.get("/staff/").status_code == 200


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client) -> None:
    response = StaffMember(client).login("nobody@example.org", "whatever password")
    assert response.status_code == 401
    assert "nicht richtig" in response.get_data(as_text=True)


def test_login_only_goes_on_to_pages_of_this_site(app, client) -> None:
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    staff = StaffMember(client)
    token = staff.token("/staff/login")
    response = client.post(
        "/staff/login?next=//evil.example/steal",
        data={"email": "redaktion@kaiserslautern.de", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/staff/"


def test_a_form_without_csrf_token_changes_nothing(app, editor) -> None:
    before = count(app, Announcement)
    response = editor.client.post("/staff/announcements/new", data={**announcement_texts(), "action": "publish"})
    assert response.status_code == 400
    assert count(app, Announcement) == before


def test_an_editor_may_not_change_settings_or_accounts(app, editor) -> None:
    token = editor.token("/staff/announcements/new")
    assert editor.client.get("/staff/settings").status_code == 403
    response = editor.client.post(
        "/staff/settings",
        data={"town": "Elsewhere", "timezone": "Europe/Berlin", "languages": "de de-DE x", "csrf_token": token},
    )
    assert response.status_code == 403
    response = editor.client.post(
        "/staff/accounts", data={"email": "x@y.de", "role": "admin", "password": "a" * 20, "csrf_token": token}
    )
    assert response.status_code == 403
    with app.app_context():
        assert current().profile.town == "Kaiserslautern"
    assert count(app, StaffUser) == 1


def test_published_news_is_heard_on_the_phone_with_its_author_in_the_history(app, editor, caller) -> None:
    response = editor.submit("/staff/announcements/new", {**announcement_texts(), "action": "publish"})
    assert response.status_code == 302
    caller.call().press("1")
    assert "Neue Sprechstunde" in caller.heard
    with app.app_context():
        authors = db.session().scalars(select(Revision.author).where(Revision.entity == "announcement"))
        assert "redaktion@kaiserslautern.de" in set(authors)


def test_a_missing_title_is_shown_at_the_field_and_nothing_is_saved(app, editor) -> None:
    before = count(app, Announcement)
    response = editor.submit("/staff/announcements/new", {**announcement_texts(title=""), "action": "publish"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="title_de-errors"' in page and 'aria-invalid="true"' in page
    assert count(app, Announcement) == before


def test_scheduling_needs_a_time_in_the_future(app, editor) -> None:
    before = count(app, Announcement)
    response = editor.submit(
        "/staff/announcements/new", {**announcement_texts(), "publish_at": "2020-01-01T10:00", "action": "schedule"}
    )
    assert response.status_code == 422 and 'id="publish_at-errors"' in response.get_data(as_text=True)
    response = editor.submit(
        "/staff/announcements/new", {**announcement_texts(), "publish_at": "2026-12-01T09:00", "action": "schedule"}
    )
    assert response.status_code == 302
    assert count(app, Announcement) == before + 1


def test_content_is_escaped_on_every_page(app, editor, client) -> None:
    attack = "<script>alert(1)</script>"
    editor.submit("/staff/announcements/new", {**announcement_texts(title=attack), "action": "publish"})
    for url in ("/", "/staff/announcements", "/roadmap.atom"):
        page = client.get(url).get_data(as_text=True)
        assert attack not in page
        assert "&lt;script&gt;" in page


def test_the_preview_counts_what_smart_encoding_sends(editor) -> None:
    token = editor.token("/staff/announcements/new")
    answer = editor.client.post(
        "/staff/preview", data={"title": "Fest", "body": "„Herzlich“ – willkommen", "csrf_token": token}
    ).get_json()
    assert answer["written_encoding"] == "UCS-2" and answer["encoding"] == "GSM-7"
    assert ["–", "-"] in answer["replaced"] and answer["segments"] == 1
    assert answer["sms"] == 'Fest. "Herzlich" - willkommen.'
    answer = editor.client.post("/staff/preview", data={"title": "Fest 🎉", "csrf_token": token}).get_json()
    assert answer["encoding"] == "UCS-2" and answer["forcing_ucs2"] == ["🎉"]
    assert answer["spoken"] == "Fest 🎉."


def test_publishing_with_sms_queues_one_message_per_subscriber_of_the_topic(app, editor, session) -> None:
    session.add_all(
        [
            Subscriber(number="+4915100000001", language="de", status="subscribed", topics=[]),
            Subscriber(number="+4915100000002", language="en", status="subscribed", topics=["mobility"]),
            Subscriber(number="+4915100000003", language="de", status="subscribed", topics=["education"]),
            Subscriber(number="+4915100000004", language="de", status="unsubscribed", topics=[]),
        ]
    )
    session.commit()
    response = editor.submit(
        "/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y", "topic": "mobility"}
    )
    assert response.status_code == 302 and "/staff/broadcasts/" in response.headers["Location"]
    recipients = {m.recipient: m.body for m in session.scalars(select(OutboundMessage))}
    assert set(recipients) == {"+4915100000001", "+4915100000002"}
    assert recipients["+4915100000002"].startswith("New office hours")
    progress = editor.client.get(response.headers["Location"] + ".json").get_json()
    assert progress == {"total": 2, "waiting": 2, "sent": 0, "delivered": 0, "failed": 0, "done": 0, "percent": 0}


def test_news_cannot_end_before_it_starts(app, editor) -> None:
    response = editor.submit(
        "/staff/announcements/new", {**announcement_texts(), "expires_at": "2026-11-01T10:00", "action": "publish"}
    )
    assert response.status_code == 422 and 'id="expires_at-errors"' in response.get_data(as_text=True)


def test_sending_is_only_offered_with_publishing_now(app, editor) -> None:
    response = editor.submit("/staff/announcements/new", {**announcement_texts(), "action": "draft", "send": "y"})
    assert response.status_code == 422 and 'id="send-errors"' in response.get_data(as_text=True)
    assert count(app, OutboundMessage) == 0


def test_archived_news_is_no_longer_heard(app, editor, caller, session) -> None:
    newest = session.scalars(select(Announcement).order_by(Announcement.publish_at.desc().nulls_last())).first()
    title = newest.texts["de"]["title"]
    editor.submit(f"/staff/announcements/{newest.id}", {}, to=f"/staff/announcements/{newest.id}/archive")
    caller.call().press("1")
    assert title not in caller.heard


def test_a_new_project_gets_the_next_number_and_keeps_it(app, editor, session) -> None:
    response = editor.submit(
        "/staff/projects/new",
        {"status": "planned", "field": "participation", "title_de": "Bürgerhaushalt", "summary_de": "Alle reden mit."},
    )
    assert response.headers["Location"] == "/staff/projects/10"
    editor.submit(
        "/staff/projects/10",
        {
            "status": "in_progress",
            "field": "participation",
            "title_de": "Bürgerhaushalt 2027",
            "summary_de": "Alle reden mit.",
        },
    )
    editor.submit(
        "/staff/projects/10/updates/new", {"happened_on": "2026-11-20", "text_de": "Die erste Runde ist eröffnet."}
    )
    project = session.scalar(select(Project).where(Project.number == 10))
    assert project.status == "in_progress" and project.texts["de"]["title"] == "Bürgerhaushalt 2027"
    assert project.latest_update.texts == {"de": {"text": "Die erste Runde ist eröffnet."}}


def test_settings_refuse_a_wrong_number_and_save_a_right_one(app, admin) -> None:
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    assert 'value="Kaiserslautern"' in page
    values = {
        "town": "Kaiserslautern",
        "hotline_number": "0631 12345",
        "staff_number": "not a number",
        "hours_mon": "08:00-12:00, 13:00-16:00",
        "holidays_subdivision": "RP",
        "timezone": "Europe/Berlin",
        "languages": "de de-DE Polly.Vicki-Neural\nen en-GB Polly.Amy-Neural",
        "greeting_de": "Grüß Gott!",
        **{f"retention_{kind}": "30" for kind in RETENTION_DAYS},
        "retention_voice": "60",
    }
    response = admin.submit("/staff/settings", values)
    assert response.status_code == 422 and 'id="staff_number-errors"' in response.get_data(as_text=True)
    with app.app_context():
        assert current().profile.greeting["de"] != "Grüß Gott!"
    response = admin.submit("/staff/settings", {**values, "staff_number": "0631 365-0"})
    assert response.status_code == 302
    with app.app_context():
        profile = current().profile
    assert profile.greeting["de"] == "Grüß Gott!" and profile.hotline_number == "+4963112345"
    assert profile.office_hours == {"mon": [["08:00", "12:00"], ["13:00", "16:00"]]}
    assert profile.retention_days["voice"] == 60 and profile.retention_days["contact"] == 30


def test_a_number_can_be_looked_up_and_erased(app, admin, session) -> None:
    session.add(
        Subscriber(number="+4915112345678", language="de", status="subscribed", topics=[], consent_wording="Ja")
    )
    session.commit()
    page = admin.submit("/staff/subscribers", {"number": "0151 12345678"}).get_data(as_text=True)
    assert "Bekommen die Nachrichten per SMS" in page and "Ja" in page
    admin.submit("/staff/subscribers", {"number": "0151 12345678"}, to="/staff/subscribers/erase")
    session.expire_all()
    assert session.scalar(select(Subscriber).where(Subscriber.number == "+4915112345678")) is None


def test_an_admin_creates_an_account_and_closing_it_ends_its_session(app, admin, client) -> None:
    response = admin.submit(
        "/staff/accounts", {"email": "neu@kaiserslautern.de", "role": "editor", "password": "short"}
    )
    assert response.status_code == 422
    response = admin.submit(
        "/staff/accounts", {"email": "neu@kaiserslautern.de", "role": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    colleague = StaffMember(app.test_client())
    assert colleague.login("neu@kaiserslautern.de").status_code == 302
    assert colleague.client.get("/staff/announcements").status_code == 200
    with app.app_context():
        user_id = db.session().scalar(select(StaffUser.id).where(StaffUser.email == "neu@kaiserslautern.de"))
    admin.submit("/staff/accounts", {"role": "inactive"}, to=f"/staff/accounts/{user_id}")
    assert colleague.client.get("/staff/announcements").status_code == 302


def test_staff_add_reads_the_password_from_standard_input(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "add", "Chefin@Kaiserslautern.de", "--role", "admin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert StaffMember(app.test_client()).login("chefin@kaiserslautern.de").status_code == 302
    result = runner.invoke(args=["staff", "add", "x@kaiserslautern.de"], input="short\n")
    assert result.exit_code != 0 and "mindestens 12 Zeichen" in result.output


GARBAGE = ["", " ", "\x00\x01\x7f", "🎉" * 300, "x" * 20_000, "2026-13-45T25:61", "-1", "<b>&amp;</b>", "ö\u202e\ufeff"]
FORMS = {
    "/staff/announcements/new": [
        "title_de",
        "body_de",
        "spoken_de",
        "sms_de",
        "title_en",
        "publish_at",
        "expires_at",
        "send",
        "topic",
        "action",
    ],
    "/staff/announcements/1": ["title_de", "body_de", "publish_at", "topic", "action"],
    "/staff/projects/new": ["status", "field", "title_de", "summary_de"],
    "/staff/projects/1": ["status", "field", "title_de", "summary_de", "spoken_en"],
    "/staff/projects/1/updates/new": ["happened_on", "text_de", "spoken_de"],
    "/staff/settings": [
        "town",
        "hotline_number",
        "staff_number",
        "hours_mon",
        "holidays_subdivision",
        "timezone",
        "languages",
        "greeting_de",
    ],
    "/staff/subscribers": ["number"],
    "/staff/accounts": ["email", "role", "password"],
    "/staff/preview": ["title", "body", "sms", "spoken"],
    "/staff/polls/new": ["question_de", "option1_de", "option2_de", "opens_at", "closes_at", "project_number"],
    "/staff/inbox/1/answer": ["answer"],
}


# Where the form for an address is shown, when not at the address itself.
FORM_PAGES = {"/staff/preview": "/staff/announcements/new", "/staff/inbox/1/answer": "/staff/inbox"}


@pytest.mark.parametrize("url", sorted(FORMS))
def test_garbage_in_any_staff_form_gets_an_answer_and_changes_nothing(app, admin, url: str) -> None:
    with app.app_context():
        before = (count(app, Announcement), count(app, Project), count(app, StaffUser), current().profile)
    form_page = FORM_PAGES.get(url, url)
    for value in GARBAGE:
        response = admin.submit(form_page, dict.fromkeys(FORMS[url], value), to=url)
        assert response.status_code in (200, 302, 400, 404, 422), (value[:20], response.status_code)
    with app.app_context():
        assert (count(app, Announcement), count(app, Project), count(app, StaffUser), current().profile) == before


def test_scheduled_news_is_sent_by_sms_at_its_time_and_taken_back_when_changed(
    app, editor, session, clock, provider
) -> None:
    from worker import cli
    from worker.sending import run

    session.add(Subscriber(number="+4915100000001", language="de", status="subscribed", topics=[]))
    session.commit()
    response = editor.submit(
        "/staff/announcements/new",
        {**announcement_texts(), "publish_at": "2026-11-24T12:00", "action": "schedule", "send": "y"},
    )
    assert response.status_code == 302 and "/staff/broadcasts/" in response.headers["Location"]
    assert "sobald die Meldung öffentlich wird" in editor.client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    def work() -> None:
        with app.app_context():
            run(cli.make_worker(), until_idle=True)

    work()
    assert provider.messages == []  # 10:00: not yet
    clock.now += timedelta(hours=2, minutes=1)
    work()
    assert [m["to"] for m in provider.messages] == ["+4915100000001"]

    # Scheduled again with SMS, then moved: the SMS planned for the old time are taken back.
    editor.submit(
        "/staff/announcements/new",
        {**announcement_texts(title="Später"), "publish_at": "2026-11-30T09:00", "action": "schedule", "send": "y"},
    )
    assert count(app, OutboundMessage) == 2
    with app.app_context():
        announcement = (
            db.session()
            .scalars(select(Announcement).where(Announcement.texts["de"]["title"].as_string() == "Später"))
            .one()
        )
    page = editor.submit(
        f"/staff/announcements/{announcement.id}",
        {**announcement_texts(title="Später"), "publish_at": "2026-12-01T09:00", "action": "schedule"},
    )
    assert page.status_code == 302
    assert count(app, OutboundMessage) == 1  # only the one already sent remains

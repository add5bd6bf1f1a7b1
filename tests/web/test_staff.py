"""The staff pages through the test client: login, roles, CSRF, announcements, projects, settings."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from content import db, news_calls
from content.models import Announcement, Broadcast, OutboundMessage, Project, Revision, StaffUser, Subscriber
from content.profile import RETENTION_DAYS
from content.snapshot import current
from tests.web.conftest import CALLING_TIMES, PASSWORD, StaffMember, add_account

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


def preview(editor, **fields: str) -> dict:
    token = editor.token("/staff/announcements/new")
    return editor.client.post("/staff/preview", data={**fields, "csrf_token": token}).get_json()


def test_the_preview_lists_what_smart_encoding_changes_and_what_a_special_character_costs(editor) -> None:
    german = preview(editor, title_de="Fest", body_de="„Herzlich“ – willkommen")["de"]
    assert german["sms"] == 'Kaiserslautern: Fest. "Herzlich" - willkommen. Abbestellen: STOP'
    assert german["segments"] == 1 and german["characters"] == len(german["sms"])
    assert german["changes"] == ['„ wird zu "', '“ wird zu "', "– wird zu -"]
    long = "Wir feiern am Rathaus mit Musik und Essen. " * 3
    german = preview(editor, title_de="Fest 🎉", body_de=long)["de"]
    assert german["encoding"] == "Sonderzeichen (70 pro SMS)" and "🎉" in german["sms"]
    assert german["changes"] == [
        "🎉 bleibt, aber die ganze SMS wird mit Sonderzeichen gesendet (70 statt 160 Zeichen pro SMS): "
        "3 SMS pro Person statt 2"
    ]


def test_the_preview_shows_where_a_too_long_sms_would_end_instead_of_cutting_it(editor) -> None:
    body = "Ab Montag ist das Bürgerbüro umgezogen. " * 7 + "Das alte Büro schließt am 30. November."
    german = preview(editor, title_de="Umzug", body_de=body)["de"]
    assert german["segments"] == 3
    assert german["cut"] == " alte Büro schließt am 30. November. Abbestellen: STOP"
    assert german["sms"] + german["cut"] == f"Kaiserslautern: Umzug. {body} Abbestellen: STOP"
    assert german["too_long"] == (
        "Zu lang für die SMS an die Abonnentinnen und Abonnenten auf Deutsch: Es wären 3 SMS, gesendet werden "
        "höchstens 2. Bitte schreiben Sie eine kürzere SMS-Fassung. Der markierte Teil würde fehlen."
    )


def test_the_preview_says_what_a_language_without_its_text_gets(editor) -> None:
    fields = {"title_de": "Neue Bänke", "body_de": "Am Rathaus."}
    english = preview(editor, **fields)["en"]
    assert english["gets"] == "kein eigener Text: Sie bekommen den Text auf Deutsch mit dem Hinweis „Only in German:“"
    assert english["sms"] == "Kaiserslautern: Only in German: Neue Bänke. Am Rathaus. Unsubscribe: STOP"
    english = preview(editor, **fields, untranslated="skip")["en"]
    assert (english["gets"], english["sms"]) == ("kein eigener Text: Sie bekommen nichts", "")


def subscribers(session, *languages_and_topics: tuple[str, list[str]]) -> None:
    session.add_all(
        Subscriber(number=f"+49151000000{n:02d}", language=language, status="subscribed", topics=topics)
        for n, (language, topics) in enumerate(languages_and_topics, 1)
    )
    session.commit()


_REACH = re.compile(r'name="reach" value="([^"]*)"')
_CONFIRMATION = re.compile(r'name="confirmation" value="([^"]*)"')


def confirmation(editor, form_url: str, data: dict) -> dict:
    """Send the form; what the button on the confirmation it shows sends (without the CSRF token)."""
    page = editor.submit(form_url, data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Vor dem Senden prüfen" in text
    reach, token = _REACH.search(text).group(1), _CONFIRMATION.search(text).group(1)
    return {**data, "reach": reach, "confirmation": token, "step": "send"}


def confirm(editor, form_url: str, data: dict):
    """Send the form, then press the button on the confirmation it shows, with the values it carries."""
    return editor.submit(form_url, confirmation(editor, form_url, data))


def test_publishing_with_sms_first_shows_whom_it_reaches_and_sends_nothing(app, editor, session) -> None:
    subscribers(session, ("de", []), ("de", ["mobility"]), ("en", []), ("de", ["education"]))
    data = {**announcement_texts(), "title_en": "", "body_en": "", "action": "publish", "send": "y"}
    page = editor.submit("/staff/announcements/new", {**data, "topic": "mobility"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and count(app, OutboundMessage) == 0 and count(app, Announcement) == 3
    assert "Noch ist nichts gespeichert und nichts gesendet." in text
    assert re.search(r"<th scope=\"row\">Deutsch</th>\s*<td data-out=\"recipients\">2</td>", text)
    assert re.search(r"<th scope=\"row\">Englisch</th>\s*<td data-out=\"recipients\">1</td>", text)
    assert "5 SMS insgesamt" not in text and "3 SMS insgesamt" in text
    assert "Geschätzte Kosten: 0,24\xa0€ (0,08\xa0€ pro SMS)" in text
    assert "Englisch: kein eigener Text: Sie bekommen den Text auf Deutsch mit dem Hinweis „Only in German:“" in text
    assert "Thema: Mobilität" in text
    assert ">Jetzt veröffentlichen und an 3 Abonnentinnen und Abonnenten senden</button>" in text


def test_a_direct_post_without_the_confirmation_never_sends(app, editor, session) -> None:
    subscribers(session, ("de", []))
    data = {**announcement_texts(), "action": "publish", "send": "y"}
    for step in ("", "send"):
        editor.submit("/staff/announcements/new", {**data, "step": step, "reach": "de:99:1 en:0:1"})
    assert count(app, OutboundMessage) == 0 and count(app, Announcement) == 3


def test_sending_after_the_confirmation_queues_one_message_per_subscriber_of_the_topic(app, editor, session) -> None:
    subscribers(session, ("de", []), ("en", ["mobility"]), ("de", ["education"]))
    data = {**announcement_texts(), "action": "publish", "send": "y", "topic": "mobility"}
    response = confirm(editor, "/staff/announcements/new", data)
    assert response.status_code == 302 and "/staff/broadcasts/" in response.headers["Location"]
    recipients = {m.recipient: m.body for m in session.scalars(select(OutboundMessage))}
    assert recipients == {
        "+4915100000001": "Kaiserslautern: Neue Sprechstunde. Ab Montag gibt es eine Sprechstunde im Rathaus. "
        "Abbestellen: STOP",
        "+4915100000002": "Kaiserslautern: New office hours. From Monday there are office hours. Unsubscribe: STOP",
    }
    progress = editor.client.get(response.headers["Location"] + ".json").get_json()
    sms = {"total": 2, "waiting": 2, "sent": 0, "delivered": 0, "failed": 0, "done": 0, "left": 2, "percent": 0}
    assert progress == {**sms, "calls": 0, "calls_done": 0, **{f"calls_{name}": 0 for name in news_calls.FIGURES}}


def test_when_the_subscribers_changed_since_the_confirmation_it_is_shown_again(app, editor, session) -> None:
    subscribers(session, ("de", []))
    data = {**announcement_texts(), "action": "publish", "send": "y"}
    pressed = confirmation(editor, "/staff/announcements/new", data)
    session.add(Subscriber(number="+4915100000099", language="de", status="subscribed", topics=[]))
    session.commit()
    page = editor.submit("/staff/announcements/new", pressed)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and count(app, OutboundMessage) == 0
    assert "hat sich die Zahl der Abonnentinnen und Abonnenten geändert" in text
    assert ">Jetzt veröffentlichen und an 2 Abonnentinnen und Abonnenten senden</button>" in text


def test_going_back_from_the_confirmation_keeps_the_values_and_sends_nothing(app, editor, session) -> None:
    subscribers(session, ("de", []))
    data = {**announcement_texts(title="Zurück bitte"), "action": "publish", "send": "y", "untranslated": "skip"}
    page = editor.submit("/staff/announcements/new", {**data, "step": "change"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and count(app, OutboundMessage) == 0 and count(app, Announcement) == 3
    assert 'value="Zurück bitte"' in text and 'value="skip" aria-describedby="untranslated-hint" checked' in text


def test_publishing_a_too_long_sms_is_refused_with_a_clear_message(app, editor, session) -> None:
    subscribers(session, ("de", []))
    body = "Ab Montag ist das Bürgerbüro umgezogen. " * 8
    page = editor.submit(
        "/staff/announcements/new", {**announcement_texts(body=body), "action": "publish", "send": "y"}
    )
    assert page.status_code == 422 and count(app, Announcement) == 3  # the demo's, no new one
    assert (
        '<p class="error" id="sms_de-errors">Zu lang für die SMS an die Abonnentinnen und Abonnenten auf Deutsch: '
        "Es wären 3 SMS, gesendet werden höchstens 2. Bitte schreiben Sie eine kürzere SMS-Fassung.</p>"
    ) in page.get_data(as_text=True)


def test_a_language_nobody_reads_does_not_block_a_german_text_that_fits_its_readers(app, editor, session) -> None:
    """The German text with an Arabic note would need three Arabic SMS (67 characters each), but
    nobody reads the news in Arabic: the German subscribers get it. Once someone does, it is refused."""
    body = "Ab Montag ist das Bürgerbüro im Rathaus, Willy-Brandt-Platz 1, von 8 bis 16 Uhr geöffnet. " * 2
    data = {"title_de": "Bürgerbüro", "body_de": body, "action": "publish", "send": "y", "untranslated": "note"}
    subscribers(session, ("de", []))
    asked = editor.submit("/staff/announcements/new", data)
    assert asked.status_code == 200 and "sms_de-errors" not in asked.get_data(as_text=True)
    session.add(Subscriber(number="+4915100000099", language="ar", status="subscribed", topics=[]))
    session.commit()
    refused = editor.submit("/staff/announcements/new", data)
    assert refused.status_code == 422
    assert (
        '<p class="error" id="sms_de-errors">Zu lang für die SMS an die Abonnentinnen und Abonnenten auf Arabisch'
        in (refused.get_data(as_text=True))
    )


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
        **CALLING_TIMES,
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


@pytest.mark.parametrize("hours", ["08:00Z-16:00Z", "08:00+01:00-16:00+01:00"])
def test_office_hours_with_a_zone_are_refused_and_the_hotline_still_answers(app, admin, caller, hours) -> None:
    values = {
        "town": "Kaiserslautern",
        "hours_tue": hours,  # the test's clock: a Tuesday morning
        "holidays_subdivision": "RP",
        "timezone": "Europe/Berlin",
        "languages": "de de-DE Polly.Vicki-Neural\nen en-GB Polly.Amy-Neural",
        **{f"retention_{kind}": "30" for kind in RETENTION_DAYS},
        **CALLING_TIMES,
    }
    with app.app_context():
        before = current().profile
    response = admin.submit("/staff/settings", values)
    assert response.status_code == 422 and 'id="hours_tue-errors"' in response.get_data(as_text=True)
    with app.app_context():
        assert current().profile == before
    assert "technisches Problem" not in caller.call().press("0").heard


def test_the_time_zones_are_named_once_and_only_listed_ones_are_saved(app, admin) -> None:
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    offered = re.findall(r'<option value="(Europe/[^"]+)"[^>]*>([^<]+)</option>', page)
    names = [name for _zone, name in offered]
    assert len(names) == len(set(names)) and ("Europe/Kyiv", "Kiew – Osteuropäische Zeit") in offered
    values = {
        "town": "Kaiserslautern",
        "hours_mon": "08:00-16:00",
        "holidays_subdivision": "RP",
        "languages": "de de-DE Polly.Vicki-Neural\nen en-GB Polly.Amy-Neural",
        **{f"retention_{kind}": "30" for kind in RETENTION_DAYS},
        **CALLING_TIMES,
    }
    for odd in ("Factory", "posixrules", "right/UTC", "Europe/Kiev"):
        assert admin.submit("/staff/settings", {**values, "timezone": odd}).status_code == 422, odd
    assert admin.submit("/staff/settings", {**values, "timezone": "Europe/Kyiv"}).status_code == 302


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
    "/staff/preview": ["title_de", "body_de", "sms_de", "spoken_en", "untranslated"],
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
    response = confirm(
        editor,
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
    confirm(
        editor,
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


def test_a_language_with_only_a_spoken_text_gets_what_the_rule_says_not_an_empty_sms(
    app, editor, session, texter
) -> None:
    subscribers(session, ("de", []), ("en", []))
    data = {
        **announcement_texts(title="Nur gesprochen", body="Englisch gibt es nur am Telefon."),
        "title_en": "",
        "body_en": "",
        "spoken_en": "Hello, spoken only.",
        "action": "publish",
        "send": "y",
    }
    page = editor.submit("/staff/announcements/new", data)
    text = page.get_data(as_text=True)
    assert "Englisch: kein eigener Text: Sie bekommen den Text auf Deutsch mit dem Hinweis „Only in German:“" in text
    assert confirm(editor, "/staff/announcements/new", data).status_code == 302
    english = session.scalars(select(OutboundMessage).where(OutboundMessage.recipient == "+4915100000002")).one()
    assert english.body == (
        "Kaiserslautern: Only in German: Nur gesprochen. Englisch gibt es nur am Telefon. Unsubscribe: STOP"
    )
    assert "News from Kaiserslautern: 1) Only in German: Nur gesprochen. 2) " in texter.send("NEWS")


def test_pressing_send_twice_sends_once_and_the_second_press_shows_the_first_broadcast(app, editor, session) -> None:
    subscribers(session, ("de", []), ("en", []))
    pressed = confirmation(
        editor, "/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y"}
    )
    first = editor.submit("/staff/announcements/new", pressed)
    second = editor.submit("/staff/announcements/new", pressed)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert (count(app, Broadcast), count(app, Announcement), count(app, OutboundMessage)) == (1, 4, 2)
    assert "Diese Bestätigung wurde schon verwendet" in editor.client.get(second.headers["Location"]).get_data(
        as_text=True
    )


def test_when_two_presses_race_the_unique_confirmation_takes_back_the_second_whole(
    app, editor, session, monkeypatch
) -> None:
    """The second press looks before the first is saved (as when both run at once): its own broadcast
    fails on the unique confirmation, and its announcement is taken back with it."""
    from web.staff import announcements

    subscribers(session, ("de", []), ("en", []))
    pressed = confirmation(
        editor, "/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y"}
    )
    first = editor.submit("/staff/announcements/new", pressed)
    looked = announcements.already_sent
    looks = []

    def not_yet_saved(token: str):
        looks.append(token)
        return None if len(looks) == 1 else looked(token)

    monkeypatch.setattr(announcements, "already_sent", not_yet_saved)
    second = editor.submit("/staff/announcements/new", pressed)
    assert len(looks) == 2  # the look before saving missed it; the one after the refused insert found it
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert (count(app, Broadcast), count(app, Announcement), count(app, OutboundMessage)) == (1, 4, 2)


@pytest.mark.parametrize(
    "changed",
    [
        {"title_de": "Ganz andere Meldung"},
        {"body_en": "Something else entirely."},
        {"sms_de": "Kurz und anders."},
        {"topic": "mobility"},
        {"untranslated": "skip"},
        {"action": "publish"},
        {"publish_at": "2026-11-24T11:00"},
        {"expires_at": "2026-12-24T10:00"},
        {"confirmation": "forged.0123"},
        {"confirmation": ""},
    ],
)
def test_a_confirmation_sends_only_exactly_what_it_showed(app, editor, session, changed: dict) -> None:
    subscribers(session, ("de", []), ("en", []))
    data = {**announcement_texts(), "action": "schedule", "publish_at": "2026-11-30T09:00", "send": "y"}
    pressed = confirmation(editor, "/staff/announcements/new", data)
    page = editor.submit("/staff/announcements/new", {**pressed, **changed})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Vor dem Senden prüfen" in text
    assert "Was Sie senden, ist nicht das, was diese Übersicht zeigte." in text
    assert (count(app, Broadcast), count(app, Announcement), count(app, OutboundMessage)) == (0, 3, 0)


def test_a_new_announcement_starts_with_the_note_for_languages_without_a_text(editor) -> None:
    page = editor.client.get("/staff/announcements/new").get_data(as_text=True)
    checked = re.findall(r'<input[^>]*name="untranslated"[^>]*>', page)
    assert [tag for tag in checked if "checked" in tag] == [next(tag for tag in checked if 'value="note"' in tag)]


def test_sending_a_news_again_by_sms_says_it_was_sent_before(app, editor, session) -> None:
    subscribers(session, ("de", []))
    data = {**announcement_texts(), "action": "publish", "send": "y"}
    first = editor.client.get(confirm(editor, "/staff/announcements/new", data).headers["Location"])
    assert first.status_code == 200
    item = session.scalar(select(Announcement).order_by(Announcement.id.desc()))
    again = editor.submit(f"/staff/announcements/{item.id}", data).get_data(as_text=True)
    assert re.search(r"Diese Meldung wurde schon am \d+\. \w+ \d{4}, \d\d:\d\d verschickt\.", again)
    assert "bekommen die Abonnentinnen und Abonnenten der SMS sie ein zweites Mal" in again
    fresh = editor.submit("/staff/announcements/new", data).get_data(as_text=True)
    assert "schon am" not in fresh

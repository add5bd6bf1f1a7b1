"""Logging in and out: a session ends for every copy of its cookie."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from content import db
from content.models import StaffUser
from tests.web.conftest import StaffMember, add_account

EDITOR = "redaktion@kaiserslautern.de"
COLLEAGUE = "neu@kaiserslautern.de"


def copy_of_session(client) -> str:
    """The session cookie as someone who copied it off the browser has it."""
    return client.get_cookie("session").value


def replay(app, cookie: str, url: str = "/staff/announcements"):
    """Open a staff page in another browser with a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get(url)


def refused(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


def account_id(app, email: str) -> int:
    with app.app_context():
        return db.session().scalar(select(StaffUser.id).where(StaffUser.email == email))


def test_a_session_cookie_copied_before_logout_opens_nothing_after_it(app, editor) -> None:
    copied = copy_of_session(editor.client)
    assert replay(app, copied).status_code == 200
    editor.submit("/staff/", {}, to="/staff/logout")
    assert refused(replay(app, copied))
    assert refused(editor.client.get("/staff/announcements"))


def test_logging_out_in_one_browser_leaves_the_other_logged_in(app, editor) -> None:
    elsewhere = StaffMember(app.test_client())
    assert elsewhere.login(EDITOR).status_code == 302
    editor.submit("/staff/", {}, to="/staff/logout")
    assert elsewhere.client.get("/staff/announcements").status_code == 200


def test_closing_an_account_or_changing_its_role_ends_its_sessions_even_when_changed_back(app, admin) -> None:
    add_account(app, COLLEAGUE, "editor")
    user_id = account_id(app, COLLEAGUE)
    for changes in (["inactive", "editor"], ["moderator", "editor"]):
        colleague = StaffMember(app.test_client())
        assert colleague.login(COLLEAGUE).status_code == 302
        copied = copy_of_session(colleague.client)
        for role in changes:
            admin.submit("/staff/accounts", {"role": role}, to=f"/staff/accounts/{user_id}")
        assert refused(replay(app, copied)), changes
        assert refused(colleague.client.get("/staff/announcements")), changes


def test_saving_an_account_unchanged_keeps_its_sessions(app, admin) -> None:
    add_account(app, COLLEAGUE, "editor")
    colleague = StaffMember(app.test_client())
    assert colleague.login(COLLEAGUE).status_code == 302
    admin.submit("/staff/accounts", {"role": "editor"}, to=f"/staff/accounts/{account_id(app, COLLEAGUE)}")
    assert colleague.client.get("/staff/announcements").status_code == 200


def test_a_new_password_ends_the_sessions_of_the_account(app, editor) -> None:
    copied = copy_of_session(editor.client)
    result = app.test_cli_runner().invoke(args=["staff", "password", EDITOR], input="a brand new long password\n")
    assert result.exit_code == 0, result.output
    assert refused(replay(app, copied))
    assert StaffMember(app.test_client()).login(EDITOR, "a brand new long password").status_code == 302


def test_a_session_ends_a_working_day_after_login_however_often_it_is_used(app, editor, clock) -> None:
    copied = copy_of_session(editor.client)
    clock.now += timedelta(hours=7, minutes=59)
    assert editor.client.get("/staff/").status_code == 200
    clock.now += timedelta(minutes=1)
    assert refused(editor.client.get("/staff/"))
    assert refused(replay(app, copied))

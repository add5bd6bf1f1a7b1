"""Logging in and out: a session ends for every copy of its cookie; guessing passwords is slowed
down alike for every address, whether it has an account or not, and locks no one out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from content import db
from content.models import LoginFailure, StaffUser
from tests.web.conftest import PASSWORD, StaffMember, add_account
from web.staff import auth, throttle

EDITOR = "redaktion@kaiserslautern.de"
COLLEAGUE = "neu@kaiserslautern.de"
NOBODY = "niemand@kaiserslautern.de"
OFFICE = "192.0.2.10"
GUESSER = "198.51.100.66"
_TOKEN_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+')


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


# Guessing passwords ----------------------------------------------------------------------------


def browser_at(app, address: str) -> StaffMember:
    """A browser of its own, coming from this IP address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return StaffMember(client)


def seen(response, email: str) -> tuple[int, str]:
    """What the login page answered, with the form's CSRF token and the typed address blanked out."""
    page = response.get_data(as_text=True).replace(email, "ADDRESS")
    return response.status_code, _TOKEN_VALUE.sub(r"\1TOKEN", page)


def what_a_guesser_sees(app, email: str, attempts: int = 6) -> list[tuple[int, str]]:
    guesser = browser_at(app, GUESSER)
    return [seen(guesser.login(email, f"guess number {n}"), email) for n in range(attempts)]


def says_wait(response) -> bool:
    return response.status_code == 401 and "Bitte warten Sie" in response.get_data(as_text=True)


def says_not_right(response) -> bool:
    return response.status_code == 401 and "nicht richtig" in response.get_data(as_text=True)


def test_a_guesser_sees_the_same_for_an_address_with_an_account_and_one_without(app) -> None:
    add_account(app, EDITOR, "editor")
    with_account, without = what_a_guesser_sees(app, EDITOR), what_a_guesser_sees(app, NOBODY)
    assert with_account == without
    assert "nicht richtig" in without[0][1] and "Bitte warten Sie" in without[-1][1]


def test_every_address_costs_the_same_password_checks(app, monkeypatch) -> None:
    add_account(app, EDITOR, "editor")
    checked: list[str] = []
    check = auth.check_password_hash

    def counted(stored: str, password: str) -> bool:
        checked.append(stored.split("$")[0])  # the method and its cost, e.g. scrypt:32768:8:1
        return check(stored, password)

    monkeypatch.setattr(auth, "check_password_hash", counted)
    what_a_guesser_sees(app, EDITOR)
    with_account, checked[:] = list(checked), []
    what_a_guesser_sees(app, NOBODY)
    assert checked == with_account and len(checked) == throttle.FREE_FROM_ONE_SOURCE


def test_guessing_a_colleagues_address_does_not_lock_the_colleague_out(app) -> None:
    add_account(app, EDITOR, "editor")
    colleague = browser_at(app, OFFICE)
    assert colleague.login(EDITOR).status_code == 302
    colleague.submit("/staff/", {}, to="/staff/logout")
    # Someone guesses from the same office network, and from many other places.
    for n in range(throttle.FREE_FROM_ONE_SOURCE):
        browser_at(app, OFFICE).login(EDITOR, f"guess number {n}")
    for n in range(throttle.FREE_FROM_ANYWHERE):
        browser_at(app, f"203.0.113.{n}").login(EDITOR, f"guess number {n}")
    assert says_wait(browser_at(app, OFFICE).login(EDITOR))
    assert says_wait(browser_at(app, "203.0.113.200").login(EDITOR))
    # The colleague's own browser, where they logged in before, still lets the right password in.
    assert colleague.login(EDITOR).status_code == 302
    assert colleague.client.get("/staff/announcements").status_code == 200


def test_failures_from_one_source_do_not_slow_down_another(app, clock) -> None:
    add_account(app, EDITOR, "editor")
    guesser = browser_at(app, GUESSER)
    for _attempt in range(throttle.FREE_FROM_ONE_SOURCE):
        assert says_not_right(guesser.login(EDITOR, "wrong password!"))
    assert says_wait(guesser.login(EDITOR))
    assert browser_at(app, OFFICE).login(EDITOR).status_code == 302
    clock.now += throttle.FIRST_WAIT
    assert guesser.login(EDITOR).status_code == 302


def test_guessing_one_address_from_many_sources_is_slowed_down_too(app, clock) -> None:
    add_account(app, EDITOR, "editor")
    for n in range(throttle.FREE_FROM_ANYWHERE):
        assert says_not_right(browser_at(app, f"203.0.113.{n}").login(EDITOR, "wrong password!"))
    late = browser_at(app, "203.0.113.200")
    assert says_wait(late.login(EDITOR))
    clock.now += throttle.FIRST_WAIT
    assert late.login(EDITOR).status_code == 302


def test_a_known_browser_is_slowed_down_by_its_own_failures(app, clock) -> None:
    add_account(app, EDITOR, "editor")
    colleague = browser_at(app, OFFICE)
    assert colleague.login(EDITOR).status_code == 302
    colleague.submit("/staff/", {}, to="/staff/logout")
    for _attempt in range(throttle.FREE_FROM_ONE_SOURCE):
        assert says_not_right(colleague.login(EDITOR, "wrong password!"))
    assert says_wait(colleague.login(EDITOR))
    clock.now += throttle.FIRST_WAIT
    assert colleague.login(EDITOR).status_code == 302


def test_a_browser_known_for_one_account_or_with_a_forged_cookie_is_a_stranger_to_another(app) -> None:
    add_account(app, EDITOR, "editor")
    add_account(app, COLLEAGUE, "editor")
    browser = browser_at(app, GUESSER)
    assert browser.login(COLLEAGUE).status_code == 302
    browser.submit("/staff/", {}, to="/staff/logout")
    for _attempt in range(throttle.FREE_FROM_ONE_SOURCE):
        browser.login(EDITOR, "wrong password!")
    assert says_wait(browser.login(EDITOR))
    forged = browser_at(app, GUESSER)
    forged.client.set_cookie("staff_browser", "eyJpZCI6ImFiYyIsImFjY291bnRzIjpbMV19.forged", path="/staff")
    assert says_wait(forged.login(EDITOR))


def test_failures_a_day_old_are_forgotten(app, clock) -> None:
    add_account(app, EDITOR, "editor")
    guesser = browser_at(app, GUESSER)
    for _attempt in range(throttle.FREE_FROM_ONE_SOURCE):
        guesser.login(EDITOR, "wrong password!")
    clock.now += throttle.FORGET_AFTER
    assert says_not_right(guesser.login(EDITOR, "wrong password!"))
    assert guesser.login(EDITOR).status_code == 302


def test_a_new_password_lifts_the_wait(app) -> None:
    add_account(app, EDITOR, "editor")
    guesser = browser_at(app, GUESSER)
    for _attempt in range(throttle.FREE_FROM_ONE_SOURCE):
        guesser.login(EDITOR, "wrong password!")
    assert says_wait(guesser.login(EDITOR))
    result = app.test_cli_runner().invoke(args=["staff", "password", EDITOR], input="a brand new long password\n")
    assert result.exit_code == 0, result.output
    assert guesser.login(EDITOR, "a brand new long password").status_code == 302


def test_another_web_process_counts_the_same_failures(app, database_url, clock) -> None:
    add_account(app, EDITOR, "editor")
    for _attempt in range(throttle.FREE_FROM_ONE_SOURCE):
        browser_at(app, GUESSER).login(EDITOR, "wrong password!")
    other = create_app({**app.config, "DATABASE_URL": database_url, "CLOCK": clock})
    try:
        assert says_wait(browser_at(other, GUESSER).login(EDITOR, PASSWORD))
    finally:
        other.extensions["content.visits"].close()
        other.extensions["content.engine"].dispose()


def test_the_counters_keep_neither_the_address_nor_the_ip(app) -> None:
    add_account(app, EDITOR, "editor")
    browser_at(app, GUESSER).login(EDITOR, "wrong password!")
    browser_at(app, GUESSER).login(NOBODY, "wrong password!")
    with app.app_context():
        rows = db.session().scalars(select(LoginFailure)).all()
    assert len(rows) == 4
    kept = " ".join(f"{row.counter} {row.address}" for row in rows)
    for secret in (EDITOR, NOBODY, GUESSER, "redaktion", "198.51"):
        assert secret not in kept


@pytest.mark.parametrize(
    ("remote", "source"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_an_ipv6_household_is_one_source(remote, source) -> None:
    assert throttle.source_of(remote) == source


def test_the_wait_doubles_up_to_the_longest_however_many_failures(clock) -> None:
    now = clock()
    waits = [throttle.wait_after(failures, now, 3, now) for failures in (2, 3, 4, 5, 60, 10_000)]
    first, longest = throttle.FIRST_WAIT, throttle.LONGEST_WAIT
    assert waits == [timedelta(0), first, 2 * first, 4 * first, longest, longest]


def test_a_control_character_in_the_address_is_a_wrong_login_not_a_failure(app) -> None:
    """PostgreSQL refuses a NUL in a query: the login form cleans its text like every staff form."""
    add_account(app, EDITOR, "editor")
    answer = StaffMember(app.test_client()).login("redaktion\x00@kaiserslautern.de", "falsch")
    assert answer.status_code == 401 and "nicht richtig" in answer.get_data(as_text=True)

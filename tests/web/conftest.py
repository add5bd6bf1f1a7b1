"""Fixtures for the web pages: staff accounts and a logged-in browser-less staff member."""

from __future__ import annotations

import re

import pytest

from content import db
from web.staff.accounts import new_account

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def add_account(app, email: str, role: str, password: str = PASSWORD) -> None:
    with app.app_context():
        db.session().add(new_account(email, password, role))
        db.session().commit()


class StaffMember:
    """A staff member using the pages through the test client: reads the CSRF token like a browser."""

    def __init__(self, client) -> None:
        self.client = client

    def token(self, url: str) -> str:
        page = self.client.get(url)
        found = _TOKEN.search(page.get_data(as_text=True))
        assert found, f"no form with a CSRF token on {url} ({page.status_code})"
        return found.group(1)

    def login(self, email: str, password: str = PASSWORD):
        token = self.token("/staff/login")
        return self.client.post("/staff/login", data={"email": email, "password": password, "csrf_token": token})

    def submit(self, form_url: str, data: dict, to: str | None = None):
        """Open the page with the form, then send it (to its own address unless told otherwise)."""
        token = self.token(form_url)
        return self.client.post(to or form_url, data={**data, "csrf_token": token})


def logged_in(app, client, email: str, role: str) -> StaffMember:
    """A staff member with this role, logged in through the login form."""
    add_account(app, email, role)
    member = StaffMember(client)
    assert member.login(email).status_code == 302
    return member


@pytest.fixture
def editor(app, client) -> StaffMember:
    return logged_in(app, client, "redaktion@kaiserslautern.de", "editor")


@pytest.fixture
def admin(app, client) -> StaffMember:
    return logged_in(app, client, "admin@kaiserslautern.de", "admin")


@pytest.fixture
def moderator(app, client) -> StaffMember:
    return logged_in(app, client, "buergerdialog@kaiserslautern.de", "moderator")

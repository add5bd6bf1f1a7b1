"""Fixtures for the web pages: staff accounts, a logged-in browser-less staff member, and real
headless Chromium on the app served on loopback."""

from __future__ import annotations

import re
from datetime import date

import pytest

from content import db, usage
from content.models import UsageDay
from tests.web.browser import CHROMIUM, CHROMIUM_FLAGS, LiveServer
from web.staff.accounts import new_account

PASSWORD = "correct horse battery staple"
# The settings form's news call fields as the page shows them for the demo town, sent unchanged.
CALLING_TIMES = {
    "calls_morning_start": "09:00",
    "calls_morning_end": "12:00",
    "calls_afternoon_start": "15:00",
    "calls_afternoon_end": "18:00",
    "call_retries": "2",
}
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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(app):
    with LiveServer(app) as server:
        yield server


def open_page(browser, **options):
    context = browser.new_context(locale="de-DE", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser):
    """A tab that obeys the pages' Content-Security-Policy, as a staff member's browser does."""
    page = open_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def audited_page(browser):
    """A tab for axe-core, which is injected as a script the pages' own policy rightly refuses."""
    page = open_page(browser, bypass_csp=True)
    yield page
    page.context.close()


@pytest.fixture
def reader(app, client) -> StaffMember:
    """Someone of the CDO's office: the report role."""
    return logged_in(app, client, "cdo@kaiserslautern.de", "report")


def counted(session, day: date, *figures: tuple[str, str, str, int]) -> None:
    """A counted day with these figures (channel, kind, detail, count), as content.usage keeps it."""
    session.add(UsageDay(day=day, channel="", kind=usage.COUNTED, detail="", count=0))
    for channel, kind, detail, count in figures:
        session.add(UsageDay(day=day, channel=channel, kind=kind, detail=detail, count=count))
    session.commit()

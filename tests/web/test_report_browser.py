"""The report to the council in real headless Chromium: axe-core finds nothing serious on it, its
charts are images with a name, and it runs without a script of its own."""

from __future__ import annotations

import pytest

from content import db
from tests.web.browser import CHROMIUM, serious_violations
from tests.web.conftest import PASSWORD, add_account, counted
from tests.web.test_report import DAY, FIGURES

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)


def logged_in_reader(app, site, page) -> None:
    with app.app_context():
        counted(db.session(), DAY, *FIGURES)
    add_account(app, "cdo@kaiserslautern.de", "report")
    page.goto(site.url + "/staff/login")
    page.get_by_label("E-Mail-Adresse").fill("cdo@kaiserslautern.de")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(site.url + "/staff/")


def test_the_report_has_no_serious_accessibility_violations(app, site, audited_page) -> None:
    page = audited_page
    logged_in_reader(app, site, page)
    page.get_by_role("link", name="Bericht", exact=True).click()
    page.get_by_label("Zeitraum", exact=True).select_option("2026-q4")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**/staff/report?period=2026-q4**")
    assert page.get_by_role("img", name="Wie weit Anrufe kommen").count() == 1
    assert page.get_by_role("row", name="Mensch (Taste 0) < 5 –").count() == 1
    assert page.locator("script").count() == 0
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [1280, 1100, 390])
def test_the_report_fits_the_window_and_its_tables_scroll_in_their_own_box(app, site, audited_page, width) -> None:
    page = audited_page
    page.set_viewport_size({"width": width, "height": 900})
    logged_in_reader(app, site, page)
    page.goto(site.url + "/staff/report?period=this-year")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    # Each table sits in a region named by its heading that a keyboard can reach (and scroll).
    region = page.locator('[data-section="calls"]').get_by_role("region", name="Anrufe je Woche")
    assert region.count() == 1 and region.get_attribute("tabindex") == "0"
    assert region.locator("table").count() == 1
    if width == 390:
        assert serious_violations(page) == []

"""News calls in real headless Chromium: the simulator's phone rings, is answered or declined; and
axe-core on the staff pages that show news calls."""

from __future__ import annotations

import pytest

from content import outbox
from content.models import AFTERNOON, BUSY, DELIVERED, MORNING, PERSON, QUEUED
from tests.factories import create_announcement
from tests.web.browser import CHROMIUM, serious_violations
from tests.web.conftest import add_account
from tests.web.test_browser import RECORD_SPEECH, log_in
from tests.web.test_news_calls_staff import LANDLINE, call_subscribers
from tests.web.test_ringing import TITLE, news_call_to, placed, the_call

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)


@pytest.fixture
def ringing(session, clock) -> int:
    outbox_id = news_call_to(session, clock())
    placed(session, outbox_id, clock())
    return outbox_id


def test_the_simulators_phone_rings_is_answered_heard_and_hung_up(site, page, session, ringing) -> None:
    page.add_init_script(RECORD_SPEECH)
    page.goto(site.url + "/simulator")
    ring = page.locator("[data-ring]")
    ring.wait_for()  # visible once the page has asked whether it rings
    assert ring.inner_text().startswith("Ihr Telefon klingelt: Das Bürgertelefon ruft Sie mit Neuigkeiten an.")
    assert page.locator("[data-ring]").evaluate("ring => ring.parentElement.getAttribute('aria-live')") == "assertive"
    page.get_by_role("button", name="Annehmen").click()
    page.locator("[data-transcript]").get_by_text(TITLE, exact=False).first.wait_for()
    assert ring.is_hidden()
    assert (the_call(session, ringing).status, the_call(session, ringing).call_outcome) == (DELIVERED, PERSON)
    with page.expect_response("**/simulator/hung-up") as reported:
        page.get_by_role("button", name="Auflegen").click()
    assert reported.value.ok
    assert page.locator("[data-state]").inner_text() == "Das Gespräch ist beendet."


def test_the_ringing_phone_has_no_serious_accessibility_violations_and_can_be_declined(
    site, audited_page, session, ringing
) -> None:
    page = audited_page
    page.add_init_script(RECORD_SPEECH)
    page.goto(site.url + "/simulator")
    page.locator("[data-ring]").wait_for()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Ablehnen").click()
    page.get_by_text("Sie haben den Anruf abgelehnt.", exact=False).wait_for()
    assert page.locator("[data-ring]").is_hidden()
    call = the_call(session, ringing)
    assert (call.status, call.call_outcome) == (QUEUED, BUSY)


def test_the_staff_pages_with_news_calls_have_no_serious_accessibility_violations(
    app, site, audited_page, session, clock
) -> None:
    page = audited_page
    now = clock()
    call_subscribers(session, now, ("de", MORNING), ("en", AFTERNOON))
    sent = outbox.broadcast(session, create_announcement(session, now), languages=["de", "en"], author="r", now=now)
    session.commit()
    add_account(app, "admin@kaiserslautern.de", "admin")
    log_in(page, site, "admin@kaiserslautern.de")
    found = {}
    for url in ("/staff/", f"/staff/broadcasts/{sent.id}", "/staff/settings", "/staff/subscribers"):
        page.goto(site.url + url)
        found[url] = serious_violations(page)
    page.get_by_label("Telefonnummer").fill(LANDLINE.format(1))
    page.get_by_role("button", name="Nachsehen").click()
    page.locator("dl[data-calls]").wait_for()
    found["look-up"] = serious_violations(page)
    page.goto(site.url + "/staff/announcements/new")
    page.locator("fieldset[data-language=de]").get_by_label("Titel").fill("Neue Sprechzeiten")
    page.locator("fieldset[data-language=de]").get_by_label("Text für das Internet").fill("Ab Montag um 7 Uhr.")
    page.get_by_label("Auch an die Abonnentinnen und Abonnenten senden", exact=False).check()
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    page.locator("tr[data-calls=de]").wait_for()
    found["confirmation"] = serious_violations(page)
    # The settings as staff see them after a calling time at seven in the morning was refused.
    page.goto(site.url + "/staff/settings")
    page.locator("#calls_morning_start").fill("07:00")
    page.get_by_role("button", name="Speichern").click()
    page.locator("#calls_morning_start-errors").wait_for()
    found["settings with errors"] = serious_violations(page)
    assert found == {url: [] for url in found}

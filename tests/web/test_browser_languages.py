"""The Arabic and Leichte-Sprache pages in real headless Chromium: axe-core finds nothing serious,
and the Arabic page mirrors (its start edge is on the right) from the same stylesheet."""

from __future__ import annotations

import pytest

from content import demo
from content.i18n import translate
from tests.web.browser import CHROMIUM, serious_violations
from tests.web.test_languages import languages

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

WIDTH = 1280


@pytest.fixture
def every_language(session) -> None:
    languages(session, *(language.code for language in demo.LANGUAGES))


def test_the_arabic_and_leichte_sprache_pages_have_no_serious_accessibility_violations(
    every_language, site, audited_page
) -> None:
    found = {}
    for url in ["/?lang=ar", "/roadmap?lang=ar", "/simulator?lang=ar", "/flyer?lang=ar", "/leichte-sprache"]:
        audited_page.goto(site.url + url)
        found[url] = serious_violations(audited_page)
    # The simulator while a call in Arabic is going on: the transcript has lines.
    audited_page.goto(site.url + "/simulator?lang=ar")
    audited_page.locator("button[data-call]").click()
    audited_page.locator("[data-transcript] li").first.wait_for()
    found["simulator, calling"] = serious_violations(audited_page)
    assert found == {url: [] for url in found}


def edges(page, selector: str) -> tuple[float, float]:
    """Where an element starts and ends, from the left edge of the window."""
    box = page.locator(selector).first.bounding_box()
    return box["x"], box["x"] + box["width"]


def test_the_arabic_page_mirrors_and_the_keypad_does_not(every_language, site, page) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(site.url + "/?lang=de")
    brand_left, _ = edges(page, "header.site .brand a")
    heading_left, _ = edges(page, "main h1")
    assert brand_left < 60 and heading_left < 60  # German starts at the left

    page.goto(site.url + "/?lang=ar")
    _, brand_right = edges(page, "header.site .brand a")
    _, heading_right = edges(page, "main h1")
    first_key_left, first_key_right = edges(page, "table.keys td")
    assert brand_right > WIDTH - 60 and heading_right > WIDTH - 60  # Arabic starts at the right
    assert first_key_left > WIDTH / 2  # the table's first column is on the right
    # The number reads from left to right inside the right-to-left page.
    assert page.locator(".number a").inner_text() == "069 90009000"
    assert page.locator(".number a").evaluate("a => getComputedStyle(a).direction") == "ltr"

    page.goto(site.url + "/simulator?lang=ar")
    one, three = edges(page, "[data-key='1']"), edges(page, "[data-key='3']")
    assert one[1] <= three[0]  # a telephone's keypad: 1 2 3 from left to right, also in Arabic


@pytest.mark.parametrize("typed", ["١", "۱"])
def test_an_arabic_or_persian_keyboards_digit_presses_the_keypads_key(every_language, site, page, typed: str) -> None:
    """On the Arabic page, typing ١ (or the Persian ۱) is pressing 1, as the German keyboard's 1 is."""
    page.goto(site.url + "/simulator?lang=ar")
    page.locator("button[data-call]").click()
    page.locator("[data-key='1']:not([disabled])").wait_for()
    # What an Arabic keyboard's key sends (Playwright's keyboard knows only the US layout's keys).
    page.evaluate("key => document.body.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}))", typed)
    pressed = translate("ar", "You: %(key)s", key="1")
    page.locator("[data-transcript] li.caller", has_text=pressed).wait_for()

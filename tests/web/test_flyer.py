"""The printable flyer: a valid PDF with the live number, keys, projects and keywords, large print."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import replace

import pypdf
from sqlalchemy import select

from content import demo
from content.channel_texts import only_in
from content.i18n import translate
from content.models import Project
from content.queries import save_town_profile
from tests.web.markup import elements
from web import flyer as flyer_module


def flyer(client) -> pypdf.PdfReader:
    response = client.get("/flyer.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.data))


def test_the_flyer_has_a_page_per_language_with_number_keys_projects_and_keywords(client) -> None:
    pages = flyer(client).pages
    codes = [language.code for language in demo.KAISERSLAUTERN.languages]
    assert len(pages) == len(codes)  # one page per language of the town, in its order
    german, english = (pages[codes.index(code)].extract_text() for code in ("de", "en"))
    assert "069 90009000" in german and "069 90009000" in english
    assert "1   Für Aktuelles aus der Stadt drücken Sie die 1." in german
    assert "0   Wenn Sie mit einem Menschen sprechen möchten, drücken Sie die 0." in german
    assert "9   Schnelles Internet für alle" in german
    assert "NEU" in german and "HILFE" in german and "RÜCKRUF" in german
    assert "Montag bis Mittwoch von 8 bis 16 Uhr" in german
    assert "1   For news from the city, press 1." in english and "HELP" in english


def test_nothing_on_the_flyer_is_smaller_than_14_points_and_pages_are_a4(client) -> None:
    for page in flyer(client).pages:
        sizes = [float(size) for size in re.findall(rb"/F\d+ ([\d.]+) Tf", page.get_contents().get_data())]
        assert sizes and min(sizes) >= 14
        width, height = (round(float(v) / 72 * 25.4) for v in (page.mediabox.width, page.mediabox.height))
        assert (width, height) == (210, 297)


def test_the_flyer_changes_when_the_content_changes(client, session) -> None:
    project = session.scalar(select(Project).where(Project.number == 9))
    project.texts = {"de": {"title": "Glasfaser bis in jedes Haus", "summary": "Schnell."}}
    session.commit()
    assert "9   Glasfaser bis in jedes Haus" in flyer(client).pages[0].extract_text()


def test_the_print_page_shows_the_same_flyer(client) -> None:
    page = client.get("/flyer").get_data(as_text=True)
    assert page.count('class="flyer-page"') == len(demo.KAISERSLAUTERN.languages)
    assert "069 90009000" in page and "Schnelles Internet für alle" in page
    assert '<section class="flyer-page" lang="ar" dir="rtl"' in page and '<html lang="de" dir="ltr">' in page


# Project 9's title as a town would write it in each language of the demo.
TITLES = {
    "de": "Schnelles Internet für alle",
    "de@easy": "Schnelles Internet für alle Menschen",
    "en": "Fast internet for everyone",
    "tr": "Herkes için hızlı internet: ağ, şehir, İnönü",
    "ru": "Быстрый интернет для всех",
    "uk": "Швидкий інтернет для всіх: ґанок, їжак, є",
    "ar": "إنترنت سريع للجميع",
    "pl": "Szybki internet dla wszystkich: zażółć gęślą jaźń",
}


def every_language(session) -> list[str]:
    """The demo town with all eight languages, and project 9 titled in each."""
    save_town_profile(session, replace(demo.KAISERSLAUTERN, languages=demo.LANGUAGES))
    project = session.scalar(select(Project).where(Project.number == 9))
    project.texts = {code: {"title": title, "summary": title} for code, title in TITLES.items()}
    session.commit()
    return [language.code for language in demo.LANGUAGES]


def readable(text: str) -> str:
    """Extracted text with single spaces."""
    return " ".join(text.split())


def arabic_letters(text: str) -> Counter[str]:
    """The Arabic letters of a text, each as often as it occurs; joined forms count as their letter."""
    return Counter(char for char in unicodedata.normalize("NFKC", text) if "\u0600" <= char <= "\u06ff")


def printed_in_arabic(text: str, lines: list[str]) -> bool:
    """Whether one printed line (or two or three, where it wrapped) has exactly the Arabic letters of text.

    What pypdf gives for a shaped Arabic line: each joined letter as its base letter (a font that
    printed presentation forms would need NFKC to get there), the dots Noto Sans Arabic draws as
    glyphs of their own as raw codes (fpdf2 gives them no character), and a line's pieces partly
    in the order they are seen: its letters, not their order, are what can be compared."""
    wanted = arabic_letters(text)
    return any(
        arabic_letters(" ".join(lines[start : start + size])) == wanted
        for size in (1, 2, 3)
        for start in range(len(lines))
    )


def test_each_language_has_a_page_in_its_own_letters(client, session) -> None:
    codes = every_language(session)
    pages = flyer(client).pages
    assert len(pages) == len(codes)
    for code, page in zip(codes, pages, strict=True):
        extracted = page.extract_text()
        expected = [
            TITLES[code],
            translate(code, flyer_module.TITLE, town="Kaiserslautern"),
            translate(code, flyer_module.CALL),
            translate(code, flyer_module.KEYS),
            translate(code, flyer_module.PROJECTS),
            translate(code, flyer_module.SMS),
        ]
        for text in expected:
            if arabic_letters(text):
                assert printed_in_arabic(text, extracted.split("\n")), (code, text, extracted)
            else:
                assert readable(text) in readable(extracted), (code, text, extracted)


def test_a_project_only_in_german_is_printed_after_the_note_on_each_languages_page(client, session) -> None:
    every_language(session)
    project = session.scalar(select(Project).where(Project.number == 9))
    project.texts = {"de": {"title": "Schnelles Internet für alle", "summary": "Schnell."}}
    session.commit()
    codes = [language.code for language in demo.LANGUAGES]
    pages = flyer(client).pages
    for code in ("en", "ru", "pl"):
        printed = readable(pages[codes.index(code)].extract_text())
        assert f"9 {only_in('de', code)} Schnelles Internet für alle" in printed, (code, printed)
    assert "9 Schnelles Internet für alle" in readable(pages[codes.index("de")].extract_text())
    page = client.get("/flyer").get_data(as_text=True)
    arabic = elements(page, "section", lang="ar")[0]
    assert f"{only_in('de', 'ar')} Schnelles Internet für alle" in arabic.text
    german_title = [
        span for span in elements(page, "span", lang="de", dir="ltr") if span.text == "Schnelles Internet für alle"
    ]
    assert len(german_title) == len(codes) - 1  # every page but the German one: Leichte Sprache too

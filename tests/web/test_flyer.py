"""The printable flyer: a valid PDF with the live number, keys, projects and keywords, large print."""

from __future__ import annotations

import io
import re

import pypdf
from sqlalchemy import select

from content.models import Project


def flyer(client) -> pypdf.PdfReader:
    response = client.get("/flyer.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.data))


def test_the_flyer_has_a_page_per_language_with_number_keys_projects_and_keywords(client) -> None:
    pages = flyer(client).pages
    assert len(pages) == 2  # German and English
    german, english = (page.extract_text() for page in pages)
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
    assert page.count('class="flyer-page"') == 2 and "069 90009000" in page and "Schnelles Internet für alle" in page

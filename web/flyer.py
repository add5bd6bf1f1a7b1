"""The hotline flyer: large print on paper, for the residents it is for, from the live content.

One A4 page per enabled language, nothing smaller than 14 pt: the number, the office hours, the
keys of the main menu, the projects with their numbers and the SMS keywords. /flyer is the
print-ready web page, /flyer.pdf the same as a PDF (fpdf2).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template
from fpdf import FPDF

from content import guides, office_hours, snapshot
from content.i18n import N_, translate
from content.phone import spoken_form
from content.profile import Language
from content.sms_text import smart_encode
from content.texts import fields_in

SMALLEST = 14  # points: nothing on the flyer is smaller

TITLE = N_("The citizens' line of %(town)s")
CALL = N_("Call from any telephone, no internet needed:")
NO_NUMBER = N_("(the number follows)")
HOURS = N_("A person answers %(hours)s.")
KEYS = N_("The keys")
PROJECTS = N_("The digital projects, by number")
SMS = N_("By SMS to the same number")
SMS_HOW = N_("Send one of these words: %(words)s.")


@dataclass(frozen=True)
class FlyerPage:
    language: Language
    title: str
    call: str
    number: str
    hours: str
    keys_heading: str
    keys: list[tuple[str, str]]
    projects_heading: str
    projects: list[tuple[int, str]]
    sms_heading: str
    sms: str


def page_for(language: Language) -> FlyerPage:
    content = snapshot.current()
    profile, code = content.profile, language.code

    def say(message: str, **values: object) -> str:
        return translate(code, message, **values)

    keywords = [name.split(",")[0].strip() for name, _ in guides.guide("sms", code)]
    hours = office_hours.describe(profile, code)
    return FlyerPage(
        language=language,
        title=say(TITLE, town=profile.town),
        call=say(CALL),
        number=spoken_form(profile.hotline_number) if profile.hotline_number else say(NO_NUMBER),
        hours=say(HOURS, hours=hours) if hours else "",
        keys_heading=say(KEYS),
        keys=guides.guide("phone", code),
        projects_heading=say(PROJECTS),
        projects=[
            (project.number, fields_in(project.texts, code, profile.default_language.code).get("title", ""))
            for project in content.projects
        ],
        sms_heading=say(SMS),
        sms=say(SMS_HOW, words=", ".join(keywords)),
    )


def flyer_pages() -> list[FlyerPage]:
    return [page_for(language) for language in snapshot.current().profile.languages]


# PDF -------------------------------------------------------------------------------------------


def printable(text: str) -> str:
    """Text in the PDF's built-in font (Latin-1): typographic characters as their plain forms."""
    return smart_encode(text).replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")


def pdf(flyer_pages: list[FlyerPage]) -> bytes:
    document = FPDF(format="A4", unit="mm")
    document.set_margins(18, 15, 18)
    document.set_auto_page_break(True, margin=15)
    document.set_title(printable(flyer_pages[0].title) if flyer_pages else "")
    width = 210 - 36
    for page in flyer_pages:
        document.add_page()

        def line(text: str, size: int, style: str = "", gap: float = 1.5) -> None:
            document.set_font("Helvetica", style, size)
            document.multi_cell(width, size * 0.5, printable(text), new_x="LMARGIN", new_y="NEXT")
            document.ln(gap)

        line(page.title, 26, "B", 3)
        line(page.call, 16)
        line(page.number, 34, "B", 3)
        if page.hours:
            line(page.hours, SMALLEST, gap=4)
        line(page.keys_heading, 18, "B")
        for key, said in page.keys:
            line(f"{key}   {said}", SMALLEST, gap=0.5)
        document.ln(3)
        line(page.projects_heading, 18, "B")
        for number, title in page.projects:
            line(f"{number}   {title}", SMALLEST, gap=0.3)
        document.ln(3)
        line(page.sms_heading, 18, "B")
        line(page.sms, SMALLEST)
    return bytes(document.output())


# Pages -----------------------------------------------------------------------------------------

bp = Blueprint("flyer", __name__)


@bp.get("/flyer")
def flyer_page() -> str:
    """The flyer as a print-ready web page: one A4 page per language."""
    return render_template("flyer.html", pages=flyer_pages())


@bp.get("/flyer.pdf")
def flyer_pdf() -> Response:
    """The flyer as a PDF, made from the content as it is now."""
    response = Response(pdf(flyer_pages()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = "inline; filename=buergertelefon-handzettel.pdf"
    return response

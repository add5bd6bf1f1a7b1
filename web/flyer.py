"""The hotline flyer: large print on paper, for the residents it is for, from the live content.

One A4 page per enabled language, in that language, nothing smaller than 14 pt: the number, the
office hours, the keys of the main menu, the projects with their numbers and the SMS keywords.
/flyer is the print-ready web page, /flyer.pdf the same as a PDF (fpdf2), in fonts that have
every character of each page (web.fonts).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template
from fpdf import FPDF

from content import guides, office_hours, snapshot
from content.channel_texts import only_in
from content.i18n import N_, translate
from content.phone import spoken_form
from content.profile import Language
from content.snapshot import RoadmapProject
from content.texts import pick_language
from web import fonts

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
class FlyerProject:
    number: int
    title: str
    written_in: str  # the language of the title: the page's, or another one after the note
    note: str = ""  # "Nur auf Deutsch:" where the title is not written in the page's language

    @property
    def line(self) -> str:
        return f"{self.note} {self.title}" if self.note else self.title


@dataclass(frozen=True)
class FlyerPage:
    language: Language
    title: str
    call: str
    number: str
    hours: str
    keys_heading: str
    keys: list[tuple[str, str, str]]  # key, what it does, the language that says it
    projects_heading: str
    projects: list[FlyerProject]
    sms_heading: str
    sms: str


def page_for(language: Language) -> FlyerPage:
    content = snapshot.current()
    profile, code = content.profile, language.code

    def say(message: str, **values: object) -> str:
        return translate(code, message, **values)

    keywords = [name.split(",")[0].strip() for name, _purpose, _language in guides.guide("sms", code)]
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
        projects=[project_line(project, code, profile.default_language.code) for project in content.projects],
        sms_heading=say(SMS),
        sms=say(SMS_HOW, words=", ".join(keywords)),
    )


def project_line(project: RoadmapProject, code: str, default: str) -> FlyerProject:
    """A project as a page of language code lists it: its title there, or the first language's
    after the note that says so (the rule for texts not written in a language)."""
    written_in = pick_language(dict(project.texts), code, default) or code
    title = str(project.texts.get(written_in, {}).get("title", ""))
    return FlyerProject(project.number, title, written_in, only_in(written_in, code) if written_in != code else "")


def flyer_pages() -> list[FlyerPage]:
    return [page_for(language) for language in snapshot.current().profile.languages]


# PDF -------------------------------------------------------------------------------------------


def bold_text(page: FlyerPage) -> str:
    return "\n".join([page.title, page.number, page.keys_heading, page.projects_heading, page.sms_heading])


def page_text(page: FlyerPage) -> str:
    """Everything printed on a page, to choose its fonts by."""
    lines = [page.call, page.hours] + [f"{key} {said}" for key, said, _language in page.keys]
    lines += [f"{project.number} {project.line}" for project in page.projects]
    return "\n".join([bold_text(page), *lines, page.sms])


def pdf(flyer_pages: list[FlyerPage]) -> bytes:
    """The flyer as PDF: each page in the installed fonts that have its characters, shaped (joined
    Arabic letters), right-aligned for a right-to-left language; each line finds its own direction."""
    document = FPDF(format="A4", unit="mm")
    document.set_margins(18, 15, 18)
    document.set_auto_page_break(True, margin=15)
    document.set_title(flyer_pages[0].title if flyer_pages else "")
    in_bold = frozenset(ord(char) for page in flyer_pages for char in bold_text(page))
    # fpdf2 reads fonts from files: the bold ones made for this flyer live in a folder for it.
    with tempfile.TemporaryDirectory(prefix="flyer-fonts-") as folder:
        families = {family for page in flyer_pages for family in fonts.needed(page_text(page))}
        fonts.add_to(document, sorted(families, key=lambda family: family.name), in_bold, Path(folder))
        document.set_text_shaping(True)
        for page in flyer_pages:
            print_page(document, page, [family.name for family in fonts.needed(page_text(page))])
        return bytes(document.output())


# Line height as a share of the type size, from roomy to tight: the roomiest that fits on one page.
SPACINGS = (0.5, 0.46, 0.42, 0.39)


def lines_of(page: FlyerPage) -> list[tuple[str, int, str, float]]:
    """What a page prints, line by line: text, size in points, style, and the gap after it (mm)."""
    lines = [(page.title, 26, "B", 3.0), (page.call, 16, "", 1.5), (page.number, 34, "B", 3.0)]
    if page.hours:
        lines.append((page.hours, SMALLEST, "", 4.0))
    lines.append((page.keys_heading, 18, "B", 1.5))
    lines += [(f"{key}   {said}", SMALLEST, "", 0.5) for key, said, _language in page.keys]
    lines.append((page.projects_heading, 18, "B", 1.5))
    lines += [(f"{project.number}   {project.line}", SMALLEST, "", 0.3) for project in page.projects]
    return [*lines, (page.sms_heading, 18, "B", 1.5), (page.sms, SMALLEST, "", 1.5)]


def print_page(document: FPDF, page: FlyerPage, families: list[str]) -> None:
    """One language's page: never smaller than 14 pt, closer lines where the language needs more room."""
    document.add_page()
    document.set_fallback_fonts(families[1:])
    width = document.w - document.l_margin - document.r_margin
    align = "R" if page.language.right_to_left else "L"
    lines = lines_of(page)

    def line_count(text: str, size: int, style: str) -> int:
        document.set_font(families[0], style, size)
        broken = document.multi_cell(width, size, text, dry_run=True, output="LINES")
        assert isinstance(broken, list)  # what output="LINES" returns
        return len(broken)

    # Where lines break does not depend on their height: count them once, then find the spacing.
    counted = [(line_count(text, size, style), size, gap) for text, size, style, gap in lines]
    room = document.h - document.t_margin - document.b_margin
    spacing = next(
        (s for s in SPACINGS if sum(n * size * s + gap * s * 2 for n, size, gap in counted) <= room),
        SPACINGS[-1],
    )
    for text, size, style, gap in lines:
        document.set_font(families[0], style, size)
        document.multi_cell(width, size * spacing, text, align=align, new_x="LMARGIN", new_y="NEXT")
        document.ln(gap * spacing * 2)


def made_for(content: snapshot.Snapshot) -> bytes:
    """The PDF of this content, made once: shaping eight languages takes seconds, and the content
    (the snapshot: profile, projects) changes far less often than the flyer is downloaded."""
    kept = current_app.extensions.get("web.flyer")
    if kept is None or kept[0] is not content:
        kept = (content, pdf(flyer_pages()))
        current_app.extensions["web.flyer"] = kept
    return kept[1]


# Pages -----------------------------------------------------------------------------------------

bp = Blueprint("flyer", __name__)


@bp.get("/flyer")
def flyer_page() -> str:
    """The flyer as a print-ready web page: one A4 page per language."""
    return render_template("flyer.html", pages=flyer_pages())


@bp.get("/flyer.pdf")
def flyer_pdf() -> Response:
    """The flyer as a PDF, made from the content as it is now."""
    response = Response(made_for(snapshot.current()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = "inline; filename=buergertelefon-handzettel.pdf"
    return response

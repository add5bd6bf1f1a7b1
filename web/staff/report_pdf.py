"""The report to the council as a PDF (/staff/report.pdf), to attach to a council item.

A title page (town, period, the day it was made, the period at a glance), then one page per
section of /staff/report with its chart, a few sentences (web.staff.report_sentences) and its
table, and last the ideas and questions per roadmap project, as texts without any count. The
tables, charts and sentences are the page's own cells (web.staff.report), so a count about fewer
than five people is "< 5" here too. Demo figures are named on the title page and in every footer.
Residents' texts may be in any script: the fonts are those that have the document's characters
(web.fonts), shaped, each paragraph in its own direction.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from flask import Response
from flask.typing import ResponseReturnValue
from fpdf import FPDF, FontFace

from content import clock, db, report
from content.i18n import N_
from content.models import REPORT
from content.report import SMALL
from web import fonts
from web.pages import current_profile
from web.staff import report_sentences
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.report import PRIVACY, WITHOUT_PROJECT, Table, Words, asked, back_to_the_page, glance, tables

TITLE = N_("Report to the council")
PERIOD = N_("%(town)s, from %(first)s to %(last)s")
MADE_ON = N_("Made on %(day)s")
SAMPLE = N_("Sample figures")
DEMO_DAYS = (
    "%(count)s day of this period shows the demo's made-up figures, not real ones.",
    "%(count)s days of this period show the demo's made-up figures, not real ones.",
)
AT_A_GLANCE = N_("At a glance")
NOTHING = N_("Nothing in this period.")
PAGE = N_("Page %(page)s")
IDEAS = N_("Ideas and questions, by project")
IDEAS_ABOUT = N_("As residents sent them in during the period, without their names or numbers.")
NO_IDEAS = N_("No ideas or questions came in during this period.")
IDEAS_RULE = N_(
    "A project's ideas, or its questions, are printed where 5 or more came in as text; where fewer did, "
    "a sentence says so, so that a text does not tell how few people wrote."
)
FEW = {
    "ideas": N_("Fewer than 5 ideas came in as text for this project."),
    "questions": N_("Fewer than 5 questions came in as text for this project."),
}
KINDS = {"ideas": N_("Ideas"), "questions": N_("Questions")}
PROJECT = N_("%(number)s: %(title)s")

CHART_WIDTH = 160  # mm: the charts are 560 pixels wide
RIGHT_TO_LEFT = {"R", "AL"}
# Basic Latin to Latin Extended-B, the dashes, quotes and bullets, and the euro sign.
LATIN = frozenset(range(0x20, 0x250)) | frozenset(range(0x2010, 0x2031)) | {0x20AC}


@dataclass(frozen=True)
class Layout:
    """What the document says besides the tables: worked out once, before anything is printed."""

    found: report.Report
    words: Words
    tables: list[Table]
    sentences: dict[str, list[str]]
    title: str
    period: str
    footer: str

    def texts(self) -> list[str]:
        """Everything printed, to choose the fonts by."""
        said = [self.title, self.period, self.footer, *self.words_used()]
        for table in self.tables:
            said += [table.title, table.group, table.caption, *table.columns, *table.notes]
            said += [self.words.cell(cell) for row in table.rows for cell in row]
        said += [line for lines in self.sentences.values() for line in lines]
        said += [text for project in self.found.projects for text in project.texts]
        said += [project_name(self.words, project) for project in self.found.projects]
        return said

    def words_used(self) -> list[str]:
        w = self.words
        named = (SAMPLE, AT_A_GLANCE, PRIVACY, NOTHING, IDEAS, IDEAS_ABOUT, IDEAS_RULE, NO_IDEAS, MADE_ON)
        return [w(name) for name in (*named, *FEW.values(), *KINDS.values())]


class Document(FPDF):
    def __init__(self, footer_text: str, words: Words) -> None:
        super().__init__(format="A4", unit="mm")
        self.footer_text = footer_text
        self.words = words
        self.family = "helvetica"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 9)
        self.set_text_color(80)
        page = self.words(PAGE, page=self.words.number(self.page_no()))
        self.cell(0, 5, f"{self.footer_text} · {page}", align="C")
        self.set_text_color(0)


def layout(found: report.Report, words: Words) -> Layout:
    shown = tables(found, words)
    period = words(
        PERIOD,
        town=found.town,
        first=format_date(found.period.first, "long", locale=words.language),
        last=format_date(found.period.last, "long", locale=words.language),
    )
    footer = f"{words(TITLE)} · {period}"
    if found.demo_days:
        footer += f" · {words(SAMPLE)}"
    return Layout(found, words, shown, report_sentences.sentences(found, words, shown), words(TITLE), period, footer)


def direction(text: str) -> str:
    """R for a paragraph whose first letter is written right to left, else L (fpdf2's alignments)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "L"
        if kind in RIGHT_TO_LEFT:
            return "R"
    return "L"


def pdf(found: report.Report, words: Words) -> bytes:
    plan = layout(found, words)
    document = Document(plan.footer, words)
    document.set_margins(20, 18, 20)
    document.set_auto_page_break(True, margin=18)
    document.set_title(f"{plan.title}: {plan.period}")
    document.set_lang(words.language.partition("@")[0])
    families = fonts.needed("\n".join(plan.texts()))
    headings = [plan.title, *(t.title for t in plan.tables), *(t.group for t in plan.tables)]
    headings += [column for table in plan.tables for column in table.columns]
    headings += [words(name) for name in (SAMPLE, AT_A_GLANCE, IDEAS, *KINDS.values())]
    headings += [project_name(words, project) for project in found.projects]
    # Making a bold font takes seconds: with the Latin letters always in it, one made for a German
    # report is made once per process (web.fonts.bold keeps it) and serves the next reports too.
    in_bold = LATIN | frozenset(ord(char) for text in headings for char in text)
    with tempfile.TemporaryDirectory(prefix="report-fonts-") as folder:
        fonts.add_to(document, families, in_bold, Path(folder))
        # The charts' SVG text asks for "sans-serif": the family that has most of the document's characters.
        document.add_font("sans-serif", "", families[0].path)
        document.family = families[0].name
        document.set_fallback_fonts([family.name for family in families[1:]])
        document.set_text_shaping(True)
        title_page(document, plan)
        sections(document, plan)
        ideas(document, plan)
        return bytes(document.output())


def heading(document: Document, text: str, size: int = 16) -> None:
    document.set_font(document.family, "B", size)
    document.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    document.ln(2)


def paragraph(document: Document, text: str, size: int = 11) -> None:
    document.set_font(document.family, "", size)
    document.multi_cell(0, size * 0.5, text, align=direction(text), new_x="LMARGIN", new_y="NEXT")
    document.ln(1.5)


def title_page(document: Document, plan: Layout) -> None:
    words, found = plan.words, plan.found
    document.add_page()
    document.ln(30)
    heading(document, plan.title, 26)
    paragraph(document, plan.period, 16)
    paragraph(document, words(MADE_ON, day=format_date(found.made_on, "long", locale=words.language)), 12)
    if found.demo_days:
        document.ln(4)
        heading(document, words(SAMPLE), 14)
        paragraph(document, words.plural(DEMO_DAYS, found.demo_days), 12)
    document.ln(8)
    heading(document, words(AT_A_GLANCE), 14)
    figure_table(document, [[name, words.cell(value)] for name, value in glance(found, words)], headings=False)
    document.ln(6)
    paragraph(document, words(PRIVACY), 10)


HEADING_SIZE = 9  # pt: a table's headings, a little smaller than its cells


def figure_table(document: Document, rows: list[list[str]], *, headings: bool = True) -> None:
    """Rows of text, the first column left and the counts right; the first row as headings.
    Each count's column is at least as wide as the longest word of its heading ("Sprachnachrichten"),
    so that no word is broken; the first column gives up the room."""
    if not rows:
        return
    columns = len(rows[0])
    width = document.w - document.l_margin - document.r_margin
    first = width * (0.7 if columns <= 2 else 0.5 if columns <= 4 else 0.36)
    rest = [(width - first) / max(columns - 1, 1)] * (columns - 1)
    if headings:
        document.set_font(document.family, "B", HEADING_SIZE)
        padding = 2 * document.c_margin + 1
        longest = [max(document.get_string_width(word) for word in (name.split() or [""])) for name in rows[0][1:]]
        rest = [max(room, word + padding) for room, word in zip(rest, longest, strict=True)]
        first = width - sum(rest)
    document.set_font(document.family, "", 10)
    with document.table(
        col_widths=(first, *rest),
        text_align=("LEFT", *(["RIGHT"] * (columns - 1))),
        first_row_as_headings=headings,
        headings_style=FontFace(emphasis="BOLD", size_pt=HEADING_SIZE),
        line_height=5,
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    document.ln(3)


def sections(document: Document, plan: Layout) -> None:
    words, group = plan.words, ""
    for table in plan.tables:
        if not table.group or table.group != group:
            document.add_page()
            if table.group:
                heading(document, table.group)
        group = table.group
        heading(document, table.title, 13 if table.group else 16)
        if table.caption:
            paragraph(document, table.caption)
        for sentence in plan.sentences.get(table.key, []):
            paragraph(document, sentence)
        rows = [[words.cell(cell) for cell in row] for row in table.rows]
        if table.chart is not None and rows:  # an empty chart tells nothing the words do not
            document.ln(2)
            document.image(io.BytesIO(table.chart.svg().encode()), w=CHART_WIDTH)
            document.ln(4)
        if rows:
            figure_table(document, [table.columns, *rows])
        else:
            paragraph(document, words(NOTHING))
        for note in table.notes:
            paragraph(document, note, 9)


def project_name(words: Words, project: report.ProjectFigures) -> str:
    return words(PROJECT, number=project.number, title=project.title) if project.number else words(WITHOUT_PROJECT)


def ideas(document: Document, plan: Layout) -> None:
    """The ideas and questions as written, per project, each kind under its name: texts only, no
    counts; a kind with fewer than SMALL texts for a project is not printed but said to be so
    (its count is "< 5" in the table of taking part too)."""
    words = plan.words
    document.add_page()
    heading(document, words(IDEAS))
    paragraph(document, words(IDEAS_ABOUT), 10)
    paragraph(document, words(IDEAS_RULE), 10)
    # The roadmap's projects by number, then what was about none of them.
    said = sorted((p for p in plan.found.projects if p.texts), key=lambda p: (p.number == 0, p.number))
    if not said:
        paragraph(document, words(NO_IDEAS))
    for project in said:
        document.ln(2)
        heading(document, project_name(words, project), 12)
        for kind, texts in (("ideas", project.idea_texts), ("questions", project.question_texts)):
            if not texts:
                continue
            if len(texts) < SMALL:
                paragraph(document, words(FEW[kind]))
                continue
            heading(document, words(KINDS[kind]), 11)
            for text in texts:
                paragraph(document, f"• {text}")  # the bullet leads in either direction


@bp.get("/report.pdf")
@needs(REPORT)
def report_pdf() -> ResponseReturnValue:
    """The report of the chosen period as a PDF; a period asked for wrongly goes back to the page,
    which says what was wrong (a PDF of another period than the one asked for would mislead)."""
    _key, period, problem, words = asked()
    if problem is not None:
        return back_to_the_page()
    found = report.make(db.session(), current_profile(), period, clock.now())
    response = Response(pdf(found, words), mimetype="application/pdf")
    name = f"buergertelefon-bericht-{period.first.isoformat()}-{period.last.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    return response

"""The report to the council (/staff/report and its CSV files): the figures a period holds, shown
exactly where they may be, as "< 5" where they are about fewer than five people, in the page,
its charts and its CSV alike; who may read it; and its charts in a PDF."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pypdf
import pytest
from fpdf import FPDF
from sqlalchemy import select

from content import usage
from content.models import UsageDay
from content.polls import cast_vote
from tests.conftest import written_events
from tests.factories import create_poll, create_subscriber
from tests.web.conftest import counted
from tests.web.markup import elements
from web import charts
from web.staff.report import Words, told_with

Q4 = "/staff/report?period=2026-q4"
# A Tuesday in the fourth quarter of 2026, two weeks before the test's today (Tuesday 24 November).
DAY = date(2026, 11, 10)
WEEK = "09.11.2026"  # the Monday of DAY's week, as the page writes it


FIGURES = (
    ("phone", usage.CALLS, "new", 12),
    ("phone", usage.CALLS, "returning", 3),
    ("phone", usage.REACHED, "main", 15),
    ("phone", usage.REACHED, "news", 9),
    ("phone", usage.REACHED, "person", 2),
    ("phone", usage.ENDED_IN, "news", 7),
    ("phone", usage.ENDED_IN, "main", 6),
    ("phone", usage.ENDED_IN, "person", 2),
    ("phone", usage.CALL_LANGUAGE, "de", 13),
    ("phone", usage.CALL_LANGUAGE, "tr", 2),
    ("sms", usage.KEYWORD, "NEU", 8),
    ("sms", usage.KEYWORD, "unknown", 1),
    ("sms", usage.SUBSCRIBERS, "sms", 40),
    ("sms", usage.SUBSCRIBERS, "call", 3),
    ("web", usage.PAGE, "home", 55),
    ("phone", usage.CALLBACK, "", 6),
    ("phone", usage.CALLBACK_DONE, "in-time", 5),
    ("phone", usage.CALLBACK_DONE, "late", 1),
    ("", usage.NEWS_SENT, "", 1),
    ("sms", usage.BROADCAST, "sms", 1),
    ("sms", usage.RECIPIENTS, "sms", 40),
    ("sms", usage.DELIVERED, "sms", 38),
    ("sms", usage.FAILED, "sms", 2),
    ("sms", usage.SEGMENTS, "", 80),
    ("phone", usage.ERASED, "", 1),
    ("", usage.PURGED, "callback", 9),
)


def table(page: str, section: str) -> list[list[str]]:
    """The rows of a section's table as the page shows them, its header first."""
    start = page.index(f'data-section="{section}"')
    end = page.index("</table>", start)
    return [
        [cell.text for cell in elements(row, "th") + elements(row, "td")]
        for row in re.findall(r"<tr>.*?</tr>", page[start:end], re.S)
    ]


def csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_a_period_shows_its_counts_exactly_and_those_under_five_as_less_than_five(reader, session) -> None:
    counted(session, DAY, *FIGURES)
    page = reader.client.get(Q4).get_data(as_text=True)
    assert "Kaiserslautern, vom 1. Oktober 2026 bis 24. November 2026" in page
    week = [row for row in table(page, "calls") if row[0] == WEEK]
    # 3 returning calls are fewer than five: hidden; the total 15 is told, so the 12 is withheld.
    assert week == [[WEEK, "–", "< 5", "15"]]
    assert table(page, "funnel")[1:] == [
        ["Hauptmenü", "15", "100 %"],
        ["Aktuelles (Taste 1)", "9", "60 %"],
        ["Projekte (Taste 2)", "0", "0 %"],
        ["Mitmachen (Taste 3)", "0", "0 %"],
        ["Neuigkeiten per SMS oder Anruf, Ihre Daten (Taste 4)", "0", "0 %"],
        ["Mensch (Taste 0)", "< 5", "–"],  # no share of a hidden count either
        ["Sprache (Taste 9)", "0", "0 %"],  # as "Wo Anrufe enden" names it
    ]
    assert table(page, "languages")[1:] == [["Deutsch", "13"], ["Türkisch", "< 5"]]
    assert table(page, "keywords")[1:] == [["NEU", "8"], ["(nicht verstanden)", "< 5"]]
    assert table(page, "pages")[1:] == [["Startseite", "55"]]
    assert table(page, "callbacks")[1:] == [
        ["Gewünscht", "6", ""],
        ["Zurückgerufen wie versprochen (am nächsten Werktag)", "5", "–"],
        ["Später zurückgerufen", "< 5", "–"],
    ]
    broadcasts = table(page, "broadcasts")
    assert broadcasts[2] == ["Empfängerinnen und Empfänger", "40", "0"]
    # 2 not delivered: with the 40 recipients, the 38 delivered would tell them.
    assert broadcasts[3:5] == [["Zugestellt oder angenommen", "–", "0"], ["Nicht zugestellt", "< 5", "0"]]
    assert broadcasts[-2:] == [["SMS-Teile (werden berechnet)", "80", ""], ["Geschätzte Kosten", "6,40 €", ""]]
    assert table(page, "erased") == [["Gewünscht über", "Löschungen"], ["per Telefon", "< 5"]]
    assert table(page, "purged")[1:] == [["Rückrufwünsche", "9"]]
    glance = page[page.index('<dl class="glance">') : page.index("</dl>")]
    names, values = elements(glance, "dt"), elements(glance, "dd")
    figures = dict(zip((dt.text for dt in names), (dd.text for dd in values), strict=True))
    assert figures["Anrufe"] == "15"  # a total is exact from five on
    assert figures["davon von wiederkehrenden Anrufenden"] == "< 5"
    assert figures["SMS"] == "9"  # the keywords and the one not understood
    assert figures["Abonnements per SMS (Stand: 10. November 2026)"] == "40"  # the day of the last figure
    assert "Beispieldaten" not in page


def test_the_charts_draw_a_small_count_at_one_stand_in_height_and_label_it(reader, session) -> None:
    counted(session, DAY, *FIGURES)
    page = reader.client.get(Q4).get_data(as_text=True)
    funnel = page[page.index('data-section="funnel"') :]
    svg = funnel[funnel.index("<svg") : funnel.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-funnel-title chart-funnel-desc"' in svg
    assert '<title id="chart-funnel-title">Wie weit Anrufe kommen</title>' in svg
    assert "<text" in svg and ">&lt; 5</text>" in svg and ">2</text>" not in svg
    # Whether 1 or 4 people: the same drawing. Five are drawn to scale and named.
    one = charts.bars("T", "D", [("Aktuelles", 20), ("Mensch", 1)]).svg()
    four = charts.bars("T", "D", [("Aktuelles", 20), ("Mensch", 4)]).svg()
    five = charts.bars("T", "D", [("Aktuelles", 20), ("Mensch", 5)]).svg()
    assert one == four and "&lt; 5" in one
    assert five != four and ">5</text>" in five and "&lt; 5" not in five
    weeks = [("1.1.", 12, 1), ("8.1.", 12, 4)]
    drawn = charts.stacked_columns("T", "D", weeks, ("neu", "wieder"), small_note="hell").svg()
    heights = re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill="#e8b98c"/>', drawn)
    assert len(heights) == 2 and heights[0] == heights[1]
    days = [(date(2026, 1, 1), 3, 0), (date(2026, 1, 2), 1, 0)]
    steps = charts.steps(
        "T", "D", days, ("SMS", "Anruf"), first=date(2026, 1, 1), last=date(2026, 1, 2), day_label=str, small_note="x"
    ).svg()
    assert (
        steps
        == charts.steps(
            "T",
            "D",
            [(day, 4, call) for day, _sms, call in days],
            ("SMS", "Anruf"),
            first=date(2026, 1, 1),
            last=date(2026, 1, 2),
            day_label=str,
            small_note="x",
        ).svg()
    )


def test_each_table_is_a_csv_file_for_excel_with_the_same_rule(reader, session) -> None:
    counted(session, DAY, *FIGURES)
    response = reader.client.get("/staff/report/calls.csv?period=2026-q4")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "buergertelefon-anrufe-je-woche-2026-10-01-2026-11-24.csv" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Woche ab",
        "Anrufe von neuen Anrufenden",
        "Anrufe von wiederkehrenden Anrufenden",
        "zusammen",
    ]
    assert [WEEK, "–", "< 5", "15"] in rows
    assert csv_rows(reader.client.get("/staff/report/languages.csv?period=2026-q4"))[1:] == [
        ["Deutsch", "13"],
        ["Türkisch", "< 5"],
    ]
    own = "/staff/report/broadcasts.csv?period=custom&first=2026-11-01&last=2026-11-30"
    broadcasts = reader.client.get(own)
    assert "2026-11-01-2026-11-24" in broadcasts.headers["Content-Disposition"]  # not beyond today
    assert ["Geschätzte Kosten", "6,40 €", ""] in csv_rows(broadcasts)
    assert reader.client.get("/staff/report/nothing.csv").status_code == 404


def test_a_broadcast_to_fewer_than_five_tells_neither_its_segments_nor_their_cost(reader, session) -> None:
    counted(
        session,
        DAY,
        ("sms", usage.BROADCAST, "sms", 1),
        ("sms", usage.RECIPIENTS, "sms", 3),
        ("sms", usage.SEGMENTS, "", 6),
    )
    rows = table(reader.client.get(Q4).get_data(as_text=True), "broadcasts")
    assert rows[1] == ["Versandte Meldungen", "1", "0"]  # news items are no people: shown as they are
    assert rows[2] == ["Empfängerinnen und Empfänger", "< 5", "0"]
    assert rows[-2:] == [["SMS-Teile (werden berechnet)", "–", ""], ["Geschätzte Kosten", "unter 0,40 €", ""]]


def test_delivered_is_not_told_where_recipients_minus_it_would_tell_the_few_not_delivered(reader, session) -> None:
    counted(
        session,
        DAY,
        ("sms", usage.BROADCAST, "sms", 1),
        ("sms", usage.RECIPIENTS, "sms", 40),
        ("sms", usage.DELIVERED, "sms", 38),
        ("sms", usage.FAILED, "sms", 2),
        ("sms", usage.BROADCAST, "call", 1),
        ("sms", usage.RECIPIENTS, "call", 12),
        ("sms", usage.DELIVERED, "call", 3),
        ("sms", usage.FAILED, "call", 9),
    )
    page = reader.client.get(Q4).get_data(as_text=True)
    rows = table(page, "broadcasts")
    assert rows[2] == ["Empfängerinnen und Empfänger", "40", "12"]
    # 40 - 38 would be the 2 SMS not delivered; 12 - 9 the 3 calls answered.
    assert rows[3] == ["Zugestellt oder angenommen", "–", "< 5"]
    assert rows[4] == ["Nicht zugestellt", "< 5", "–"]
    assert "38" not in [cell for row in rows for cell in row]
    spreadsheet = csv_rows(reader.client.get("/staff/report/broadcasts.csv?period=2026-q4"))
    assert spreadsheet[3][1:] == ["–", "< 5"] and spreadsheet[4][1:] == ["< 5", "–"]


def test_events_of_today_count_before_their_day_is_over(app, reader, clock) -> None:
    with app.app_context():
        for index in range(6):
            call = f"call{index}"
            usage.record(usage.CALL, channel=usage.PHONE, at=clock(), detail="new", call=call)
            usage.record(usage.MENU, channel=usage.PHONE, at=clock(), detail="main", call=call)
            language = "de" if index < 4 else "uk"
            usage.record(usage.LANGUAGE, channel=usage.PHONE, at=clock(), detail=language, call=call)
        usage.record(usage.PAGE, channel=usage.WEB, at=clock(), detail="roadmap")
    written_events(app)
    page = reader.client.get("/staff/report").get_data(as_text=True)
    # Today is a Tuesday: the week so far is only Monday and Tuesday, and says so.
    assert ["23.11.2026 (nur 23.–24. November)", "6", "0", "6"] in table(page, "calls")
    assert table(page, "languages")[1:] == [["Deutsch", "< 5"], ["Ukrainisch", "< 5"]]
    assert table(page, "pages")[1:] == [["Digitale Roadmap", "< 5"]]


def test_polls_participation_and_data_held_are_counted_with_the_same_rule(app, reader, session, clock) -> None:
    poll = create_poll(session, clock())
    first, second, _third = poll.options
    for index in range(7):
        cast_vote(session, poll, first, voter=f"voter{index}", channel="phone", now=clock())
    cast_vote(session, poll, first, voter="texter", channel="sms", now=clock())
    cast_vote(session, poll, second, voter="another", channel="sms", now=clock())
    session.commit()
    for index in range(6):
        create_subscriber(session, clock(), number=f"+4915112345{index:03d}")
    page = reader.client.get(Q4).get_data(as_text=True)
    assert table(page, "poll-1")[1:] == [
        ["Am Rathaus", "–", "< 5", "8"],
        ["Am Bahnhof", "0", "< 5", "< 5"],
        ["Am Betzenberg", "0", "0", "0"],
    ]
    assert "Wo soll die nächste Ladesäule stehen?" in page
    assert table(page, "participation")[1:] == [["Nicht zu einem bestimmten Projekt", "9", "0", "0", "0"]]
    held = dict(row for row in table(page, "data-held")[1:])
    sms = "Nummern zu SMS-Abonnements (auch beendete: sie werden gemerkt, damit nichts mehr geschickt wird)"
    assert held[sms] == "6"
    assert held["Nummern, die mit den Neuigkeiten angerufen werden"] == "0"
    section = page[page.index('data-section="data-held"') : page.index('data-section="erased"')]
    # Today's records, whatever the period: said so, and "from today" rather than "0 days ago".
    assert "Stand heute (24. November 2026), wenn der Bericht erstellt wird: nicht am Ende des Zeitraums." in section
    assert "Der älteste personenbezogene Eintrag ist von heute (24. November 2026)." in section
    assert "vor 0 Tagen" not in section


def test_a_period_with_the_demos_figures_says_so(reader, session) -> None:
    counted(session, DAY, ("", usage.DEMO, "", 1), ("phone", usage.CALLS, "new", 20))
    page = reader.client.get(Q4).get_data(as_text=True)
    assert "Beispieldaten" in page
    held = page[page.index('data-section="data-held"') : page.index('data-section="erased"')]
    assert "Das sind die echten Einträge, keine Beispieldaten wie die des Zeitraums." in held
    last_year = reader.client.get("/staff/report?period=last-year").get_data(as_text=True)
    assert "Beispieldaten" not in last_year and "1. Januar 2025 bis 31. Dezember 2025" in last_year


def test_own_dates_asked_for_wrongly_stay_in_the_form_with_the_reason_and_no_figures(reader, session) -> None:
    counted(session, DAY, *FIGURES)
    wrong = reader.client.get("/staff/report?period=custom&first=2026-11-20&last=2026-11-01")
    assert wrong.status_code == 200
    page = wrong.get_data(as_text=True)
    assert "Bitte geben Sie beide Tage als Datum an" in page
    assert [field.attrs["value"] for field in elements(page, "input", type="date")] == ["2026-11-20", "2026-11-01"]
    assert [option.attrs["value"] for option in elements(page, "option") if "selected" in option.attrs] == ["custom"]
    # No other period's figures below, as if they were asked for.
    assert "vom 1. Januar 2026" not in page and "data-section" not in page and 'class="glance"' not in page
    typed = reader.client.get("/staff/report?period=custom&first=gestern&last=2026-11-01").get_data(as_text=True)
    assert [field.attrs["value"] for field in elements(typed, "input", type="date")] == ["gestern", "2026-11-01"]
    own = reader.client.get("/staff/report?period=custom&first=2026-11-02&last=2026-11-08").get_data(as_text=True)
    assert "vom 2. November 2026 bis 8. November 2026" in own
    assert "period=custom&amp;first=2026-11-02&amp;last=2026-11-08" in own  # the CSV links keep the dates
    too_long = reader.client.get("/staff/report?period=custom&first=2020-01-01&last=2026-11-01").get_data(as_text=True)
    assert "höchstens drei Jahre" in too_long and "data-section" not in too_long


def test_a_csv_file_asked_for_with_wrong_dates_goes_back_to_the_page_that_says_why(reader, session) -> None:
    counted(session, DAY, *FIGURES)
    wrong = reader.client.get("/staff/report/calls.csv?period=custom&first=2026-11-20&last=2026-11-01")
    assert wrong.status_code == 302 and "text/csv" not in wrong.headers["Content-Type"]
    assert wrong.headers["Location"] == "/staff/report?period=custom&first=2026-11-20&last=2026-11-01"
    page = reader.client.get(wrong.headers["Location"]).get_data(as_text=True)
    assert "Bitte geben Sie beide Tage als Datum an" in page


def test_a_period_in_the_year_one_is_refused_with_a_message_not_an_error(reader) -> None:
    # A day in the year 1 has no start in the town's time zone (it would begin in the year 0, UTC).
    ancient = "period=custom&first=0001-01-01&last=0001-01-02"
    page = reader.client.get(f"/staff/report?{ancient}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Der Zeitraum muss im Jahr 2000 oder später beginnen." in text
    assert "Anrufe je Woche" not in text  # no figures of another period instead
    assert reader.client.get(f"/staff/report/calls.csv?{ancient}").status_code == 302  # back to the message
    assert reader.client.get(f"/staff/report.pdf?{ancient}").status_code == 302  # back to the page's message


def test_the_report_role_reads_the_report_and_changes_nothing(app, client, reader, session) -> None:
    home = client.get("/staff/").get_data(as_text=True)
    links = {link.attrs["href"] for link in elements(home, "a")}
    assert "/staff/report" in links and "/staff/announcements" not in links and "/staff/accounts" not in links
    assert client.get("/staff/report").status_code == 200
    token = reader.token("/staff/report")  # the logout form's: a valid token for every POST below
    for url in ("/staff/announcements", "/staff/inbox", "/staff/settings", "/staff/accounts", "/staff/subscribers"):
        assert client.get(url).status_code == 403, url
    for url in (
        "/staff/announcements/new",
        "/staff/projects/new",
        "/staff/polls/new",
        "/staff/settings",
        "/staff/accounts",
        "/staff/subscribers/erase",
        "/staff/preview",
    ):
        assert client.post(url, data={"csrf_token": token, "title": "x"}).status_code == 403, url
    app.config["HOTLINE_ENV"] = "production"  # where the simulator sends real requests
    assert client.get("/simulator").status_code == 403
    assert session.scalar(select(UsageDay)) is None  # and the report itself wrote nothing


def test_an_editor_may_not_read_the_report(editor) -> None:
    assert editor.client.get("/staff/report").status_code == 403
    assert editor.client.get("/staff/report/calls.csv").status_code == 403
    home = editor.client.get("/staff/").get_data(as_text=True)
    assert "/staff/report" not in home


def test_an_admin_reads_the_report_and_gives_the_report_role(admin, client, app) -> None:
    assert client.get("/staff/report").status_code == 200
    accounts = client.get("/staff/accounts").get_data(as_text=True)
    assert [o.text for o in elements(accounts, "option", value="report")][-1] == "Bericht (nur lesen)"
    created = admin.submit(
        "/staff/accounts", {"email": "cdo@kaiserslautern.de", "role": "report", "password": "long enough pass"}
    )
    assert created.status_code == 302
    with app.app_context():
        from web.staff.auth import find

        account = find("cdo@kaiserslautern.de")
        assert account is not None and account.role == "report" and account.only_reads
        assert account.may("report") and not account.may("editor") and not account.may("admin")


def test_the_weeks_start_at_the_first_with_calls_and_a_week_in_part_says_which_days(reader, session) -> None:
    counted(session, DAY, *FIGURES)
    page = reader.client.get("/staff/report?period=this-year").get_data(as_text=True)
    weeks = [row[0] for row in table(page, "calls")[1:]]
    # Not 45 weeks of nothing before the first call: from the week of DAY on, and said so.
    assert weeks == ["09.11.2026", "16.11.2026", "23.11.2026 (nur 23.–24. November)"]
    section = page[page.index('data-section="calls"') : page.index('data-section="funnel"')]
    assert "Anrufe gibt es ab der Woche vom 9. November 2026; die Wochen davor hatten keine" in section
    own = reader.client.get("/staff/report?period=custom&first=2026-11-10&last=2026-11-15").get_data(as_text=True)
    assert [row[0] for row in table(own, "calls")[1:]] == ["09.11.2026 (nur 10.–15. November)"]
    assert "Anrufe gibt es ab" not in own
    # The subscribers are counted each night for the day before: the axis ends at the last day counted.
    subscribers = page[page.index('data-section="subscribers"') :]
    chart = subscribers[subscribers.index("<svg") : subscribers.index("</svg>")]
    assert ">10.11.2026</text>" in chart and ">24.11.2026</text>" not in chart


def test_every_public_page_has_a_name_in_german(reader, session) -> None:
    counted(session, DAY, *(("web", usage.PAGE, page, 10 + index) for index, page in enumerate(usage.PAGES)))
    names = [row[0] for row in table(reader.client.get(Q4).get_data(as_text=True), "pages")[1:]]
    assert len(names) == len(usage.PAGES)
    assert "Roadmap als Daten (JSON) für andere Seiten" in names and "Faltblatt (Seite und PDF)" in names
    assert not set(names) & set(usage.PAGES)  # no page under its key ("roadmap-json", "flyer")


@pytest.mark.parametrize(
    ("parts", "shown"),
    [
        ((63, 1), ["–", "< 5", "64"]),  # the total and the other part would tell the 1
        ((2, 2), ["< 5", "< 5", "< 5"]),  # the total hides as well: nothing to work out
        ((3, 3), ["< 5", "< 5", "6"]),  # two hidden: which is which is not told
        ((40, 0, 2), ["–", "0", "< 5", "42"]),  # the smallest part told above 0 is withheld
        ((9, 30, 4), ["–", "30", "< 5", "43"]),
        ((12, 20), ["12", "20", "32"]),  # nothing hidden, nothing withheld
        # 5 withheld and 1 hidden make 6: of a withheld count (5 or more) and a hidden one (1 to 4),
        # only 5 and 1 make 6, so the total is withheld too.
        ((5, 1), ["–", "< 5", "–"]),
    ],
)
def test_a_total_told_with_its_parts_withholds_the_smallest_other_part_where_one_is_hidden(parts, shown) -> None:
    words = Words("de")
    cells, total = told_with(parts)
    assert [words.cell(cell) for cell in (*cells, total)] == shown


def test_a_charts_legend_and_bar_names_are_drawn_whole_within_it() -> None:
    note = "hell: unter 5, nicht maßstabsgetreu"
    names = ("neue Anrufende", "wiederkehrende Anrufende")
    drawn = charts.stacked_columns("T", "D", [("1.1.", 12, 1)], names, small_note=note)
    # The note has no room after the names: it takes a row of its own, inside the drawing.
    x, y = map(float, re.findall(rf'<text x="([^"]+)" y="([^"]+)"[^>]*>{note}</text>', drawn.svg())[0])
    assert x + len(note) * 0.75 * 13 <= charts.WIDTH and y <= drawn.height
    long = "Neuigkeiten per SMS oder Anruf, Ihre Daten (Taste 4)"
    bars = charts.bars("T", "D", [(long, 9), ("Hauptmenü", 20)]).svg()
    said = re.findall(r">([^<>]+)</text>", bars)
    assert "Neuigkeiten per SMS oder" in said and "Anruf, Ihre Daten (Taste 4)" in said
    assert not any("…" in text for text in said)


def test_a_chart_goes_into_a_pdf() -> None:
    chart = charts.stacked_columns(
        "Anrufe je Woche",
        "Säulen",
        [(f"{d.day}.{d.month}.", 12 + d.day % 7, d.day % 5) for d in (DAY + timedelta(7 * n) for n in range(8))],
        ("neue", "wiederkehrende"),
        small_note="hell: unter 5",
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(chart.svg().encode()), w=170)
    text = pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].extract_text()
    assert "< 5" in text and "wiederkehrende" in text

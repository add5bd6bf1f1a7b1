"""The report to the council at /staff/report: usage figures of a period, as tables with charts,
and each table as a CSV file (/staff/report/<section>.csv) with the same numbers.

Everything comes from content.report.make. A count about people under content.report.SMALL is
shown as "< 5" in the page, the charts and the CSV alike (Count, Sum, Share below decide it once
for all three); a share of such a count is not shown either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_currency, format_decimal
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from content import clock, db, report
from content.i18n import N_, N_plural, language_name, translate, translate_plural
from content.models import REPORT
from content.report import SMALL, shown
from web import charts
from web.pages import current_profile, page_language
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.settings import RETENTION_NAMES

# The longest period one report covers: its days not yet counted are counted on the way.
LONGEST = timedelta(days=3 * 366)


# Cells ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """A count; about people unless said otherwise (then one under SMALL is shown as "< 5")."""

    value: int
    people: bool = True
    withheld: bool = False  # not told at all ("–"): it would reveal a small count elsewhere

    @property
    def hidden(self) -> bool:
        return self.people and shown(self.value) is not None


@dataclass(frozen=True)
class Sum:
    """The sum of counts about people: told exactly from SMALL on, as "< 5" below it. Where the
    parts beside it would give a hidden one away, `told_with` withholds one of them (or this)."""

    parts: tuple[int, ...]
    withheld: bool = False  # not told at all ("–"): with its parts it would reveal a small count

    @property
    def value(self) -> int:
        return sum(self.parts)

    @property
    def hidden(self) -> bool:
        return shown(self.value) is not None


def told_with(parts: Sequence[int]) -> tuple[list[Count], Sum]:
    """The parts of a total and the total, as one row or table shows them together.

    Where the total is told and exactly one part is hidden ("< 5"), the total minus the others
    would give it: so the smallest other part told (not a 0, which tells nothing) is withheld too
    ("–"); and the total as well in the one case where even that leaves a single possible value
    (a withheld count is 0 or at least SMALL, and this rule withholds no 0).
    """
    cells = [Count(part) for part in parts]
    total = Sum(tuple(parts))
    hidden = [cell for cell in cells if cell.hidden]
    if len(hidden) != 1 or total.hidden:
        return cells, total
    others = [index for index, cell in enumerate(cells) if not cell.hidden and cell.value]
    smallest = min(others, key=lambda index: parts[index])
    cells[smallest] = Count(parts[smallest], withheld=True)
    rest = total.value - sum(cell.value for cell in cells if not cell.hidden and not cell.withheld)
    possible = [small for small in range(1, SMALL) if rest - small >= SMALL]
    if len(possible) < 2:
        total = Sum(total.parts, withheld=True)
    return cells, total


@dataclass(frozen=True)
class Share:
    """A part of a whole, in whole per cent; not given where the part, the whole or the rest
    (whole - part) is under SMALL: 5 of 6 is 83 %, which tells that the other one is 1."""

    part: int
    whole: int


@dataclass(frozen=True)
class Euros:
    """An amount of money; below is what it is shown as instead ("unter 0,40 €"), where the
    amount would reveal a small count (SMS segments to fewer than SMALL people)."""

    amount: float
    below: float | None = None


Cell = str | Count | Sum | Share | Euros


class Words:
    """Numbers and words for one page language: the same text in the page, the chart and the CSV."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, message: str, **values: Any) -> str:
        return translate(self.language, message, **values)

    def plural(self, message: tuple[str, str], count: int, /, **values: Any) -> str:
        """message in the plural form for count; values["count"], where given, is said instead of
        count (as "< 5" or "4.210")."""
        return translate_plural(self.language, message, count, **values)

    def number(self, count: int) -> str:
        return format_decimal(count, locale=self.language)

    def cell(self, cell: Cell, *, spreadsheet: bool = False) -> str:
        """A cell as the page shows it; for a spreadsheet, counts without thousands separators."""
        if isinstance(cell, Count):
            if cell.withheld:
                return "–"
            if cell.hidden:
                return shown(cell.value) or ""
            return str(cell.value) if spreadsheet else self.number(cell.value)
        if isinstance(cell, Sum):
            if cell.withheld:
                return "–"
            if cell.hidden:
                return shown(cell.value) or ""
            return str(cell.value) if spreadsheet else self.number(cell.value)
        if isinstance(cell, Share):
            # Not where it would reveal a small count: the part, the whole, or the rest of it.
            if shown(cell.part) or shown(cell.whole) or shown(cell.whole - cell.part) or not cell.whole:
                return "–"
            return format_decimal(round(100 * cell.part / cell.whole), locale=self.language) + " %"
        if isinstance(cell, Euros):
            if cell.below is not None:
                money = self(N_("under %(amount)s"), amount=format_currency(cell.below, "EUR", locale=self.language))
            else:
                money = format_currency(cell.amount, "EUR", locale=self.language)
            # A spreadsheet reads "6,40 €" as an amount only with a plain space before the sign.
            return money.replace("\xa0", " ") if spreadsheet else money
        return cell


@dataclass
class Table:
    """One section's figures: what the page shows as a table, and the CSV holds."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: charts.Chart | None = None
    notes: list[str] = field(default_factory=list)
    caption: str = ""
    group: str = ""  # the heading several tables share (the polls, data protection)


# Names ------------------------------------------------------------------------------------------

# The parts of the line as callers know them from the main menu (ivr.usage_steps.AREAS records them).
AREAS = {
    "main": N_("Main menu"),
    "news": N_("News (key 1)"),
    "projects": N_("Projects (key 2)"),
    "take-part": N_("Take part (key 3)"),
    "subscribe": N_("News by SMS or call, your data (key 4)"),
    "person": N_("A person (key 0)"),
    "language": N_("Language (key 9)"),
}
ELSEWHERE = N_("Elsewhere (a news call, a call back)")
DURATION_NAMES = {
    "under-1": N_("under 1 minute"),
    "1-3": N_("1 to 3 minutes"),
    "3-10": N_("3 to 10 minutes"),
    "10-plus": N_("10 minutes or longer"),
}
PAGE_NAMES = {
    "home": N_("Home page"),
    "roadmap": N_("Digital roadmap"),
    "project": N_("Pages of single projects"),
    "easy": N_("Page in easy language"),
    "feed": N_("News feeds (RSS/Atom)"),
    "roadmap-json": N_("Roadmap as data (JSON) for other sites"),
    "flyer": N_("Flyer (page and PDF)"),
}
CHANNELS = {"sms": N_("by SMS"), "call": N_("by call")}
ASKED_ON = {"phone": N_("by telephone"), "sms": N_("by SMS"), "staff": N_("at the town hall (letter, e-mail)")}
HELD = {
    # Every SMS subscription is counted: one stopped is kept (as stopped) so that nothing is sent by mistake.
    "sms": N_("Numbers of SMS subscriptions (stopped ones too: they are kept so that nothing is sent any more)"),
    "calls": N_("Numbers that are called with the news"),
    **{purpose: RETENTION_NAMES[purpose] for purpose in ("contact", "voice", "callback", "visits", "outbox")},
}
PURGED = {
    **RETENTION_NAMES,
    "erasure_requests": N_("Requests to erase that were never confirmed"),
    "call_numbers": N_("Numbers of news calls that are over"),
}
UNKNOWN_KEYWORD = N_("(not understood)")
PRIVACY = N_(
    "No one can be recognised in these figures: the service keeps no number with them. A count of people "
    "under 5 is shown as “< 5”, and its bar in a chart is drawn light and not to scale. Totals are exact. "
    "“–” stands for a number left out because, together with the total beside it, it would let one work "
    "out a “< 5”: where a row or table has a total and exactly one “< 5”, the smallest other number is left "
    "out too. Shares of numbers under 5 or left out are not given either."
)
CHART_ABOUT = N_("A chart of the table “%(title)s” beside it: the numbers are in the table.")
COST_NOTE = N_(
    "Estimated cost: SMS segments × %(price)s per segment (the price the operator set); calls are not included."
)
WITHOUT_PROJECT = N_("Not about a particular project")
PART_OF_WEEK = N_("%(week)s (only %(days)s)")
PART_OF_WEEK_NOTE = N_(
    "A week the period covers only in part names the days it covers: its figures are of those days only."
)
CALLS_SINCE = N_("Calls were counted from the week of %(day)s on; the weeks before it had none and are not listed.")


def area_of(menu: str) -> str:
    """The part of the line a menu event names (ivr.usage_steps records the parts); "" for another."""
    return menu if menu in AREAS else ""


# Periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    key: str
    period: report.Period
    label: str


def choices(today: date, words: Words) -> list[Choice]:
    """The periods offered: this year so far, last year, and the quarters of both (newest first)."""
    offered = [
        Choice(
            "this-year",
            report.Period(date(today.year, 1, 1), today),
            words(N_("This year (%(year)s)"), year=today.year),
        ),
        Choice(
            "last-year",
            report.Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
            words(N_("Last year (%(year)s)"), year=today.year - 1),
        ),
    ]
    for year in (today.year, today.year - 1):
        for quarter in (4, 3, 2, 1):
            first = date(year, 3 * quarter - 2, 1)
            if first > today:
                continue
            after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
            last = min(after - timedelta(days=1), today)
            label = words(N_("Quarter %(quarter)s of %(year)s"), quarter=quarter, year=year)
            offered.append(Choice(f"{year}-q{quarter}", report.Period(first, last), label))
    return offered


CUSTOM = "custom"
NOT_A_DATE = N_("Please give both days as dates, the first not after the last.")
TOO_LONG = N_("A report covers at most three years.")
NOT_YET = N_("The period has to begin today or earlier.")
TOO_EARLY = N_("The period has to begin in the year 2000 or later.")
# No report reaches back further (a day in the year 1 has no start in the town's time zone).
EARLIEST = date(2000, 1, 1)


def chosen(today: date, words: Words) -> tuple[str, report.Period, str | None]:
    """The period the request asks for (?period=, with ?first= and ?last= for one's own dates):
    its key, the period, and what was wrong with the request (then this year is shown)."""
    offered = {choice.key: choice for choice in choices(today, words)}
    key = request.args.get("period", "this-year")
    if key in offered:
        return key, offered[key].period, None
    if key == CUSTOM:
        try:
            first = date.fromisoformat(request.args.get("first", ""))
            last = date.fromisoformat(request.args.get("last", ""))
        except ValueError:
            return key, offered["this-year"].period, words(NOT_A_DATE)
        if first > last:
            return key, offered["this-year"].period, words(NOT_A_DATE)
        if first > today:
            return key, offered["this-year"].period, words(NOT_YET)
        if first < EARLIEST:
            return key, offered["this-year"].period, words(TOO_EARLY)
        last = min(last, today)
        if last - first > LONGEST:
            return key, offered["this-year"].period, words(TOO_LONG)
        return key, report.Period(first, last), None
    return "this-year", offered["this-year"].period, None


def period_query(key: str, period: report.Period) -> dict[str, str]:
    """The query that asks for this period again (for the CSV links)."""
    if key == CUSTOM:
        return {"period": key, "first": period.first.isoformat(), "last": period.last.isoformat()}
    return {"period": key}


# The sections -----------------------------------------------------------------------------------


def people(value: int) -> Count:
    return Count(value)


def week_label(monday: date, period: report.Period, words: Words) -> str:
    """The week's Monday, and where the period covers only part of the week, which days it does
    ("29.12.2025 (nur 1.–4. Januar)")."""
    monday_text = format_date(monday, "medium", locale=words.language)
    first, last = max(monday, period.first), min(monday + timedelta(days=6), period.last)
    if (first, last) == (monday, monday + timedelta(days=6)):
        return monday_text
    days = format_interval(first, last, "MMMMd", locale=words.language)
    return words(PART_OF_WEEK, week=monday_text, days=days)


def calls_per_week(found: report.Report, words: Words) -> Table:
    """Calls per week, from the first week with any: a long run of empty weeks before is left out
    (and said so)."""
    columns = [words(N_("Week from")), words(N_("Calls from new callers")), words(N_("Calls from returning callers"))]
    columns.append(words(N_("together")))
    first = next((index for index, week in enumerate(found.weeks) if week.new or week.returning), None)
    weeks = found.weeks[first:] if first is not None else []
    rows: list[list[Cell]] = []
    for week in weeks:
        parts, together = told_with((week.new, week.returning))
        rows.append([week_label(week.monday, found.period, words), *parts, together])
    names = (words(N_("new callers")), words(N_("returning callers")))
    chart = charts.stacked_columns(
        words(N_("Calls per week")),
        words(CHART_ABOUT, title=words(N_("Calls per week"))),
        [(format_skeleton("dM", week.monday, locale=words.language), week.new, week.returning) for week in weeks],
        names,
        small_note=words(N_("light: under 5, not to scale")),
        number=words.number,
    )
    notes = []
    if any(week.monday < found.period.first for week in weeks[:1]) or any(
        week.monday + timedelta(days=6) > found.period.last for week in weeks[-1:]
    ):
        notes.append(words(PART_OF_WEEK_NOTE))
    if first:  # weeks without a call before the first with one
        since = format_date(weeks[0].monday, "long", locale=words.language)
        notes.append(words(CALLS_SINCE, day=since))
    return Table("calls", words(N_("Calls per week")), columns, rows, chart, notes)


def funnel(found: report.Report, words: Words) -> Table:
    whole = found.calls
    rows: list[list[Cell]] = [[words(AREAS[menu]), people(count), Share(count, whole)] for menu, count in found.funnel]
    chart = charts.bars(
        words(N_("How far calls get")),
        words(CHART_ABOUT, title=words(N_("How far calls get"))),
        [(words(AREAS[menu]), count) for menu, count in found.funnel],
        number=words.number,
    )
    columns = [words(N_("Part of the menu")), words(N_("Calls that got there")), words(N_("Share of all calls"))]
    return Table("funnel", words(N_("How far calls get")), columns, rows, chart)


def bar_table(key: str, title: str, columns: tuple[str, str], named: list[tuple[str, int]], words: Words) -> Table:
    """A table of names and counts about people, with its bar chart beside it."""
    chart = charts.bars(title, words(CHART_ABOUT, title=title), named, number=words.number)
    rows: list[list[Cell]] = [[name, people(count)] for name, count in named]
    return Table(key, title, list(columns), rows, chart)


def endings(found: report.Report, words: Words) -> Table:
    by_area: dict[str, int] = {}
    for menu, count in found.ended_in:
        area = area_of(menu)
        by_area[area] = by_area.get(area, 0) + count
    named = [
        (words(AREAS[area]) if area else words(ELSEWHERE), count)
        for area, count in sorted(by_area.items(), key=lambda item: -item[1])
    ]
    columns = (words(N_("Part of the menu")), words(N_("Calls that ended there")))
    return bar_table("endings", words(N_("Where calls end")), columns, named, words)


def durations(found: report.Report, words: Words) -> Table:
    named = [(words(DURATION_NAMES[name]), count) for name, count in found.durations]
    columns = (words(N_("Length")), words(N_("Calls")))
    return bar_table("durations", words(N_("How long calls take")), columns, named, words)


def languages(found: report.Report, words: Words) -> Table:
    named = [(language_name(code, words.language), count) for code, count in found.languages]
    columns = (words(N_("Language")), words(N_("Calls")))
    return bar_table("languages", words(N_("Languages of the calls")), columns, named, words)


def keywords(found: report.Report, words: Words) -> Table:
    named = [(words(UNKNOWN_KEYWORD) if word == "unknown" else word, count) for word, count in found.keywords]
    columns = (words(N_("Keyword")), words(N_("SMS received")))
    return bar_table("keywords", words(N_("SMS keywords")), columns, named, words)


def subscribers(found: report.Report, words: Words) -> Table:
    """The subscribers at the end of each week (the chart has every day counted)."""
    per_week: dict[date, tuple[date, int, int]] = {}
    for day, sms, call in found.subscribers:
        per_week[day - timedelta(days=day.weekday())] = (day, sms, call)
    rows: list[list[Cell]] = [
        [format_date(day, "medium", locale=words.language), people(sms), people(call)]
        for day, sms, call in per_week.values()
    ]
    names = (words(CHANNELS["sms"]), words(CHANNELS["call"]))
    chart = None
    if found.subscribers:
        chart = charts.steps(
            words(N_("Subscribers over time")),
            words(CHART_ABOUT, title=words(N_("Subscribers over time"))),
            found.subscribers,
            names,
            first=found.period.first,
            # Counted each night for the day before: the axis ends at the last day counted.
            last=found.subscribers[-1][0],
            day_label=lambda day: format_date(day, "medium", locale=words.language),
            small_note=words(N_("dashed: under 5, not to scale")),
            number=words.number,
        )
    columns = [words(N_("Day")), *(words(name) for name in CHANNELS.values())]
    notes = [] if rows else [words(N_("No day of this period has been counted yet."))]
    return Table("subscribers", words(N_("Subscribers over time")), columns, rows, chart, notes)


def subscriptions(found: report.Report, words: Words) -> Table:
    columns = [words(N_("Channel")), words(N_("Subscribed in the period")), words(N_("Ended in the period"))]
    rows: list[list[Cell]] = [
        [words(name), people(found.subscribed.get(channel, 0)), people(found.unsubscribed.get(channel, 0))]
        for channel, name in CHANNELS.items()
    ]
    return Table("subscriptions", words(N_("Subscriptions started and ended")), columns, rows)


def participation(found: report.Report, words: Words) -> Table:
    columns = [words(N_("Project")), words(N_("Votes")), words(N_("Ideas")), words(N_("Questions"))]
    columns.append(words(N_("Voice messages")))
    rows: list[list[Cell]] = [
        [
            words(N_("%(number)s: %(title)s"), number=project.number, title=project.title)
            if project.number
            else words(WITHOUT_PROJECT),
            people(project.votes),
            people(project.ideas),
            people(project.questions),
            people(project.voice_messages),
        ]
        for project in found.projects
    ]
    return Table("participation", words(N_("Taking part, by project")), columns, rows)


def polls(found: report.Report, words: Words) -> list[Table]:
    tables = []
    for index, poll in enumerate(found.polls, start=1):
        columns = [words(N_("Answer")), words(N_("by telephone")), words(N_("by SMS")), words(N_("together"))]
        rows: list[list[Cell]] = []
        for text, phone, sms in poll.answers:
            parts, together = told_with((phone, sms))
            rows.append([text, *parts, together])
        caption = words(N_("Closes on %(day)s"), day=format_date(poll.closes_at, "long", locale=words.language))
        tables.append(Table(f"poll-{index}", poll.question, columns, rows, caption=caption, group=words(N_("Polls"))))
    return tables


def callbacks(found: report.Report, words: Words) -> Table:
    asked, in_time, late = found.callbacks
    columns = [words(N_("Call backs")), words(N_("How many")), words(N_("Share of those done"))]
    rows: list[list[Cell]] = [
        [words(N_("Asked for")), people(asked), ""],
        [
            words(N_("Called back within the promise (next working day)")),
            people(in_time),
            Share(in_time, in_time + late),
        ],
        [words(N_("Called back later")), people(late), Share(late, in_time + late)],
    ]
    return Table("callbacks", words(N_("Call backs")), columns, rows)


def price_per_segment() -> float:
    return float(current_app.config["SMS_PRICE_PER_SEGMENT"])


def broadcasts(found: report.Report, words: Words) -> Table:
    """News sent to subscribers, by channel, and what the SMS cost (segments × the price per segment)."""
    sent = found.broadcast_channels
    columns = [words(N_("Sent to subscribers")), *(words(name) for name in CHANNELS.values())]

    def row(name: str, value: Callable[[report.Broadcasts], int], about_people: bool = True) -> list[Cell]:
        counts: list[Cell] = [
            Count(value(sent.get(channel, report.Broadcasts())), about_people) for channel in ("sms", "call")
        ]
        return [name, *counts]

    # Delivered and not delivered add up to (about) the recipients: told with them, one hidden
    # would be the recipients minus the other, so that one is withheld too (web.staff.report.told_with).
    recipients: list[Cell] = [words(N_("Recipients"))]
    delivered: list[Cell] = [words(N_("Delivered or answered"))]
    failed: list[Cell] = [words(N_("Not delivered"))]
    for channel in ("sms", "call"):
        figures = sent.get(channel, report.Broadcasts())
        (done, lost), total = told_with((figures.delivered, figures.failed))
        whole = total.withheld and total.value == figures.recipients
        recipients.append(Count(figures.recipients, withheld=whole))
        delivered.append(done)
        failed.append(lost)

    price = price_per_segment()
    sms = sent.get("sms", report.Broadcasts())
    # Segments follow the recipients: with fewer than SMALL recipients, neither they nor their cost is told.
    hide = bool(shown(sms.recipients) or shown(sms.segments))
    cost = Euros(sms.segments * price, below=SMALL * price if hide and sms.segments else None)
    rows: list[list[Cell]] = [
        row(words(N_("News items sent")), lambda b: b.announcements, about_people=False),
        recipients,
        delivered,
        failed,
        [
            words(N_("SMS segments (what is billed)")),
            Count(sms.segments, withheld=hide and not shown(sms.segments)),
            "",
        ],
        [words(N_("Estimated cost")), cost, ""],
    ]
    notes = [
        words(COST_NOTE, price=format_currency(price, "EUR", locale=words.language)),
    ]
    return Table("broadcasts", words(N_("News sent to subscribers")), columns, rows, notes=notes)


def pages(found: report.Report, words: Words) -> Table:
    named = [(words(PAGE_NAMES[page]) if page in PAGE_NAMES else page, count) for page, count in found.pages]
    columns = (words(N_("Page")), words(N_("Times opened")))
    return bar_table("pages", words(N_("Public web pages")), columns, named, words)


def data_kept(found: report.Report, words: Words) -> list[Table]:
    data = found.data
    held = Table(
        "data-held",
        words(N_("Personal data held today")),
        [words(N_("What for")), words(N_("Records"))],
        [[words(name), people(data.held.get(purpose, 0))] for purpose, name in HELD.items()],
        notes=[words(HELD_NOW, day=format_date(found.made_on, "long", locale=words.language))],
    )
    if found.demo_days:
        held.notes[0] += " " + words(HELD_REAL)
    if data.oldest is not None:
        age = (found.made_on - data.oldest).days
        day = format_date(data.oldest, "long", locale=words.language)
        held.notes.append(words(OLDEST_TODAY, day=day) if age == 0 else words.plural(OLDEST, age, day=day))
    erased = Table(
        "erased",
        words(N_("Erased on request in the period")),
        [words(N_("Asked by")), words(N_("Erasures"))],
        [[words(ASKED_ON.get(channel, channel)), people(count)] for channel, count in sorted(data.erased.items())],
    )
    purged = Table(
        "purged",
        words(N_("Deleted because their time was up")),
        [words(N_("What")), words(N_("Records"))],
        [
            [words(PURGED[rule]) if rule in PURGED else rule, people(count)]
            for rule, count in sorted(data.purged.items(), key=lambda item: -item[1])
        ],
    )
    for table in (held, erased, purged):
        table.group = words(N_("Data protection"))
    return [held, erased, purged]


HELD_NOW = N_("As held today (%(day)s), when the report is made: not at the end of the period.")
HELD_REAL = N_("These are the real records, not sample figures like the period's.")
OLDEST_TODAY = N_("The oldest personal record is from today (%(day)s).")
OLDEST = N_plural(
    "The oldest personal record is from %(day)s (%(count)s day ago).",
    "The oldest personal record is from %(day)s (%(count)s days ago).",
)


def glance(found: report.Report, words: Words) -> list[tuple[str, Cell]]:
    """The period at a glance: the totals exactly (from SMALL on), as the tables' rows tell theirs."""
    subscribers = found.subscribers[-1] if found.subscribers else None
    taking_part = [
        count
        for project in found.projects
        for count in (project.votes, project.ideas, project.questions, project.voice_messages)
    ]
    lines: list[tuple[str, Cell]] = [
        (words(N_("Calls")), Sum(tuple(count for week in found.weeks for count in (week.new, week.returning)))),
        (words(N_("of them from returning callers")), Sum(tuple(week.returning for week in found.weeks))),
        (words(N_("SMS")), Sum(tuple(count for _word, count in found.keywords))),
        (words(N_("Votes, ideas, questions and voice messages")), Sum(tuple(taking_part))),
        (words(N_("Call backs asked for")), people(found.callbacks[0])),
    ]
    if subscribers is not None:
        # Counted each night for the day before: the last figure is that day's, not the period's end.
        day = format_date(subscribers[0], "long", locale=words.language)
        lines.append((words(N_("Subscribers by SMS (as of %(day)s)"), day=day), people(subscribers[1])))
        lines.append((words(N_("Subscribers by call (as of %(day)s)"), day=day), people(subscribers[2])))
    return lines


def tables(found: report.Report, words: Words) -> list[Table]:
    return [
        calls_per_week(found, words),
        funnel(found, words),
        endings(found, words),
        durations(found, words),
        languages(found, words),
        keywords(found, words),
        subscribers(found, words),
        subscriptions(found, words),
        participation(found, words),
        *polls(found, words),
        callbacks(found, words),
        broadcasts(found, words),
        pages(found, words),
        *data_kept(found, words),
    ]


# Views ------------------------------------------------------------------------------------------


def asked() -> tuple[str, report.Period, str | None, Words]:
    """The period asked for, what was wrong with the request (then no report is made), and the
    page's words."""
    words, profile = Words(page_language()), current_profile()
    today = clock.now().astimezone(ZoneInfo(profile.timezone)).date()
    key, period, problem = chosen(today, words)
    return key, period, problem, words


def back_to_the_page() -> ResponseReturnValue:
    """A file asked for with a wrong period: back to the page, which says what was wrong (a file of
    another period than the one asked for would mislead)."""
    query = urlencode(list(request.args.items(multi=True)))
    return redirect(f"{url_for('staff.report_page')}?{query}")


@bp.get("/report")
@needs(REPORT)
def report_page() -> str:
    """The report to the council: the figures of a period, each table with its chart and CSV.
    Dates asked for wrongly stay in the form with what was wrong, and no figures are shown."""
    key, period, problem, words = asked()
    profile, now = current_profile(), clock.now()
    today = now.astimezone(ZoneInfo(profile.timezone)).date()
    typed = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    if key == CUSTOM:
        typed = {name: request.args.get(name, "") for name in typed}
    found = None if problem else report.make(db.session(), profile, period, now)
    return render_template(
        "staff/report.html",
        found=found,
        privacy=words(PRIVACY),
        tables=tables(found, words) if found else [],
        glance=glance(found, words) if found else [],
        cell=words.cell,
        choices=choices(today, words),
        key=key,
        period=period,
        typed=typed,
        problem=problem,
        query=period_query(key, period),
        custom=CUSTOM,
    )


# The CSV files' names, in German like the report's first language (the URLs keep the keys).
FILE_NAMES = {
    "calls": "anrufe-je-woche",
    "funnel": "wie-weit-anrufe-kommen",
    "endings": "wo-anrufe-enden",
    "durations": "wie-lange-anrufe-dauern",
    "languages": "sprachen-der-anrufe",
    "keywords": "sms-stichwoerter",
    "subscribers": "abonnements-im-verlauf",
    "subscriptions": "begonnene-und-beendete-abonnements",
    "participation": "mitmachen-je-projekt",
    "callbacks": "rueckrufe",
    "broadcasts": "meldungen-an-abonnenten",
    "pages": "oeffentliche-internetseiten",
    "data-held": "gespeicherte-personenbezogene-daten",
    "erased": "auf-wunsch-geloescht",
    "purged": "nach-ablauf-geloescht",
}


def file_name(key: str) -> str:
    """The German name of a table's CSV file ("poll-2": "abstimmung-2")."""
    if key.startswith("poll-"):
        return "abstimmung-" + key.removeprefix("poll-")
    return FILE_NAMES.get(key, key)


@bp.get("/report/<section>.csv")
@needs(REPORT)
def report_csv(section: str) -> ResponseReturnValue:
    """One table of the report as a CSV file for Excel: German headers, ";" between cells, UTF-8 with BOM."""
    _key, period, problem, words = asked()
    if problem is not None:
        return back_to_the_page()
    found = report.make(db.session(), current_profile(), period, clock.now())
    table = next((table for table in tables(found, words) if table.key == section), None)
    if table is None:
        abort(404)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(words.cell(cell, spreadsheet=True)) for cell in row])
    name = f"buergertelefon-{file_name(table.key)}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    response = Response(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    return response


def _cell(text: str) -> str:
    """Text as a spreadsheet cell that cannot turn into a formula ("< 5" stays as it is)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

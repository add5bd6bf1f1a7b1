"""A few sentences per section of the council's PDF, written from the report's figures.

Every number in a sentence is a cell of web.staff.report (Count, Sum, Share, Euros) told by its
Words: a count about fewer than SMALL people reads "< 5" here as in the tables, a total is exact
from SMALL on, and a share is left out wherever the page would not tell it. Plurals go through the
catalogs; "< 5" takes the plural form of SMALL ("< 5 Anrufe"). A sentence gives the total of its
table's rows only where, beside them, it does not give away a hidden one (the calls' and the SMS'
totals aside, which the title page tells anyway: see README on narrowing across tables).
"""

from __future__ import annotations

from babel.dates import format_date

from content import report
from content.i18n import N_, N_plural
from content.report import SMALL
from web.staff.report import AREAS, Count, Euros, Share, Sum, Table, Words, told_with

CALLS_IN = N_plural(
    "From %(first)s to %(last)s, %(count)s call came in.",
    "From %(first)s to %(last)s, %(count)s calls came in.",
)
RETURNING_SHARE = N_plural(
    "%(count)s of them (%(share)s) came from a number that had called before.",
    "%(count)s of them (%(share)s) came from numbers that had called before.",
)
RETURNING = N_plural(
    "%(count)s of them came from a number that had called before.",
    "%(count)s of them came from numbers that had called before.",
)
FURTHEST = N_plural(
    "After the main menu, most calls went on to “%(part)s”: %(count)s call.",
    "After the main menu, most calls went on to “%(part)s”: %(count)s calls.",
)
LANGUAGES = N_plural("The calls were held in %(count)s language.", "The calls were held in %(count)s languages.")
KEYWORDS = N_plural("%(count)s SMS came in.", "%(count)s SMS came in.")
TOP_KEYWORD = N_("The keyword sent most often was %(keyword)s.")
BY_SMS = N_plural(
    "As of %(day)s, %(count)s number got the news by SMS.",
    "As of %(day)s, %(count)s numbers got the news by SMS.",
)
BY_CALL = N_plural(
    "%(count)s number was called with the news.",
    "%(count)s numbers were called with the news.",
)
VOTES = N_plural("%(count)s vote was cast.", "%(count)s votes were cast.")
IDEAS = N_plural("%(count)s idea came in.", "%(count)s ideas came in.")
QUESTIONS = N_plural("%(count)s question came in.", "%(count)s questions came in.")
CALL_BACKS = N_plural("%(count)s call back was asked for.", "%(count)s call backs were asked for.")
IN_TIME = N_("%(share)s of the call backs done were done as promised, on the next working day.")
NEWS_SENT = N_plural(
    "%(count)s news item was sent to subscribers.",
    "%(count)s news items were sent to subscribers.",
)
COST = N_("The SMS cost an estimated %(cost)s.")
ENDED_MOST = N_plural(
    "Most calls ended in “%(part)s”: %(count)s call.",
    "Most calls ended in “%(part)s”: %(count)s calls.",
)
LENGTH_MOST = N_plural(
    "Most calls took %(length)s: %(count)s call.",
    "Most calls took %(length)s: %(count)s calls.",
)
STARTED = N_plural(
    "%(count)s subscription began in the period.",
    "%(count)s subscriptions began in the period.",
)
ENDED = N_plural("%(count)s subscription ended.", "%(count)s subscriptions ended.")
POLL_MOST = N_plural(
    "Most votes went to “%(answer)s”: %(count)s vote.",
    "Most votes went to “%(answer)s”: %(count)s votes.",
)
POLL_FEW = N_("No answer got 5 votes or more.")
SMS_KEPT = N_plural(
    "%(count)s number of an SMS subscription is kept today, stopped ones included.",
    "%(count)s numbers of SMS subscriptions are kept today, stopped ones included.",
)
ERASED = N_plural(
    "%(count)s erasure was done on request in the period.",
    "%(count)s erasures were done on request in the period.",
)
PURGED = N_plural(
    "%(count)s record was deleted because its time was up.",
    "%(count)s records were deleted because their time was up.",
)
PAGE_VIEWS = N_plural(
    "The public web pages were opened %(count)s time.",
    "The public web pages were opened %(count)s times.",
)


def amount(words: Words, cell: Count | Sum) -> tuple[str, int]:
    """A count as the tables tell it, and the number its words agree with ("< 5" that of SMALL)."""
    text = words.cell(cell)
    return text, SMALL if cell.hidden else cell.value


def told(words: Words, message: tuple[str, str], cell: Count | Sum, **values: str) -> str:
    """message with cell as its count: "< 5" where the tables say so, in the plural of SMALL."""
    text, count = amount(words, cell)
    return words.plural(message, count, count=text, **values)


def total(parts: tuple[int, ...]) -> Sum | None:
    """The total of a section's table rows, for a sentence beside the table; None where, with them,
    it would give away the one row hidden ("< 5"), as web.staff.report.told_with decides."""
    cells, whole = told_with(parts)
    return None if whole.withheld or any(cell.withheld for cell in cells) else whole


def share(words: Words, part: Sum, whole: Sum) -> str | None:
    """The part's share of the whole, where the page would tell it."""
    text = words.cell(Share(part.value, whole.value))
    return None if text == "–" else text


def calls(found: report.Report, words: Words) -> list[str]:
    every = Sum(tuple(count for week in found.weeks for count in (week.new, week.returning)))
    returning = Sum(tuple(week.returning for week in found.weeks))
    day = {
        "first": format_date(found.period.first, "long", locale=words.language),
        "last": format_date(found.period.last, "long", locale=words.language),
    }
    said = [told(words, CALLS_IN, every, **day)]
    if every.value == 0:
        return said
    part = share(words, returning, every)
    if part is not None:
        said.append(told(words, RETURNING_SHARE, returning, share=part))
    else:
        said.append(told(words, RETURNING, returning))
    return said


def funnel(found: report.Report, words: Words) -> list[str]:
    # Only among the parts the table shows exactly: which of two hidden counts is larger is not told.
    beyond = [(menu, count) for menu, count in found.funnel if menu != "main" and not Count(count).hidden and count]
    if not beyond:
        return []
    menu, count = max(beyond, key=lambda item: item[1])
    return [told(words, FURTHEST, Count(count), part=words(AREAS[menu]))]


def most(items: list[tuple[str, int]]) -> tuple[str, int] | None:
    """The item with the most, among those the table tells exactly (which of two hidden counts is
    larger is not told), where one alone has the most."""
    told = [(name, count) for name, count in items if count and not Count(count).hidden]
    if not told:
        return None
    top = max(count for _name, count in told)
    leaders = [item for item in told if item[1] == top]
    return leaders[0] if len(leaders) == 1 else None


def endings(table: Table, words: Words) -> list[str]:
    found = most([(str(row[0]), row[1].value) for row in table.rows if isinstance(row[1], Count)])
    return [told(words, ENDED_MOST, Count(found[1]), part=found[0])] if found else []


def durations(table: Table, words: Words) -> list[str]:
    found = most([(str(row[0]), row[1].value) for row in table.rows if isinstance(row[1], Count)])
    return [told(words, LENGTH_MOST, Count(found[1]), length=found[0])] if found else []


def subscriptions(found: report.Report, words: Words) -> list[str]:
    said = []
    for message, counts in ((STARTED, found.subscribed), (ENDED, found.unsubscribed)):
        whole = total(tuple(counts.get(channel, 0) for channel in ("sms", "call")))
        if whole is not None:
            said.append(told(words, message, whole))
    return said


def poll(table: Table, words: Words) -> list[str]:
    """The answer with the most votes (the row's total, as the table tells it)."""
    totals = [(str(row[0]), row[-1]) for row in table.rows if isinstance(row[-1], Sum)]
    if totals and all(total.value < SMALL for _answer, total in totals):
        return [words(POLL_FEW)]
    found = most([(answer, total.value) for answer, total in totals if not total.withheld])
    return [told(words, POLL_MOST, Sum((found[1],)), answer=found[0])] if found else []


def data_kept(found: report.Report, words: Words) -> dict[str, list[str]]:
    data = found.data
    erased, purged = total(tuple(data.erased.values())), total(tuple(data.purged.values()))
    return {
        "data-held": [told(words, SMS_KEPT, Count(data.held.get("sms", 0)))],
        "erased": [told(words, ERASED, erased)] if erased is not None else [],
        "purged": [told(words, PURGED, purged)] if purged is not None else [],
    }


def languages(found: report.Report, words: Words) -> list[str]:
    used = sum(1 for _code, count in found.languages if count)
    return [words.plural(LANGUAGES, used)] if used else []


def keywords(found: report.Report, words: Words) -> list[str]:
    sent = Sum(tuple(count for _word, count in found.keywords))
    if not sent.parts:
        return []
    said = [told(words, KEYWORDS, sent)]
    known = [(word, count) for word, count in found.keywords if word != "unknown" and not Count(count).hidden]
    if known:
        word, _count = max(known, key=lambda item: item[1])
        said.append(words(TOP_KEYWORD, keyword=word))
    return said


def subscribers(found: report.Report, words: Words) -> list[str]:
    if not found.subscribers:
        return []
    # Counted each night for the day before: the last figure is that day's (yesterday's, today).
    day, sms, call = found.subscribers[-1]
    on = format_date(day, "long", locale=words.language)
    return [told(words, BY_SMS, Count(sms), day=on), told(words, BY_CALL, Count(call))]


def participation(found: report.Report, words: Words) -> list[str]:
    projects = found.projects
    if not projects:
        return []
    said = []
    for message, name in ((VOTES, "votes"), (IDEAS, "ideas"), (QUESTIONS, "questions")):
        whole = total(tuple(getattr(project, name) for project in projects))
        if whole is not None:
            said.append(told(words, message, whole))
    return said


def callbacks(found: report.Report, words: Words) -> list[str]:
    asked, in_time, late = found.callbacks
    said = [told(words, CALL_BACKS, Count(asked))]
    part = words.cell(Share(in_time, in_time + late))
    if part != "–":
        said.append(words(IN_TIME, share=part))
    return said


def broadcasts(found: report.Report, words: Words, table: Table) -> list[str]:
    items = found.broadcasts.announcements  # news items are not people: told as they are
    said = [words.plural(NEWS_SENT, items, count=words.number(items))]
    # The cost as the table tells it (which hides the cost of SMS to fewer than five people).
    costs = [cell for row in table.rows for cell in row if isinstance(cell, Euros)]
    if items and costs and costs[0].amount:
        said.append(words(COST, cost=words.cell(costs[0])))
    return said


def pages(found: report.Report, words: Words) -> list[str]:
    views = total(tuple(count for _page, count in found.pages))
    return [told(words, PAGE_VIEWS, views)] if views is not None and views.parts else []


def sentences(found: report.Report, words: Words, tables: list[Table]) -> dict[str, list[str]]:
    """The sentences for each section (by its table's key) that has some."""
    by_key = {table.key: table for table in tables}
    said = {
        "calls": calls(found, words),
        "funnel": funnel(found, words),
        "languages": languages(found, words),
        "keywords": keywords(found, words),
        "subscribers": subscribers(found, words),
        "participation": participation(found, words),
        "callbacks": callbacks(found, words),
        "pages": pages(found, words),
    }
    if "broadcasts" in by_key:
        said["broadcasts"] = broadcasts(found, words, by_key["broadcasts"])
    if "endings" in by_key:
        said["endings"] = endings(by_key["endings"], words)
    if "durations" in by_key:
        said["durations"] = durations(by_key["durations"], words)
    said["subscriptions"] = subscriptions(found, words)
    said.update({key: poll(table, words) for key, table in by_key.items() if key.startswith("poll-")})
    said.update(data_kept(found, words))
    return {key: lines for key, lines in said.items() if lines}

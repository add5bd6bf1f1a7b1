"""The demo's year of usage figures: loaded by `flask demo load` only, marked as the demo's,
consistent within each day, and enough for every part of the report to show something."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from content import db, demo_usage, report, usage
from content.models import IDEA, QUESTION, Submission, UsageDay, Vote
from content.profile import TownProfile
from tests.conftest import empty_database

TODAY = date(2026, 11, 24)


def test_the_tests_demo_carries_no_figures(session) -> None:
    assert session.scalar(select(func.count()).select_from(UsageDay)) == 0


def test_the_year_is_the_same_every_time_and_adds_up_within_each_day() -> None:
    rows = demo_usage.days_of_figures(TODAY)
    assert rows == demo_usage.days_of_figures(TODAY)
    days: dict[date, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        days[row["day"]][(row["kind"], row["detail"])] += row["count"]  # type: ignore[index,operator]
    assert sorted(days) == [TODAY - timedelta(days=n) for n in range(365, 0, -1)]
    for day, figures in days.items():
        calls = figures[(usage.CALLS, "new")] + figures[(usage.CALLS, "returning")]
        for kind in (usage.ENDED_IN, usage.DURATION, usage.CALL_LANGUAGE):
            assert sum(n for (k, _), n in figures.items() if k == kind) == calls, (day, kind)
        reached = [figures[(usage.REACHED, menu)] for menu in report.FUNNEL]
        assert all(n <= calls for n in reached), day
        assert figures[(usage.DEMO, "")] == 1 and (usage.COUNTED, "") in figures
    keys = [(row["day"], row["channel"], row["kind"], row["detail"]) for row in rows]
    assert len(keys) == len(set(keys))  # one row per figure: the table's key


def _by_day(rows: list[dict[str, object]]) -> dict[date, dict[tuple[str, str, str], int]]:
    """The rows of each day as (channel, kind, detail): count."""
    days: dict[date, dict[tuple[str, str, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        days[row["day"]][(row["channel"], row["kind"], row["detail"])] += row["count"]  # type: ignore[index,operator]
    return days


def _sum(
    figures: dict[tuple[str, str, str], int], kind: str, detail: str | None = None, channel: str | None = None
) -> int:
    return sum(
        n
        for (c, k, d), n in figures.items()
        if k == kind and (detail is None or d == detail) and (channel is None or c == channel)
    )


def test_the_year_never_contradicts_itself() -> None:
    """What a council reading the report would check, on every day of the demo year."""
    rows = demo_usage.days_of_figures(TODAY)
    days = _by_day(rows)
    sent: dict[tuple[date, str], int] = defaultdict(int)
    for each in demo_usage.sent_by_sms(TODAY):
        sent[(each.day, each.kind)] += 1
    before = dict(demo_usage.FIRST_SUBSCRIBERS)
    for day, figures in sorted(days.items()):
        calls = _sum(figures, usage.CALLS)
        # Every part of the line: no more calls ended there than reached it, none reached by more than called.
        parts = {d for (_c, k, d) in figures if k in (usage.REACHED, usage.ENDED_IN)}
        for part in parts:
            reached = _sum(figures, usage.REACHED, part)
            assert _sum(figures, usage.ENDED_IN, part) <= reached <= calls, (day, part)
        for kind in (usage.ENDED_IN, usage.DURATION, usage.CALL_LANGUAGE):
            assert _sum(figures, kind) == calls, (day, kind)
        # Key 4 ("subscribe"): every subscription, stop and erasure on the phone is a call that reached it.
        on_phone = _sum(figures, usage.SUBSCRIBED, channel=usage.PHONE)  # by SMS and as calls
        stopped_or_erased = max(
            _sum(figures, usage.UNSUBSCRIBED, channel=usage.PHONE), _sum(figures, usage.ERASED, channel=usage.PHONE)
        )
        assert _sum(figures, usage.REACHED, "subscribe") >= on_phone + stopped_or_erased, day
        # A broadcast is counted on each channel it had recipients on.
        for which in (usage.SMS, usage.BY_CALL):
            if _sum(figures, usage.RECIPIENTS, which):
                assert _sum(figures, usage.BROADCAST, which) >= 1, (day, which)
            assert _sum(figures, usage.RECIPIENTS, which) == _sum(figures, usage.DELIVERED, which) + _sum(
                figures, usage.FAILED, which
            ), (day, which)
        # IDEE and FRAGE: at least one per idea or question sent by SMS that day.
        assert _sum(figures, usage.KEYWORD, "IDEE") >= sent[(day, IDEA)], day
        assert _sum(figures, usage.KEYWORD, "FRAGE") >= sent[(day, QUESTION)], day
        # SMS subscriptions: START and key 4 start them; STOP, stops on the phone and erasures end them.
        started_sms = _sum(figures, usage.SUBSCRIBED, usage.SMS)
        assert started_sms == _sum(figures, usage.KEYWORD, "START") + _sum(
            figures, usage.SUBSCRIBED, usage.SMS, usage.PHONE
        ), day
        assert _sum(figures, usage.UNSUBSCRIBED, usage.SMS) <= (
            _sum(figures, usage.KEYWORD, "STOP")
            + _sum(figures, usage.UNSUBSCRIBED, usage.SMS, usage.PHONE)
            + _sum(figures, usage.ERASED)
        ), day
        # An erasure asked for by SMS is confirmed with LÖSCHEN JA.
        assert _sum(figures, usage.KEYWORD, "LÖSCHEN JA") >= _sum(figures, usage.ERASED, channel=usage.SMS), day
        # Subscribers at the day's end: the day before, plus those started, minus those ended.
        for which in (usage.SMS, usage.BY_CALL):
            now = _sum(figures, usage.SUBSCRIBERS, which)
            change = _sum(figures, usage.SUBSCRIBED, which) - _sum(figures, usage.UNSUBSCRIBED, which)
            assert now == before[which] + change >= 0, (day, which)
            before[which] = now
        # Call backs asked for by SMS are RÜCKRUF keywords.
        assert _sum(figures, usage.CALLBACK, channel=usage.SMS) == _sum(figures, usage.KEYWORD, "RÜCKRUF"), day
    # The year has each of them to show: nothing above holds only because it is all zero.
    year = _by_day([{**row, "day": TODAY} for row in rows])[TODAY]
    assert _sum(year, usage.REACHED, "subscribe") > 0 and _sum(year, usage.BROADCAST, usage.BY_CALL) > 0
    assert _sum(year, usage.ERASED, channel=usage.SMS) > 0 and _sum(year, usage.UNSUBSCRIBED, usage.BY_CALL) > 0
    ideas = sum(n for (_day, kind), n in sent.items() if kind == IDEA)
    questions = sum(n for (_day, kind), n in sent.items() if kind == QUESTION)
    # A few IDEE and FRAGE were not understood, not many.
    assert ideas <= _sum(year, usage.KEYWORD, "IDEE") <= 1.3 * ideas
    assert questions <= _sum(year, usage.KEYWORD, "FRAGE") <= 1.3 * questions


def test_demo_load_brings_a_year_the_report_shows_as_demo_figures(app) -> None:
    empty_database(app.extensions["content.engine"])
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Außerdem geladen: ein Jahr Beispieldaten für den Bericht an den Stadtrat" in result.output
    clock = app.config["CLOCK"]
    with app.app_context():
        session = db.session()
        today = clock().date()
        period = report.Period(today - timedelta(days=365), today - timedelta(days=1))
        made = report.make(session, TownProfile(), period, clock())
        assert made.demo_days == 365
        funnel = dict(made.funnel)
        assert made.calls > 5000 and funnel["main"] > funnel["news"] > funnel["projects"] > funnel["person"] > 0
        assert made.languages[0][0] == "de" and {code for code, _ in made.languages} >= {"tr", "ru", "uk", "ar", "pl"}
        assert made.keywords[0][0] == "NEU"
        first, last = made.subscribers[0], made.subscribers[-1]
        assert last[1] > 2 * first[1] and last[2] > first[2]
        assert made.broadcasts.announcements >= 20
        # Every item went out by SMS and as calls: counted on both channels, but once in all.
        by_channel = made.broadcast_channels
        assert by_channel["sms"].announcements == by_channel["call"].announcements == made.broadcasts.announcements
        assert made.broadcasts.recipients == made.broadcasts.delivered + made.broadcasts.failed
        assert made.callbacks[1] > made.callbacks[2] > 0
        assert dict(made.pages)["home"] > dict(made.pages)["roadmap"] > 0
        participation = {figures.number: figures for figures in made.projects}
        assert {1, 2, 9} <= {number for number, figures in participation.items() if figures.votes}
        assert sum(figures.ideas + figures.questions for figures in made.projects) == len(
            session.scalars(select(Submission)).all()
        )
        assert session.scalar(select(func.count()).where(Submission.number.is_not(None))) == 0
        # Each idea and question sent by SMS has its IDEE or FRAGE on the same day (the town's day).
        zone = ZoneInfo(TownProfile().timezone)
        sent: dict[tuple[date, str], int] = defaultdict(int)
        for kind, received in session.execute(select(Submission.kind, Submission.received_at)):
            sent[(received.astimezone(zone).date(), kind)] += 1
        keywords = {
            (day, detail): count
            for day, detail, count in session.execute(
                select(UsageDay.day, UsageDay.detail, UsageDay.count).where(UsageDay.kind == usage.KEYWORD)
            )
        }
        for (day, kind), count in sent.items():
            assert keywords.get((day, "IDEE" if kind == IDEA else "FRAGE"), 0) >= count, (day, kind)
        assert session.scalar(select(func.count()).where(Vote.voter.is_not(None))) == 0
    # The public roadmap shows the closed polls with their results.
    page = app.test_client().get("/roadmap").get_data(as_text=True)
    assert "Was braucht der Stiftsplatz am meisten?" in page


def test_demo_load_without_figures_brings_none(app) -> None:
    empty_database(app.extensions["content.engine"])
    result = app.test_cli_runner().invoke(args=["demo", "load", "--no-figures"])
    assert result.exit_code == 0, result.output
    assert "Die Demo ist geladen" in result.output and "Beispieldaten" not in result.output
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(UsageDay)) == 0

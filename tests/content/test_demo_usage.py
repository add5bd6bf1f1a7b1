"""The demo's year of usage figures: loaded by `flask demo load` only, marked as the demo's,
consistent within each day, and enough for every part of the report to show something."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from content import db, demo_usage, report, usage
from content.models import Submission, UsageDay, Vote
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


def test_demo_load_brings_a_year_the_report_shows_as_demo_figures(app) -> None:
    empty_database(app.extensions["content.engine"])
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
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
        assert made.broadcasts.recipients == made.broadcasts.delivered + made.broadcasts.failed
        assert made.callbacks[1] > made.callbacks[2] > 0
        assert dict(made.pages)["home"] > dict(made.pages)["roadmap"] > 0
        participation = {figures.number: figures for figures in made.projects}
        assert {1, 2, 9} <= {number for number, figures in participation.items() if figures.votes}
        assert sum(figures.ideas + figures.questions for figures in made.projects) == len(
            session.scalars(select(Submission)).all()
        )
        assert session.scalar(select(func.count()).where(Submission.number.is_not(None))) == 0
        assert session.scalar(select(func.count()).where(Vote.voter.is_not(None))) == 0
    # The public roadmap shows the closed polls with their results.
    page = app.test_client().get("/roadmap").get_data(as_text=True)
    assert "Was braucht der Stiftsplatz am meisten?" in page


def test_demo_load_without_figures_brings_none(app) -> None:
    empty_database(app.extensions["content.engine"])
    result = app.test_cli_runner().invoke(args=["demo", "load", "--no-figures"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(UsageDay)) == 0

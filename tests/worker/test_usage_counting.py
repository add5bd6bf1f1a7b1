"""The worker counts the usage events of each day once, soon after midnight (content.usage)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from content import usage
from content.models import UsageDay
from content.usage import Happened
from tests.content.test_usage import BERLIN, write
from worker import cli


def test_the_worker_counts_yesterday_once_soon_after_midnight(app, session, clock) -> None:
    write(session, Happened(clock(), "sms", usage.KEYWORD, "NEU", 1, None))
    with app.app_context():
        chores = cli.make_chores()
    midnight = datetime.combine(clock().date() + timedelta(days=1), datetime.min.time(), tzinfo=BERLIN)
    clock.now = midnight + timedelta(minutes=5)
    chores()
    assert session.scalar(select(func.count()).select_from(UsageDay)) == 0  # events may still be on their way
    clock.now = midnight + usage.COUNT_AFTER
    chores()
    session.expire_all()
    assert session.scalar(select(UsageDay.count).where(UsageDay.kind == usage.KEYWORD)) == 1
    assert (
        session.scalar(select(UsageDay.count).where(UsageDay.kind == usage.SUBSCRIBERS, UsageDay.detail == "sms")) == 0
    )

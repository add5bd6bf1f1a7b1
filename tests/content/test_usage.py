"""Usage figures: counting a day's events, keeping the counts, forgetting the events."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import usage
from content.models import UsageDay, UsageEvent
from content.usage import Happened

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 11, 24)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def test_a_days_events_add_up_per_call_and_in_all() -> None:
    rows = [
        Happened(at(9), "phone", usage.CALL, "new", 1, "a"),
        Happened(at(9), "phone", usage.MENU, "main", 1, "a"),
        Happened(at(9, 1), "phone", usage.MENU, "news", 1, "a"),
        Happened(at(9, 2), "phone", usage.MENU, "main", 1, "a"),
        Happened(at(9, 4), "phone", usage.MENU, "news", 1, "a"),  # four minutes: 3-10
        Happened(at(10), "phone", usage.CALL, "returning", 1, "b"),
        Happened(at(10), "phone", usage.LANGUAGE, "tr", 1, "b"),
        Happened(at(10), "phone", usage.LANGUAGE, "de", 1, "b"),
        Happened(at(11), "sms", usage.KEYWORD, "NEU", 1, None),
        Happened(at(12), "", usage.PURGED, "sms_log", 7, None),
    ]
    found = {(f.kind, f.detail): f.count for f in usage.count_events(rows, DAY)}
    assert found[(usage.CALLS, "new")] == 1 and found[(usage.CALLS, "returning")] == 1
    assert found[(usage.REACHED, "news")] == 1 and found[(usage.REACHED, "main")] == 1  # once per call
    assert found[(usage.MENU, "news")] == 2  # but each time in all
    assert found[(usage.ENDED_IN, "news")] == 1
    assert found[(usage.DURATION, "3-10")] == 1 and found[(usage.DURATION, "under-1")] == 1
    assert found[(usage.CALL_LANGUAGE, "de")] == 1  # the language the call ended in
    assert found[(usage.KEYWORD, "NEU")] == 1 and found[(usage.PURGED, "sms_log")] == 7


def write(session, *rows: Happened) -> None:
    for row in rows:
        session.add(UsageEvent(**row._asdict()))
    session.commit()


def test_a_call_past_midnight_counts_on_the_day_it_began(app, session) -> None:
    next_day = DAY + timedelta(days=1)
    write(
        session,
        Happened(at(23, 58), "phone", usage.CALL, "new", 1, "a"),
        Happened(at(23, 59), "phone", usage.MENU, "main", 1, "a"),
        Happened(at(0, 2, next_day), "phone", usage.MENU, "projects", 1, "a"),
    )
    with app.app_context():
        usage.count_finished_days(session, BERLIN, at(1, 0, next_day + timedelta(days=1)))
        session.commit()
        first = {(f.kind, f.detail): f.count for f in usage.figures(session, DAY, DAY, BERLIN)}
        second = {(f.kind, f.detail): f.count for f in usage.figures(session, next_day, next_day, BERLIN)}
    assert first[(usage.ENDED_IN, "projects")] == 1 and first[(usage.DURATION, "3-10")] == 1
    assert (usage.CALLS, "new") not in second and second[(usage.MENU, "projects")] == 1


def test_a_day_counted_meanwhile_by_another_worker_is_not_counted_twice(app, session, monkeypatch) -> None:
    write(session, Happened(at(9), "sms", usage.KEYWORD, "NEU", 1, None))
    after = at(9, day=DAY + timedelta(days=2))
    with app.app_context():
        assert usage.count_days_safely(session, BERLIN, after) == [DAY, DAY + timedelta(days=1)]
        session.commit()
        # What a second worker sees if it looked before the first one's count was committed:
        monkeypatch.setattr(usage, "counted_days", lambda *args: set())
        assert usage.count_days_safely(session, BERLIN, after) == []
        session.commit()
    counted = session.scalar(select(func.sum(UsageDay.count)).where(UsageDay.kind == usage.KEYWORD))
    assert counted == 1


def test_events_are_forgotten_after_their_retention_once_counted(app, session, clock) -> None:
    long_ago = clock() - timedelta(days=31)
    write(
        session,
        Happened(long_ago, "sms", usage.KEYWORD, "NEU", 1, None),
        Happened(clock() - timedelta(days=29), "sms", usage.KEYWORD, "STOP", 1, None),
    )
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "usage_events 1" in result.output
    session.expire_all()
    assert session.scalars(select(UsageEvent.detail).where(UsageEvent.kind == usage.KEYWORD)).all() == ["STOP"]
    with app.app_context():
        old = long_ago.astimezone(BERLIN).date()
        assert usage.total(usage.figures(session, old, old, BERLIN), usage.KEYWORD, "NEU") == 1  # the count stays


def test_an_event_in_utc_falls_on_the_towns_day() -> None:
    start, end = usage.day_bounds(DAY, BERLIN)
    assert (start, end) == (datetime(2026, 11, 23, 23, tzinfo=UTC), datetime(2026, 11, 24, 23, tzinfo=UTC))


def stored_events(app) -> list[str]:
    with app.extensions["content.engine"].connect() as connection:
        return sorted(connection.scalars(select(UsageEvent.kind)))


def noted(kind: str) -> dict[str, object]:
    return usage.event(kind, channel=usage.WEB, at=at(9), detail="home")


def test_events_wait_while_their_table_is_away_and_are_written_once_it_is_back(app) -> None:
    engine = app.extensions["content.engine"]
    log = usage.UsageLog(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE usage_event RENAME TO usage_event_away")
    log.note(noted(usage.PAGE))
    log.flush()  # fails: kept
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE usage_event_away RENAME TO usage_event")
    assert stored_events(app) == []
    log.flush()
    log.flush()
    assert stored_events(app) == [usage.PAGE]  # once, not lost, not twice
    log.close()


def test_a_row_the_database_refuses_is_dropped_and_does_not_hold_back_the_others(app) -> None:
    log = usage.UsageLog(app.extensions["content.engine"])
    log.note(noted(usage.PAGE))
    log.note({**noted(usage.KEYWORD), "at": None})  # a row no database takes (at is NOT NULL)
    log.note(noted(usage.CALLBACK))
    log.flush()
    log.note(noted(usage.VOTE))
    log.flush()
    assert stored_events(app) == sorted([usage.PAGE, usage.CALLBACK, usage.VOTE])
    log.close()


def test_a_writer_that_died_is_started_again_by_the_next_event(app) -> None:
    log = usage.UsageLog(app.extensions["content.engine"])
    log.note(noted(usage.PAGE))
    first = log._writer
    assert first is not None and first.is_alive()
    log._stop.set()  # the writer ends, as if it had died
    first.join()
    log._stop.clear()
    log.note(noted(usage.VOTE))
    again = log._writer
    assert again is not None and again is not first and again.is_alive()
    log.close()
    again.join()
    assert stored_events(app) == sorted([usage.PAGE, usage.VOTE])


def test_two_workers_counting_the_same_days_at_once_count_them_once(app) -> None:
    """Real sessions on the test database (on PostgreSQL: the second waits for the first's key,
    then finds it taken); whichever way the second one ends, it counts nothing."""
    engine = app.extensions["content.engine"]
    with Session(engine) as writing:
        writing.add(UsageEvent(**usage.event(usage.KEYWORD, channel=usage.SMS, at=at(9), detail="NEU")))
        writing.commit()
    after = at(9, day=DAY + timedelta(days=2))
    second_counted: list[list[date]] = []
    with app.app_context(), Session(engine) as first, Session(engine) as second:
        assert usage.count_days_safely(first, BERLIN, after) == [DAY, DAY + timedelta(days=1)]
        worker = threading.Thread(target=lambda: second_counted.append(usage.count_days_safely(second, BERLIN, after)))
        worker.start()
        first.commit()
        worker.join()
        second.commit()
    assert second_counted == [[]]
    with Session(engine) as reading:
        assert reading.scalar(select(func.sum(UsageDay.count)).where(UsageDay.kind == usage.KEYWORD)) == 1

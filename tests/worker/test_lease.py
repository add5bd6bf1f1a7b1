"""Exactly once with several workers: a claim takes at most its batch whatever plan the database
picks, and a message belongs to the worker that claimed it for as long as that worker is alive.

The side-by-side tests run real `flask outbox run` processes on a database created for the test
(on PostgreSQL a new, never analysed database, as on the day a town starts), against the fake of
Twilio's API on loopback, and count what reached the provider."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from content import db, migrate
from content.models import QUEUED, SENDING, SENT, OutboundMessage
from tests.conftest import ACCOUNT, AUTH_TOKEN
from tests.fake_twilio_api import FakeTwilioApi
from worker import cli
from worker.sending import Worker

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database created and migrated for this test only: nothing in it was ever analysed."""
    if not database_url.startswith("postgresql"):
        url = "sqlite:///" + str(tmp_path / "fresh.db")
        migrate.upgrade(db.make_engine(url))
        yield url
        return
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("SET statement_timeout = 0"))  # a busy machine may take its time
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text("SET statement_timeout = 0"))
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def queue(url: str, count: int) -> list[str]:
    numbers = [f"+49151{n:08d}" for n in range(count)]
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            insert(OutboundMessage),
            [
                {
                    "idempotency_key": f"news-{number}",
                    "recipient": number,
                    "body": "Neu: Der Bürgerservice hat samstags geöffnet.",
                    "status": QUEUED,
                    "attempts": 0,
                    "next_attempt_at": NOW,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for number in numbers
            ],
        )
    engine.dispose()
    return numbers


def statuses(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    with engine.connect() as connection:
        found = connection.execute(select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status))
        counts = {status: count for status, count in found}
    engine.dispose()
    return counts


def test_a_claim_takes_at_most_one_batch_on_a_fresh_unanalysed_database(fresh_database_url) -> None:
    queue(fresh_database_url, 400)
    engine = db.make_engine(fresh_database_url)
    worker = Worker(engine, None, clock=lambda: NOW, per_second=0, status_url=lambda _id: None, stale_seconds=60)
    try:
        assert len(worker.claim(limit=50)) == 50
        assert statuses(fresh_database_url) == {SENDING: 50, QUEUED: 350}
    finally:
        engine.dispose()


def test_nobody_settles_a_message_whose_worker_is_still_alive(app, session, provider, clock) -> None:
    queue(app.config["DATABASE_URL"], 1)
    with app.app_context():
        slow, other = cli.make_worker(), cli.make_worker()
        claimed = slow.claim()
        clock.now += timedelta(minutes=5)  # the provider is slow, far beyond OUTBOX_STALE_SECONDS
        slow.beat()
        assert other.reconcile() == 0
        slow.record(list(map(slow.attempt, claimed)))
    assert statuses(app.config["DATABASE_URL"]) == {SENT: 1}
    assert len(provider.messages) == 1


def test_the_messages_of_a_worker_that_stopped_beating_are_settled(app, session, provider, clock) -> None:
    queue(app.config["DATABASE_URL"], 1)
    with app.app_context():
        dead, other = cli.make_worker(), cli.make_worker()
        dead.claim()
        clock.now += timedelta(minutes=5)
        other.beat()
        assert other.reconcile() == 1  # the provider never had it: queued again
        assert other.work() == 1
    assert statuses(app.config["DATABASE_URL"]) == {SENT: 1}
    assert len(provider.messages) == 1


def test_a_worker_that_lost_its_lease_cannot_overwrite_what_came_after(app, session, provider, clock) -> None:
    queue(app.config["DATABASE_URL"], 1)
    with app.app_context():
        stalled, other = cli.make_worker(), cli.make_worker()
        claimed = stalled.claim()
        clock.now += timedelta(minutes=5)  # stalled for longer than its lease
        other.reconcile()
        assert other.work() == 1
        sent_by_other = session.scalars(select(OutboundMessage.provider_id)).one()
        outcome = stalled.attempt(claimed[0])
        stalled.record([outcome])
    session.expire_all()
    assert session.scalars(select(OutboundMessage.provider_id)).one() == sent_by_other
    assert statuses(app.config["DATABASE_URL"]) == {SENT: 1}


def worker_env(url: str, fake: FakeTwilioApi, tmp_path: Path, **settings: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "HOTLINE_INSTANCE_PATH": str(tmp_path / "worker"),
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_PHONE_NUMBER": "+496313651000",
        "TWILIO_API_BASE_URL": fake.url,
        "SECRET_KEY": "s",
        "PSEUDONYM_KEY": "p",
        **settings,
    }


WORKER = [sys.executable, "-m", "flask", "--app", "app", "outbox", "run"]


def start_workers(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(WORKER, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(count)
    ]


def wait_for(condition, workers: list[subprocess.Popen[bytes]], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for worker in workers:
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        assert time.monotonic() < deadline, "the workers did not finish in time"
        time.sleep(0.05)


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        if worker.stderr:
            worker.stderr.close()


def test_two_workers_side_by_side_send_each_message_exactly_once(fresh_database_url, tmp_path) -> None:
    """At the default pace (10 SMS a second) a batch takes longer than OUTBOX_STALE_SECONDS here:
    the lease, not luck, keeps the other worker's hands off it."""
    numbers = queue(fresh_database_url, 120)
    fake = FakeTwilioApi(ACCOUNT, AUTH_TOKEN).start()
    env = worker_env(fresh_database_url, fake, tmp_path, OUTBOX_STALE_SECONDS="3")
    workers = start_workers(2, env)
    try:
        wait_for(lambda: statuses(fresh_database_url) == {SENT: 120}, workers)
        # Both kept running, reconciling now and then: nothing more may reach the provider.
        idle_until = time.monotonic() + 4
        while time.monotonic() < idle_until:
            time.sleep(0.1)
    finally:
        stop(workers)
        fake.stop()
    assert Counter(m["to"] for m in fake.messages) == Counter(numbers)


def test_two_workers_one_killed_mid_broadcast_send_each_message_exactly_once(fresh_database_url, tmp_path) -> None:
    numbers = queue(fresh_database_url, 300)
    fake = FakeTwilioApi(ACCOUNT, AUTH_TOKEN, delay=0.01).start()
    env = worker_env(fresh_database_url, fake, tmp_path, SMS_PER_SECOND="0", OUTBOX_STALE_SECONDS="3")
    workers = start_workers(2, env)
    try:
        wait_for(lambda: len(fake.messages) >= 60, workers)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        wait_for(lambda: statuses(fresh_database_url) == {SENT: 300}, workers[1:])
    finally:
        stop(workers)
        fake.stop()
    assert Counter(m["to"] for m in fake.messages) == Counter(numbers)


def test_a_worker_that_was_paused_past_its_lease_sends_nothing_and_gives_the_message_back(
    app, session, provider
) -> None:
    """A worker stopped (SIGSTOP, a frozen VM) longer than half of OUTBOX_STALE_SECONDS may have
    been taken over: when it wakes it does not send what it claimed before, it queues it again."""
    queue(app.config["DATABASE_URL"], 1)
    with app.app_context():
        paused = cli.make_worker()
        claimed = paused.claim()
        paused.last_beat -= paused.stale.total_seconds()  # what a pause looks like from inside
        paused.record([paused.attempt(claimed[0])])
        assert provider.messages == []
        assert statuses(app.config["DATABASE_URL"]) == {QUEUED: 1}
        paused.beat()
        assert paused.work() == 1
    assert statuses(app.config["DATABASE_URL"]) == {SENT: 1}
    assert len(provider.messages) == 1


def test_a_worker_waits_out_a_database_that_is_away_for_a_moment(app, session, provider, caplog) -> None:
    """A lock wait or a failover ends one round with an error; the worker goes on (it died before)."""
    from sqlalchemy.exc import OperationalError

    from worker.sending import run

    class Done(Exception):
        pass

    queue(app.config["DATABASE_URL"], 1)
    with app.app_context():
        worker = cli.make_worker()
        real_work, failures = worker.work, [OperationalError("claim", {}, Exception("lock timeout"))]

        def work() -> int:
            if failures:
                raise failures.pop()
            return real_work()

        def chores() -> None:
            raise Done

        worker.work = work
        with pytest.raises(Done):
            run(worker, idle_sleep=0, chores=chores)
    assert statuses(app.config["DATABASE_URL"]) == {SENT: 1}
    assert "outbox worker: the database did not answer; trying again shortly: OperationalError" in caplog.text

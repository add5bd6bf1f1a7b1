"""News calls on the scale path: how fast 100,000 calls are queued, how closely the worker keeps to
CALLS_PER_SECOND, and what a worker placing calls costs in memory.

Each round, on a fresh, never analysed database (PostgreSQL: the schema is dropped and migrated
again, as on the day a town starts), with the demo content, on a Tuesday at 10 o'clock:

- enqueue: the SMS broadcast of an announcement to as many SMS subscribers (the baseline, on a
  database of its own), the same broadcast to the call subscribers (outbox.broadcast queues the
  calls since news calls exist; target < 5 s), and news_calls.queue_news alone (target < 5 s);
- pacing and memory: `flask outbox run` (tests/worker/clocked_worker.py: its clock moved to that
  Tuesday morning, so the calls are in their window whenever this runs) places the queued calls
  through the real twilio client to a fake of Twilio's API on loopback, for a minute at each
  rate; placed calls per second are measured at the fake's receive times over that minute (from
  its first call to its last; target within 5 % of the setting), with the longest gap between
  two calls, and the worker's peak memory is read when it is stopped (target < 150 MB).

Three quarters of the subscribers want a morning call (the ones due then), a quarter German,
the rest English; none has a call yet.

Run: make bench   (or .venv/bin/python benchmarks/news_calls.py --rounds 1 --rates 5)
     --database postgresql://…/scratch for PostgreSQL (its public schema is dropped: a scratch database only)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from content import db, demo, migrate, news_calls, outbox, queries  # noqa: E402
from content.models import (  # noqa: E402
    AFTERNOON,
    EVERY_ITEM,
    MORNING,
    SUBSCRIBED,
    Announcement,
    CallSubscriber,
    Subscriber,
)
from tests.fake_twilio_api import FakeTwilioApi  # noqa: E402
from tests.worker.clocked_worker import offset_to  # noqa: E402

ACCOUNT, TOKEN = "AC" + "c" * 32, "benchmark-token"
TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TARGET_SECONDS, TARGET_MB, TOLERANCE = 5.0, 150, 0.05
CHUNK = 10_000


def fresh(app: Flask, *, sms: int = 0, calls: int = 0) -> None:
    """A new schema with the demo content, sms SMS subscribers and calls call subscribers."""
    engine = app.extensions["content.engine"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        engine.dispose()
        Path(engine.url.database or "").unlink(missing_ok=True)
    migrate.upgrade(engine)
    with app.app_context():
        session = db.session()
        demo.load(session, TUESDAY.date())
        for start in range(0, sms, CHUNK):
            session.execute(
                insert(Subscriber),
                [
                    {"number": f"+49151{n:08d}", "language": "de" if n % 4 else "en", "status": SUBSCRIBED}
                    | {"topics": []}
                    for n in range(start, min(start + CHUNK, sms))
                ],
            )
        for start in range(0, calls, CHUNK):
            session.execute(insert(CallSubscriber), [subscriber(n) for n in range(start, min(start + CHUNK, calls))])
        session.commit()


def subscriber(n: int) -> dict[str, object]:
    return {
        "number": f"+49631{n:07d}",
        "language": "de" if n % 4 else "en",
        "frequency": EVERY_ITEM,
        "window": AFTERNOON if n % 4 == 3 else MORNING,
        "machine_is_enough": True,
        "consent_at": TUESDAY,
        "consent_channel": news_calls.CONSENT_CHANNEL,
        "consent_wording": "Ja, rufen Sie mich an.",
        "created_at": TUESDAY,
        "updated_at": TUESDAY,
    }


def timed_broadcast(app: Flask) -> float:
    """outbox.broadcast of the newest announcement, as staff send it (with its commit)."""
    with app.app_context():
        session = db.session()
        item = session.scalars(select(Announcement).order_by(Announcement.id).limit(1)).one()
        languages = [language.code for language in queries.town_profile(session).languages]
        started = time.perf_counter()
        outbox.broadcast(session, item, languages=languages, author="benchmark", now=TUESDAY)
        session.commit()
        return time.perf_counter() - started


def timed_queue_news(app: Flask) -> float:
    """news_calls.queue_news alone (with its commit)."""
    with app.app_context():
        session = db.session()
        item = session.scalars(select(Announcement).order_by(Announcement.id).limit(1)).one()
        profile = queries.town_profile(session)
        started = time.perf_counter()
        news_calls.queue_news(session, item, profile, broadcast_id=None, now=TUESDAY)
        session.commit()
        return time.perf_counter() - started


@dataclass
class Pacing:
    placed_per_second: float
    longest_gap: float
    peak_mb: float


def placing(url: str, instance: str, rate: float, seconds: float) -> Pacing:
    """A worker placing the queued calls at rate for `seconds` after its first call."""
    offset = offset_to(TUESDAY)
    fake = FakeTwilioApi(ACCOUNT, TOKEN, clock=lambda: datetime.now(UTC) + timedelta(seconds=offset)).start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HOTLINE_INSTANCE_PATH": instance,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_PHONE_NUMBER": "+496313651000",
        "TWILIO_API_BASE_URL": fake.url,
        "PUBLIC_BASE_URL": "https://hotline.example.org",
        "SECRET_KEY": "benchmark",
        "PSEUDONYM_KEY": "benchmark",
        "CALLS_PER_SECOND": str(rate),
        # As the Procfile starts the worker (one heap for its threads, not one each).
        "MALLOC_ARENA_MAX": "2",
    }
    command = [sys.executable, "-m", "tests.worker.clocked_worker", "--offset", str(offset)]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not fake.calls and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.05)
    if not fake.calls:
        worker.kill()
        worker.wait()
        fake.stop()
        raise SystemExit("the worker placed no call: is the database empty, or the worker failing?")
    first = fake.calls[0]["received_at"]
    while time.monotonic() < first + seconds + 1:
        time.sleep(0.1)
    os.kill(worker.pid, signal.SIGKILL)
    _, status, usage = os.wait4(worker.pid, 0)
    worker.returncode = status
    fake.stop()
    # The calls of that minute, their rate measured from the first to the last of them: counting
    # them in a fixed minute would depend on where its edges fall between two calls.
    times = sorted(call["received_at"] for call in fake.calls if first <= call["received_at"] < first + seconds)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    return Pacing(rate, max(gaps, default=0.0), usage.ru_maxrss / 1024)


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def one_round(app: Flask, url: str, instance: str, number: int, subscribers: int, rates: list[float], seconds: float):
    fresh(app, sms=subscribers)
    baseline = timed_broadcast(app)
    fresh(app, calls=subscribers)
    both = timed_broadcast(app)
    fresh(app, calls=subscribers)
    alone = timed_queue_news(app)
    target = f"< {TARGET_SECONDS:g} s"
    print(
        f"round {number}: enqueue {subscribers:,}: SMS broadcast (baseline) {baseline:.2f} s; "
        f"call broadcast {both:.2f} s = {both / baseline:.2f}x ({verdict(both < TARGET_SECONDS)} {target}); "
        f"queue_news alone {alone:.2f} s = {alone / baseline:.2f}x ({verdict(alone < TARGET_SECONDS)} {target})",
        flush=True,
    )
    for rate in rates:
        pacing = placing(url, instance, rate, seconds)
        ratio = pacing.placed_per_second / rate
        print(
            f"round {number}: CALLS_PER_SECOND={rate:g}: {pacing.placed_per_second:.2f} placed/s over {seconds:g} s "
            f"= {ratio:.3f}x the setting ({verdict(abs(ratio - 1) <= TOLERANCE)} within {TOLERANCE:.0%}), "
            f"longest gap {pacing.longest_gap * 1000:.0f} ms (interval {1000 / rate:.0f} ms); "
            f"worker peak memory {pacing.peak_mb:.0f} MB ({verdict(pacing.peak_mb < TARGET_MB)} < {TARGET_MB})",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000, help="call subscribers per round")
    parser.add_argument("--rates", type=float, nargs="+", default=[5, 20], help="CALLS_PER_SECOND to measure")
    parser.add_argument("--seconds", type=float, default=60, help="how long each rate is measured")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", help="a scratch PostgreSQL URL: its public schema is DROPPED; default: SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        # Never DATABASE_URL from the environment: on a server that is the town's data.
        url = args.database or "sqlite:///" + str(Path(instance) / "news_calls.db")
        settings = {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "b", "PSEUDONYM_KEY": "b"}
        app = create_app({**settings, "TWILIO_AUTH_TOKEN": TOKEN, "CLOCK": lambda: TUESDAY})
        dialect = app.extensions["content.engine"].dialect.name
        print(f"database {dialect} (fresh for each enqueue), fake Twilio API on loopback, a Tuesday at 10 o'clock")
        for number in range(1, args.rounds + 1):
            one_round(app, url, instance, number, args.subscribers, args.rates, args.seconds)
        app.extensions["content.engine"].dispose()


if __name__ == "__main__":
    main()

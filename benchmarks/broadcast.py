"""A broadcast on the scale path: exactly once, how fast, and what a worker costs.

For each number of subscribers and of workers, on a fresh, never analysed database (PostgreSQL:
the schema is dropped and migrated again, as on the day a town starts): queue an announcement
for every subscriber (flask news send's code), run that many `flask outbox run --until-idle`
processes side by side against a fake of Twilio's API on loopback with pacing off, and count what
reached the provider. Prints per run:

- messages at the provider per recipient (must be exactly 1.00) and recipients without one (0);
- messages per second per worker (target >= 1,000), and the worker's CPU time per message, the
  steadier figure on a shared machine (the fake provider runs in this process and competes for
  the same cores: with several workers it, not the worker, is the limit);
- each worker's peak memory (target < 150 MB, and flat from 20,000 to 100,000 messages).

Run: make bench   (or .venv/bin/python benchmarks/broadcast.py --sizes 10000 --workers 1 2)
     --database postgresql://…/scratch for PostgreSQL (its public schema is dropped: a scratch database only)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from content import db, demo, migrate, outbox  # noqa: E402
from content.models import SUBSCRIBED, Announcement, Subscriber  # noqa: E402
from tests.fake_twilio_api import FakeTwilioApi  # noqa: E402

ACCOUNT, TOKEN = "AC" + "b" * 32, "benchmark-token"
TARGET_RATE, TARGET_MB = 1000, 150


def fresh(app: Flask, subscribers: int) -> list[str]:
    """A new schema with the demo content and subscribers; returns their numbers."""
    engine = app.extensions["content.engine"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        engine.dispose()
        Path(engine.url.database or "").unlink(missing_ok=True)
    migrate.upgrade(engine)
    numbers = [f"+49151{n:08d}" for n in range(subscribers)]
    with app.app_context():
        session = db.session()
        demo.load(session, app.config["CLOCK"]().date())
        for start in range(0, subscribers, 10_000):
            rows: list[dict[str, object]] = [
                {"number": number, "language": "de" if n % 4 else "en", "status": SUBSCRIBED, "topics": []}
                for n, number in enumerate(numbers[start : start + 10_000], start)
            ]
            session.execute(insert(Subscriber), rows)
        session.commit()
    return numbers


def enqueue(app: Flask) -> float:
    with app.app_context():
        session = db.session()
        announcement = session.scalars(select(Announcement).order_by(Announcement.id).limit(1)).one()
        started = time.perf_counter()
        outbox.broadcast(session, announcement, languages=["de", "en"], author="benchmark", now=app.config["CLOCK"]())
        session.commit()
        return time.perf_counter() - started


@dataclass
class Run:
    seconds: float
    peak_mb: list[float]
    cpu_seconds: list[float]


def run_workers(count: int, env: dict[str, str]) -> Run:
    """Run count workers until nothing is left: the time taken, each one's peak memory and CPU."""
    command = [sys.executable, "-m", "flask", "--app", "app", "outbox", "run", "--until-idle"]
    started = time.perf_counter()
    workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL) for _ in range(count)]
    peaks, cpu = [], []
    for worker in workers:
        _, status, usage = os.wait4(worker.pid, 0)
        worker.returncode = status
        peaks.append(usage.ru_maxrss / 1024)
        cpu.append(usage.ru_utime + usage.ru_stime)
    return Run(time.perf_counter() - started, peaks, cpu)


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def one_run(app: Flask, url: str, instance: str, subscribers: int, workers: int) -> None:
    numbers = fresh(app, subscribers)
    seconds = enqueue(app)
    fake = FakeTwilioApi(ACCOUNT, TOKEN).start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HOTLINE_INSTANCE_PATH": instance,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_PHONE_NUMBER": "+496313651000",
        "TWILIO_API_BASE_URL": fake.url,
        "PUBLIC_BASE_URL": "https://hotline.example.org",  # where news calls would be answered (none here)
        "SECRET_KEY": "benchmark",
        "PSEUDONYM_KEY": "benchmark",
        "SMS_PER_SECOND": "0",
        # As the Procfile starts the worker (one heap for its threads, not one each).
        "MALLOC_ARENA_MAX": "2",
    }
    run = run_workers(workers, env)
    fake.stop()
    reached = Counter(message["to"] for message in fake.messages)
    per_recipient = sum(reached.values()) / len(numbers)
    lost = sum(1 for number in numbers if number not in reached)
    rate = sum(reached.values()) / run.seconds / workers
    cpu_ms = sum(run.cpu_seconds) * 1000 / max(sum(reached.values()), 1)
    print(
        f"{subscribers:>7,} messages, {workers} worker(s): enqueued in {seconds:.1f} s; "
        f"at the provider per recipient {per_recipient:.2f} ({verdict(per_recipient == 1.0)}), lost {lost}; "
        f"{rate:,.0f}/s per worker ({verdict(rate >= TARGET_RATE)} >= {TARGET_RATE:,}); "
        f"worker CPU {cpu_ms:.2f} ms per message (= {1000 / cpu_ms:,.0f}/s per busy core); "
        f"peak memory {', '.join(f'{peak:.0f}' for peak in run.peak_mb)} MB "
        f"({verdict(max(run.peak_mb) < TARGET_MB)} < {TARGET_MB})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 100_000], help="subscribers per run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="workers side by side per run")
    parser.add_argument("--database", help="a scratch PostgreSQL URL: its public schema is DROPPED; default: SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        # Never DATABASE_URL from the environment: on a server that is the town's data.
        url = args.database or "sqlite:///" + str(Path(instance) / "broadcast.db")
        settings = {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "b", "PSEUDONYM_KEY": "b"}
        app = create_app({**settings, "TWILIO_AUTH_TOKEN": TOKEN})
        dialect = app.extensions["content.engine"].dialect.name
        # Several workers are the PostgreSQL path; SQLite has one writer.
        workers = args.workers if dialect == "postgresql" else [1]
        print(f"database {dialect} (fresh for each run), fake Twilio API on loopback, pacing off")
        for subscribers in args.sizes:
            for count in workers:
                one_run(app, url, instance, subscribers, count)
        app.extensions["content.engine"].dispose()


if __name__ == "__main__":
    main()

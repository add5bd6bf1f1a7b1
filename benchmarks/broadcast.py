"""How fast a broadcast to 100,000 subscribers is queued and sent, and what the worker costs.

Queues an announcement for N subscribers (flask news send's code, timed in this process), then
runs the outbox worker (flask outbox run --until-idle, a separate process) against a fake of
Twilio's API on loopback with pacing off: one worker, then two side by side on PostgreSQL. Prints
the enqueue time, messages per second per worker, and each worker's peak memory, with the
targets of issue 3: enqueue < 10 s, >= 500 messages/s per worker, worker memory < 200 MB and flat
in the number of subscribers (compare a run with --subscribers 10000).

Run: make bench   (or .venv/bin/python benchmarks/broadcast.py --subscribers 100000)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from content import db, demo, migrate, outbox  # noqa: E402
from content.models import SUBSCRIBED, Announcement, OutboundMessage, Subscriber  # noqa: E402
from tests.fake_twilio_api import FakeTwilioApi  # noqa: E402

ACCOUNT, TOKEN = "AC" + "b" * 32, "benchmark-token"


def prepare(app, subscribers: int) -> None:
    engine = app.extensions["content.engine"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    with app.app_context():
        session = db.session()
        demo.load(session, app.config["CLOCK"]().date())
        rows: list[dict[str, object]] = [
            {
                "number": f"+49151{n:08d}",
                "language": "de" if n % 4 else "en",
                "status": SUBSCRIBED,
                "topics": [],
                "channel": "sms",
            }
            for n in range(subscribers)
        ]
        for start in range(0, len(rows), 10_000):
            session.execute(insert(Subscriber), rows[start : start + 10_000])
        session.commit()


def enqueue(app) -> float:
    with app.app_context():
        session = db.session()
        announcement = session.scalars(select(Announcement).order_by(Announcement.id).limit(1)).one()
        started = time.perf_counter()
        outbox.broadcast(session, announcement, languages=["de", "en"], author="benchmark", now=app.config["CLOCK"]())
        session.commit()
        return time.perf_counter() - started


def run_workers(count: int, env: dict[str, str]) -> tuple[float, list[float]]:
    """Run count workers until nothing is left; return the seconds taken and each one's peak MB."""
    command = [sys.executable, "-m", "flask", "--app", "app", "outbox", "run", "--until-idle"]
    started = time.perf_counter()
    workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL) for _ in range(count)]
    peaks = []
    for worker in workers:
        _, status, usage = os.wait4(worker.pid, 0)
        worker.returncode = status
        peaks.append(usage.ru_maxrss / 1024)
    return time.perf_counter() - started, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    args = parser.parse_args()
    fake = FakeTwilioApi(ACCOUNT, TOKEN).start()
    with tempfile.TemporaryDirectory() as instance:
        url = os.environ.get("DATABASE_URL") or "sqlite:///" + str(Path(instance) / "broadcast.db")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "HOTLINE_INSTANCE_PATH": instance,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_PHONE_NUMBER": "+496313651000",
            "TWILIO_API_BASE_URL": fake.url,
            "SECRET_KEY": "benchmark",
            "PSEUDONYM_KEY": "benchmark",
            "SMS_PER_SECOND": "0",
        }
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": instance,
                "TWILIO_AUTH_TOKEN": TOKEN,
                "SECRET_KEY": "b",
                "PSEUDONYM_KEY": "b",
            }
        )
        prepare(app, args.subscribers)
        print(
            f"{args.subscribers} subscribers, database {app.extensions['content.engine'].dialect.name}, "
            "fake Twilio API on loopback, pacing off"
        )
        seconds = enqueue(app)
        print(
            f"enqueue: {seconds:.2f} s ({args.subscribers / seconds:,.0f} rows/s)  "
            f"target < 10 s: {'meets' if seconds < 10 else 'MISSES'}"
        )
        runs = [1, 2] if app.extensions["content.engine"].dialect.name == "postgresql" else [1]
        for count in runs:
            if count > 1:  # send the same broadcast again, to the same subscribers, with two workers
                enqueue(app)
            before = len(fake.messages)
            elapsed, peaks = run_workers(count, env)
            sent = len(fake.messages) - before
            rate = sent / elapsed / count
            print(
                f"{count} worker(s): {sent} messages in {elapsed:.1f} s = {rate:,.0f} per second per worker "
                f"(target >= 500: {'meets' if rate >= 500 else 'MISSES'}); peak memory "
                + ", ".join(f"{peak:.0f} MB" for peak in peaks)
                + f" (target < 200 MB: {'meets' if max(peaks) < 200 else 'MISSES'})"
            )
        with app.app_context():
            left = db.session().scalar(
                select(func.count()).select_from(OutboundMessage).where(OutboundMessage.status != "sent")
            )
        print(f"messages not sent: {left}")
        app.extensions["content.engine"].dispose()
    fake.stop()


if __name__ == "__main__":
    main()

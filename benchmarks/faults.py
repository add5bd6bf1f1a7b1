"""Faults and hostile input against the real server: does every webhook still answer in time?

Starts the app as in production (gunicorn with gunicorn.conf.py) on each of these databases and
sends it signed webhooks, as Twilio would:

- healthy SQLite, and healthy PostgreSQL (with --postgres URL; its public schema is dropped):
  200 concurrent webhooks (calls, menu keys, "subscribe", SMS keywords, delivery reports) from
  a handful of repeated numbers;
- hung database (a PostgreSQL address that accepts connections and never answers);
- refused database (nothing listens);
- read-only disk and full disk (SQLite on a small tmpfs, remounted read-only or filled up;
  needs root to mount, otherwise reported as not measured);
- hostile: at least 10,000 signed requests with garbage in every field, path and query.

For each it prints: requests, answers within 10 s, apologies, server errors (a 5xx other than the
delivery report's deliberate 503 during an outage), TwiML that is not well-formed, and the
slowest answer. Targets: every webhook answered within 10 s, 0 server errors, 0 broken TwiML,
apologies only where the database is truly unavailable (all of them when it is hung or refused;
only for writes when the disk fills up under the running service or the service starts on a
read-only disk; none when healthy). Each kind of webhook is
about a fifth of the traffic; delivery reports are answered 503 without a word during an
outage, the others with an apology.

Run: .venv/bin/python benchmarks/faults.py [--postgres postgresql://…/scratch] [--hostile 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import urllib3
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.actions import ACTIONS  # noqa: E402
from ivr.nodes import NODES  # noqa: E402

TOKEN = "faults-auth-token"
IN_TIME = 10.0
APOLOGY = "technisches Problem"
NUMBERS = [f"+4915100000{n:03d}" for n in range(10)]
VENV = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Figures:
    requests: int = 0
    in_time: int = 0
    apologies: int = 0
    server_errors: int = 0
    broken_twiml: int = 0
    slowest: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int, seconds: float, body: bytes, kind: str) -> None:
        deliberate = path.startswith("/sms/status") and status == 503
        broken = False
        if status == 200 and "xml" in kind:
            try:
                broken = ET.fromstring(body).tag != "Response"
            except ET.ParseError:
                broken = True
        with self.lock:
            self.requests += 1
            self.in_time += seconds <= IN_TIME
            self.apologies += APOLOGY in body.decode("utf-8", "replace")
            self.server_errors += status >= 500 and not deliberate
            self.broken_twiml += broken
            self.slowest = max(self.slowest, seconds)

    def line(self, name: str) -> str:
        return (
            f"{name:<28} {self.requests:>6} requests, {self.in_time:>6} answered within {IN_TIME:g} s, "
            f"{self.apologies:>6} apologies, {self.server_errors} server errors, {self.broken_twiml} broken TwiML, "
            f"slowest {self.slowest:.1f} s"
        )


class Server:
    """The app under gunicorn, as the Procfile runs it."""

    def __init__(self, database_url: str, instance: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "HOTLINE_INSTANCE_PATH": str(instance),
            "TWILIO_AUTH_TOKEN": TOKEN,
            "SECRET_KEY": "faults",
            "PSEUDONYM_KEY": "faults",
            "PUBLIC_BASE_URL": self.base,
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            "WEB_THREADS": "8",
        }
        self.http = urllib3.PoolManager(maxsize=64, retries=False)
        self.signer = RequestValidator(TOKEN)

    def flask(self, *args: str) -> None:
        subprocess.run(
            [str(VENV / "flask"), "--app", "app", *args], cwd=ROOT, env=self.env, check=True, capture_output=True
        )

    @contextlib.contextmanager
    def running(self) -> Iterator[Server]:
        command = [
            str(VENV / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "app:create_app()",
        ]
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 60
            while self.post("/voice/fallback", {})[0] != 200:  # needs no database
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start")
                time.sleep(0.2)
            yield self
        finally:
            process.terminate()
            process.wait(timeout=30)

    def post(self, path: str, params: dict[str, str]) -> tuple[int, float, bytes, str]:
        url = self.base + path
        signature = self.signer.compute_signature(url, params)
        started = time.monotonic()
        try:
            answer = self.http.request(
                "POST",
                url,
                body=urlencode(params),
                headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=30,
            )
        except urllib3.exceptions.HTTPError:
            return 0, time.monotonic() - started, b"", ""
        return answer.status, time.monotonic() - started, answer.data, answer.headers.get("Content-Type", "")


def traffic(count: int) -> list[tuple[str, dict[str, str]]]:
    """What a busy hour looks like, squeezed together: repeated numbers, every kind of webhook."""
    randomly = random.Random(11)
    requests = []
    for n in range(count):
        number = randomly.choice(NUMBERS)
        call = {"CallSid": f"CA{n:032d}", "From": number, "To": "+496313651000"}
        requests += [
            ("/voice", call),
            ("/voice/main", {**call, "Digits": randomly.choice("12345")}),
            ("/voice/subscribe-now", call),
            ("/sms", {"MessageSid": f"SM{n:032d}", "From": number, "Body": randomly.choice(["START", "NEU", "STOP"])}),
            ("/sms/status?outbox=1", {"MessageSid": f"SM{n:032d}", "MessageStatus": "delivered"}),
        ]
    randomly.shuffle(requests)
    return requests[:count]


GARBAGE = [
    "",
    " ",
    "\x00",
    "\x0c\x1b",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "\ufffe",
    "<Say>x</Say>",
    "]]>&amp;<",
    "'; DROP TABLE subscriber; --",
    "+999999999999999",
    "+4915112345678" * 40,
    "-1",
    "99999999999999999999999",
    "NaN",
    "١٢٣",
    "ÄÖÜß" * 500,
    "x" * 20_000,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "%00%2F%C3%A4",
    "anonymous",
]
FIELDS = [
    "CallSid", "From", "To", "Digits", "SpeechResult", "Confidence", "CallStatus", "DialCallStatus",
    "RecordingSid", "RecordingUrl", "RecordingDuration", "RecordingStatus", "MessageSid", "Body",
    "MessageStatus", "ErrorCode", "OptOutType", "NumMedia", "AccountSid",
]  # fmt: skip


def hostile(count: int) -> list[tuple[str, dict[str, str]]]:
    randomly = random.Random(13)
    paths = ["/voice", "/voice/dialled", "/voice/recorded", "/voice/recording-status", "/sms", "/sms/status"]
    paths += [f"/voice/{name}" for name in [*NODES, *ACTIONS, "nowhere", "m%C3%A4in", "..%2F..%2Fetc"]]
    queries = ["", "?lang=xx", "?item=-5&repeats=999999", "?choice=%00", "?outbox=1e9", "?outbox=99999999999999999999"]
    requests = []
    for _ in range(count):
        params = {name: randomly.choice(GARBAGE) for name in randomly.sample(FIELDS, randomly.randint(0, 8))}
        for _ in range(randomly.randint(0, 2)):
            params[randomly.choice(GARBAGE)[:30] or "x"] = randomly.choice(GARBAGE)
        requests.append((randomly.choice(paths) + randomly.choice(queries), params))
    return requests


def measure(server: Server, requests: list[tuple[str, dict[str, str]]], concurrency: int) -> Figures:
    figures = Figures()

    def one(request: tuple[str, dict[str, str]]) -> None:
        path, params = request
        figures.add(path, *server.post(path, params))

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, requests))
    return figures


@contextlib.contextmanager
def silent_database() -> Iterator[str]:
    """A PostgreSQL address that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    listener.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"postgresql://hotline@127.0.0.1:{listener.getsockname()[1]}/hotline"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


@contextlib.contextmanager
def small_disk(size: str) -> Iterator[Path | None]:
    """A tmpfs of size, or None where this user may not mount one."""
    mount = Path(tempfile.mkdtemp(prefix="hotline-disk-"))
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    ).returncode:
        mount.rmdir()
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def prepared(database_url: str, instance: Path) -> Server:
    server = Server(database_url, instance)
    server.flask("db", "upgrade")
    server.flask("demo", "load")
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="a scratch PostgreSQL URL: its public schema is DROPPED")
    parser.add_argument("--hostile", type=int, default=10_000, help="how many hostile requests to send")
    args = parser.parse_args()
    print(f"gunicorn, 2 processes x 8 threads; signed webhooks; answered in time = within {IN_TIME:g} s")
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        healthy = prepared(f"sqlite:///{home / 'healthy.db'}", home / "healthy")
        with healthy.running():
            print(measure(healthy, traffic(200), concurrency=200).line("healthy SQLite, 200 at once"), flush=True)
            print(measure(healthy, hostile(args.hostile), concurrency=16).line("hostile, SQLite"), flush=True)
        if args.postgres:
            subprocess.run(
                [str(VENV / "python"), "-c", DROP_SCHEMA, args.postgres], check=True, cwd=ROOT, capture_output=True
            )
            postgres = prepared(args.postgres, home / "postgres")
            with postgres.running():
                print(measure(postgres, traffic(200), concurrency=200).line("healthy PostgreSQL, 200 at once"))
                print(measure(postgres, hostile(args.hostile), concurrency=16).line("hostile, PostgreSQL"), flush=True)
        with silent_database() as hung, Server(hung, home / "hung").running() as server:
            print(measure(server, traffic(200), concurrency=200).line("hung database"), flush=True)
        with Server("postgresql://hotline@127.0.0.1:1/hotline", home / "refused").running() as server:
            print(measure(server, traffic(200), concurrency=200).line("refused database"), flush=True)
        with small_disk("8m") as disk:
            if disk is None:
                print("read-only disk, full disk: not measured (mounting a tmpfs needs root)")
                return
            server = prepared(f"sqlite:///{disk / 'hotline.db'}", home / "disk")
            with server.running():  # the disk fills up while the service runs
                measure(server, traffic(20), concurrency=4)
                filler = disk / "filler"
                subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False)
                print(measure(server, traffic(200), concurrency=200).line("full disk"), flush=True)
            filler.unlink()
            # A disk cannot become read-only while files on it are open for writing: the service
            # starts on one.
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            with server.running():
                print(measure(server, traffic(200), concurrency=200).line("read-only disk"), flush=True)


DROP_SCHEMA = """
import sys
from sqlalchemy import create_engine, text
from content.db import database_url
engine = create_engine(database_url(sys.argv[1], ""))
with engine.begin() as connection:
    connection.execute(text("DROP SCHEMA public CASCADE"))
    connection.execute(text("CREATE SCHEMA public"))
"""

if __name__ == "__main__":
    main()

"""How much the hotline costs over the bare minimum, on the production server settings.

Starts two gunicorn servers with the Procfile's settings (gunicorn.conf.py): the hotline app on
a migrated demo database, and a bare Flask app with the same signature check that returns
constant TwiML. Then, alternately and in the same run, many concurrent keep-alive clients on
loopback send signed webhooks: an incoming call (each from a different number, so each call
notes a visit) and a news item. Prints requests per second, p50 and p99 for both, and the ratio
hotline / bare. Targets (issue 2): ratio >= 0.7 and p99 < 50 ms at 32 clients, zero errors.

Run: make bench   (or .venv/bin/python benchmarks/webhooks.py --clients 32 --seconds 5 --rounds 3)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

TOKEN = "benchmark-auth-token"
PUBLIC = "https://hotline.example.org"
SCENARIOS = {
    "incoming call": "/voice",
    "news item": "/voice/news?item=2",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def signed_requests(path: str, port: int, count: int) -> list[bytes]:
    """Raw HTTP requests, each signed as Twilio signs it, each from a different caller."""
    validator = RequestValidator(TOKEN)
    requests = []
    for n in range(count):
        params = {"CallSid": f"CA{n:032d}", "From": f"+49151{n:08d}", "To": "+496313651000"}
        if "news" in path:
            params["Digits"] = "1"
        body = urlencode(params).encode()
        signature = validator.compute_signature(PUBLIC + path, params)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nX-Twilio-Signature: {signature}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


async def client(
    port: int, requests: list[bytes], offset: int, until: float, latencies: list[float], errors: list[str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = offset
    while time.perf_counter() < until:
        request = requests[n % len(requests)]
        n += 1
        started = time.perf_counter()
        writer.write(request)
        status_line = await reader.readline()
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                close = True
        body = await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if b" 200 " not in status_line or b"<Say" not in body:
            errors.append(status_line.decode().strip())
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def load(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    requests = signed_requests(path, port, 2000)
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(port, requests, i * 50, until, latencies, errors) for i in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": len(errors),
    }


WRK_SCRIPT = """
requests = {}
counter = 0
function init(args)
  for i, line in ipairs(dofile(args[1])) do
    requests[i] = wrk.format("POST", line[1], {["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = line[2]}, line[3])
  end
end
function request()
  counter = counter % #requests + 1
  return requests[counter]
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %f %f %f %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def wrk_load(port: int, path: str, clients: int, seconds: float, workdir: Path) -> dict[str, float]:
    """The same load from wrk (written in C), which leaves the cores to the servers."""
    validator = RequestValidator(TOKEN)
    lines = []
    for n in range(2000):
        params = {"CallSid": f"CA{n:032d}", "From": f"+49151{n:08d}", "To": "+496313651000"}
        if "news" in path:
            params["Digits"] = "1"
        signature = validator.compute_signature(PUBLIC + path, params)
        lines.append(f'{{"{path}", "{signature}", "{urlencode(params)}"}}')
    data, script = workdir / "requests.lua", workdir / "signed.lua"
    data.write_text("return {" + ",\n".join(lines) + "}\n")
    script.write_text(WRK_SCRIPT)
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
            "--",
            str(data),
        ],
        capture_output=True,
        text=True,
    )
    if "RESULT " not in output.stdout:
        raise RuntimeError(f"wrk failed: {output.stderr or output.stdout}")
    requests, duration, p50, p99, errors = output.stdout.split("RESULT ")[1].split()
    return {
        "requests": int(requests),
        "rps": int(requests) / float(duration),
        "p50_ms": float(p50),
        "p99_ms": float(p99),
        "errors": int(errors),
    }


def start_server(target: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "/dev/null",
        target,
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except urllib.error.HTTPError:
            return server  # the bare app has no /healthz: it answers 404, so it is up
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"{target} did not start: {server.stderr.read().decode() if server.stderr else ''}")


def prepare_database(env: dict[str, str]) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*flask, "demo", "load", "--if-empty"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(port: int, path: str, clients: int, seconds: float, workdir: Path) -> dict[str, float]:
    if shutil.which("wrk"):
        return wrk_load(port, path, clients, seconds, workdir)
    return asyncio.run(load(port, path, clients, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent keep-alive clients")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of each server")
    parser.add_argument(
        "--database", help="a scratch database URL (the demo is loaded into it); default: a new SQLite file"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as instance:
        env = {
            **os.environ,
            # Never DATABASE_URL from the environment: on a server that is the town's data.
            "DATABASE_URL": args.database or "sqlite:///" + str(Path(instance) / "bench.db"),
            "HOTLINE_INSTANCE_PATH": instance,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PUBLIC_BASE_URL": PUBLIC,
            "SECRET_KEY": "benchmark",
            "PSEUDONYM_KEY": "benchmark",
            "PYTHONPATH": str(ROOT),
        }
        prepare_database(env)
        ports = {"hotline": free_port(), "bare": free_port()}
        servers = [
            start_server("app:create_app()", ports["hotline"], env),
            start_server("benchmarks.bare_app:create_bare_app()", ports["bare"], env),
        ]
        try:
            results: dict[tuple[str, str], list[dict[str, float]]] = {}
            for scenario, path in SCENARIOS.items():
                for name in ("bare", "hotline"):  # warm up
                    measure(ports[name], path, args.clients, 1.0, Path(instance))
                for _ in range(args.rounds):
                    for name in ("bare", "hotline"):
                        run = measure(ports[name], path, args.clients, args.seconds, Path(instance))
                        results.setdefault((scenario, name), []).append(run)
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    report(results, args)


def report(results: dict[tuple[str, str], list[dict[str, float]]], args: argparse.Namespace) -> None:
    client = "wrk" if shutil.which("wrk") else "a Python asyncio client (install wrk for steadier figures)"
    print(f"load from {client}")
    print(
        f"gunicorn ({ROOT / 'gunicorn.conf.py'}), {args.clients} concurrent keep-alive clients on loopback, "
        f"{args.rounds} alternating rounds of {args.seconds:.0f} s, database {args.database or 'SQLite'}"
    )
    print(f"{'scenario':<15} {'server':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    summary = {}
    for scenario in SCENARIOS:
        merged = {}
        for name in ("bare", "hotline"):
            runs = results[(scenario, name)]
            merged[name] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                "p99_ms": max(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
            }
            m = merged[name]
            print(
                f"{scenario:<15} {name:<8} {m['rps']:>8.0f} {m['p50_ms']:>8.1f} {m['p99_ms']:>8.1f} {m['errors']:>7.0f}"
            )
        # Each round measured bare, then hotline, back to back: the ratio of each pair cancels
        # the drift of a shared machine; the median of the pairs is the figure.
        pairs = zip(results[(scenario, "hotline")], results[(scenario, "bare")], strict=True)
        ratio = statistics.median(hotline["rps"] / bare["rps"] for hotline, bare in pairs)
        verdict = (
            "meets"
            if ratio >= 0.7 and merged["hotline"]["p99_ms"] < 50 and not merged["hotline"]["errors"]
            else "MISSES"
        )
        print(
            f"{scenario:<15} ratio hotline/bare = {ratio:.2f}  "
            f"({verdict} the target: ratio >= 0.7, p99 < 50 ms, no errors)"
        )
        summary[scenario] = {
            "ratio": round(ratio, 3),
            **{k: {kk: round(vv, 1) for kk, vv in v.items()} for k, v in merged.items()},
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

"""How much the hotline costs over the bare minimum, on the production server settings.

Starts two gunicorn servers with the Procfile's settings (gunicorn.conf.py): the hotline app on
a migrated demo database, and a bare Flask app with the same signature check that returns
constant TwiML. Then, alternately and in the same run, many concurrent keep-alive clients on
loopback send signed webhooks: an incoming call (each from a different number, so each call
notes a visit) and a news item. Prints requests per second, p50 and p99 for both, and the ratio
hotline / bare. Targets (issue 2): ratio >= 0.7 and p99 < 50 ms at 32 clients, zero errors.

Then the cost of the usage figures (issue 15): the same app with and without its usage log
(benchmarks/without_usage.py; production has no switch), in rounds that alternate which goes
first, for an incoming call, an SMS keyword and the start page. Prints, per round, the ratio of
requests per second (with / without) and the servers' CPU time per request (read from /proc for
the gunicorn master and its workers, which includes the thread that writes the events): on a
shared, noisy machine the CPU per request is the steadier figure. Target: within 5 %.

Run: make bench   (or .venv/bin/python benchmarks/webhooks.py --clients 32 --seconds 5 --rounds 3;
--only events for the usage figures' comparison alone, --only bare for the first)
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
# The usage figures' comparison: method, path, and what every good answer holds.
EVENT_SCENARIOS = {
    "incoming call": ("POST", "/voice", b"<Say"),
    "news item (key 1)": ("POST", "/voice/news?item=2", b"<Say"),
    "SMS keyword": ("POST", "/sms", b"<Message"),
    "start page": ("GET", "/", b"</html>"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def signed_requests(path: str, port: int, count: int, method: str = "POST") -> list[bytes]:
    """Raw HTTP requests, each signed as Twilio signs it, each from a different caller (or texter:
    NEU, without a message id, so that none is answered from the stored reply). A GET is a
    browser's: no signature."""
    if method == "GET":
        return [f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()] * count
    validator = RequestValidator(TOKEN)
    requests = []
    for n in range(count):
        params = {"CallSid": f"CA{n:032d}", "From": f"+49151{n:08d}", "To": "+496313651000"}
        if "news" in path:
            params["Digits"] = "1"
        if path.startswith("/sms"):
            params = {"From": f"+49151{n:08d}", "To": "+496313651000", "Body": "NEU"}
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
    port: int,
    requests: list[bytes],
    offset: int,
    until: float,
    latencies: list[float],
    errors: list[str],
    expected: bytes = b"<Say",
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
        if b" 200 " not in status_line or expected not in body:
            errors.append(status_line.decode().strip())
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def load(
    port: int, path: str, clients: int, seconds: float, method: str = "POST", expected: bytes = b"<Say"
) -> dict[str, float]:
    requests = signed_requests(path, port, 2000, method)
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(port, requests, i * 50, until, latencies, errors, expected) for i in range(clients)))
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


def cpu_seconds(master: int) -> float:
    """CPU time (user and system, all threads) of a gunicorn master and its workers so far."""
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(pid: str) -> list[str] | None:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        return text[text.rindex(")") + 2 :].split()  # after the command's name, which may hold spaces

    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        fields = stat(pid)
        # fields[1] is the parent's pid; fields[11] and [12] are utime and stime, in ticks.
        if fields is not None and (int(pid) == master or int(fields[1]) == master):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def measure_events(
    server: subprocess.Popen[bytes], port: int, scenario: str, clients: int, seconds: float
) -> dict[str, float]:
    """One round against one server, with the server's CPU time per request."""
    method, path, expected = EVENT_SCENARIOS[scenario]
    before = cpu_seconds(server.pid)
    run = asyncio.run(load(port, path, clients, seconds, method, expected))
    time.sleep(0.6)  # the usage log's writer flushes every 0.5 s: its last batch counts too
    run["cpu_ms"] = 1000 * (cpu_seconds(server.pid) - before) / max(1, run["requests"])
    return run


def compare_events(args: argparse.Namespace, env: dict[str, str], instance: Path) -> None:
    """The hotline with its usage log ("on") against the same app without it ("off")."""
    ports = {"on": free_port(), "off": free_port()}
    servers = {
        "on": start_server("app:create_app()", ports["on"], env),
        "off": start_server("benchmarks.without_usage:create_app_without_usage()", ports["off"], env),
    }
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        for scenario in EVENT_SCENARIOS:
            for name in ("off", "on"):  # warm up
                measure_events(servers[name], ports[name], scenario, args.clients, 1.0)
            for round_ in range(args.rounds):
                # Who goes first changes each round, so that a machine getting busier favours neither.
                for name in ("off", "on") if round_ % 2 == 0 else ("on", "off"):
                    run = measure_events(servers[name], ports[name], scenario, args.clients, args.seconds)
                    results.setdefault((scenario, name), []).append(run)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait()
    report_events(results, args)
    direct_cost(env, results)


# How many events each scenario's request notes: a call begins (call, language, main menu); a key
# in the news (key, menu, item heard); an SMS keyword; a public page.
EVENTS_PER_REQUEST = {"incoming call": 3, "news item (key 1)": 3, "SMS keyword": 1, "start page": 1}


def direct_cost(env: dict[str, str], results: dict[tuple[str, str], list[dict[str, float]]]) -> None:
    """What noting and writing one event costs, measured alone in this process (CPU time of all
    its threads, the writer's included), against the CPU time a request costs without events:
    steadier than the servers' comparison, whose noise on a shared machine is larger than this."""
    from datetime import UTC, datetime

    from app import create_app
    from content import usage

    app = create_app(
        {
            "DATABASE_URL": env["DATABASE_URL"],
            "INSTANCE_PATH": env["HOTLINE_INSTANCE_PATH"],
            "SECRET_KEY": "benchmark",
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PSEUDONYM_KEY": "benchmark",
        }
    )
    events, log = 20_000, app.extensions["content.usage"]
    costs = []
    with app.app_context():
        for _ in range(5):
            started = time.process_time()
            for _ in range(events):
                usage.record(usage.KEYWORD, channel=usage.SMS, at=datetime.now(UTC), detail="NEU")
            log.flush()
            costs.append((time.process_time() - started) / events * 1e6)
    log.close()
    each = statistics.median(costs)
    rounds = ", ".join(f"{cost:.1f}" for cost in costs)
    print(f"one event noted and written: {each:.1f} µs CPU (median of 5 rounds of {events}: {rounds})")
    for scenario, count in EVENTS_PER_REQUEST.items():
        off = statistics.median(r["cpu_ms"] for r in results[(scenario, "off")])
        share = count * each / 1000 / off
        verdict = "meets" if share <= 0.05 else "MISSES"
        print(
            f"{scenario}: {count} event(s), {count * each / 1000:.3f} ms of {off:.2f} ms CPU per request "
            f"= {100 * share:.2f} % ({verdict} the target: within 5 %)"
        )


def report_events(results: dict[tuple[str, str], list[dict[str, float]]], args: argparse.Namespace) -> None:
    print()
    print(
        f"usage figures: the hotline with its usage log (on) and without (off), {args.clients} clients, "
        f"{args.rounds} rounds of {args.seconds:.0f} s each, alternating which goes first"
    )
    print(
        f"{'scenario':<14} {'round':>5} {'req/s off':>10} {'req/s on':>9} {'ratio':>6} {'CPU ms/req off':>15} "
        f"{'on':>6} {'ratio':>6} {'errors':>7}"
    )
    summary = {}
    for scenario in EVENT_SCENARIOS:
        pairs = list(zip(results[(scenario, "on")], results[(scenario, "off")], strict=True))
        for n, (on, off) in enumerate(pairs, 1):
            print(
                f"{scenario:<14} {n:>5} {off['rps']:>10.0f} {on['rps']:>9.0f} {on['rps'] / off['rps']:>6.3f} "
                f"{off['cpu_ms']:>15.2f} {on['cpu_ms']:>6.2f} {on['cpu_ms'] / off['cpu_ms']:>6.3f} "
                f"{on['errors'] + off['errors']:>7.0f}"
            )
        rps = statistics.median(on["rps"] / off["rps"] for on, off in pairs)
        cpu = statistics.median(on["cpu_ms"] / off["cpu_ms"] for on, off in pairs)
        errors = sum(on["errors"] + off["errors"] for on, off in pairs)
        spread = [on["cpu_ms"] / off["cpu_ms"] for on, off in pairs]
        print(
            f"{scenario:<14} median: req/s on/off = {rps:.3f}, CPU per request on/off = {cpu:.3f} "
            f"(rounds {min(spread):.2f} to {max(spread):.2f}: where that spread is wider than 5 %, the "
            f"direct cost below decides)"
        )
        summary[scenario] = {"rps_ratio": round(rps, 3), "cpu_ratio": round(cpu, 3), "errors": errors}
    print(json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent keep-alive clients")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of each server")
    parser.add_argument(
        "--database", help="a scratch database URL (the demo is loaded into it); default: a new SQLite file"
    )
    parser.add_argument(
        "--only",
        choices=("bare", "events"),
        help="only the comparison with the bare app, or only the usage figures' (with and without)",
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
        if args.only != "bare":
            compare_events(args, env, Path(instance))
        if args.only == "events":
            return
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

"""A small stand-in for Twilio's Messages and Calls APIs on loopback, for the real `twilio` client.

It checks the account's Basic auth, records every message it accepts and every call it is asked
to place, lists them by recipient, and answers with an error on demand (429, 500, 21610 …), as
Twilio does. What happens to a placed call is up to the test: it posts the webhooks Twilio would
post (answer_form, status_form, signed with tests.twilio_fake.Signer), and the fake's record of
the call follows, so that listing calls tells what Twilio would tell.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
MESSAGE = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages/(\w+)\.json$")
RECORDING = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+)\.(mp3|json)$")
CALLS = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Calls\.json$")
CALL = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Calls/(\w+)\.json$")

# What the fake keeps about a call besides Twilio's own fields: never part of an answer.
OWN_FIELDS = (
    "received_at",
    "url",
    "method",
    "fallback_url",
    "fallback_method",
    "status_callback_method",
    "status_callback_event",
    "machine_detection",
)
# Twilio's CallStatus at the end of a call, for each way a test lets it end.
ENDED = ("completed", "busy", "no-answer", "failed", "canceled")
# A call that ends like this may never have been dialled: it gets no start time.
NEVER_DIALLED = ("queued", "failed", "canceled")
# Twilio's own words for some refusals: they quote the number.
REFUSALS = {
    21211: "The 'To' number {to} is not a valid phone number.",
    21215: (
        "Account not authorized to call {to}. Perhaps you need to enable some international permissions: "
        "https://www.twilio.com/console/voice/calls/geo-permissions/low-risk"
    ),
}


def twilio_time(moment: datetime) -> str:
    """A time as Twilio's JSON gives it (RFC 2822, UTC)."""
    return format_datetime(moment.astimezone(UTC))


def read_time(raw: str) -> datetime | None:
    """A StartTime filter as the client writes it (2026-11-24T09:00:00Z) or as a date (2026-11-24)."""
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class FakeTwilioApi:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        delay: float = 0.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.account_sid, self.auth_token, self.delay = account_sid, auth_token, delay
        self.clock = clock  # Twilio's sense of now: when a call was created and started
        self.messages: list[dict[str, str]] = []
        self.calls: list[dict[str, Any]] = []  # every call placed, oldest first
        self.failures: dict[str, list[tuple[int, int | None]]] = {}
        self.call_failures: dict[str, list[tuple[int, int | None, bool]]] = {}
        self.recordings: dict[str, bytes] = {}  # what callers said, by RecordingSid
        self.deleted: list[str] = []  # recordings deleted through the API
        self.looked_up: list[str] = []  # message sids asked for one by one (what became of them)
        self.looked_up_calls: list[str] = []  # call sids asked for one by one (how they ended)
        self.look_up_failure = 0  # an HTTP status every look-up of a call is answered with (0: none)
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        # hold_after: requests to send or call beyond the first `held_from` wait until release().
        self.held_from: int | None = None
        self.admitted = 0  # such requests received so far
        self.waiting = 0  # such requests held or still being answered after release
        self.gate = threading.Condition(self.lock)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilioApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def hold_after(self, count: int) -> None:
        """Take `count` more requests to send or call, then hold each further one (the provider
        gets it, and answers only after release()): a worker can be stopped at a known point."""
        with self.lock:
            self.held_from = self.admitted + count

    def release(self, seconds: float = 30) -> None:
        """Let the held requests through, and wait until each of them is recorded and answered
        (to a sender that died meanwhile, the answer goes nowhere)."""
        with self.gate:
            self.held_from = None
            self.gate.notify_all()
            assert self.gate.wait_for(lambda: self.waiting == 0, timeout=seconds), "held requests did not finish"

    def _admit(self) -> bool:
        """Count a request to send or call; hold it while hold_after says so. Whether it was held."""
        with self.gate:
            self.admitted += 1
            if self.held_from is None or self.admitted <= self.held_from:
                return False
            self.waiting += 1
            self.gate.wait_for(lambda: self.held_from is None, timeout=60)
            return True

    def _done_holding(self) -> None:
        with self.gate:
            self.waiting -= 1
            self.gate.notify_all()

    def fail(self, to: str, status: int, code: int | None = None, times: int = 1) -> None:
        """Answer the next `times` messages to `to` with this HTTP status and Twilio error code."""
        self.failures.setdefault(to, []).extend([(status, code)] * times)

    def reports(self, sid: str, status: str, error_code: int | None = None) -> None:
        """What became of a message Twilio accepted: what fetching it tells from now on."""
        with self.lock:
            message = next(m for m in self.messages if m["sid"] == sid)
            message.update(status=status, error_code=error_code)

    def fail_calls(
        self, to: str, status: int, code: int | None = None, times: int = 1, *, placed: bool = False
    ) -> None:
        """Refuse the next `times` calls to `to` with this HTTP status and Twilio error code. With
        placed, Twilio has placed the call all the same (it rings) and only its answer is the
        error; status 0 then means that no answer comes back at all (the connection is closed)."""
        self.call_failures.setdefault(to, []).extend([(status, code, placed)] * times)

    def fail_call_look_ups(self, status: int) -> None:
        """Answer every look-up of a call with this HTTP status from now on (Twilio in trouble)."""
        self.look_up_failure = status

    def calls_to(self, to: str) -> list[dict[str, Any]]:
        return [call for call in self.calls if call["to"] == to]

    def call(self, sid: str) -> dict[str, Any]:
        return next(call for call in self.calls if call["sid"] == sid)

    def dial(self, sid: str) -> None:
        """Twilio dials a call it held queued: from now on it has a start time and rings."""
        with self.lock:
            call = self.call(sid)
            call.update(status="ringing", start_time=call["start_time"] or twilio_time(self.clock()))

    def answer_form(self, sid: str, answered_by: str = "human") -> dict[str, str]:
        """What Twilio posts to the call's answer URL once somebody (or something) picked up:
        answered_by is Twilio's AnsweredBy (human, machine_end_beep, fax, unknown …)."""
        self.dial(sid)
        with self.lock:
            call = self.call(sid)
            call.update(status="in-progress", answered_by=answered_by)
            return self._call_form(call) | {"CallStatus": "in-progress", "AnsweredBy": answered_by}

    def status_form(self, sid: str, status: str, seconds: int = 0) -> dict[str, str]:
        """What Twilio posts to the call's status callback when it has this CallStatus (ringing,
        in-progress, completed, busy, no-answer, failed …); the call ends if the status ends it.
        AnsweredBy is sent when detection ran (the call was answered), CallDuration at the end."""
        with self.lock:
            call = self.call(sid)
            call["status"] = status
            if status not in NEVER_DIALLED and call["start_time"] is None:
                call["start_time"] = twilio_time(self.clock())
            if status in ENDED:
                call["duration"] = str(seconds) if status == "completed" else "0"
            form = self._call_form(call) | {"CallStatus": status}
            if call["answered_by"]:
                form["AnsweredBy"] = call["answered_by"]
            if status in ENDED:
                form["CallDuration"] = call["duration"]
            return form

    def _call_form(self, call: dict[str, Any]) -> dict[str, str]:
        return {
            "CallSid": call["sid"],
            "AccountSid": self.account_sid,
            "From": call["from"],
            "To": call["to"],
            "Direction": "outbound-api",
            "ApiVersion": "2010-04-01",
        }

    def holds_recording(self, sid: str, audio: bytes) -> None:
        self.recordings[sid] = audio

    def sent_to(self, to: str) -> list[dict[str, str]]:
        return [message for message in self.messages if message["to"] == to]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep connections open, as Twilio's API does
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms stalls

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _reply(self, status: int, payload: object) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
                if self.headers.get("Authorization") == f"Basic {expected}":
                    return True
                self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return False

            def do_POST(self) -> None:  # http.server calls it by this name
                path = urlsplit(self.path).path
                if not MESSAGES.match(path) and not CALLS.match(path):
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                if not self._authorised():
                    return None
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the sender died mid-request: like Twilio, process nothing
                    self.close_connection = True
                    return None
                fields = parse_qs(raw.decode())
                form = {key: values[0] for key, values in fields.items()}
                held = fake._admit()
                try:
                    self._create(path, form, fields)
                except OSError:  # a held request whose sender died: it was recorded, the answer is lost
                    if not held:
                        raise
                finally:
                    if held:
                        fake._done_holding()
                return None

            def _create(self, path: str, form: dict[str, str], fields: dict[str, list[str]]) -> None:
                time.sleep(fake.delay)
                if CALLS.match(path):
                    return self._place(form, fields.get("StatusCallbackEvent", []))
                to = form.get("To", "")
                with fake.lock:
                    scripted = fake.failures.get(to)
                    failure = scripted.pop(0) if scripted else None
                if failure:
                    return self._fail(*failure, to=to)
                message = {
                    "sid": f"SM{next(fake.ids):032x}",
                    "account_sid": fake.account_sid,
                    "to": to,
                    "from": form.get("From") or form.get("MessagingServiceSid", ""),
                    "body": form.get("Body", ""),
                    "status": "queued",
                    "status_callback": form.get("StatusCallback", ""),
                    "date_sent": None,
                    "error_code": None,
                }
                with fake.lock:
                    fake.messages.append(message)
                return self._reply(201, message)

            def _place(self, form: dict[str, str], events: list[str]) -> None:
                """Accept a call as Twilio does: queued, not yet dialled (no start time)."""
                received_at = time.monotonic()
                to = form.get("To", "")
                with fake.lock:
                    scripted = fake.call_failures.get(to)
                    failure = scripted.pop(0) if scripted else None
                if failure and not failure[2]:
                    return self._fail(*failure[:2], to=to)
                if not to or not form.get("From") or not form.get("Url"):
                    return self._fail(400, 21201)  # Twilio: no To, From or Url given
                with fake.lock:
                    call = {
                        "sid": f"CA{next(fake.ids):032x}",
                        "account_sid": fake.account_sid,
                        "to": to,
                        "from": form["From"],
                        "status": "queued",
                        "direction": "outbound-api",
                        "date_created": twilio_time(fake.clock()),
                        "start_time": None,
                        "end_time": None,
                        "duration": None,
                        "answered_by": None,
                        "api_version": "2010-04-01",
                        "status_callback": form.get("StatusCallback", ""),
                        "timeout": form.get("Timeout", ""),
                        "received_at": received_at,
                        "url": form["Url"],
                        "method": form.get("Method", ""),
                        "fallback_url": form.get("FallbackUrl", ""),
                        "fallback_method": form.get("FallbackMethod", ""),
                        "status_callback_method": form.get("StatusCallbackMethod", ""),
                        "status_callback_event": events,
                        "machine_detection": form.get("MachineDetection", ""),
                    }
                    fake.calls.append(call)
                    answer = self._public(call)
                if failure and failure[0]:
                    return self._fail(*failure[:2], to=to)  # placed, and yet an error
                if failure:  # placed, and the answer never comes back
                    self.close_connection = True
                    return None
                return self._reply(201, answer)

            def _public(self, call: dict[str, Any]) -> dict[str, Any]:
                return {key: value for key, value in call.items() if key not in OWN_FIELDS}

            def _calls(self, query: dict[str, list[str]]) -> None:
                """List calls newest first, by To, Status and StartTime>= as Twilio filters them (a
                call not yet dialled has no start time, so a StartTime filter never finds it)."""
                if not self._authorised():
                    return None
                to, status = query.get("To", [""])[0], query.get("Status", [""])[0]
                after = read_time(query.get("StartTime>", [""])[0])
                with fake.lock:
                    found = [
                        self._public(call)
                        for call in reversed(fake.calls)
                        if (not to or call["to"] == to)
                        and (not status or call["status"] == status)
                        and (
                            "StartTime>" not in query
                            or (
                                after is not None
                                and call["start_time"] is not None
                                and datetime.strptime(call["start_time"], "%a, %d %b %Y %H:%M:%S %z") >= after
                            )
                        )
                    ]
                return self._reply(200, {"calls": found, "next_page_uri": None, "page": 0, "page_size": 50})

            def _call(self, sid: str) -> None:
                if not self._authorised():
                    return None
                with fake.lock:
                    failing = fake.look_up_failure
                if failing:
                    return self._fail(failing, None)
                with fake.lock:
                    fake.looked_up_calls.append(sid)
                    found = next((self._public(call) for call in fake.calls if call["sid"] == sid), None)
                if found is None:
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                return self._reply(200, found)

            def _fail(self, status: int, code: int | None, to: str = "") -> None:
                """Answer as Twilio does when it refuses: the HTTP status, its error code and message."""
                message = REFUSALS.get(code or 0, "scripted failure").format(to=to)
                self._reply(status, {"code": code or status, "message": message, "status": status})

            def _scripted(self, key: str) -> tuple[int, int | None] | None:
                with fake.lock:
                    scripted = fake.failures.get(key)
                    return scripted.pop(0) if scripted else None

            def do_DELETE(self) -> None:  # http.server calls it by this name
                found = RECORDING.match(urlsplit(self.path).path)
                if not found or found.group(3) != "json":
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                if not self._authorised():
                    return None
                sid = found.group(2)
                if sid not in fake.recordings:
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                with fake.lock:
                    del fake.recordings[sid]
                    fake.deleted.append(sid)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None

            def _audio(self, sid: str) -> None:
                if not self._authorised():
                    return None
                failure = self._scripted(sid)
                if failure:
                    return self._fail(*failure)
                audio = fake.recordings.get(sid)
                if audio is None:
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                self.send_response(200)
                self.send_header("Content-Type", "audio/mpeg")
                self.send_header("Content-Length", str(len(audio)))
                self.end_headers()
                self.wfile.write(audio)
                return None

            def _message(self, sid: str) -> None:
                if not self._authorised():
                    return None
                failure = self._scripted(sid)
                if failure:
                    return self._fail(*failure)
                with fake.lock:
                    fake.looked_up.append(sid)
                    found = next((dict(m) for m in fake.messages if m["sid"] == sid), None)
                if found is None:
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                return self._reply(200, found)

            def do_GET(self) -> None:  # http.server calls it by this name
                parts = urlsplit(self.path)
                recording = RECORDING.match(parts.path)
                if recording and recording.group(3) == "mp3":
                    return self._audio(recording.group(2))
                one = MESSAGE.match(parts.path)
                if one:
                    return self._message(one.group(2))
                if CALLS.match(parts.path):
                    return self._calls(parse_qs(parts.query))
                call = CALL.match(parts.path)
                if call:
                    return self._call(call.group(2))
                if not MESSAGES.match(parts.path):
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                if not self._authorised():
                    return None
                query = parse_qs(parts.query)
                to = query.get("To", [""])[0]
                found = [m for m in fake.messages if not to or m["to"] == to]
                if query.get("DateSent>"):  # as Twilio: a message still queued has no DateSent yet
                    found = [m for m in found if m["date_sent"]]
                return self._reply(200, {"messages": found, "next_page_uri": None, "page": 0, "page_size": 50})

        return Handler

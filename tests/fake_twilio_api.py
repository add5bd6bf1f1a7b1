"""A small stand-in for Twilio's Messages API on loopback, for the real `twilio` client to talk to.

It checks the account's Basic auth, records every message it accepts, lists them by recipient,
and answers with an error on demand (429, 500, 21610 …), as Twilio does.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
MESSAGE = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages/(\w+)\.json$")
RECORDING = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+)\.(mp3|json)$")


class FakeTwilioApi:
    def __init__(self, account_sid: str, auth_token: str, delay: float = 0.0) -> None:
        self.account_sid, self.auth_token, self.delay = account_sid, auth_token, delay
        self.messages: list[dict[str, str]] = []
        self.failures: dict[str, list[tuple[int, int | None]]] = {}
        self.recordings: dict[str, bytes] = {}  # what callers said, by RecordingSid
        self.deleted: list[str] = []  # recordings deleted through the API
        self.looked_up: list[str] = []  # message sids asked for one by one (what became of them)
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
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

    def fail(self, to: str, status: int, code: int | None = None, times: int = 1) -> None:
        """Answer the next `times` messages to `to` with this HTTP status and Twilio error code."""
        self.failures.setdefault(to, []).extend([(status, code)] * times)

    def reports(self, sid: str, status: str, error_code: int | None = None) -> None:
        """What became of a message Twilio accepted: what fetching it tells from now on."""
        with self.lock:
            message = next(m for m in self.messages if m["sid"] == sid)
            message.update(status=status, error_code=error_code)

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
                if not MESSAGES.match(urlsplit(self.path).path):
                    return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
                if not self._authorised():
                    return None
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the sender died mid-request: like Twilio, process nothing
                    self.close_connection = True
                    return None
                form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
                time.sleep(fake.delay)
                to = form.get("To", "")
                with fake.lock:
                    scripted = fake.failures.get(to)
                    failure = scripted.pop(0) if scripted else None
                if failure:
                    return self._fail(*failure)
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

            def _fail(self, status: int, code: int | None) -> None:
                """Answer as Twilio does when it refuses: the HTTP status and its error code."""
                self._reply(status, {"code": code or status, "message": "scripted failure", "status": status})

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

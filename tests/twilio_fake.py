"""Test helpers that play Twilio's part: signing webhooks and following TwiML like a phone call."""

from __future__ import annotations

import base64
import hashlib
import hmac
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import urljoin

BASE_URL = "http://localhost"
CALLER_NUMBER = "+4915112345678"
HOTLINE_NUMBER = "+496313651000"
ACCOUNT_SID = "AC" + "f" * 32  # the account the fake Twilio API (tests/fake_twilio_api.py) serves
WITHHELD = "+266696687"


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Sign as Twilio documents it: HMAC-SHA1 over the URL plus each sorted name and value."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class Signer:
    def __init__(self, client, auth_token: str) -> None:
        self.client = client
        self.auth_token = auth_token

    def post(self, url: str, params: Mapping[str, str], **headers: str):
        """POST a webhook signed exactly as Twilio would sign it for this absolute URL."""
        signature = twilio_signature(self.auth_token, url, params)
        return self.client.post(url, data=dict(params), headers={"X-Twilio-Signature": signature, **headers})


def spoken_text(element: ET.Element) -> str:
    return " ".join(" ".join(" ".join(say.itertext()).split()) for say in element.iter("Say")).strip()


# What Twilio's answering machine detection says, by who took a news call.
ANSWERED_BY = {"person": "human", "machine": "machine_end_beep", "fax": "fax", "unknown": "unknown"}


class Caller:
    """A phone call that follows TwiML: press keys, say words, stay silent, take Dial outcomes; or a
    phone the city calls with the news (answer_news_call), then the same."""

    def __init__(self, signer: Signer, number: str = CALLER_NUMBER) -> None:
        self.signer = signer
        self.number = number
        self.url = BASE_URL + "/voice"
        self.twiml: ET.Element | None = None
        self.transcript: list[str] = []
        self.responses = 0
        self.call_sid = "CA" + "0" * 32
        self.outbound = False  # a call the city placed: Twilio names the resident as To

    # What happens on the line ------------------------------------------------------------

    def call(self, call_sid: str = "CA" + "0" * 32) -> Caller:
        self.outbound, self.call_sid = False, call_sid
        return self._post(BASE_URL + "/voice", {})

    def answer_news_call(self, outbox_id: int | str, call_sid: str, answered_by: str = "person") -> Caller:
        """Take the news call the city placed (outbox row outbox_id, provider call call_sid): Twilio
        posts its answer URL as for an outbound-api call, with what its machine detection heard
        (person, machine, fax or unknown); then keys are pressed as usual."""
        self.outbound, self.call_sid = True, call_sid
        return self._post(f"{BASE_URL}/voice/news-call?call={outbox_id}", {"AnsweredBy": ANSWERED_BY[answered_by]})

    def news_call_ends(self, outbox_id: int | str, call_sid: str, status: str, answered_by: str | None = None):
        """Twilio's status callback for a news call (CallStatus completed, busy, no-answer, failed, …);
        returns the HTTP response."""
        params = {
            "CallSid": call_sid,
            "AccountSid": "AC" + "1" * 32,
            "From": HOTLINE_NUMBER,
            "To": self.number,
            "CallStatus": status,
            "Direction": "outbound-api",
            "CallDuration": "42",
        }
        if answered_by is not None:
            params["AnsweredBy"] = ANSWERED_BY[answered_by]
        return self.signer.post(f"{BASE_URL}/voice/news-call/status?call={outbox_id}", params)

    def press(self, key: str) -> Caller:
        return self._post(self._gather_action(), {"Digits": key})

    def say(self, words: str, confidence: str = "0.9") -> Caller:
        return self._post(self._gather_action(), {"SpeechResult": words, "Confidence": confidence})

    def silence(self) -> Caller:
        """Say nothing until the Gather times out: Twilio goes on to the verb after it."""
        redirect = self.element.find("Redirect")
        assert redirect is not None, "after silence the call has nowhere to go"
        return self._post(urljoin(self.url, redirect.text or ""), {})

    def dial_ends(self, status: str) -> Caller:
        dial = self.element.find("Dial")
        assert dial is not None and dial.get("action"), "no Dial with an action here"
        return self._post(urljoin(self.url, dial.get("action", "")), {"DialCallStatus": status})

    # What the caller notices -------------------------------------------------------------

    @property
    def element(self) -> ET.Element:
        assert self.twiml is not None, "no call yet"
        return self.twiml

    @property
    def heard(self) -> str:
        return spoken_text(self.element)

    @property
    def gather(self) -> ET.Element | None:
        return self.element.find("Gather")

    @property
    def dialled(self) -> str | None:
        dial = self.element.find("Dial")
        return (dial.text or "").strip() if dial is not None else None

    @property
    def hung_up(self) -> bool:
        return self.element.find("Hangup") is not None

    @property
    def rates(self) -> set[str]:
        return {prosody.get("rate", "") for prosody in self.element.iter("prosody")}

    def record(self, seconds: int, sid: str = "RE" + "a" * 32) -> Caller:
        """Speak a message at a <Record>: Twilio posts its action with where the recording is."""
        record = self.twiml.find("Record")
        assert record is not None, f"nothing records here; the call heard: {self.heard!r}"
        params = {"RecordingDuration": str(seconds), "Digits": "#"}
        if seconds:
            params |= {
                "RecordingSid": sid,
                "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}",
            }
        return self._post(urljoin(self.url, record.get("action")), params)

    def recording_ready(self, seconds: int, sid: str = "RE" + "a" * 32) -> int:
        """Twilio's recording status callback for the <Record> heard last; returns the HTTP status."""
        record = self.twiml.find("Record") if self.twiml.find("Record") is not None else self.last_record
        url = urljoin(self.url, record.get("recordingStatusCallback"))
        response = self.signer.post(
            url,
            {
                "AccountSid": ACCOUNT_SID,
                "CallSid": "CA" + "0" * 32,
                "RecordingSid": sid,
                "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}",
                "RecordingStatus": "completed",
                "RecordingDuration": str(seconds),
                "RecordingChannels": "1",
            },
        )
        return response.status_code

    # Plumbing ----------------------------------------------------------------------------

    def _gather_action(self) -> str:
        gather = self.gather
        assert gather is not None, f"no Gather to answer; the call heard: {self.heard!r}"
        return urljoin(self.url, gather.get("action") or self.url)

    def _post(self, url: str, extra: Mapping[str, str]) -> Caller:
        caller, called = (HOTLINE_NUMBER, self.number) if self.outbound else (self.number, HOTLINE_NUMBER)
        params = {
            "CallSid": self.call_sid,
            "AccountSid": "AC" + "1" * 32,
            "From": caller,
            "To": called,
            "CallStatus": "in-progress",
            "Direction": "outbound-api" if self.outbound else "inbound",
            **extra,
        }
        response = self.signer.post(url, params)
        assert response.status_code == 200, f"{url} answered HTTP {response.status_code}"
        assert response.mimetype in ("text/xml", "application/xml"), response.mimetype
        self.url = url
        if getattr(self, "twiml", None) is not None and self.twiml.find("Record") is not None:
            self.last_record = self.twiml.find("Record")
        self.twiml = ET.fromstring(response.data)
        self.responses += 1
        verbs = [verb.tag for verb in self.twiml]
        if verbs == ["Redirect"]:  # Twilio follows a lone Redirect at once
            return self._post(urljoin(url, self.twiml[0].text or ""), {})
        self.transcript.append(self.heard)
        return self


class Texter:
    """A mobile phone texting the city's number: sends SMS to /sms, reads the replies."""

    def __init__(self, signer: Signer, number: str = CALLER_NUMBER) -> None:
        self.signer = signer
        self.number = number
        self.sent = 0

    def send(self, body: str, sid: str | None = None, **extra: str) -> str:
        """Send body; return the reply text ("" when the service stays silent)."""
        self.sent += 1
        params = {
            "MessageSid": sid or f"SM{self.number[-8:]}{self.sent:024d}",
            "AccountSid": "AC" + "1" * 32,
            "From": self.number,
            "To": HOTLINE_NUMBER,
            "Body": body,
            "NumMedia": "0",
            **extra,
        }
        response = self.signer.post(BASE_URL + "/sms", params)
        assert response.status_code == 200, f"/sms answered HTTP {response.status_code}"
        twiml = ET.fromstring(response.data)
        assert twiml.tag == "Response"
        return " ".join("".join(message.itertext()) for message in twiml.iter("Message"))


def problems(twiml: ET.Element) -> list[str]:
    """What a caller would suffer from in this answer: silence, a prompt outside its Gather, …"""
    found = []
    if twiml.tag != "Response":
        found.append("root is not <Response>")
    if not spoken_text(twiml):
        found.append("nothing is said")
    verbs = list(twiml)
    gathers = twiml.findall("Gather")
    for gather in gathers:
        if not spoken_text(gather):
            found.append("a Gather without a prompt")
        if set((gather.get("input") or "").split()) != {"dtmf", "speech"}:
            found.append("a Gather that does not take both keys and speech")
        if int(gather.get("timeout", "5")) < 6:
            found.append("a Gather timeout under 6 seconds")
        typed_number = gather.get("finishOnKey") == "#" and gather.get("numDigits") is None
        if gather.get("finishOnKey") != "" and not typed_number:  # a typed number ends with #, as it says
            found.append("# would end input instead of meaning back")
        if not gather.get("language") or not gather.get("hints"):
            found.append("a Gather without speech language or hints")
    if gathers and twiml.findall("Say"):
        found.append("a prompt outside its Gather")
    last = verbs[-1].tag if verbs else None
    if last == "Hangup":
        said = spoken_text(twiml)
        if "Wiederhören" not in said and "Goodbye" not in said:
            found.append("hangs up without a goodbye")
    elif last == "Redirect":
        record = twiml.find("Record")
        if not gathers and record is None:
            found.append("a Redirect without anything to answer")
        if record is not None and not (
            record.get("action") and record.get("maxLength") and record.get("finishOnKey") == "#"
        ):
            found.append("a Record without its action, length limit, or # to finish")
    elif last == "Dial":
        if not twiml.find("Dial").get("action"):
            found.append("a Dial with nowhere to go afterwards")
    else:
        found.append(f"the call ends after <{last}> without a goodbye")
    return found

"""A phone played locally, as Twilio would drive it: requests built and signed as Twilio builds
and signs them, and TwiML read back into our voice answers (the one TwiML reader of the service,
the inverse of twiml.voice)."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from telephony.calls import ANSWERED, BUSY, FAILED, FAX, MACHINE, NO_ANSWER, PERSON
from telephony.local import CallerDoes
from telephony.twilio import signature
from telephony.voice import Ask, Command, Connect, GoTo, HangUp, Record, Say, VoiceAnswer

ACCOUNT = "AC" + "0" * 32  # a placeholder account: the webhooks do not read it
# A put-through answered ("answered", as telephony.local says too); busy and no-answer are Twilio's words too.
DIAL_STATUS = {ANSWERED: "completed"}


def new_call_id() -> str:
    return "CA" + secrets.token_hex(16)


# How Twilio's status callback names the end of a call the city placed.
CALL_STATUS = {ANSWERED: "completed", BUSY: "busy", NO_ANSWER: "no-answer", FAILED: "failed"}
# What answering machine detection says it heard.
ANSWERED_BY = {PERSON: "human", MACHINE: "machine_end_beep", FAX: "fax"}


def call_request(
    does: CallerDoes, *, call_id: str, caller: str, hotline: str, answered_by: str | None = None
) -> dict[str, str]:
    """The form Twilio posts for this step of a call: one the caller made to the hotline, or with
    answered_by one the city placed to the caller (a news call)."""
    form = {
        "CallSid": call_id,
        "From": caller,
        "To": hotline,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "AccountSid": ACCOUNT,
    }
    if answered_by is not None:
        form |= {"From": hotline, "To": caller, "Direction": "outbound-api"}
        form["AnsweredBy"] = ANSWERED_BY.get(answered_by, "unknown")
    if does.key:
        form["Digits"] = does.key
    if does.words:
        form |= {"SpeechResult": does.words, "Confidence": "0.9"}
    if does.connect_outcome:
        form["DialCallStatus"] = DIAL_STATUS.get(does.connect_outcome, does.connect_outcome)
    if does.recorded_seconds:
        form |= {"RecordingDuration": str(does.recorded_seconds), "RecordingSid": "RE" + secrets.token_hex(16)}
    return form


def call_end_request(ended: str, *, call_id: str, caller: str, hotline: str) -> dict[str, str]:
    """The status callback Twilio posts when a call the city placed to caller is over."""
    return {
        "CallSid": call_id,
        "From": hotline,
        "To": caller,
        "CallStatus": CALL_STATUS.get(ended, "failed"),
        "Direction": "outbound-api",
        "AccountSid": ACCOUNT,
    }


def sms_request(body: str, *, sender: str, hotline: str) -> dict[str, str]:
    """The form Twilio posts for an incoming SMS."""
    return {
        "MessageSid": "SM" + secrets.token_hex(16),
        "From": sender,
        "To": hotline,
        "Body": body,
        "NumMedia": "0",
        "AccountSid": ACCOUNT,
    }


def signed_headers(url: str, form: Mapping[str, str], config: Mapping[str, Any]) -> dict[str, str]:
    return signature.signed_headers(url, form, config.get("TWILIO_AUTH_TOKEN") or "")


def read_voice(twiml: str) -> VoiceAnswer:
    """Our voice answer from TwiML; a document that is not TwiML reads as hanging up."""
    try:
        root = ET.fromstring(twiml)
    except ET.ParseError:
        return VoiceAnswer([HangUp()])
    if root.tag != "Response":
        return VoiceAnswer([HangUp()])
    return VoiceAnswer([command for element in root if (command := _command(element)) is not None])


def read_sms(twiml: str) -> list[str]:
    """The texts of an SMS answer, in order."""
    try:
        return ["".join(message.itertext()) for message in ET.fromstring(twiml).iter("Message")]
    except ET.ParseError:
        return []


def _say(element: ET.Element) -> Say:
    parts = element.findall("prosody")
    sentences = (
        tuple(" ".join("".join(part.itertext()).split()) for part in parts)
        if parts
        else (" ".join("".join(element.itertext()).split()),)
    )
    rate = parts[0].get("rate", "100%") if parts else "100%"
    pause = element.find("break")
    return Say(
        sentences,
        element.get("voice", ""),
        element.get("language", ""),
        rate,
        pause.get("time", "") if pause is not None else "",
    )


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 6 else default


def _command(element: ET.Element) -> Command | None:
    get = element.get
    if element.tag == "Say":
        return _say(element)
    if element.tag == "Gather":
        prompt = tuple(_say(say) for say in element.iter("Say"))
        return Ask(get("action", ""), prompt, get("language", ""), get("hints", ""), _number(get("timeout"), 5))
    if element.tag == "Record":
        return Record(
            get("action", ""),
            get("recordingStatusCallback", ""),
            _number(get("maxLength"), 0),
            _number(get("timeout"), 5),
        )
    if element.tag == "Dial":
        return Connect(" ".join("".join(element.itertext()).split()), get("action", ""), _number(get("timeout"), 30))
    if element.tag == "Redirect":
        return GoTo((element.text or "").strip())
    if element.tag == "Hangup":
        return HangUp()
    return None

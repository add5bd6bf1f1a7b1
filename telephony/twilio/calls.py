"""Twilio's voice webhook fields, read into the neutral call steps of telephony.calls."""

from __future__ import annotations

import re
from collections.abc import Mapping

from telephony.calls import (
    ANSWERED,
    BUSY,
    FAILED,
    FAX,
    MACHINE,
    NO_ANSWER,
    PERSON,
    CallEnd,
    CallStep,
    PutThrough,
    RecordingReport,
)
from telephony.text import xml_safe

# What Twilio sends as From when the caller withholds the number: the words ANONYMOUS,
# RESTRICTED, UNAVAILABLE and BLOCKED spelt on the keypad.
WITHHELD = frozenset({"+266696687", "+7378742833", "+86282452253", "+2562533"})

# Twilio's DialCallStatus values.
DIAL_OUTCOMES = {
    "completed": PutThrough.TALKED,
    "answered": PutThrough.TALKED,
    "busy": PutThrough.BUSY,
    "no-answer": PutThrough.NO_ANSWER,
    "failed": PutThrough.FAILED,
    "canceled": PutThrough.FAILED,
}

RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")

# Longer than any number, call id, key sequence or spoken answer Twilio sends: cut, never refused.
LONGEST_NUMBER = 64
LONGEST_CALL_SID = 64
LONGEST_KEYS = 32
LONGEST_SPEECH = 1000
LONGEST_RECORDING_URL = 300


# Twilio's AnsweredBy values (answering machine detection); "unknown" counts as a person.
ANSWERED_BY = {
    "human": PERSON,
    "machine_start": MACHINE,
    "machine_end_beep": MACHINE,
    "machine_end_silence": MACHINE,
    "machine_end_other": MACHINE,
    "fax": FAX,
}

# Twilio's CallStatus values that end a call; the others (queued, initiated, ringing,
# in-progress) say it is not over yet.
CALL_ENDS = {"completed": ANSWERED, "busy": BUSY, "no-answer": NO_ANSWER, "failed": FAILED, "canceled": FAILED}


def is_outbound(form: Mapping[str, str]) -> bool:
    """A call the city placed (Twilio's Direction outbound-api; outbound-dial is a put-through's leg)."""
    return form.get("Direction", "") == "outbound-api"


def call_step(form: Mapping[str, str]) -> CallStep:
    outbound = is_outbound(form)
    return CallStep(
        call_id=xml_safe(form.get("CallSid", ""))[:LONGEST_CALL_SID],
        # On a call the city placed, the resident is the number called.
        caller=caller(form.get("To" if outbound else "From", "")),
        key=form.get("Digits", "").strip()[:LONGEST_KEYS] or None,
        speech=xml_safe(form.get("SpeechResult", "")[:LONGEST_SPEECH]) or None,
        put_through=DIAL_OUTCOMES.get(form.get("DialCallStatus", "")),
        answered_by=ANSWERED_BY.get(form.get("AnsweredBy", "")) if outbound else None,
        outbound=outbound,
    )


def call_end(form: Mapping[str, str]) -> CallEnd:
    return CallEnd(
        call_id=xml_safe(form.get("CallSid", ""))[:LONGEST_CALL_SID],
        ended=CALL_ENDS.get(form.get("CallStatus", "")),
        answered_by=ANSWERED_BY.get(form.get("AnsweredBy", "")),
    )


def caller(raw: str) -> str | None:
    """The From number as Twilio gave it, or None when the caller withheld it (or it is absurd)."""
    number = raw.strip()
    if not number or number in WITHHELD or len(number) > LONGEST_NUMBER:
        return None
    return number


def recording_report(form: Mapping[str, str]) -> RecordingReport:
    url = form.get("RecordingUrl", "")
    return RecordingReport(
        recording_id=recording_sid(form.get("RecordingSid", ""), url),
        url=url if url.startswith("https://") and len(url) < LONGEST_RECORDING_URL else "",
        seconds=seconds(form.get("RecordingDuration", "")),
        complete=form.get("RecordingStatus") == "completed",
    )


def recording_sid(sid: str, url: str) -> str | None:
    """The recording's sid, given as such or as the last part of its URL."""
    sid = sid or url.rstrip("/").rsplit("/", 1)[-1]
    return sid if RECORDING_SID.fullmatch(sid) else None


def seconds(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else None

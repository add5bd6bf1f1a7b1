"""Twilio's voice webhook fields, read into the neutral call steps of telephony.calls."""

from __future__ import annotations

import re
from collections.abc import Mapping

from telephony.calls import CallStep, PutThrough, RecordingReport
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


def call_step(form: Mapping[str, str]) -> CallStep:
    return CallStep(
        call_id=xml_safe(form.get("CallSid", ""))[:LONGEST_CALL_SID],
        caller=caller(form.get("From", "")),
        key=form.get("Digits", "").strip()[:LONGEST_KEYS] or None,
        speech=xml_safe(form.get("SpeechResult", "")[:LONGEST_SPEECH]) or None,
        put_through=DIAL_OUTCOMES.get(form.get("DialCallStatus", "")),
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

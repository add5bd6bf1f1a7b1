"""Everything that is Twilio's: its signature, its webhook parameters, status values and error
codes, TwiML, the REST API for sending, for placing news calls and for recordings. The rest of
the service sees only the neutral types of telephony/ through telephony.provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Request

from telephony.twilio import local, signature
from telephony.twilio.calls import call_end, call_step, recording_report
from telephony.twilio.dialler import dialler
from telephony.twilio.messages import delivery_report, incoming_sms
from telephony.twilio.recordings import recordings
from telephony.twilio.sender import sender
from telephony.twilio.twiml import sms, voice

__all__ = [
    "MIMETYPE",
    "call_end",
    "call_step",
    "delivery_report",
    "dialler",
    "incoming_sms",
    "is_signed",
    "local",
    "recording_report",
    "recordings",
    "sender",
    "sms",
    "voice",
]

MIMETYPE = "text/xml"


def is_signed(request: Request, config: Mapping[str, Any]) -> bool:
    return signature.is_signed(request, config.get("TWILIO_AUTH_TOKEN") or "", config.get("PUBLIC_BASE_URL"))

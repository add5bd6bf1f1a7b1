"""Everything that is Twilio's: its signature, its webhook parameters, status values and error
codes, TwiML, the REST API for sending and for recordings. The rest of the service sees only
the neutral types of telephony/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Request

from telephony.twilio import signature
from telephony.twilio.calls import call_step as call_step
from telephony.twilio.calls import recording_report as recording_report
from telephony.twilio.twiml import sms as sms
from telephony.twilio.twiml import voice as voice

MIMETYPE = "text/xml"


def is_signed(request: Request, config: Mapping[str, Any]) -> bool:
    return signature.is_signed(request, config.get("TWILIO_AUTH_TOKEN") or "", config.get("PUBLIC_BASE_URL"))

"""Twilio's SMS webhooks read into neutral messages: an incoming SMS and a delivery report."""

from __future__ import annotations

from collections.abc import Mapping

from telephony.messages import DELIVERED, FAILED, SENT, STARTED, STOPPED, UNDELIVERED, DeliveryReport, IncomingSms
from telephony.text import xml_safe

# Twilio's error for a number that opted out (texted STOP to the sender).
OPTED_OUT = 21610

# Twilio's MessageStatus values and what they mean for us.
STATUSES = {
    "accepted": SENT,
    "queued": SENT,
    "sending": SENT,
    "sent": SENT,
    "delivered": DELIVERED,
    "undelivered": UNDELIVERED,
    "failed": FAILED,
}
# Twilio's Advanced Opt-Out tells what it already handled (it also confirmed it to the texter).
OPT_OUT_TYPES = {"STOP": STOPPED, "START": STARTED}

LONGEST_ID = 64


def incoming_sms(form: Mapping[str, str]) -> IncomingSms:
    return IncomingSms(
        message_id=xml_safe(form.get("MessageSid") or form.get("SmsSid") or "")[:LONGEST_ID],
        sender=(form.get("From") or "")[:LONGEST_ID],
        body=xml_safe(form.get("Body") or ""),
        handled_by_provider=OPT_OUT_TYPES.get((form.get("OptOutType") or "").upper()),
    )


def report(message_id: str, status: str, error_code: str) -> DeliveryReport:
    """What Twilio tells of a message it was given, by status callback or when asked."""
    code = error_code[:20]
    return DeliveryReport(
        message_id=message_id[:LONGEST_ID],
        status=STATUSES.get(status),
        error=f"code {code}" if code else "",
        recipient_opted_out=code == str(OPTED_OUT),
    )


def delivery_report(form: Mapping[str, str]) -> DeliveryReport:
    return report(xml_safe(form.get("MessageSid") or ""), form.get("MessageStatus") or "", form.get("ErrorCode") or "")

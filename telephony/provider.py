"""Which telephone provider this installation talks to, and the webhook guard in front of it.

Views of the voice menu and the SMS service use only what this module and the neutral types
(telephony.voice, telephony.messages) offer; everything provider-specific sits in the provider's
own package (telephony/twilio/). Another provider is another such package offering the same
functions; the setting TELEPHONY_PROVIDER names it.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from flask import Request, Response, abort, current_app, request

from telephony.calls import CallEnd, CallStep, Dialler, RecordingReport
from telephony.deadline import within_deadline
from telephony.local import CallerDoes
from telephony.messages import DeliveryReport, IncomingSms, Recordings, Sender
from telephony.voice import VoiceAnswer

log = logging.getLogger(__name__)

_NAME = re.compile(r"[a-z][a-z0-9_]*")


# What a provider's package offers (see telephony/twilio/__init__.py).
OFFERS = (
    "MIMETYPE",
    "is_signed",
    "call_step",
    "call_end",
    "recording_report",
    "incoming_sms",
    "delivery_report",
    "voice",
    "sms",
    "sender",
    "dialler",
    "recordings",
    "local",
)


def _provider(config: Mapping[str, Any]) -> ModuleType:
    return _package(str(config.get("TELEPHONY_PROVIDER") or "twilio").strip().lower())


@functools.cache
def _package(name: str) -> ModuleType:
    """The provider's package by its name, looked up once (every webhook asks for it)."""
    wrong = f"TELEPHONY_PROVIDER must name a provider's package under telephony/ (such as twilio), not {name!r}"
    if not _NAME.fullmatch(name):
        raise ValueError(wrong)
    try:
        package = importlib.import_module(f"telephony.{name}")
    except ImportError:
        raise ValueError(wrong) from None
    if not hasattr(package, "__path__") or not all(hasattr(package, part) for part in OFFERS):
        raise ValueError(wrong)
    return package


def check(config: Mapping[str, Any]) -> None:
    """Refuse to start with a provider the service cannot talk through (raises ValueError)."""
    _provider(config)


def current() -> ModuleType:
    """The configured provider's package (TELEPHONY_PROVIDER, a package under telephony/)."""
    return _provider(current_app.config)


def signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403) any request the provider did not sign, before the view can read or store anything.

    There is deliberately no switch to turn this off: local tools sign with the development token.
    """

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not current().is_signed(request, current_app.config):
            log.warning("refused unsigned or forged webhook request to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return checked


def webhook(view: Callable[..., Any]) -> Callable[..., Any]:
    """A signed webhook whose view answers within the deadline (telephony.deadline: when it cannot,
    TooLate goes to the blueprint's error handler, which apologises without the database)."""

    @functools.wraps(view)
    def in_time(*args: Any, **kwargs: Any) -> Any:
        return within_deadline(view, *args, **kwargs)

    return signed(in_time)


def document(body: str) -> Response:
    """A provider document (TwiML for Twilio) as the HTTP answer to its webhook."""
    return Response(body, status=200, mimetype=current().MIMETYPE)


def served_by_proxy(path: str, body: str) -> str:
    """An nginx location that answers path with body itself, for any method (the provider POSTs):
    the fallback keeps answering when every thread of the app is stuck."""
    quoted = body.replace("\\", "\\\\").replace("'", "\\'")
    return f"location = {path} {{\n    default_type {current().MIMETYPE};\n    return 200 '{quoted}';\n}}\n"


# Calls -------------------------------------------------------------------------------------------


def rendered(answer: VoiceAnswer) -> str:
    """A voice answer as the provider's document, to be kept and sent again (see document)."""
    return str(current().voice(answer))


def voice_answer(answer: VoiceAnswer) -> Response:
    return document(rendered(answer))


def call_step(request: Request) -> CallStep:
    """What the provider tells about this step of a call; never fails, whatever the request holds."""
    step: CallStep = current().call_step(request.form)
    return step


def call_end(request: Request) -> CallEnd:
    """What the provider's status report tells about a call the city placed; never fails."""
    found: CallEnd = current().call_end(request.form)
    return found


def recording_report(request: Request) -> RecordingReport:
    report: RecordingReport = current().recording_report(request.form)
    return report


# Text messages ------------------------------------------------------------------------------------


def incoming_sms(incoming: Request) -> IncomingSms:
    """The SMS this webhook request brings."""
    found: IncomingSms = current().incoming_sms(incoming.form)
    return found


def delivery_report(incoming: Request) -> DeliveryReport:
    """What became of a message we sent, as this status callback tells."""
    found: DeliveryReport = current().delivery_report(incoming.form)
    return found


def sms_answer(text: str) -> Response:
    """Answer an incoming SMS with text (no text: no answer)."""
    return document(current().sms(text))


def sender(config: Mapping[str, Any]) -> Sender:
    """How the worker sends: through the provider, or the console stand-in without credentials."""
    found: Sender = _provider(config).sender(config)
    return found


def dialler(config: Mapping[str, Any]) -> Dialler:
    """How the worker places news calls: through the provider, or the console stand-in without
    the provider's account and the hotline's number."""
    found: Dialler = _provider(config).dialler(config)
    return found


def recordings(config: Mapping[str, Any]) -> Recordings | None:
    """The provider's voice message store, or None where the configuration cannot reach it."""
    found: Recordings | None = _provider(config).recordings(config)
    return found


# Playing a phone locally (the simulator, flask call, flask text) ----------------------------------


def new_call_id() -> str:
    found: str = current().local.new_call_id()
    return found


def local_call(
    url: str, does: CallerDoes, *, call_id: str, caller: str, hotline: str, answered_by: str | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The form and headers the provider would send to url for this step of a call, signed.
    answered_by (telephony.calls.PERSON, MACHINE): a call the city placed to caller (a news call)."""
    form: dict[str, str] = current().local.call_request(
        does, call_id=call_id, caller=caller, hotline=hotline, answered_by=answered_by
    )
    return form, current().local.signed_headers(url, form, current_app.config)


def local_call_end(
    url: str, ended: str, *, call_id: str, caller: str, hotline: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The provider's signed status report that a call the city placed to caller ended (telephony.calls:
    ANSWERED, BUSY, NO_ANSWER, FAILED)."""
    form: dict[str, str] = current().local.call_end_request(ended, call_id=call_id, caller=caller, hotline=hotline)
    return form, current().local.signed_headers(url, form, current_app.config)


def local_sms(url: str, body: str, *, sender: str, hotline: str) -> tuple[dict[str, str], dict[str, str]]:
    """The form and headers the provider would send to url for an incoming SMS, signed."""
    form: dict[str, str] = current().local.sms_request(body, sender=sender, hotline=hotline)
    return form, current().local.signed_headers(url, form, current_app.config)


def read_voice(body: str) -> VoiceAnswer:
    """A voice answer of ours, read back from the provider's document."""
    found: VoiceAnswer = current().local.read_voice(body)
    return found


def read_sms(body: str) -> list[str]:
    """The texts of an SMS answer, read back from the provider's document."""
    found: list[str] = current().local.read_sms(body)
    return found

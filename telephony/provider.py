"""Which telephone provider this installation talks to, and the webhook guard in front of it.

Views of the voice menu and the SMS service use only what this module and the neutral types
(telephony.voice, telephony.messages) offer; everything provider-specific sits in the provider's
own package (telephony/twilio/). Another provider is another such package plus its entry in
PROVIDERS; the setting TELEPHONY_PROVIDER chooses it.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from types import ModuleType
from typing import Any

from flask import Request, Response, abort, current_app, request

from telephony.calls import CallStep, RecordingReport
from telephony.voice import VoiceAnswer

log = logging.getLogger(__name__)

PROVIDERS = {"twilio": "telephony.twilio"}


def current() -> ModuleType:
    """The configured provider's package."""
    name = current_app.config.get("TELEPHONY_PROVIDER") or "twilio"
    return importlib.import_module(PROVIDERS[name])


def webhook(view: Callable[..., Any]) -> Callable[..., Any]:
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


def document(body: str) -> Response:
    """A provider document (TwiML for Twilio) as the HTTP answer to its webhook."""
    return Response(body, status=200, mimetype=current().MIMETYPE)


def rendered(answer: VoiceAnswer) -> str:
    """A voice answer as the provider's document, to be kept and sent again (see document)."""
    return str(current().voice(answer))


def voice_answer(answer: VoiceAnswer) -> Response:
    return document(rendered(answer))


def call_step(request: Request) -> CallStep:
    """What the provider tells about this step of a call; never fails, whatever the request holds."""
    step: CallStep = current().call_step(request.form)
    return step


def recording_report(request: Request) -> RecordingReport:
    report: RecordingReport = current().recording_report(request.form)
    return report

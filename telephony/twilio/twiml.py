"""Our voice answers and SMS replies as TwiML, built with the twilio library.

Whatever text they carry (a greeting or an announcement stored before the staff forms cleaned
it), no character XML forbids reaches Twilio: one would make the whole answer unreadable.
"""

from __future__ import annotations

from twilio.twiml import TwiML
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from telephony.text import xml_safe
from telephony.voice import Ask, Connect, GoTo, HangUp, Record, Say, VoiceAnswer


def voice(answer: VoiceAnswer) -> str:
    response = VoiceResponse()
    for command in answer.commands:
        _render(response, command)
    return xml_safe(str(response.to_xml()))


def sms(text: str) -> str:
    """An SMS reply; no text means no reply at all."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return xml_safe(str(response.to_xml()))


def _say(parent: TwiML, say: Say) -> None:
    element = parent.say(voice=say.voice, language=say.language)
    for sentence in say.sentences:
        element.prosody(sentence, rate=say.rate)
        element.break_(time=say.pause)


def _render(response: VoiceResponse, command: object) -> None:
    if isinstance(command, Say):
        _say(response, command)
    elif isinstance(command, Ask):
        gather = response.gather(
            input="dtmf speech",
            action=command.action,
            method="POST",
            # One key answers a menu ("#" is back there); a typed number ends with "#".
            num_digits=None if command.typed_number else 1,
            finish_on_key="#" if command.typed_number else "",
            timeout=command.timeout,
            speech_timeout="auto",
            language=command.language,
            hints=command.hints or None,
        )
        for say in command.prompt:
            _say(gather, say)
    elif isinstance(command, Record):
        response.record(
            action=command.action,
            method="POST",
            max_length=command.longest,
            finish_on_key="#",
            play_beep=True,
            timeout=command.silence,
            trim="trim-silence",
            recording_status_callback=command.status_callback,
            recording_status_callback_method="POST",
            recording_status_callback_event="completed",
        )
    elif isinstance(command, Connect):
        response.dial(command.number, action=command.action, method="POST", timeout=command.timeout)
    elif isinstance(command, GoTo):
        response.redirect(command.url, method="POST")
    elif isinstance(command, HangUp):
        response.hangup()
    else:
        raise TypeError(f"no TwiML for {command!r}")

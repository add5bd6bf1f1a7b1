"""flask call and flask text: the hotline in a terminal, through the same signed webhooks as Twilio."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import urljoin

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from web.simulator import SimulatedPhone

KEYPAD = set("0123456789*#")
DIAL_OUTCOMES = {"1": "completed", "2": "busy", "3": "no-answer"}


def said(twiml: ET.Element) -> list[str]:
    """Everything the caller hears in this answer, in order."""
    return [" ".join(" ".join(part.strip() for part in element.itertext() if part.strip()).split()) for element in twiml.iter("Say")]


def step(twiml: ET.Element, ask: Callable[[str], str | None]) -> tuple[str, dict[str, str]] | None:
    """What the caller does next at this answer: (where to, with what), or None when the call ends."""
    gather, record, dial, redirect = (twiml.find(verb) for verb in ("Gather", "Record", "Dial", "Redirect"))
    if gather is not None:
        typed = ask("Key or words (Enter: silence)")
        if typed is None:
            return None
        if typed.strip() == "":
            return (redirect.text or "", {}) if redirect is not None else None
        if typed.strip() in KEYPAD:
            return gather.get("action", ""), {"Digits": typed.strip()}
        return gather.get("action", ""), {"SpeechResult": typed.strip(), "Confidence": "0.9"}
    if record is not None:
        typed = ask("Your message, typed (Enter: say nothing)")
        if typed:
            return record.get("action", ""), {"RecordingDuration": str(max(1, len(typed.split())))}
        return (redirect.text or "", {}) if redirect is not None else None
    if dial is not None:
        outcome = ask("The staff phone: 1 answered, 2 busy, 3 no answer")
        return dial.get("action", ""), {"DialCallStatus": DIAL_OUTCOMES.get((outcome or "1").strip(), "completed")}
    if redirect is not None:
        return redirect.text or "", {}
    return None


def walk(phone: SimulatedPhone, ask: Callable[[str], str | None], hear: Callable[[str], None]) -> None:
    """Call the hotline and follow its answers until it hangs up or the caller stops typing."""
    answer = phone.voice("/voice", {})
    while True:
        if answer.status != 200:
            hear(f"(the hotline answered HTTP {answer.status})")
            return
        twiml = ET.fromstring(answer.twiml)
        for sentence in said(twiml):
            hear(sentence)
        following = step(twiml, ask)
        if following is None:
            hear("(call ended)")
            return
        target, inputs = following
        answer = phone.voice(urljoin(answer.path, target), inputs)


def _prompt(label: str) -> str | None:
    try:
        return click.prompt(label, default="", show_default=False)
    except (click.Abort, EOFError):
        return None


@click.command("call")
@with_appcontext
def call_command() -> None:
    """Call the hotline from the terminal: type keys or words, Enter alone for silence."""
    walk(SimulatedPhone(current_app._get_current_object()), _prompt, click.echo)  # type: ignore[attr-defined]


@click.command("text")
@click.argument("body")
@with_appcontext
def text_command(body: str) -> None:
    """Send one SMS to the hotline and show the answer."""
    answer = SimulatedPhone(current_app._get_current_object()).text(body)  # type: ignore[attr-defined]
    replies = ["".join(message.itertext()) for message in ET.fromstring(answer.twiml).iter("Message")]
    click.echo("\n".join(replies) if replies else "(no answer)")


def init_app(app: Flask) -> None:
    app.cli.add_command(call_command)
    app.cli.add_command(text_command)

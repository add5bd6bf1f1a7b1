"""flask call and flask text: the hotline in a terminal, through the same signed webhooks as Twilio.
flask call --answer takes the news call ringing at the simulated phone instead."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from content.phone import SIMULATED_NUMBER, spoken_form
from telephony.local import ANSWERED, BUSY, NO_ANSWER, CallerDoes, Turn
from telephony.voice import KEYPAD, Ask, Connect, Record
from web import ringing
from web.simulator import Answer, SimulatedPhone

DIAL_OUTCOMES = {"1": ANSWERED, "2": BUSY, "3": NO_ANSWER}


def next_step(read: Turn, ask: Callable[[str], str | None]) -> tuple[str, CallerDoes] | None:
    """What the caller does next at this answer: (where to, what), or None when the call ends."""
    waits = read.waits_for
    if isinstance(waits, Ask):
        typed = ask("Key or words (Enter: silence)")
        if typed is None:
            return None
        typed = typed.strip()
        if not typed:
            return (read.otherwise, CallerDoes()) if read.otherwise else None
        if len(typed) == 1 and typed in KEYPAD:
            return waits.action, CallerDoes(key=typed)
        return waits.action, CallerDoes(words=typed)
    if isinstance(waits, Record):
        typed = ask("Your message, typed (Enter: say nothing)")
        if typed:
            return waits.action, CallerDoes(recorded_seconds=max(1, len(typed.split())))
        return (read.otherwise, CallerDoes()) if read.otherwise else None
    if isinstance(waits, Connect):
        outcome = ask("The staff phone: 1 answered, 2 busy, 3 no answer")
        return waits.action, CallerDoes(connect_outcome=DIAL_OUTCOMES.get((outcome or "1").strip(), ANSWERED))
    if read.otherwise:
        return read.otherwise, CallerDoes()
    return None


def walk(
    phone: SimulatedPhone, ask: Callable[[str], str | None], hear: Callable[[str], None], first: Answer | None = None
) -> None:
    """Call the hotline (or go on from the first answer of a call the city placed) and follow its
    answers until it hangs up or the caller stops typing."""
    answer = first or phone.voice("/voice", CallerDoes())
    while True:
        if answer.status != 200:
            hear(f"(the hotline answered HTTP {answer.status})")
            return
        read = phone.turn(answer)
        for sentence, _language in read.said:
            hear(sentence)
        following = next_step(read, ask)
        if following is None:
            hear("(call ended)")
            return
        target, does = following
        answer = phone.voice(target, does)


def _prompt(label: str) -> str | None:
    try:
        return click.prompt(label, default="", show_default=False)
    except (click.Abort, EOFError):
        return None


def answer_news_call(phone: SimulatedPhone, ask: Callable[[str], str | None], hear: Callable[[str], None]) -> None:
    """Take the news call ringing at the simulated phone, follow it like a call, and report its end."""
    taken = ringing.answer(phone)
    if taken is None:
        hear(f"(no news call is ringing at the simulated phone, {spoken_form(SIMULATED_NUMBER)})")
        return
    outbox_id, first = taken
    hear("(the citizens' line is calling you: answered)")
    try:
        walk(phone, ask, hear, first)
    finally:
        if first.status == 200:  # answered (a call the hotline failed to answer rings on)
            ringing.hung_up(phone, outbox_id)


@click.command("call")
@click.option("--answer", is_flag=True, help="Answer the news call ringing at the simulated phone instead.")
@with_appcontext
def call_command(answer: bool) -> None:
    """Call the hotline from the terminal: type keys or words, Enter alone for silence."""
    phone = SimulatedPhone(current_app._get_current_object())  # type: ignore[attr-defined]  # the proxy's own way to the app object
    if answer:
        answer_news_call(phone, _prompt, click.echo)
    else:
        walk(phone, _prompt, click.echo)


@click.command("text")
@click.argument("body")
@with_appcontext
def text_command(body: str) -> None:
    """Send one SMS to the hotline and show the answer."""
    replies = SimulatedPhone(current_app._get_current_object()).text(body)  # type: ignore[attr-defined]  # the proxy's own way to the app object
    click.echo("\n".join(replies) if replies else "(no answer)")


def init_app(app: Flask) -> None:
    app.cli.add_command(call_command)
    app.cli.add_command(text_command)

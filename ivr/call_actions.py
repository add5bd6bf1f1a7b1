"""What a caller sets in motion for the news calls: subscribing (with the words they agreed to),
the answering machine, stopping (under key 4, or by the stop key during a news call).

Like ivr.actions, these change things and depend on whose number it is, so their answers are
never reused; the rules themselves live in content.news_calls.
"""

from __future__ import annotations

from collections.abc import Callable

from content import db, news_calls
from ivr import call_choices, news_call, prompts
from ivr.actions import Line, can_be_called, sms_and_data
from ivr.call import Call
from ivr.menu import present
from ivr.nodes import MAIN
from ivr.speaking import Line as Said
from telephony.voice import VoiceAnswer


def home(call: Call, lead: list[Said]) -> VoiceAnswer:
    """Where the caller goes on: the main menu, or on a news call its keys."""
    if call.state.news:
        return present(news_call.CALL_NEWS, call, lead, brief=True)
    return present(MAIN, call, lead)


def subscribe_calls(call: Call, line: Line) -> VoiceAnswer:
    """Confirmed with 1: call this number with the news as chosen; the consent kept is the words
    the caller just heard, in their language. Never a number the city may not call (abroad, or
    one that costs more): key 4 does not offer the calls to it, and this refuses it too."""
    if line.number is None:
        return present(MAIN, call, [call.line(prompts.SITUATION_WITHHELD)])
    if not can_be_called(call, line.number):
        return present(MAIN, call.but(calls=""), [call.line(prompts.CANNOT_CALL)])
    choices = call_choices.chosen(call)
    if choices is None:  # not reached through the questions
        return call_choices.start_choosing(call)
    wording = " ".join(said.text for said in call_choices.consent_lines(call))
    session = db.session()
    news_calls.subscribe(
        session, line.number, language=call.language.code, choices=choices, wording=wording, now=call.now
    )
    session.commit()
    return present(MAIN, call.but(calls=""), [call.line(prompts.CALLS_SUBSCRIBED)])


def machine_setting(call: Call, line: Line) -> VoiceAnswer:
    """Key 4, then "answering machine": what happens now, then the choice."""
    called = news_calls.find(db.session(), line.number) if line.number else None
    if called is None:
        return sms_and_data(call, line)
    now = prompts.MACHINE_IS_ENOUGH_NOW if called.machine_is_enough else prompts.MACHINE_TRY_AGAIN_NOW
    return present(call_choices.MACHINE, call, [call.line(now)])


def machine(keep_trying: bool) -> Callable[[Call, Line], VoiceAnswer]:
    """Whether the city tries again after a message on the answering machine (keep_trying) or not."""

    def choose(call: Call, line: Line) -> VoiceAnswer:
        session = db.session()
        if line.number is None or not news_calls.keep_trying_after_machine(session, line.number, keep_trying):
            return sms_and_data(call, line)  # no calls (any more): what this caller can do here
        session.commit()
        return present(MAIN, call, [call.line(prompts.SETTING_SAVED)])

    return choose


def stop_calls(call: Call, line: Line) -> VoiceAnswer:
    """Confirmed with 1: no more news calls; on a news call, goodbye."""
    if line.number is None:
        return present(MAIN, call, [call.line(prompts.SITUATION_WITHHELD)])
    session = db.session()
    news_calls.stop(session, line.number)
    session.commit()
    stopped = call.line(prompts.CALLS_STOPPED)
    # In a news call, the resident may not know the line's number yet: where to hear the news now.
    return news_call.farewell(call, [stopped]) if call.state.news else present(MAIN, call, [stopped])


def calls_kept(call: Call, line: Line) -> VoiceAnswer:
    """# at the question whether to stop: nothing changes."""
    return home(call, [call.line(prompts.CALLS_KEPT)])


ACTIONS: dict[str, Callable[[Call, Line], VoiceAnswer]] = {
    "subscribe-calls": subscribe_calls,
    "calls-machine": machine_setting,
    "machine-is-enough": machine(keep_trying=False),
    "machine-try-again": machine(keep_trying=True),
    "stop-calls": stop_calls,
    "calls-kept": calls_kept,
}

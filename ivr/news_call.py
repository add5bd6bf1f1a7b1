"""The news call: the city calls a resident who asked for it (key 4) and reads them the news.

A person hears who calls and why, then the item (or, in a weekly summary, one item after the
other), and the keys they know from the hotline's lists: `*` again (slower already the second
time they hear it), 1 the next item, 2 as an SMS (where the number can receive one), 0 a person,
the stop key, # to end the call. An answering machine gets a short message with the hotline's
number and no menu.

The call is the hotline's menu engine with a few differences, because the resident did not call
us: silence says the keys once more and then a warm goodbye (never the hotline's offer of a
call back); a wrong key never leads on to a person by itself, and the third in a row ends the
call warmly, as # does; and the call answers only so many steps (most_steps), so that a TV or
an answering machine taken for a person cannot keep the line open for long. When something
breaks, the resident hears who called them, never the hotline's "thank you for calling".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from content.channel_texts import reading
from content.phone import spoken_form
from content.snapshot import NewsItem
from content.texts import sentence
from ivr import call_choices, menu, prompts
from ivr.call import Call, Heard
from ivr.menu import (
    CALLBACK,
    HELP,
    SLOWER,
    Node,
    Option,
    connect,
    digits_for_speech,
    heard_key,
    present,
    redirect_to,
    repeat,
    said_words,
    staff_answering,
)
from ivr.nodes import heard_news, in_language, news_position
from ivr.speaking import Line, speak
from ivr.state import MOST_ERRORS
from telephony.calls import PutThrough
from telephony.voice import KEYPAD, HangUp, Say, VoiceAnswer

# How many steps one news call answers: two for each item it reads (hearing it, and once more,
# or as an SMS) and a few besides (a person, the stop question, a slip of the finger). A person
# is done long before; a TV or an answering machine taken for a person, whose noise the menu
# takes for keys, gets the goodbye after that (with one item, ten steps: a few minutes at most).
STEPS_PER_ITEM = 2
STEPS_BESIDES = 8


def call_news(call: Call) -> tuple[NewsItem, ...]:
    """What this news call still reads: its announcements that are public now (none without any)."""
    return heard_news(call) if call.state.news else ()


# Saying goodbye -------------------------------------------------------------------------------


def goodbye(call: Call, lead: Sequence[Line] = (), *, warm: bool = True) -> VoiceAnswer:
    """Hang up after lead, with thanks for listening (warm) or a plain goodbye."""
    last = call.line(prompts.CALL_GOODBYE if warm else prompts.PLAIN_GOODBYE)
    return VoiceAnswer().add(*speak([*lead, last], slow=call.slow), HangUp())


def gone(call: Call) -> VoiceAnswer:
    """Nothing left to read (no such call, or its news expired): who calls, that it is over, goodbye."""
    return goodbye(call, [call.line(prompts.CALL_NEWS_GONE, town=call.profile.town)], warm=False)


def on_the_hotline(call: Call) -> list[Say]:
    """Where the news can be heard any time: the hotline's number, slowly, twice (none without one)."""
    if not call.profile.hotline_number:
        return []
    number = digits_for_speech(spoken_form(call.profile.hotline_number))
    return speak([call.line(prompts.MACHINE_HEAR_IT, number=number)], slow=True)


def farewell(call: Call, lead: Sequence[Line]) -> VoiceAnswer:
    """The call ends before the resident ended it: lead, where to hear the news, a warm goodbye."""
    return (
        VoiceAnswer()
        .add(*speak(lead, slow=call.slow), *on_the_hotline(call))
        .add(*speak([call.line(prompts.CALL_GOODBYE)], slow=call.slow), HangUp())
    )


# When something breaks (the database, or the provider cannot reach us) ---------------------------


def trouble(call: Call) -> list[Line]:
    return [call.line(prompts.CALL_FROM, town=call.profile.town), call.line(prompts.TECHNICAL_PROBLEM)]


def apology(call: Call, *, again: bool = True) -> VoiceAnswer:
    """The answer to a news call failed: who calls, that something is wrong, goodbye. The answer
    was not noted, so the call is tried again (again: a try is left), and the resident is told
    so; on the last try, where to hear the news instead. Needs no database."""
    if not again:
        return apology_during(call)
    return goodbye(call, [*trouble(call), call.line(prompts.CALL_AGAIN_LATER)], warm=False)


def apology_during(call: Call) -> VoiceAnswer:
    """A step of a news call failed (the news was noted as heard): who calls, that something is
    wrong, where to hear the news, goodbye. Needs no database."""
    return (
        VoiceAnswer()
        .add(*speak(trouble(call), slow=call.slow), *on_the_hotline(call))
        .add(*speak([call.line(prompts.PLAIN_GOODBYE)], slow=call.slow), HangUp())
    )


# What a person hears ------------------------------------------------------------------------------


def greeting(call: Call, count: int) -> Line:
    return call.plural(prompts.CALL_GREETING, count, town=call.profile.town)


def start(call: Call) -> VoiceAnswer:
    """A person took the call: who calls and why, then the first item."""
    items = call_news(call)
    if not items:
        return gone(call)
    return present(CALL_NEWS, call.but(item=1), [greeting(call, len(items))])


def item_lines(call: Call) -> list[Line]:
    """The item's date, title and text (in the first language after a note, where it is not in the
    caller's), then the keys."""
    items = call_news(call)
    if not items:  # the caller is told so before this is said (respond)
        return [call.line(prompts.CALL_NEWS_GONE, town=call.profile.town)]
    position = news_position(call)
    item = items[position - 1]
    when = call.spoken_date(item.publish_at.date())
    if len(items) == 1:
        header = call.line(prompts.CALL_ITEM, date=when)
    else:
        header = call.line(prompts.NEWS_ITEM, position=position, total=len(items), date=when)
    return [header, *in_language(call, item.texts, "title", "body", rule=item.untranslated), *keys(call)]


def keys(call: Call) -> list[Line]:
    lines = []
    if news_position(call) < len(call_news(call)):
        lines.append(call.line(prompts.NEXT_NEWS))
    if call.state.mobile:
        lines.append(call.line(prompts.SEND_AS_SMS))
    # The hash key ends the call with a goodbye, as the caller would expect, unsaid: one sentence
    # less to hear, and "end" said twice (this call, these calls) would confuse.
    return [*lines, call.line(prompts.TO_REPEAT), call.line(prompts.FOR_STOP_CALLS, key=call_choices.STOP_KEY)]


def next_item(call: Call) -> VoiceAnswer:
    position = news_position(call)
    if position >= len(call_news(call)):
        return present(CALL_NEWS, call, [call.line(prompts.LAST_NEWS)], brief=True)
    return present(CALL_NEWS, call.but(item=position + 1))


def options(call: Call) -> list[Option]:
    found = []
    if len(call_news(call)) > 1:
        found.append(Option("1", said_words(prompts.SAY_NEXT), next_item))
    if call.state.mobile:
        found.append(Option("2", said_words(prompts.SAY_SEND_SMS), redirect_to("send-news")))
    stop = Option(call_choices.STOP_KEY, said_words(prompts.SAY_STOP_CALLS), stop_asked)
    return [*found, stop]


def stop_asked(call: Call) -> VoiceAnswer:
    return present(call_choices.STOP_CALLS, call)


CALL_NEWS = Node("call-news", item_lines, options, back=goodbye, say_after_silence=keys, is_list=True)


# What an answering machine records ----------------------------------------------------------------


def title_lines(call: Call, item: NewsItem) -> list[Line]:
    """An item's title, in the caller's language or (after the note) in the first one."""
    found = reading(item.texts, item.untranslated, call.language.code, call.profile.default_language.code)
    if found is None:
        return []
    language = call.profile.language(found.language)
    title = Line(sentence(found.fields.get("title")), language)
    if not found.noted:
        return [title]
    return [call.line(prompts.ONLY_IN_LANGUAGE, language=language.name(call.language.code)), title]


def machine_message(call: Call) -> VoiceAnswer:
    """After the beep: who calls, the news's titles, the hotline's number (slowly, twice), goodbye."""
    items = call_news(call)
    if not items:
        return gone(call)
    lines = [greeting(call, len(items)), *(line for item in items for line in title_lines(call, item))]
    message = VoiceAnswer().add(*speak(lines, slow=call.slow), *on_the_hotline(call))
    return message.add(*speak([call.line(prompts.PLAIN_GOODBYE)], slow=call.slow), HangUp())


# A person (key 0), and how the call answers --------------------------------------------------------

# Outside office hours the call back, as on the hotline; # goes back to the news, where the caller was.
CALL_CALLBACK = replace(
    CALLBACK, name="call-callback", back=lambda call: present(CALL_NEWS, call, brief=True), is_list=True
)


def person(node: Node, call: Call) -> VoiceAnswer:
    """Put the resident through in office hours; otherwise offer a call back."""
    number = staff_answering(call)
    if number:
        return connect(call, number)
    if not call.profile.staff_number:
        return present(node, call, [call.line(prompts.NO_STAFF_NUMBER)], brief=True)
    return present(CALL_CALLBACK, call)


def after_dial(call: Call, ended: PutThrough | None) -> VoiceAnswer:
    """After the resident spoke to staff, goodbye; if nobody answered, the call back."""
    if ended is PutThrough.TALKED:
        return goodbye(call)
    return present(CALL_CALLBACK, call, [call.line(prompts.NOBODY_FREE)])


def after_silence(node: Node, call: Call) -> VoiceAnswer:
    """Silence: the keys once more; silence again, a warm goodbye (the resident did not call us)."""
    if call.state.silences <= 1:
        return present(node, call)
    return goodbye(call)


def most_steps(call: Call) -> int:
    return STEPS_PER_ITEM * len(call.state.news_ids) + STEPS_BESIDES


def not_understood(node: Node, call: Call, key: str | None) -> VoiceAnswer:
    """An unknown key or words: say so and the keys again; the third time in a row, a warm goodbye
    (never a person by itself: the noise may be a TV, or a machine taken for a person)."""
    note = call.line(prompts.KEY_NOT_USED, key=key) if key and key in KEYPAD else call.line(prompts.NOT_UNDERSTOOD)
    errors = call.state.errors + 1
    if errors >= MOST_ERRORS:
        return farewell(call, [note])
    return present(node, call.but(repeats=0, silences=0, errors=errors), [note], brief=True)


def respond(node: Node, call: Call, heard: Heard) -> VoiceAnswer:
    """Answer what the resident did at a prompt of the news call."""
    if node is CALL_NEWS and not call_news(call):
        return gone(call)
    if call.state.steps >= most_steps(call):
        return farewell(call, [])
    call = call.but(steps=call.state.steps + 1)
    if heard.nothing:
        return after_silence(node, call)
    key = heard_key(node, call, heard)
    fresh = call.but(repeats=0, silences=0, errors=0)
    if key == "*":  # slower already the second time it is heard: the news is new to the listener
        return repeat(node, call.but(errors=0, slower=1))
    if key == "0":
        return person(node, fresh)
    if key in (HELP, SLOWER, "#") or any(option.key == key for option in node.options(call)):
        return menu.respond(node, call, heard)
    return not_understood(node, call, key)


NODES = {node.name: node for node in (CALL_NEWS, CALL_CALLBACK)}

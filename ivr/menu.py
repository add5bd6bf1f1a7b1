"""The menu tree as data plus small pure functions: (call, what the caller did) -> a voice answer.

Key conventions, the same everywhere: 1-5 the options of this menu, * repeat (slower the second
time), # back (in the main menu: repeat), 0 a person, 9 language (main menu). Every prompt is an
Ask that takes keys and speech; after it, a GoTo handles silence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from content import office_hours
from content.phone import spoken_form
from ivr import prompts
from ivr.call import Call, Heard
from ivr.speaking import Line, speak
from ivr.state import MOST_REPEATS
from ivr.understanding import Choice, phrases, understand
from telephony.voice import KEYPAD, Ask, Connect, GoTo, HangUp, VoiceAnswer

# Seconds to wait for a key: long enough for a slow caller to find it on the keypad.
GATHER_TIMEOUT = 8
DIAL_TIMEOUT = 30


@dataclass(frozen=True)
class Option:
    key: str
    words: Callable[[Call], list[str]]  # what the caller may say instead of pressing key
    go: Callable[[Call], VoiceAnswer]


@dataclass(frozen=True)
class Node:
    """A menu: what it says, which keys it offers, and where # leads."""

    name: str
    say: Callable[[Call], list[Line]]  # the whole prompt (for a list: the item and the keys)
    options: Callable[[Call], list[Option]]
    back: Callable[[Call], VoiceAnswer]
    # The prompt again after silence; for a list only the keys, not the whole item.
    say_after_silence: Callable[[Call], list[Line]] | None = field(default=None)
    is_list: bool = False  # lists (news, projects) remember the caller's place in them
    typed_number: bool = False  # the answer is a number of several keys, ended with the hash key


def said_words(message: str) -> Callable[[Call], list[str]]:
    return lambda call: phrases(call.text(message))


def redirect_to(action: str) -> Callable[[Call], VoiceAnswer]:
    """Go on at an action's URL: actions change things, so their answers are never reused."""

    def go(call: Call) -> VoiceAnswer:
        return VoiceAnswer().add(GoTo(call.url(action, call.state)))

    return go


def present(node: Node, call: Call, lead: Sequence[Line] = (), *, brief: bool = False) -> VoiceAnswer:
    """Say lead and the node's prompt, waiting for a key or words; if the caller stays silent, come back.

    brief: for a list, say only its keys, not the whole item again.
    """
    if not node.is_list and (call.state.item or call.state.choice):
        call = call.but(item=0, choice=0)
    state = call.state
    choices = _choices(node, call)
    prompt = node.say_after_silence if (brief or state.silences) and node.say_after_silence else node.say
    ask = Ask(
        action=call.url(node.name, state.but(silences=0)),
        prompt=tuple(speak([*lead, *prompt(call)], slow=state.slow)),
        language=call.language.speech,
        hints=", ".join(dict.fromkeys(p for _, words in choices for p in words if len(p) > 1)),
        timeout=GATHER_TIMEOUT,
        typed_number=node.typed_number,
    )
    return VoiceAnswer().add(ask, GoTo(call.url(node.name, state.but(repeats=0, silences=state.silences + 1))))


def _choices(node: Node, call: Call) -> list[Choice]:
    own: list[Choice] = [(option.key, option.words(call)) for option in node.options(call)]
    common = [
        ("*", phrases(call.text(prompts.SAY_REPEAT))),
        ("#", phrases(call.text(prompts.SAY_BACK))),
        ("0", phrases(call.text(prompts.SAY_PERSON))),
    ]
    digits = [(key, phrases(call.text(words))) for key, words in prompts.SAY_DIGITS.items()]
    return own + common + digits


def respond(node: Node, call: Call, heard: Heard) -> VoiceAnswer:
    """Answer what the caller did at node's prompt."""
    if heard.nothing:
        if call.state.silences == 0:
            return present(node, call)
        if call.state.silences == 1:
            return present(node, call, [call.line(prompts.DID_NOT_HEAR)])
        return give_up(call)
    fresh = call.but(repeats=0, silences=0)
    key = (heard.key or "").strip() or understand(heard.speech or "", _choices(node, call))
    if key is None:
        return present(node, fresh, [call.line(prompts.NOT_UNDERSTOOD)])
    if key == "*":
        return repeat(node, call)
    if key == "#":
        return node.back(call.but(silences=0))  # the main menu counts # as a repeat
    if key == "0":
        return person(node, fresh)
    for option in node.options(call):
        if option.key == key:
            return option.go(fresh)
    if key not in KEYPAD:
        return present(node, fresh, [call.line(prompts.NOT_UNDERSTOOD)])
    return present(node, fresh, [call.line(prompts.KEY_NOT_USED, key=key)])


def repeat(node: Node, call: Call) -> VoiceAnswer:
    """Say the prompt again; from the second repeat on, slower."""
    return present(node, call.but(repeats=min(call.state.repeats + 1, MOST_REPEATS), silences=0))


# A person (key 0) --------------------------------------------------------------------------


def connect(call: Call, number: str, lead: Sequence[Line] = ()) -> VoiceAnswer:
    dialled = call.url("dialled", call.state.but(repeats=0, silences=0))
    return VoiceAnswer().add(
        *speak([*lead, call.line(prompts.CONNECTING)], slow=call.state.slow),
        Connect(number, action=dialled, timeout=DIAL_TIMEOUT),
    )


def staff_answering(call: Call) -> str | None:
    """The staff number, if somebody answers it now."""
    number = call.profile.staff_number
    return number if number and office_hours.is_open(call.profile, call.now) else None


def closed_lines(call: Call) -> list[Line]:
    """Why nobody answers now, and when somebody will."""
    if not call.profile.staff_number:
        return [call.line(prompts.NO_STAFF_NUMBER)]
    lines = [call.line(prompts.OFFICE_CLOSED)]
    if office_hours.is_public_holiday(call.profile, office_hours.local_date(call.profile, call.now)):
        lines.insert(0, call.line(prompts.PUBLIC_HOLIDAY))
    hours = office_hours.describe(call.profile, call.language.code)
    if hours:
        lines.append(call.line(prompts.OFFICE_HOURS, hours=hours))
    return lines


def person(node: Node, call: Call) -> VoiceAnswer:
    """Put the caller through in office hours; otherwise say the hours and offer a call back."""
    number = staff_answering(call)
    if number:
        return connect(call, number)
    if not call.profile.staff_number:
        return present(node, call, closed_lines(call))
    return present(CALLBACK, call, closed_lines(call))


# A call back (key 0 outside office hours, key 3 then 3) -----------------------------------------


def callback_day(call: Call) -> str:
    today = office_hours.local_date(call.profile, call.now)
    return call.spoken_day(office_hours.next_working_day(call.profile, today))


CALLBACK = Node(
    "callback",
    lambda call: [call.line(prompts.CALLBACK_OFFER, day=callback_day(call)), call.line(prompts.CALLBACK_CONFIRM)],
    lambda call: [Option("1", said_words(prompts.SAY_YES), redirect_to("callback-now"))],
    back=redirect_to("main"),
)


def give_up(call: Call) -> VoiceAnswer:
    """Twice no answer: a person if someone is in, otherwise the hours and a polite goodbye."""
    still = call.line(prompts.STILL_NOTHING)
    number = staff_answering(call)
    if number:
        return connect(call, number, [still])
    return goodbye(call, [still, *closed_lines(call)])


def goodbye(call: Call, lead: Sequence[Line] = ()) -> VoiceAnswer:
    return VoiceAnswer().add(*speak([*lead, call.line(prompts.GOODBYE)], slow=call.state.slow), HangUp())


def apology(call: Call) -> VoiceAnswer:
    """What a caller hears when something broke: sorry, the staff number, goodbye."""
    lines = [call.line(prompts.TECHNICAL_PROBLEM)]
    if call.profile.staff_number:
        lines.append(call.line(prompts.CALL_STAFF, number=digits_for_speech(spoken_form(call.profile.staff_number))))
    return goodbye(call, lines)


def digits_for_speech(number: str) -> str:
    """ "0631 3650" -> "0 6 3 1, 3 6 5 0": digit by digit, with a pause between the groups."""
    groups = [" ".join(group) for group in number.replace("-", " ").split()]
    return ", ".join(group for group in groups if group)

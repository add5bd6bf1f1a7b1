"""The menu tree as data plus small pure functions: (call, what the caller did) -> a voice answer.

Key conventions, the same everywhere: 1-5 the options of this menu, * repeat what was said (slower
from the second time on, for the rest of the call), # back (in the main menu: repeat), 0 a person,
9 language (main menu). Words work as well as keys, and "help" and "slower" work everywhere.
Every prompt is an Ask that takes keys and speech; after it, a GoTo handles silence.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from content import office_hours
from content.phone import spoken_form
from ivr import guide, prompts
from ivr.call import Call, Heard
from ivr.speaking import Line, speak
from ivr.state import LONGEST_SAID, MOST_ERRORS, MOST_REPEATS
from ivr.understanding import Choice, negated, offered_keys, phrases, understand, words
from telephony.voice import KEYPAD, Ask, Connect, GoTo, HangUp, VoiceAnswer

# Seconds to wait for a key: long enough for a slow caller to find it on the keypad.
GATHER_TIMEOUT = 8
DIAL_TIMEOUT = 30

# What a caller may say in every menu that no key stands for.
HELP = "help"
SLOWER = "slower"
# The keys of a menu's own options (0, *, # and the rest mean the same everywhere).
OPTION_KEYS = frozenset("123456789")


@dataclass(frozen=True)
class Option:
    key: str
    words: Callable[[Call], list[str]]  # what the caller may say instead of pressing key
    go: Callable[[Call], VoiceAnswer]
    # More words understood for key, but not given to speech recognition as hints (a language's
    # names in the town's other languages and scripts: many, and no help to this language's recognizer).
    also: Callable[[Call], list[str]] | None = None


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
    choosing: bool = False  # one of the questions for news calls: the answers so far are kept (CallState.calls)
    typed_number: bool = False  # the answer is a number of several keys, ended with the hash key


def said_words(message: str) -> Callable[[Call], list[str]]:
    return lambda call: phrases(call.text(message))


def redirect_to(action: str) -> Callable[[Call], VoiceAnswer]:
    """Go on at an action's URL: actions change things, so their answers are never reused."""

    def go(call: Call) -> VoiceAnswer:
        return VoiceAnswer().add(GoTo(call.url(action, call.state.but(said=""))))

    return go


def present(node: Node, call: Call, lead: Sequence[Line] = (), *, brief: bool = False) -> VoiceAnswer:
    """Say lead and the node's prompt, waiting for a key or words; if the caller stays silent, come back.

    brief: for a list, say only its keys, not the whole item again. The lead rides along in the
    URL (see remembered), so that `*` can say it again.
    """
    if not node.is_list and (call.state.item or call.state.choice):
        call = call.but(item=0, choice=0)
    if not node.choosing and call.state.calls:
        call = call.but(calls="")
    state = call.state
    choices = _common_choices(node, call)
    prompt = node.say_after_silence if (brief or state.silences) and node.say_after_silence else node.say
    lines = [*lead, *prompt(call)]
    ask = Ask(
        action=call.url(node.name, state.but(silences=0, said=remembered(lead))),
        prompt=tuple(speak([*lines, *person_key(node, call, lines)], slow=call.slow)),
        language=call.language.speech,
        hints=", ".join(dict.fromkeys(p for _, words in choices for p in words if len(p) > 1)),
        timeout=GATHER_TIMEOUT,
        typed_number=node.typed_number,
    )
    silent = state.but(repeats=0, silences=state.silences + 1, said="")
    return VoiceAnswer().add(ask, GoTo(call.url(node.name, silent)))


def person_key(node: Node, call: Call, said: Sequence[Line]) -> list[Line]:
    """ "For a person: 0.", unless it was just said, or 0 would only bring this same call back offer."""
    if any(line.source and line.source[0] in (prompts.FOR_PERSON, prompts.HELP_PERSON) for line in said):
        return []
    if node.say is CALLBACK.say and staff_answering(call) is None:  # the call back's offer, here or in a news call
        return []
    return [call.line(prompts.PERSON_KEY)]


def _common_choices(node: Node, call: Call) -> list[Choice]:
    """The menu's own words, then the words every menu understands."""
    own: list[Choice] = [(option.key, option.words(call)) for option in node.options(call)]
    common = [
        ("*", phrases(call.text(prompts.SAY_REPEAT))),
        ("#", phrases(call.text(prompts.SAY_BACK)) + phrases(call.text(prompts.SAY_NO))),
        ("0", phrases(call.text(prompts.SAY_PERSON))),
        (HELP, phrases(call.text(prompts.SAY_HELP))),
        (SLOWER, phrases(call.text(prompts.SAY_SLOWER))),
    ]
    digits = [(key, phrases(call.text(words))) for key, words in prompts.SAY_DIGITS.items()]
    return own + common + digits


def _choices(node: Node, call: Call) -> list[Choice]:
    """Everything a caller may say here: the words above, and what the prompt itself says for a key."""
    prompt = " ".join(line.text for line in node.say(call) if line.language == call.language)
    also = [(option.key, option.also(call)) for option in node.options(call) if option.also]
    return _common_choices(node, call) + also + offered_keys(prompt, key_naming(call))


def key_naming(call: Call) -> list[str]:
    """The words that name a key in the caller's language: ["press"], ["drucken", "sie", "die"]."""
    said = words(call.text(prompts.PRESS_KEY, what="what", key="7"))
    if "what" not in said or "7" not in said:
        return []
    return said[said.index("what") + 1 : said.index("7")]


def heard_key(node: Node, call: Call, heard: Heard) -> str | None:
    """The key the caller pressed, or the key (or HELP, SLOWER) their words stand for.

    Words that say no anywhere never choose one of the menu's options: "Nein, damit bin ich nicht
    einverstanden" must not erase, even though it contains "einverstanden". They are asked again.
    """
    pressed = (heard.key or "").strip()
    if pressed:
        return pressed
    speech = heard.speech or ""
    choices = _choices(node, call)
    key = understand(speech, choices)
    meant = [phrase for choice, said in choices if choice == key for phrase in said]
    if key is not None and key in OPTION_KEYS and negated(speech, phrases(call.text(prompts.SAY_NOT)), meant):
        return None
    return key


def respond(node: Node, call: Call, heard: Heard) -> VoiceAnswer:
    """Answer what the caller did at node's prompt."""
    if heard.nothing:
        return after_silence(node, call)
    key = heard_key(node, call, heard)
    fresh = call.but(repeats=0, silences=0, errors=0)
    if key == "*":
        return repeat(node, call.but(errors=0))
    if key == SLOWER:
        return slow_down(node, fresh)
    if key == HELP:
        return present(node, fresh, [call.line(guide.purpose(node.name)), call.line(prompts.HELP_PERSON)])
    if key == "#":
        return node.back(call.but(silences=0, errors=0))  # the main menu counts # as a repeat
    if key == "0":
        return person(node, fresh)
    for option in node.options(call):
        if option.key == key:
            return option.go(fresh)
    return not_understood(node, call, key)


def after_silence(node: Node, call: Call) -> VoiceAnswer:
    """Silence: the prompt again, then slower; then a person or the call back; only then goodbye."""
    silences = call.state.silences
    if silences <= 1:
        return present(node, call, [call.line(prompts.DID_NOT_HEAR)] if silences else [])
    if silences == 2:
        return give_up(call)
    return goodbye(call, [call.line(prompts.CALL_AGAIN)])


def not_understood(node: Node, call: Call, key: str | None) -> VoiceAnswer:
    """An unknown key or words: say so and offer the menu again; the third time in a row, a person."""
    errors = call.state.errors + 1
    if errors >= MOST_ERRORS:
        return offer_person(call.but(repeats=0, silences=0, errors=0), call.line(prompts.TRY_A_PERSON))
    note = call.line(prompts.KEY_NOT_USED, key=key) if key and key in KEYPAD else call.line(prompts.NOT_UNDERSTOOD)
    return present(node, call.but(repeats=0, silences=0, errors=errors), [note])


def repeat(node: Node, call: Call) -> VoiceAnswer:
    """Say again what was said last; from the second repeat on, slower, for the rest of the call."""
    repeats = min(call.state.repeats + 1, MOST_REPEATS)
    again = call.but(repeats=repeats, silences=0, slower=1 if repeats >= MOST_REPEATS else call.state.slower)
    return present(node, again, recalled(again))


def slow_down(node: Node, call: Call) -> VoiceAnswer:
    """ "Slower": from now on the whole call speaks slowly, starting with what was said last."""
    slower = call.but(slower=1)
    return present(node, slower, [call.line(prompts.SLOWER_NOW), *recalled(slower)])


# What was said, for `*` -----------------------------------------------------------------------

# Greetings, and notes about the caller's last input: `*` repeats what the city said, not these.
NOT_REPEATED = frozenset(
    {
        prompts.NOT_UNDERSTOOD,
        prompts.KEY_NOT_USED,
        prompts.DID_NOT_HEAR,
        prompts.STILL_NOTHING,
        prompts.SLOWER_NOW,
        prompts.TRY_A_PERSON,
        prompts.WELCOME,
        prompts.WELCOME_BACK,
        prompts.SPEAK_OR_PRESS,
        prompts.HOW_TO_SLOW_DOWN,
        # The note before words in another language: `*` says the caller's own sentences again, not those.
        prompts.ONLY_IN_LANGUAGE,
    }
)


def _code(message: str | tuple[str, str]) -> str:
    singular = message if isinstance(message, str) else message[0]
    return hashlib.sha256(singular.encode()).hexdigest()[:6]


@functools.cache
def _repeatable() -> dict[str, str | tuple[str, str]]:
    """The messages a lead may be made of, by a short code that stays the same across releases."""
    messages = [*vars(prompts).values(), *guide.PURPOSES.values(), guide.GENERAL]
    found: dict[str, str | tuple[str, str]] = {}
    for message in messages:
        if isinstance(message, str) or (isinstance(message, tuple) and len(message) == 2):
            found[_code(message)] = message
    return found


def remembered(lead: Sequence[Line]) -> str:
    """The lead in a compact, URL-safe form: message codes and the values put into them.

    Only the catalog messages of the menu (no content, no caller's number); "" if nothing to keep
    or too long for a URL.
    """
    kept = [
        [_code(line.source[0]), dict(line.source[1])]
        for line in lead
        if line.source and line.source[0] not in NOT_REPEATED and _code(line.source[0]) in _repeatable()
    ]
    if not kept:
        return ""
    packed = zlib.compress(json.dumps(kept, separators=(",", ":"), ensure_ascii=False).encode(), 9)
    said = base64.urlsafe_b64encode(packed).decode().rstrip("=")
    return said if len(said) <= LONGEST_SAID else ""


def recalled(call: Call) -> list[Line]:
    """The lines remembered in the call's state, said again in the caller's language."""
    if not call.state.said:
        return []
    try:
        packed = base64.urlsafe_b64decode(call.state.said + "=" * (-len(call.state.said) % 4))
        kept = json.loads(zlib.decompressobj().decompress(packed, 4 * LONGEST_SAID))
    except (binascii.Error, zlib.error, ValueError):
        return []
    lines = []
    for entry in kept if isinstance(kept, list) else []:
        line = _line_again(call, entry)
        if line is not None:
            lines.append(line)
    return lines


def _line_again(call: Call, entry: object) -> Line | None:
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], dict)):
        return None
    message = _repeatable().get(str(entry[0]))
    values = {str(name): str(value) for name, value in entry[1].items()}
    try:
        if isinstance(message, tuple):
            count = int(values.pop("count", "0"))
            return call.plural(message, count, **values)
        return call.line(message, **values) if message else None
    except (KeyError, ValueError, TypeError):
        return None


# A person (key 0) --------------------------------------------------------------------------


def connect(call: Call, number: str, lead: Sequence[Line] = ()) -> VoiceAnswer:
    dialled = call.url("dialled", call.state.but(repeats=0, silences=0, errors=0, said=""))
    return VoiceAnswer().add(
        *speak([*lead, call.line(prompts.CONNECTING)], slow=call.slow),
        Connect(number, action=dialled, timeout=DIAL_TIMEOUT),
    )


def staff_answering(call: Call) -> str | None:
    """The staff number, if somebody answers it now."""
    number = call.profile.staff_number
    return number if number and office_hours.is_open(call.profile, call.now) else None


def person(node: Node, call: Call) -> VoiceAnswer:
    """Put the caller through in office hours; otherwise offer a call back (and say the hours)."""
    number = staff_answering(call)
    if number:
        return connect(call, number)
    if not call.profile.staff_number:
        return present(node, call, [call.line(prompts.NO_STAFF_NUMBER)])
    return present(CALLBACK, call)


def offer_person(call: Call, *lead: Line) -> VoiceAnswer:
    """A person in office hours, otherwise the call back: when the menu does not help the caller."""
    number = staff_answering(call)
    if number:
        return connect(call, number, lead)
    return present(CALLBACK, call, lead)


def nobody_answered(call: Call) -> VoiceAnswer:
    """Staff were dialled in office hours, and nobody answered: the call back."""
    return present(CALLBACK, call, [call.line(prompts.NOBODY_FREE)])


# A call back (key 0 outside office hours, key 3 then 3) -----------------------------------------


def callback_day(call: Call) -> str:
    today = office_hours.local_date(call.profile, call.now)
    return call.spoken_day(office_hours.next_working_day(call.profile, today))


def callback_lines(call: Call) -> list[Line]:
    """The offer first; when the office is closed, why nobody answers and when somebody will, after it."""
    if not call.profile.staff_number or staff_answering(call):
        return [call.line(prompts.CALLBACK_OFFER, day=callback_day(call)), call.line(prompts.CALLBACK_CONFIRM)]
    lines = [call.line(prompts.CLOSED_CALLBACK_OFFER, day=callback_day(call)), call.line(prompts.CALLBACK_CONFIRM)]
    if office_hours.is_public_holiday(call.profile, office_hours.local_date(call.profile, call.now)):
        lines.append(call.line(prompts.PUBLIC_HOLIDAY))
    hours = office_hours.describe(call.profile, call.language.code)
    if hours:
        lines.append(call.line(prompts.OFFICE_HOURS, hours=hours))
    return lines


CALLBACK = Node(
    "callback",
    callback_lines,
    lambda call: [Option("1", said_words(prompts.SAY_YES), redirect_to("callback-now"))],
    back=redirect_to("main"),
)


def give_up(call: Call) -> VoiceAnswer:
    """Twice no answer: a person if someone is in, otherwise the call back; silence again ends the call."""
    return offer_person(call.but(errors=0), call.line(prompts.STILL_NOTHING))


def goodbye(call: Call, lead: Sequence[Line] = ()) -> VoiceAnswer:
    return VoiceAnswer().add(*speak([*lead, call.line(prompts.GOODBYE)], slow=call.slow), HangUp())


def apology(call: Call) -> VoiceAnswer:
    """What a caller hears when something broke: sorry, the staff number, goodbye."""
    lines = [call.line(prompts.TECHNICAL_PROBLEM)]
    if call.profile.staff_number:
        lines.append(call.line(prompts.CALL_STAFF, number=digits_for_speech(spoken_form(call.profile.staff_number))))
    return goodbye(call, lines)


def digits_for_speech(number: str) -> str:
    """ "0631 3650" -> "0 6 3 1, 3 6 5 0": digit by digit, with a pause between the groups. A group
    of more than five digits is said in even parts of at most four ("9000 9000"), easier to note."""
    groups = [part for group in number.replace("-", " ").split() for part in _in_parts(group)]
    return ", ".join(" ".join(group) for group in groups)


def _in_parts(group: str, most: int = 4) -> list[str]:
    if len(group) <= most + 1:
        return [group]
    count = -(-len(group) // most)
    size, longer = divmod(len(group), count)
    bounds = [i * size + min(i, longer) for i in range(count + 1)]
    return [group[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]

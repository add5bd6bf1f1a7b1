"""Key 4: being called with the news, from any phone. How often (each new announcement, or once a
week on a day the caller picks), when (the town's morning or afternoon calling hours), then the
consent in the very words the caller heard; for those called already, the answering machine and
stopping.

The answers so far ride in the call's state (CallState.calls: "e", "w3", "w3a"), so each of these
menus is an ordinary one whose answers are kept like the others; the actions (ivr.call_actions)
write the subscription.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.dates import get_day_names

from content import calling_hours
from content.models import AFTERNOON, EVERY_ITEM, MORNING, WEEKLY
from content.news_calls import Choices
from ivr import prompts
from ivr.call import Call
from ivr.menu import Node, Option, present, redirect_to, said_words
from ivr.speaking import Line
from telephony.voice import VoiceAnswer

# During a news call, this key stops the calls (the consent names it, and the call offers it).
# No convention for it is known to callers in Germany; 9 means "language" on the hotline, and 8
# is the free key beside it.
STOP_KEY = "8"
FREQUENCIES = {"e": EVERY_ITEM, "w": WEEKLY}
WINDOWS = {"m": MORNING, "a": AFTERNOON}
# The city calls Monday (key 1) to Saturday (key 6), never on Sundays.
CALLING_DAYS = range(6)


def chosen(call: Call) -> Choices | None:
    """What the caller chose, once every answer is given; None before."""
    calls = call.state.calls
    if len(calls) < 2 or calls[-1] not in WINDOWS:
        return None
    weekday = int(calls[1]) if calls[0] == "w" else None
    return Choices(FREQUENCIES[calls[0]], weekday, WINDOWS[calls[-1]])


def day_name(call: Call, weekday: int) -> str:
    return str(get_day_names("wide", locale=call.language.code)[weekday])


def when(call: Call, window: str) -> str:
    """ "vormittags von 9 bis 12 Uhr": the window with the town's hours, in the caller's language."""
    hours = calling_hours.describe(call.profile, window, call.language.code)
    return call.text(prompts.WHEN_AFTERNOON if window == AFTERNOON else prompts.WHEN_MORNING, hours=hours)


def settings_line(call: Call, frequency: str, weekday: int | None, window: str) -> Line:
    """How the city calls: "Wir rufen Sie bei jeder neuen Meldung an, vormittags von 9 bis 12 Uhr."."""
    if frequency == WEEKLY and weekday is not None:
        return call.line(prompts.CALLS_WEEKLY, day=day_name(call, weekday), hours=when(call, window))
    return call.line(prompts.CALLS_EVERY_ITEM, hours=when(call, window))


def consent_lines(call: Call) -> list[Line]:
    """What the caller agrees to with key 1: what they chose, what the number is kept for, how to end it.
    Their words are kept as the consent (ivr.call_actions.subscribe_calls)."""
    choices = chosen(call)
    if choices is None:  # not reached through the questions: ask them
        return how_often_lines(call)
    return [
        settings_line(call, choices.frequency, choices.weekday, choices.window),
        call.line(prompts.CALLS_CONSENT, key=STOP_KEY),
        call.line(prompts.CALLS_AGREE),
    ]


# How often ---------------------------------------------------------------------------------------


def how_often_lines(call: Call) -> list[Line]:
    return [
        call.line(prompts.CALLS_HOW_OFTEN),
        call.line(prompts.EVERY_ITEM_KEY, key=1),
        call.line(prompts.WEEKLY_KEY, key=2),
    ]


def start_choosing(call: Call) -> VoiceAnswer:
    """The first question, with nothing chosen yet (also for a caller who changes their calls)."""
    return present(HOW_OFTEN, call.but(calls=""))


def every_item(call: Call) -> VoiceAnswer:
    return present(WINDOW, call.but(calls="e"))


def weekly(call: Call) -> VoiceAnswer:
    return present(WEEKDAY, call.but(calls="w"))


HOW_OFTEN = Node(
    "calls-how-often",
    how_often_lines,
    lambda call: [
        Option("1", said_words(prompts.SAY_EVERY_ITEM), every_item),
        Option("2", said_words(prompts.SAY_WEEKLY), weekly),
    ],
    back=redirect_to("sms-and-data"),
    choosing=True,
)


# Which day (weekly calls) ----------------------------------------------------------------------


def weekday_lines(call: Call) -> list[Line]:
    days = [day_name(call, weekday) for weekday in CALLING_DAYS]
    # "Montag: die 1.", "Понедельник: 1.": a name that starts the sentence with a capital.
    keys = [call.line(prompts.DAY_KEY, day=day[:1].upper() + day[1:], key=key) for key, day in enumerate(days, 1)]
    return [call.line(prompts.CALLS_WHICH_DAY), *keys]


def on_day(weekday: int) -> Option:
    return Option(
        str(weekday + 1),
        lambda call: [day_name(call, weekday)],
        lambda call: present(WINDOW, call.but(calls=f"w{weekday}")),
    )


WEEKDAY = Node(
    "calls-weekday",
    weekday_lines,
    lambda call: [on_day(weekday) for weekday in CALLING_DAYS],
    back=start_choosing,
    choosing=True,
)


# When: the morning or the afternoon window ------------------------------------------------------


def window_lines(call: Call) -> list[Line]:
    hours = {window: calling_hours.describe(call.profile, window, call.language.code) for window in WINDOWS.values()}
    return [
        call.line(prompts.CALLS_WHEN),
        call.line(prompts.MORNING_KEY, hours=hours[MORNING], key=1),
        call.line(prompts.AFTERNOON_KEY, hours=hours[AFTERNOON], key=2),
    ]


def in_window(letter: str) -> Callable[[Call], VoiceAnswer]:
    """Note the window and ask for the consent; without the answers before it, ask those first."""

    def go(call: Call) -> VoiceAnswer:
        so_far = call.state.calls
        if so_far not in ("e", *(f"w{weekday}" for weekday in CALLING_DAYS)):
            return start_choosing(call)
        return present(CONSENT, call.but(calls=so_far + letter))

    return go


def window_back(call: Call) -> VoiceAnswer:
    """Back one question: the day for a weekly call, else how often."""
    if call.state.calls.startswith("w"):
        return present(WEEKDAY, call.but(calls="w"))
    return start_choosing(call)


WINDOW = Node(
    "calls-when",
    window_lines,
    lambda call: [
        Option("1", said_words(prompts.SAY_MORNING), in_window("m")),
        Option("2", said_words(prompts.SAY_AFTERNOON), in_window("a")),
    ],
    back=window_back,
    choosing=True,
)


# The consent ----------------------------------------------------------------------------------

CONSENT = Node(
    "calls-consent",
    lambda call: [*consent_lines(call), call.line(prompts.BACK_ONE_STEP)],
    lambda call: [Option("1", said_words(prompts.SAY_YES), redirect_to("subscribe-calls"))],
    back=lambda call: present(WINDOW, call.but(calls=call.state.calls[:-1])),
    choosing=True,
)


# For those called already: the answering machine, and stopping -----------------------------------

MACHINE = Node(
    "answering-machine",
    lambda call: [
        call.line(prompts.FOR_MACHINE_ENOUGH),
        call.line(prompts.FOR_MACHINE_AGAIN),
        call.line(prompts.BACK_ONE_STEP),
    ],
    lambda call: [
        Option("1", said_words(prompts.SAY_ENOUGH), redirect_to("machine-is-enough")),
        Option("2", said_words(prompts.SAY_TRY_AGAIN), redirect_to("machine-try-again")),
    ],
    back=redirect_to("sms-and-data"),
)

# Asked under key 4 (its last option) and by the stop key during a news call; # keeps the calls.
STOP_CALLS = Node(
    "calls-stop",
    lambda call: [call.line(prompts.CALLS_STOP_CONFIRM)],
    lambda call: [Option("1", said_words(prompts.SAY_YES), redirect_to("stop-calls"))],
    back=redirect_to("calls-kept"),
    is_list=True,  # in a summary, the caller's place is kept for going back to it
)

NODES = {node.name: node for node in (HOW_OFTEN, WEEKDAY, WINDOW, CONSENT, MACHINE, STOP_CALLS)}

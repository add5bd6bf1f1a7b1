"""What one step of a call adds to the usage figures (content.usage), read off the step itself:
the menu the caller acted at, what they did, and the answer they got. No number, no words said.

The answer tells where the call goes next (its Ask's or GoTo's address names the menu, with the
state), so this needs no hook inside the menus: a step is counted the same way whichever menu
answered it, and a rendered answer kept in the cache (ivr.answers) carries its events along.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from content import usage
from ivr.call import Heard
from ivr.state import CallState
from telephony.voice import KEYPAD, Ask, Connect, GoTo, Record, VoiceAnswer

# The parts of the line the report names: each menu, and each step that is no menu, belongs to one.
# A name not listed is its own part (reported as it is).
AREAS = {
    "main": "main",
    "language": "language",
    "language-chosen": "language",
    "news": "news",
    "send-news": "news",
    "projects": "projects",
    "project-number": "projects",
    "send-project": "projects",
    "take-part": "take-part",
    "choose-poll": "take-part",
    "poll": "take-part",
    "confirm-vote": "take-part",
    "start-poll": "take-part",
    "vote-now": "take-part",
    "leave-message": "take-part",
    "recorded": "take-part",
    "callback": "take-part",
    "callback-now": "take-part",
}
SUBSCRIBING = "subscribe"  # key 4: news by SMS or as a call, and what is kept (every other menu name)
PERSON = "person"  # put through to a person
ENDED = "ended"  # the answer ends the call

# Events as (kind, detail): recorded with the call's id and the time by the view.
Events = tuple[tuple[str, str], ...]


def area(name: str) -> str:
    return AREAS.get(name, SUBSCRIBING)


def next_step(answer: VoiceAnswer) -> tuple[str, CallState] | None:
    """The menu (or step) the answer leads to, and the call's state there; None if it leads nowhere
    (it ends the call, or puts the caller through)."""
    for command in answer.commands:
        address = (
            command.action if isinstance(command, Ask | Record) else command.url if isinstance(command, GoTo) else None
        )
        if address is not None:
            parts = urlsplit(address)
            name = parts.path.rstrip("/").rsplit("/", 1)[-1]
            return name, CallState.from_query(dict(parse_qsl(parts.query)))
    return None


def puts_through(answer: VoiceAnswer) -> bool:
    return any(isinstance(command, Connect) for command in answer.commands)


def step_events(
    at: str, before: CallState, heard: Heard | None, answer: VoiceAnswer, default_language: str, news: Sequence[int]
) -> Events:
    """The events of one step: what the caller did at the menu named at (heard; None where the step
    was no answer to a prompt), and where the answer leads (a menu reached, the language when it
    changed or the call begins (at ""), an item heard). news: the ids of the announcements the
    caller can hear, in the order the news menu reads them."""
    found: list[tuple[str, str]] = []
    if heard is not None:
        if heard.speech:
            found.append((usage.KEY, "speech"))
        elif heard.key:
            found.append((usage.KEY, heard.key if heard.key in KEYPAD else "other"))
        else:
            found.append((usage.SILENCE, ""))
    if puts_through(answer):
        found.append((usage.MENU, PERSON))
    leads = next_step(answer)
    if leads is None:
        return tuple(found)
    name, after = leads
    if after.errors > before.errors:
        found.append((usage.UNKNOWN, ""))
    if not at or after.lang != before.lang:
        found.append((usage.LANGUAGE, after.lang or default_language))
    # Key 0 outside office hours offers the call back: the caller asked for a person all the same.
    asked_for_person = heard is not None and heard.key == "0" and name == "callback"
    found.append((usage.MENU, PERSON if asked_for_person else area(name)))
    moved = at != name or after.item != before.item  # not the same item said again
    if after.item and moved and name == "news" and after.item <= len(news):
        found.append((usage.NEWS_HEARD, str(news[after.item - 1])))
    if after.item and moved and name == "projects":
        found.append((usage.PROJECT_HEARD, str(after.item)))
    return tuple(found)


def record(events: Events, call_id: str | None, now: datetime) -> None:
    """Note the events of a step with the call's id (written a moment later, see content.usage)."""
    for kind, detail in events:
        usage.record(kind, channel=usage.PHONE, at=now, detail=detail, call=call_id)

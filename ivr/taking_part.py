"""Taking part by phone (main menu key 3): the open polls, a voice message, a call back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from content.snapshot import OpenPoll, PollChoice
from content.texts import fields_in, sentence
from ivr import prompts
from ivr.call import Call
from ivr.menu import CALLBACK, Node, Option, present, redirect_to, said_words
from ivr.speaking import Line
from telephony.voice import VoiceAnswer

# Polls a caller can choose between by key; with more open at once, the newest.
MOST_POLLS = 5


def take_part_lines(call: Call) -> list[Line]:
    polls = len(call.content.polls)
    lines = [call.line(prompts.FOR_POLL if polls == 1 else prompts.FOR_POLLS)] if polls else []
    return lines + [call.line(prompts.FOR_MESSAGE), call.line(prompts.FOR_CALLBACK), call.line(prompts.BACK_TO_MAIN)]


def take_part_options(call: Call) -> list[Option]:
    options = [
        Option("2", said_words(prompts.SAY_MESSAGE), redirect_to("leave-message")),
        Option("3", said_words(prompts.SAY_CALLBACK), lambda call: present(CALLBACK, call)),
    ]
    if call.content.polls:
        options.insert(0, Option("1", said_words(prompts.SAY_POLL), redirect_to("start-poll")))
    return options


TAKE_PART = Node("take-part", take_part_lines, take_part_options, back=redirect_to("main"))


def current_poll(call: Call) -> OpenPoll | None:
    """The poll the caller is at (state.item is its id), if it is still open."""
    return next((poll for poll in call.content.polls if poll.id == call.state.item), None)


def question(call: Call, poll: OpenPoll) -> str:
    return str(fields_in(poll.texts, call.language.code, call.profile.default_language.code).get("question", ""))


def choose_poll_lines(call: Call) -> list[Line]:
    polls = call.content.polls[:MOST_POLLS]
    lines = [call.line(prompts.POLLS_COUNT, count=len(polls))]
    lines += [
        call.line(prompts.POLL_PICK, question=sentence(question(call, poll)), key=key)
        for key, poll in enumerate(polls, 1)
    ]
    return lines + [call.line(prompts.POLLS_HOW), call.line(prompts.BACK_TO_MAIN)]


def _words_of_question(poll: OpenPoll) -> Callable[[Call], list[str]]:
    return lambda call: [question(call, poll)]


def _start(poll: OpenPoll) -> Callable[[Call], VoiceAnswer]:
    return lambda call: redirect_to("start-poll")(call.but(item=poll.id))


def choose_poll_options(call: Call) -> list[Option]:
    return [
        Option(str(key), _words_of_question(poll), _start(poll))
        for key, poll in enumerate(call.content.polls[:MOST_POLLS], 1)
    ]


# With several polls open at once, the caller first picks one.
CHOOSE_POLL = Node("choose-poll", choose_poll_lines, choose_poll_options, back=redirect_to("main"))


def label(call: Call, texts: dict[str, Any]) -> str:
    return str(fields_in(texts, call.language.code, call.profile.default_language.code).get("label", ""))


def poll_lines(call: Call) -> list[Line]:
    poll = current_poll(call)
    if poll is None:
        return [call.line(prompts.POLL_CLOSED)]
    lines = [call.line(prompts.POLL_QUESTION, question=sentence(question(call, poll)))]
    lines += [call.line(prompts.POLL_CHOICE, label=label(call, o.texts), key=o.position) for o in poll.options]
    return lines + [
        call.line(prompts.POLL_UNTIL, date=call.spoken_date(poll.closes_at.date())),
        call.line(prompts.BACK_TO_MAIN),
    ]


def choose(position: int) -> Callable[[Call], VoiceAnswer]:
    return lambda call: present(CONFIRM_VOTE, call.but(choice=position))


def poll_options(call: Call) -> list[Option]:
    poll = current_poll(call)
    if poll is None:
        return []
    return [Option(str(o.position), _words_of_answer(o), choose(o.position)) for o in poll.options]


def _words_of_answer(choice: PollChoice) -> Callable[[Call], list[str]]:
    return lambda call: [label(call, choice.texts)]


POLL = Node(
    "poll", poll_lines, poll_options, back=lambda call: present(TAKE_PART, call.but(item=0, choice=0)), is_list=True
)


def chosen_label(call: Call) -> str:
    poll = current_poll(call)
    option = next((o for o in poll.options if o.position == call.state.choice), None) if poll else None
    return label(call, option.texts) if option else ""


CONFIRM_VOTE = Node(
    "confirm-vote",
    lambda call: [call.line(prompts.POLL_CONFIRM, label=chosen_label(call))],
    lambda call: [
        Option("1", said_words(prompts.SAY_YES), redirect_to("vote-now")),
        Option("2", said_words(prompts.SAY_AGAIN), lambda call: present(POLL, call.but(choice=0))),
    ],
    back=lambda call: present(POLL, call.but(choice=0)),
    is_list=True,
)

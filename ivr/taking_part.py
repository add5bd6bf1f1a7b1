"""Taking part by phone (main menu key 3): the open polls, a voice message, a call back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from content.channel_texts import written
from content.i18n import translate
from content.snapshot import OpenPoll, PollChoice
from content.texts import fields_in, sentence
from ivr import prompts
from ivr.call import Call
from ivr.menu import CALLBACK, Node, Option, present, redirect_to, said_words
from ivr.speaking import Line
from telephony.voice import VoiceAnswer

# Polls a caller can choose between by key; with more open at once, the newest.
MOST_POLLS = 5


# Menus whose options come and go are numbered from 1 as they are said, without gaps: every
# option is said before its key, and only the main menu's keys are printed (on the flyer), so
# only those must never move.


@dataclass(frozen=True)
class Offer:
    """An option of a numbered menu: its sentence (with %(key)s), the words for it, where it leads."""

    sentence: str
    words: str
    go: Callable[[Call], VoiceAnswer]


def offer_lines(call: Call, offers: Sequence[Offer], first: int = 1) -> list[Line]:
    return [call.line(offer.sentence, key=key) for key, offer in enumerate(offers, first)]


def offer_options(offers: Sequence[Offer], first: int = 1) -> list[Option]:
    return [Option(str(key), said_words(offer.words), offer.go) for key, offer in enumerate(offers, first)]


def take_part_offers(call: Call) -> list[Offer]:
    offers = [
        Offer(prompts.FOR_MESSAGE, prompts.SAY_MESSAGE, redirect_to("leave-message")),
        Offer(prompts.FOR_CALLBACK, prompts.SAY_CALLBACK, lambda call: present(CALLBACK, call)),
    ]
    if call.content.polls:
        sentence = prompts.FOR_POLL if len(call.content.polls) == 1 else prompts.FOR_POLLS
        offers.insert(0, Offer(sentence, prompts.SAY_POLL, redirect_to("start-poll")))
    return offers


def take_part_lines(call: Call) -> list[Line]:
    return [*offer_lines(call, take_part_offers(call)), call.line(prompts.BACK_TO_MAIN)]


TAKE_PART = Node(
    "take-part", take_part_lines, lambda call: offer_options(take_part_offers(call)), back=redirect_to("main")
)


def current_poll(call: Call) -> OpenPoll | None:
    """The poll the caller is at (state.item is its id), if it is still open."""
    return next((poll for poll in call.content.polls if poll.id == call.state.item), None)


def question(call: Call, poll: OpenPoll) -> str:
    return str(fields_in(poll.texts, call.language.code, call.profile.default_language.code).get("question", ""))


def noted(call: Call, lines: list[Line]) -> list[Line]:
    """lines, with the note that it exists only in the default language before each run of them in it."""
    default = call.profile.default_language
    note = call.line(prompts.ONLY_IN_LANGUAGE, language=default.name(call.language.code))
    said: list[Line] = []
    for line in lines:
        if line.language == default != call.language and (not said or said[-1].language != default):
            said.append(note)
        said.append(line)
    return said


def in_texts_language(call: Call, texts: dict[str, Any], message: str, **values: object) -> Line:
    """A sentence with a poll's words in it: in the caller's language if the poll has their text,
    else wholly in the default language and its voice (after the note, see noted)."""
    default = call.profile.default_language
    if call.language == default or written(texts, call.language.code):
        return call.line(message, **values)
    return Line(translate(default.code, message, **values), default)


def choose_poll_lines(call: Call) -> list[Line]:
    polls = call.content.polls[:MOST_POLLS]
    lines = [call.plural(prompts.POLLS_COUNT, len(polls))]
    lines += [
        in_texts_language(call, poll.texts, prompts.POLL_PICK, question=sentence(question(call, poll)), key=key)
        for key, poll in enumerate(polls, 1)
    ]
    return noted(call, lines + [call.line(prompts.POLLS_HOW), call.line(prompts.BACK_TO_MAIN)])


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
    choices = poll.options
    lines = [in_texts_language(call, poll.texts, prompts.POLL_QUESTION, question=sentence(question(call, poll)))]
    # "Answer 1: Am Rathaus." reads naturally whatever the answer says ("For Am Rathaus, press 1" did not).
    lines += [
        in_texts_language(call, o.texts, prompts.POLL_CHOICE, label=sentence(label(call, o.texts)), key=o.position)
        for o in choices
    ]
    return noted(call, lines) + [
        call.line(prompts.POLL_HOW_TO_ANSWER),
        call.line(prompts.POLL_UNTIL, date=call.spoken_date(poll.closes_at.date())),
        call.line(prompts.BACK_ONE_STEP),  # the hash key goes back to taking part, one step
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


def naming_answer(call: Call, texts: dict[str, Any], key: int, message: str) -> list[Line]:
    """A sentence that names an answer (message takes %(label)s): with its words if they are in
    the caller's language; else the answer is read first, in the default language and its voice
    after the note, and the sentence names it by its number ("You chose: answer 2.")."""
    words = label(call, texts)
    default = call.profile.default_language
    if call.language == default or written(texts, call.language.code):
        return [call.line(message, label=words)]
    answer = Line(translate(default.code, prompts.POLL_CHOICE, key=key, label=sentence(words)), default)
    return noted(call, [answer, call.line(message, label=call.text(prompts.ANSWER_NUMBER, key=key))])


POLL = Node(
    "poll", poll_lines, poll_options, back=lambda call: present(TAKE_PART, call.but(item=0, choice=0)), is_list=True
)


def confirm_lines(call: Call) -> list[Line]:
    """The answer chosen, and the keys to confirm it; the poll may have closed meanwhile."""
    poll = current_poll(call)
    option = next((o for o in poll.options if o.position == call.state.choice), None) if poll else None
    if option is None:
        return [call.line(prompts.POLL_CLOSED)]
    return naming_answer(call, option.texts, option.position, prompts.POLL_CONFIRM)


CONFIRM_VOTE = Node(
    "confirm-vote",
    confirm_lines,
    lambda call: [
        Option("1", said_words(prompts.SAY_YES), redirect_to("vote-now")),
        Option("2", said_words(prompts.SAY_AGAIN), lambda call: present(POLL, call.but(choice=0))),
    ],
    back=lambda call: present(POLL, call.but(choice=0)),
    is_list=True,
)

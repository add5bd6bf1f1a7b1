"""The keywords that take part: ABSTIMMEN, IDEE, FRAGE, RÜCKRUF, LÖSCHEN, and DATEN's second half.

Unlike the reading keywords (sms.replies), these store something, so each gets the database
session and the texter's number and pseudonym; the shared rules live in content.polls,
content.inbox and content.privacy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session

from content import channel_texts, inbox, polls, privacy
from content.models import IDEA, QUESTION, SUBSCRIBED
from content.sms_text import fit, fits
from content.texts import fields_in, pick_language, sentence
from sms import prompts
from sms.keywords import confirmation, fold, spelled
from sms.replies import Conversation, leading_number

LONGEST_TEXT = 1600


@dataclass(frozen=True)
class Sender:
    """Who is texting, for the keywords that store something."""

    session: Session
    number: str | None
    pseudonym: str | None
    now: datetime


def _label(talk: Conversation, texts: dict[str, Any]) -> str:
    return str(fields_in(texts, talk.language, talk.profile.default_language.code).get("label", ""))


def vote(talk: Conversation, argument: str, sender: Sender) -> str:
    open_now = polls.open_polls(sender.session, sender.now)
    if not open_now:
        return talk.text(prompts.NO_POLL)
    poll = open_now[0]
    until = format_date(poll.closes_at, "medium", locale=talk.language)
    choice, _ = leading_number(argument)
    if choice is None:
        default = talk.profile.default_language.code
        code = pick_language(poll.texts, talk.language, default) or talk.language
        # told before they read its words
        question = channel_texts.noted(poll.texts.get(code, {}).get("question", ""), code, talk.language)
        options = [
            talk.text(prompts.POLL_OPTION, key=o.position, label=sentence(_label(talk, o.texts))) for o in poll.options
        ]
        # Answers not written where the question is: the note before the first of them, once.
        written_in = [pick_language(o.texts, talk.language, default) or code for o in poll.options]
        if other := next(((n, c) for n, c in enumerate(written_in) if c not in (code, talk.language)), None):
            options[other[0]] = channel_texts.noted(options[other[0]], other[1], talk.language)
        more = [talk.text(prompts.MORE_POLLS)] if len(open_now) > 1 else []
        return fit(talk.text(prompts.POLL, date=until, question=question), *options, talk.text(prompts.POLL_HOW), *more)
    option = next((o for o in poll.options if o.position == choice), None)
    if option is None:
        return talk.text(prompts.POLL_NO_SUCH_OPTION, last=len(poll.options))
    if sender.pseudonym is None:
        return talk.text(prompts.NEEDS_NUMBER)
    changed = polls.cast_vote(sender.session, poll, option, voter=sender.pseudonym, channel="sms", now=sender.now)
    label = _label(talk, option.texts)
    return talk.text(prompts.POLL_CHANGED if changed else prompts.POLL_VOTED, label=label, date=until)


def _submission(kind: str, empty: str, thanks: str) -> Callable[[Conversation, str, Sender], str]:
    def handle(talk: Conversation, argument: str, sender: Sender) -> str:
        project, text = leading_number(argument) if kind == IDEA else (None, argument)
        if project is not None and not any(p.number == project for p in talk.projects):
            project, text = None, argument  # "IDEE 30 Bänke" without a project 30: part of the idea
        if not text.strip():
            return talk.text(empty)
        if sender.number is None:
            return talk.text(prompts.NEEDS_NUMBER)
        item = inbox.submit(
            sender.session,
            kind=kind,
            channel="sms",
            language=talk.language,
            number=sender.number,
            pseudonym=sender.pseudonym,
            now=sender.now,
            text=text[:LONGEST_TEXT],
            project_number=project,
        )
        return talk.text(thanks, reference=item.reference)

    return handle


def callback(talk: Conversation, argument: str, sender: Sender) -> str:
    if sender.number is None or sender.pseudonym is None:
        return talk.text(prompts.NEEDS_NUMBER)
    request = inbox.request_callback(
        sender.session,
        talk.profile,
        number=sender.number,
        pseudonym=sender.pseudonym,
        language=talk.language,
        channel="sms",
        now=sender.now,
    )
    return talk.text(prompts.CALLBACK_THANKS, date=format_date(request.due_on, "full", locale=talk.language))


def kept_items(talk: Conversation, kept: privacy.Kept, *, everything: bool) -> list[str]:
    """What is kept about the number, the most lasting first: the subscriptions, the SMS settings of
    a number that stopped them, then counted ("2 Ideen oder Fragen", "1 Stimme"). everything: the
    SMS subscription and settings too (DATEN says those in its own words), so that DATEN and LÖSCHEN
    list the same."""
    subscribed = kept.subscriber is not None and kept.subscriber.status == SUBSCRIBED
    items = []
    if everything and subscribed and kept.calls is not None:
        items.append(talk.text(prompts.KEPT_SUBSCRIPTIONS))  # both in one, so that both are named
    elif everything and subscribed:
        items.append(talk.text(prompts.KEPT_SUBSCRIPTION))
    elif kept.calls is not None:
        items.append(talk.text(prompts.KEPT_CALLS))
    if everything and kept.subscriber is not None and not subscribed:
        items.append(talk.text(prompts.KEPT_SETTINGS))
    counts = [
        (prompts.KEPT_SUBMISSIONS, len(kept.submissions)),
        (prompts.KEPT_CALLBACKS, len(kept.callbacks)),
        (prompts.KEPT_VOTES, kept.votes),
        (prompts.KEPT_MESSAGES, kept.messages),
    ]
    return items + [talk.counted(message, count) for message, count in counts if count]


def ask_to_delete(talk: Conversation, sender: Sender, number: str) -> str:
    """LÖSCHEN erases nothing: it says what an erasure would take and asks for LÖSCHEN JA."""
    kept = privacy.kept_about(sender.session, number)
    if not kept.anything:
        return talk.text(prompts.ERASE_NOTHING)
    privacy.ask_erasure(sender.session, number, sender.now)
    minutes = int(privacy.CONFIRM_WITHIN.total_seconds() // 60)
    ask = talk.counted(prompts.ERASE_CONFIRM, minutes, confirm=confirmation(talk.language))
    # The question must arrive whole: in a long list (or a script with 67 characters per SMS) the
    # last items give way, the most lasting first in the list.
    return listed_before(talk, kept_items(talk, kept, everything=True), ask) or ask


def listed_before(talk: Conversation, items: list[str], tail: str) -> str:
    """ "With your number we keep: …" and tail, in two SMS: the whole list, else its first items
    ("among other things"); "" when not even one fits."""
    for shown in range(len(items), 0, -1):
        kept_line = prompts.KEPT if shown == len(items) else prompts.KEPT_AMONG
        reply = f"{talk.text(kept_line, items=talk.listed(items[:shown]))} {tail}"
        if fits(reply):
            return reply
    return ""


def delete(talk: Conversation, argument: str, sender: Sender) -> str:
    """LÖSCHEN asks (see ask_to_delete); LÖSCHEN NEIN withdraws the question."""
    if sender.number is None:
        return talk.text(prompts.NEEDS_NUMBER)
    refusals = {fold(word) for language in talk.profile.languages for word in spelled(language.code, prompts.NO)}
    if argument and fold(argument) in refusals:  # LÖSCHEN NEIN, DELETE NO: in any enabled language
        privacy.cancel_erasure(sender.session, sender.number)
        return talk.text(prompts.ERASE_CANCELLED)
    return ask_to_delete(talk, sender, sender.number)


def confirm_delete(talk: Conversation, argument: str, sender: Sender) -> str:
    """LÖSCHEN JA within ten minutes of LÖSCHEN erases; else (or with more words) it asks again."""
    if sender.number is None:
        return talk.text(prompts.NEEDS_NUMBER)
    if not argument and privacy.confirm_erasure(sender.session, sender.number, sender.now):
        return talk.text(prompts.ERASED)
    return ask_to_delete(talk, sender, sender.number)


def privacy_addition(talk: Conversation, sender: Sender, *, also: bool, after: str = "") -> str:
    """What DATEN adds about the news calls, ideas, questions and callbacks kept for this number
    ("" if none); also: after what DATEN already said (after) about a subscription. As much as fits
    whole after that in two SMS: the list and how to erase it, else the list, else its first items
    ("among other things"), else how to erase it (DELETE lists it), never a list cut off in the
    middle. The news calls come first and are never left out: "" when not even they fit."""
    if sender.number is None or sender.pseudonym is None:
        return ""
    kept = privacy.kept_about(sender.session, sender.number)
    items = kept_items(talk, kept, everything=False)
    if not items:
        return ""
    whole, among = (prompts.KEPT_ALSO, prompts.KEPT_ALSO_AMONG) if also else (prompts.KEPT, prompts.KEPT_AMONG)
    lists = [talk.text(whole, items=talk.listed(items))]
    lists += [talk.text(among, items=talk.listed(items[:shown])) for shown in range(len(items) - 1, 0, -1)]
    how = talk.text(prompts.DELETE_HOW)
    candidates = [f"{lists[0]} {how}", *lists, *([] if kept.calls else [how])]
    return next((more for more in candidates if fits(f"{after} {more}".strip())), "")


def privacy_reply(talk: Conversation, sender: Sender, said: str) -> str:
    """DATEN: what sms.replies said about the SMS subscription (said), then what else is kept. Where
    the news calls would not fit after it, the list of everything kept (as LÖSCHEN gives it) comes
    instead: the calls are always named."""
    if talk.texter.status is None:  # nothing kept for the SMS: only the rest, if anything
        return privacy_addition(talk, sender, also=False) or said
    if more := privacy_addition(talk, sender, also=True, after=said):
        return f"{said} {more}"
    kept = privacy.kept_about(sender.session, sender.number) if sender.number else None
    if kept is None or kept.calls is None:
        return said
    return listed_before(talk, kept_items(talk, kept, everything=True), talk.text(prompts.DELETE_HOW)) or said


ACTIONS: dict[str, Callable[[Conversation, str, Sender], str]] = {
    "vote": vote,
    "idea": _submission(IDEA, prompts.IDEA_EMPTY, prompts.IDEA_THANKS),
    "question": _submission(QUESTION, prompts.QUESTION_EMPTY, prompts.QUESTION_THANKS),
    "callback": callback,
    "delete": delete,
    "delete_confirmed": confirm_delete,
}

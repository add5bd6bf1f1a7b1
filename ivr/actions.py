"""What a caller can set in motion from the phone: news by SMS, "send me this as SMS", a vote,
a message, a call back, and erasing their data.

Unlike the menus, these change things (a subscription, a message in the outbox) and depend on
who calls, so the view runs them on every request and never reuses their answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for

from content import channel_texts, db, inbox, news_calls, outbox, phone, polls, privacy, subscriptions, usage, visits
from content.models import NOT_SUBSCRIBED, SUBSCRIBED, UNSUBSCRIBED, Poll
from content.phone import is_mobile
from content.sms_text import fit, smart_encode
from ivr import call_choices, news_call, prompts
from ivr.call import Call
from ivr.menu import Node, present
from ivr.nodes import (
    DATA_ONLY,
    ERASE,
    GETS_CALLS,
    GETS_SMS,
    GETS_SMS_NOT_CALLED,
    LANDLINE,
    MAIN,
    NEWS,
    PROJECTS,
    SUBSCRIBE,
    SUBSCRIBE_NOT_CALLED,
    current_project,
    heard_news,
    news_position,
)
from ivr.speaking import Line as Said
from ivr.speaking import speak
from ivr.taking_part import CHOOSE_POLL, POLL, TAKE_PART, current_poll, naming_answer
from telephony.voice import GoTo, Record, VoiceAnswer


@dataclass(frozen=True)
class Line:
    """Who is on the line: the caller's number (None if withheld) and the call's id."""

    number: str | None
    call_sid: str


def mobile(line: Line) -> str | None:
    return line.number if line.number and is_mobile(line.number) else None


def situation(call: Call, line: Line) -> tuple[Node, list[Said]]:
    """Key 4 for this caller: the menu that fits their number, and the sentences that say why."""
    if line.number is None:
        return MAIN, [call.line(prompts.SITUATION_WITHHELD)]
    session = db.session()
    called = news_calls.find(session, line.number)
    gets_sms = subscriptions.already_has(subscriptions.find(session, line.number))  # every announcement, that is
    if called is not None:
        settings = call_choices.settings_line(call, called.frequency, called.weekday, called.window)
        return GETS_CALLS, [settings, *([call.line(prompts.SITUATION_SUBSCRIBED)] if gets_sms else [])]
    called_here = can_be_called(call, line.number)
    not_called = [] if called_here else [call.line(prompts.CANNOT_CALL)]
    if mobile(line) is None:  # the calls are offered first: why there are no SMS would only delay them
        if called_here:
            return LANDLINE, []
        return DATA_ONLY, [call.line(prompts.SITUATION_LANDLINE), *not_called]
    if gets_sms:
        return GETS_SMS if called_here else GETS_SMS_NOT_CALLED, [call.line(prompts.SITUATION_SUBSCRIBED), *not_called]
    return SUBSCRIBE if called_here else SUBSCRIBE_NOT_CALLED, []  # which says why there are no calls


def can_be_called(call: Call, number: str) -> bool:
    """Whether the city may call this number with the news: a fixed line or a mobile in the town's
    own country, never one that costs more (see content.phone.can_be_called)."""
    return phone.can_be_called(number, phone.home_region(call.profile.hotline_number))


def sms_and_data(call: Call, line: Line) -> VoiceAnswer:
    """Key 4: what this menu is for, then what this caller can do here."""
    node, lines = situation(call, line)
    opening = prompts.LANDLINE_CALLS_AND_DATA if node is LANDLINE else prompts.SMS_AND_DATA
    return present(node, call, [call.line(opening), *lines])


def stop_now(call: Call, line: Line) -> VoiceAnswer:
    """Key 4, then "stop", for a subscriber: no more news by SMS."""
    number = mobile(line)
    if number is None:
        return present(MAIN, call, [call.line(prompts.NEEDS_MOBILE)])
    session = db.session()
    subscriptions.stop(session, number, language=call.language.code, now=call.now, channel=usage.PHONE)
    session.commit()
    return present(MAIN, call, [call.line(prompts.SMS_STOPPED)])


def subscribe_now(call: Call, line: Line) -> VoiceAnswer:
    """Key 4, then 1: subscribe a mobile caller, with the words they agreed to as consent."""
    number = mobile(line)
    if number is None:
        return present(MAIN, call, [call.line(prompts.NEEDS_MOBILE)])
    session = db.session()
    if subscriptions.already_has(subscriptions.find(session, number)):
        return present(MAIN, call, [call.line(prompts.ALREADY_SUBSCRIBED)])
    wording = f"{call.text(prompts.SUBSCRIBE_EXPLAIN)} {call.text(prompts.SUBSCRIBE_CONFIRM)}"
    subscriptions.subscribe(
        session, number, language=call.language.code, channel="phone", wording=wording, now=call.now
    )
    confirmation = call.text(prompts.SUBSCRIBED_SMS, town=call.profile.town)
    outbox.enqueue(session, recipient=number, body=confirmation, key=f"subscribed-{line.call_sid}", now=call.now)
    session.commit()
    return present(MAIN, call, [call.line(prompts.SUBSCRIBED_BY_PHONE)])


def send_news(call: Call, line: Line) -> VoiceAnswer:
    """Key 2 at a news item: that item as an SMS to the caller's mobile."""
    items = heard_news(call)
    if not items:
        return news_call.gone(call) if call.state.news else present(MAIN, call)
    item = items[news_position(call) - 1]
    # As NEU 2 sends it: an item not written in the caller's language says so first ("Only in German:").
    body = smart_encode(fit(channel_texts.item_sms(item, call.language.code, call.profile.default_language.code)))
    at = news_call.CALL_NEWS if call.state.news else NEWS  # a news call stays at its item too
    return _send(call, line, body, f"call-{line.call_sid}-news-{item.id}", at)


def send_project(call: Call, line: Line) -> VoiceAnswer:
    """Key 2 at a project: its number, status, latest news and summary as an SMS."""
    project = current_project(call)
    if project is None:
        return present(MAIN, call)
    body = channel_texts.project_sms(project, call.language.code, call.profile.default_language.code)
    return _send(call, line, body, f"call-{line.call_sid}-project-{project.number}", PROJECTS)


def _send(call: Call, line: Line, body: str, key: str, back_to: Node) -> VoiceAnswer:
    number = mobile(line)
    if number is None:
        return present(back_to, call, [call.line(prompts.NEEDS_MOBILE)], brief=True)
    outbox.enqueue(db.session(), recipient=number, body=body, key=key, now=call.now)
    db.session().commit()
    return present(back_to, call, [call.line(prompts.SMS_ON_ITS_WAY)], brief=True)


# Taking part ---------------------------------------------------------------------------------


def start_poll(call: Call, line: Line) -> VoiceAnswer:
    """Key 3, then 1: the open poll (first chosen, if several are open), and the caller's vote in it."""
    if not call.content.polls:
        return present(TAKE_PART, call, [call.line(prompts.NO_POLL)])
    if line.number is None:
        return present(TAKE_PART, call, [call.line(prompts.VOTE_NEEDS_NUMBER)])
    chosen = current_poll(call) or (call.content.polls[0] if len(call.content.polls) == 1 else None)
    if chosen is None:
        return present(CHOOSE_POLL, call)
    at_poll = call.but(item=chosen.id, choice=0)
    lead = []
    earlier = polls.vote_of(db.session(), chosen.id, privacy.pseudonym_of(line.number))
    if earlier is not None:
        option = next((o for o in chosen.options if o.id == earlier.option_id), None)
        if option is not None:
            lead += naming_answer(call, option.texts, option.position, prompts.POLL_YOUR_VOTE)
    return present(POLL, at_poll, lead)


def vote_now(call: Call, line: Line) -> VoiceAnswer:
    """Confirmed with 1: count the vote (or change it); one per number across phone and SMS."""
    chosen = current_poll(call)
    session = db.session()
    record = session.get(Poll, chosen.id) if chosen else None
    option = next((o for o in record.options if o.position == call.state.choice), None) if record else None
    if record is None or option is None or not record.is_open(call.now):
        return present(TAKE_PART, call, [call.line(prompts.POLL_CLOSED)])
    if line.number is None:
        return present(TAKE_PART, call, [call.line(prompts.VOTE_NEEDS_NUMBER)])
    changed = polls.cast_vote(
        session, record, option, voter=privacy.pseudonym_of(line.number), channel="phone", now=call.now
    )
    session.commit()
    said = prompts.VOTE_CHANGED if changed else prompts.VOTE_COUNTED
    return present(TAKE_PART, call, naming_answer(call, option.texts, option.position, said))


# The longest voice message, in seconds, as the caller is told.
LONGEST_MESSAGE = 120


def leave_message(call: Call, line: Line) -> VoiceAnswer:
    """Key 3, then 2: say how long a message may be, who hears it and how long it is kept; record."""
    days = call.profile.retention_days["voice"]
    query: dict[str, Any] = call.state.query()
    return VoiceAnswer().add(
        *speak([call.plural(prompts.MESSAGE_EXPLAIN, days)], slow=call.slow),
        Record(
            action=url_for("ivr.recorded", **query),
            status_callback=url_for("ivr.recording_status"),
            longest=LONGEST_MESSAGE,
            silence=10,
        ),
        GoTo(call.url("take-part", call.state)),  # reached only when nothing was recorded
    )


def callback_now(call: Call, line: Line) -> VoiceAnswer:
    """Confirmed with 1: a call back by the next working day."""
    if line.number is None:
        return present(MAIN, call, [call.line(prompts.CALLBACK_NEEDS_NUMBER)])
    request = inbox.request_callback(
        db.session(),
        call.profile,
        number=line.number,
        pseudonym=privacy.pseudonym_of(line.number),
        language=call.language.code,
        channel="phone",
        now=call.now,
    )
    db.session().commit()
    promised = call.line(prompts.CALLBACK_PROMISED, day=call.spoken_day(request.due_on))
    if call.state.news:  # asked for during a news call: back to its keys
        return present(news_call.CALL_NEWS, call, [promised], brief=True)
    return present(MAIN, call, [promised])


# Why a number is kept in the subscribers' table, by its status.
KEPT_FOR = {
    SUBSCRIBED: prompts.KEEP_SUBSCRIPTION,
    UNSUBSCRIBED: prompts.KEEP_STOPPED,
    NOT_SUBSCRIBED: prompts.KEEP_LANGUAGE,
}


def kept_lines(call: Call, kept: privacy.Kept) -> list[Said]:
    """What is kept about a caller's number, sentence by sentence.

    The call itself is remembered (when, by a code): that much is kept about every number we see;
    with it, the language the caller chose, if they chose one.
    """
    lines = []
    if kept.subscriber is not None:
        lines.append(call.line(KEPT_FOR[kept.subscriber.status]))
    if kept.calls is not None:
        lines.append(call.line(prompts.KEEP_CALLS))
    if kept.submissions:
        lines.append(call.plural(prompts.KEEP_SUBMISSIONS, len(kept.submissions)))
    if kept.callbacks:
        lines.append(call.line(prompts.KEEP_CALLBACKS))
    if kept.votes:
        lines.append(call.line(prompts.KEEP_VOTES))
    lines.append(call.line(prompts.KEEP_VISIT))
    if kept.language is not None:
        lines.append(call.line(prompts.KEEP_VISIT_LANGUAGE))
    return lines


def what_we_keep(call: Call, line: Line) -> VoiceAnswer:
    """Key 4, then "what we keep": what is kept about the caller's number."""
    if line.number is None:
        return present(MAIN, call, [call.line(prompts.NUMBER_WITHHELD)])
    node, _ = situation(call, line)
    kept = privacy.kept_about(db.session(), line.number)
    return present(node, call, kept_lines(call, kept))


def ask_to_erase(call: Call, line: Line) -> VoiceAnswer:
    """Key 4, then "erase": first what would be erased, then the question; nothing is erased yet."""
    if line.number is None:
        return present(MAIN, call, [call.line(prompts.NUMBER_WITHHELD)])
    kept = privacy.kept_about(db.session(), line.number)
    lines = kept_lines(call, kept)
    if kept.submissions:
        lines.append(call.line(prompts.MESSAGES_STAY))
    return present(ERASE, call, lines)


def erase_now(call: Call, line: Line) -> VoiceAnswer:
    """Confirmed with 1 after hearing what is kept: erase everything linked to the caller's number."""
    if line.number is None:
        return present(MAIN, call, [call.line(prompts.NUMBER_WITHHELD)])
    privacy.erase(db.session(), line.number, asked_on=usage.PHONE)
    db.session().commit()
    return present(MAIN, call, [call.line(prompts.ERASED)])


def language_chosen(call: Call, line: Line) -> VoiceAnswer:
    """Key 9 or the language menu: the call goes on in the language chosen (the call's state has
    it already), and the caller's next call starts in it."""
    if line.number is not None:
        visits.remember_language(privacy.pseudonym_of(line.number), call.language.code, call.now)
    return present(MAIN, call, [call.line(prompts.NOW_IN_LANGUAGE, language=call.language.name())])


ACTIONS: dict[str, Callable[[Call, Line], VoiceAnswer]] = {
    "language-chosen": language_chosen,
    "subscribe-now": subscribe_now,
    "send-news": send_news,
    "send-project": send_project,
    "start-poll": start_poll,
    "vote-now": vote_now,
    "leave-message": leave_message,
    "callback-now": callback_now,
    "what-we-keep": what_we_keep,
    "sms-and-data": sms_and_data,
    "stop-now": stop_now,
    "erase-ask": ask_to_erase,
    "erase-now": erase_now,
}
# Actions whose writes go through a batched writer (content.visits), not the request's transaction:
# they need no write lock.
BATCHED = frozenset({"language-chosen"})

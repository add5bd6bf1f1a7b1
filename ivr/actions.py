"""What a caller can set in motion from the phone: news by SMS, and "send me this as SMS".

Unlike the menus, these change things (a subscription, a message in the outbox) and depend on
who calls, so the view runs them on every request and never reuses their answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from twilio.twiml.voice_response import VoiceResponse

from content import db, outbox
from content.models import STATUS_NAMES, SUBSCRIBED, Subscriber
from content.phone import is_mobile
from content.sms_text import fit
from content.texts import fields_in, sentence
from ivr import prompts
from ivr.call import Call
from ivr.menu import present
from ivr.nodes import MAIN, NEWS, PROJECTS, current_project, news_position


@dataclass(frozen=True)
class Line:
    """Who is on the line: the caller's number (None if withheld) and the call's id."""

    number: str | None
    call_sid: str


def mobile(line: Line) -> str | None:
    return line.number if line.number and is_mobile(line.number) else None


def subscribe_now(call: Call, line: Line) -> VoiceResponse:
    """Key 4, then 1: subscribe a mobile caller, with the words they agreed to as consent."""
    number = mobile(line)
    if number is None:
        return present(MAIN, call, [call.line(prompts.NEEDS_MOBILE)])
    session = db.session()
    subscriber = session.scalar(select(Subscriber).where(Subscriber.number == number))
    if subscriber is not None and subscriber.status == SUBSCRIBED:
        return present(MAIN, call, [call.line(prompts.ALREADY_SUBSCRIBED)])
    if subscriber is None:
        subscriber = Subscriber(number=number, topics=[], language=call.language.code)
        session.add(subscriber)
    subscriber.status, subscriber.stopped_at, subscriber.language = SUBSCRIBED, None, call.language.code
    subscriber.consent_at, subscriber.consent_channel = call.now, "phone"
    subscriber.consent_wording = f"{call.text(prompts.SUBSCRIBE_EXPLAIN)} {call.text(prompts.SUBSCRIBE_CONFIRM)}"
    confirmation = call.text(prompts.SUBSCRIBED_SMS, town=call.profile.town)
    outbox.enqueue(session, recipient=number, body=confirmation, key=f"subscribed-{line.call_sid}", now=call.now)
    session.commit()
    return present(MAIN, call, [call.line(prompts.SUBSCRIBED_BY_PHONE)])


def send_news(call: Call, line: Line) -> VoiceResponse:
    """Key 2 at a news item: that item as an SMS to the caller's mobile."""
    items = call.content.announcements
    if not items:
        return present(MAIN, call)
    item = items[news_position(call) - 1]
    body = outbox.sms_text(item.texts, call.language.code, call.profile.default_language.code) or ""
    return _send(call, line, body, f"call-{line.call_sid}-news-{item.id}", NEWS)


def send_project(call: Call, line: Line) -> VoiceResponse:
    """Key 2 at a project: its number, status, latest news and summary as an SMS."""
    project = current_project(call)
    if project is None:
        return present(MAIN, call)
    texts = fields_in(project.texts, call.language.code, call.profile.default_language.code)
    status = call.text(STATUS_NAMES.get(project.status, project.status))
    parts = [call.text(prompts.PROJECT_ITEM, number=project.number, title=texts.get("title", "")),
             call.text(prompts.PROJECT_STATUS, status=status)]
    if project.latest_update is not None:
        parts.append(sentence(fields_in(project.latest_update.texts, call.language.code, call.profile.default_language.code).get("text")))
    parts.append(sentence(texts.get("summary")))
    return _send(call, line, fit(*parts), f"call-{line.call_sid}-project-{project.number}", PROJECTS)


def _send(call: Call, line: Line, body: str, key: str, back_to) -> VoiceResponse:  # type: ignore[no-untyped-def]
    number = mobile(line)
    if number is None:
        return present(back_to, call, [call.line(prompts.NEEDS_MOBILE)], brief=True)
    outbox.enqueue(db.session(), recipient=number, body=body, key=key, now=call.now)
    db.session().commit()
    return present(back_to, call, [call.line(prompts.SMS_ON_ITS_WAY)], brief=True)


ACTIONS: dict[str, Callable[[Call, Line], VoiceResponse]] = {
    "subscribe-now": subscribe_now,
    "send-news": send_news,
    "send-project": send_project,
}

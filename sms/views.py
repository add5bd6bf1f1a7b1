"""The SMS webhooks: read the message, answer it once, apply what it asked for."""

from __future__ import annotations

import logging
from datetime import datetime

import click
from flask import Blueprint, Response, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from content import clock, db, last_known, outbox, privacy, snapshot, subscriptions, usage
from content.failures import log_failure
from content.i18n import translate
from content.models import InboundMessage, Subscriber
from content.phone import likely_language, to_e164
from content.profile import TownProfile
from content.sms_text import smart_encode
from sms import prompts, taking_part
from sms.keywords import Command, alphabets, canonical_name, guess_language, keyword_names, read
from sms.replies import Conversation, Reply, Texter, answer
from telephony import provider
from telephony.provider import signed, webhook

log = logging.getLogger(__name__)

bp = Blueprint("sms", __name__, url_prefix="/sms")

# The consent wording kept when the provider answered the texter's START with its own words.
PROVIDER_CONFIRMED = "confirmed by the telephone provider's own reply"


def reply_language(profile: TownProfile, command: Command, subscriber: Subscriber | None, usual: str) -> str:
    """The texter's chosen language; else the language of the keyword they used; else the usual one:
    the one their letters or their number suggest, or the town's."""
    if subscriber is not None:
        return profile.language(subscriber.language).code
    return profile.language(command.language or usual).code


def texter(subscriber: Subscriber | None) -> Texter:
    if subscriber is None:
        return Texter()
    return Texter(
        subscriber.status,
        subscriber.language,
        subscriber.consent_at,
        subscriber.consent_channel,
        subscriber.stopped_at,
        tuple(subscriber.topics or ()),
    )


def apply(reply: Reply, number: str | None, language: str, now: datetime, *, wording: str) -> None:
    """Make the change the reply promised: subscribe (wording: what the texter agreed to), stop, or
    remember the language."""
    if reply.change is None or number is None:
        return
    session = db.session()
    if reply.change == "subscribe":
        subscriptions.subscribe(
            session, number, language=language, channel="sms", wording=wording, now=now, topics=reply.topics
        )
    elif reply.change == "stop":
        subscriptions.stop(session, number, language=language, now=now, channel=usage.SMS)
    elif reply.change == "language" and reply.language:
        subscriptions.choose_language(session, number, reply.language)


@bp.post("")
@webhook
@db.retried
def incoming() -> Response:
    """Answer an SMS; a message the provider sends again gets the same answer and changes nothing."""
    sms = provider.incoming_sms(request)
    sid = sms.message_id
    db.write_lock()  # every SMS answered is written down
    session = db.session()
    if sid and (seen := session.get(InboundMessage, sid)) is not None:
        return sms_reply(seen.reply)
    now = clock.now()
    content = snapshot.current()
    number = to_e164(sms.sender)
    subscriber = subscriptions.find(session, number) if number else None
    languages = tuple(language.code for language in content.profile.languages)
    # A new texter: the language their letters are written in, else the one their number suggests
    # (+48: Polish), else the town's: START from a Polish number is answered in Polish.
    hint = likely_language(number, languages) or content.profile.default_language.code
    usual = subscriber.language if subscriber else guess_language(sms.body, alphabets(languages), hint)
    command = read(sms.body, keyword_names(languages), prefer=usual)
    opted = sms.handled_by_provider  # the provider's own opt-out handling: it confirmed it to the texter
    if opted:
        command = Command(opted, command.language, "")
    # The one place that knows which keyword it was: noted for the usage figures once the answer
    # stands (below), by its name in the town's first language, never with the number or the text.
    keyword = canonical_name(command.keyword, content.profile.default_language.code)
    language = reply_language(content.profile, command, subscriber, usual)
    talk = Conversation(content.profile, language, texter(subscriber), content.public_news(now), content.projects)
    sender = taking_part.Sender(session, number, privacy.pseudonym_of(number) if number else None, now)
    reply = respond(talk, command, sender)
    if number is None and reply.change in ("subscribe", "language"):
        reply = Reply(talk.text(prompts.NEEDS_NUMBER))  # nothing can be kept for a number we cannot read
    # The provider already confirmed its own opt-out handling: then it said the words, not we.
    text = "" if opted else reply.text
    apply(reply, number, language, now, wording=text or f"{sms.body.strip()[:160]} ({PROVIDER_CONFIRMED})")
    if sid:
        session.add(InboundMessage(message_sid=sid, reply=text, received_at=now))
    try:
        session.commit()
    except IntegrityError:  # the provider's retry overtook us: answer as the first one did
        session.rollback()
        seen = session.get(InboundMessage, sid)
        return sms_reply(seen.reply if seen else text)
    usage.record(usage.KEYWORD, channel=usage.SMS, at=now, detail=keyword)
    return sms_reply(text)


def respond(talk: Conversation, command: Command, sender: taking_part.Sender) -> Reply:
    """The reply: keywords that take part store something; the others only read."""
    if command.keyword in taking_part.ACTIONS:
        return Reply(smart_encode(taking_part.ACTIONS[command.keyword](talk, command.argument, sender)))
    reply = answer(talk, command)
    if command.keyword != "privacy":
        return reply
    return Reply(smart_encode(taking_part.privacy_reply(talk, sender, reply.text)))


@bp.post("/status")
@webhook
def delivery_report() -> Response:
    """Twilio reports what became of a message the outbox sent; unknown messages are ignored."""
    outbox_id = request.args.get("outbox", "")
    report = provider.delivery_report(request)
    if outbox_id.isascii() and outbox_id.isdigit() and len(outbox_id) < 19 and report.message_id:
        db.write_lock()
        message = outbox.record_report(db.session(), int(outbox_id), report.message_id, report.status, report.error)
        if message is not None and report.recipient_opted_out:
            outbox.end_subscriptions(db.session(), [message.recipient], clock.now())
        db.session().commit()
    return Response(status=204)


def temporary_problem() -> str:
    """The apology, in the town's language as last known (no database needed)."""
    profile = last_known.recall() or TownProfile()
    return translate(profile.default_language.code, prompts.TEMPORARY_PROBLEM)


@bp.post("/fallback")
@signed
def fallback() -> Response:
    """Twilio's fallback URL: a short apology, without the database (and without the deadline's
    desk: it answers even when every view is stuck)."""
    return sms_reply(temporary_problem())


@bp.cli.command("fallback")
@click.option("--nginx", is_flag=True, help="As an nginx location that answers it without the app.")
def fallback_command(nginx: bool) -> None:
    """Print what /sms/fallback says, to host it where the app's trouble cannot reach it."""
    snapshot.current()  # the town profile as it is now, kept as the last known one
    body = sms_reply(temporary_problem()).get_data(as_text=True)
    click.echo(provider.served_by_proxy(f"{bp.url_prefix}/fallback", body) if nginx else body)


def sms_reply(text: str) -> Response:
    return provider.sms_answer(text)


@bp.errorhandler(Exception)
def apology(error: Exception) -> Response | HTTPException:
    """Whatever broke, the texter gets a short apology, never a 500; nothing half-written stays.

    A delivery report is read by no person: it gets 503, which the provider logs as a failed
    callback instead of taking the report as received; the worker asks for the state later
    (worker/delivery.py).
    """
    if isinstance(error, HTTPException):
        return error
    log_failure(log, f"SMS webhook failed at {request.path}", error)
    db.rollback_quietly()
    if request.endpoint == "sms.delivery_report":
        return Response(status=503)  # the provider sees the failure; the worker looks it up later
    return sms_reply(temporary_problem())

"""The voice webhooks: thin views that read the call step, ask the menu, and return its answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import click
from flask import Blueprint, Response, current_app, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from content import db, inbox, last_known, news_calls, office_hours, privacy, snapshot, subscriptions, usage, visits
from content.failures import log_failure
from content.models import MACHINE, PERSON, Submission
from content.phone import caller_number, is_mobile, likely_language
from content.profile import Language, TownProfile
from content.snapshot import NewsItem, OpenPoll, RoadmapProject, Snapshot
from content.visits import Visit
from ivr import actions, menu, news_call, nodes, prompts, taking_part, tree, usage_steps
from ivr.answers import AnswerCache, Kept
from ivr.call import Call, Heard
from ivr.state import MOST_NEWS, CallState
from telephony import calls
from telephony.calls import CallStep, PutThrough
from telephony.provider import (
    call_end,
    call_step,
    document,
    recording_report,
    rendered,
    served_by_proxy,
    signed,
    voice_answer,
    webhook,
)
from telephony.voice import KEYPAD, HangUp, VoiceAnswer

log = logging.getLogger(__name__)

bp = Blueprint("ivr", __name__, url_prefix="/voice", cli_group="voice")


@dataclass(frozen=True)
class PublicContent:
    """The snapshot's content as a caller may hear it at this moment."""

    snapshot: Snapshot
    now: datetime

    @cached_property
    def announcements(self) -> tuple[NewsItem, ...]:
        return self.snapshot.public_news(self.now)

    @property
    def projects(self) -> tuple[RoadmapProject, ...]:
        return self.snapshot.projects

    @cached_property
    def polls(self) -> tuple[OpenPoll, ...]:
        return self.snapshot.open_polls(self.now)


def node_url(name: str, state: CallState) -> str:
    query: dict[str, Any] = state.query()
    return url_for("ivr.step", node=name, **query)


def this_call(state: CallState, content: Snapshot | None = None) -> Call:
    now = current_app.config["CLOCK"]()
    content = content or snapshot.current()
    return Call(content.profile, state, now, PublicContent(content, now), node_url)


def call_without_database(state: CallState) -> Call:
    """For bad days: the last known town profile, no content."""
    profile = last_known.recall() or TownProfile()
    return this_call(state, Snapshot(version=0, profile=profile, news=(), projects=()))


def answer(
    call: Call,
    what: Hashable,
    heard: Heard,
    render: Callable[[Call], VoiceAnswer],
    *,
    at: str | None = None,
    first: bool = False,
) -> Response:
    """Render the answer, or reuse it if this content already gave it in the same situation; note
    the step's usage events (the caller's step at the menu named at; first: the call's first step;
    at None, or a news call: none, as the report counts the hotline's calls)."""

    def made() -> Kept:
        given = render(call)
        news = [item.id for item in call.content.announcements]
        default = call.profile.default_language.code
        if at is None or call.state.news:
            return rendered(given), ()
        return rendered(given), usage_steps.step_events(at, call.state, None if first else heard, given, default, news)

    if heard.speech or (heard.key and heard.key not in KEYPAD):
        body, events = made()
    else:
        profile, now = call.profile, call.now
        situation = (
            office_hours.is_open(profile, now),
            office_hours.is_public_holiday(profile, office_hours.local_date(profile, now)),
            now.year,
            tuple(item.id for item in call.content.announcements),
            tuple(poll.id for poll in call.content.polls),
        )
        key = (what, call.state, heard.key, situation, request.script_root)
        cache = current_app.extensions.setdefault("ivr.answers", AnswerCache())
        content = call.content.snapshot  # type: ignore[attr-defined]  # the views pass PublicContent, which has it
        body, events = cache.get(content, key, made)
    usage_steps.record(events, usage.call_id(call_step(request).call_id), call.now)
    return document(body)


def step_answer(node: str, call: Call, given: VoiceAnswer) -> Response:
    """An answer that is no menu's (an action's): sent as it is, its usage events noted."""
    if call.state.news:
        return voice_answer(given)
    news = [item.id for item in call.content.announcements]
    events = usage_steps.step_events(node, call.state, None, given, call.profile.default_language.code, news)
    usage_steps.record(events, usage.call_id(call_step(request).call_id), call.now)
    return voice_answer(given)


@bp.post("")
@webhook
def incoming() -> Response:
    """Greet a new call in the caller's language, note their visit by pseudonym, and offer the main menu."""
    call = this_call(CallState())
    visit = Visit()
    number = caller_number(call_step(request).caller)
    if number:
        visit = visits.remember_call(privacy.pseudonym_of(number), call.now)
    returning = visit.last_call_at is not None
    chosen = chosen_language(call.profile, number, visit)
    settled = returning or chosen is not None
    language = chosen or call.profile.default_language
    likely = likely_language(number, [each.code for each in call.profile.languages]) or ""
    # Key 9 goes straight to the likely language on a first call, and back to the default one for
    # a caller whose call starts in another.
    quick = call.profile.default_language.code if settled else likely
    call = call.but(
        lang="" if language == call.profile.default_language else language.code,
        likely="" if likely == language.code else likely,
        quick="" if quick == language.code else quick,
        new=nodes.count_new(call.content.announcements, visit.last_call_at),
    )
    call_id = usage.call_id(call_step(request).call_id)
    usage.record(usage.CALL, channel=usage.PHONE, at=call.now, detail="returning" if returning else "new", call=call_id)
    welcome = ("welcome", returning, settled)
    return answer(call, welcome, Heard(), lambda c: nodes.welcome(c, returning, settled), at="", first=True)


def chosen_language(profile: TownProfile, number: str | None, visit: Visit) -> Language | None:
    """The language this caller chose before, on the phone or (if never there) for their SMS."""
    code = visit.language
    if code is None and number is not None:
        subscriber = subscriptions.find(db.session(), number)
        code = subscriber.language if subscriber is not None else None
    return next((language for language in profile.languages if language.code == code), None)


@bp.post("/dialled")
@webhook
def dialled() -> Response:
    """The provider reports how putting the caller through to staff ended."""
    ended: PutThrough | None = call_step(request).put_through
    call = this_call(CallState.from_query(request.args))
    after_dial = news_call.after_dial if call.state.news else nodes.after_dial
    return answer(call, ("dialled", ended), Heard(), lambda c: after_dial(c, ended), at="dialled")


def file_voice_message(sid: str, update: Callable[[Submission], None]) -> Submission:
    """Find or file the voice message and update it; a race between the provider's two reports is retried."""
    db.write_lock()
    session, call = db.session(), this_call(CallState.from_query(request.args))

    def filed() -> Submission:
        item = inbox.voice_message(session, recording_sid=sid, language=call.language.code, now=call.now)
        update(item)
        session.commit()
        return item

    try:
        return filed()
    except IntegrityError:  # the other report filed it a moment ago: now it is found
        session.rollback()
        return filed()


@bp.post("/recorded")
@webhook
def recorded() -> Response:
    """After a voice message: thank the caller with its reference number (or say nothing came)."""
    call = this_call(CallState.from_query(request.args))
    report = recording_report(request)
    if report.recording_id is None or not report.seconds:
        return voice_answer(menu.present(taking_part.TAKE_PART, call, [call.line(prompts.MESSAGE_EMPTY)]))
    number = caller_number(call_step(request).caller)

    def contact(item: Submission) -> None:
        item.number = number
        item.pseudonym = privacy.pseudonym_of(number) if number else None

    item = file_voice_message(report.recording_id, contact)
    reference = menu.digits_for_speech(item.reference)  # "0 0 4 2": a reference, not a count or a phone number
    return voice_answer(menu.present(nodes.MAIN, call, [call.line(prompts.MESSAGE_THANKS, reference=reference)]))


@bp.post("/recording-status")
@webhook
def recording_status() -> Response:
    """The provider says a recording is ready: note where, so the worker fetches it into the city's storage."""
    report = recording_report(request)
    if report.recording_id and report.complete and report.url:
        now = current_app.config["CLOCK"]()

        def located(item: Submission) -> None:
            item.recording_url = report.url
            item.recording_seconds = report.seconds
            item.fetch_after = now

        file_voice_message(report.recording_id, located)
    return Response(status=204)


@bp.post("/fallback")
@signed
def fallback() -> Response:
    """The provider's fallback URL: apologise and give the staff number, without the database
    (and without the deadline's desk: it answers even when every view is stuck)."""
    return voice_answer(menu.apology(call_without_database(CallState.from_query(request.args))))


@bp.cli.command("fallback")
@click.option("--nginx", is_flag=True, help="As an nginx location that answers it without the app.")
def fallback_command(nginx: bool) -> None:
    """Print what /voice/fallback says, to host it where the app's trouble cannot reach it."""
    snapshot.current()  # the town profile as it is now, kept as the last known one
    body = rendered(menu.apology(call_without_database(CallState())))
    click.echo(served_by_proxy(f"{bp.url_prefix}/fallback", body) if nginx else body)


@bp.post("/<node>")
@webhook
@db.retried
def step(node: str) -> Response:
    """Answer the caller's key, words or silence at a menu."""
    call = this_call(CallState.from_query(request.args))
    step = call_step(request)
    if node in tree.ACTIONS:
        if node not in actions.BATCHED:
            db.write_lock()
        line = actions.Line(caller_number(step.caller), step.call_id)
        return step_answer(node, call, tree.ACTIONS[node](call, line))
    menu_node = tree.NODES.get(node, nodes.MAIN)
    said = Heard(key=step.key, speech=step.speech)
    return answer(call, menu_node.name, said, lambda c: tree.answer(menu_node, c, said), at=menu_node.name)


# News calls: the worker places them with these URLs (?call=<outbox id>&try=<the try>) -------------

LARGEST_ID = 2**31 - 1  # the outbox's ids (and its count of tries) are 32-bit integers


def positive_id(raw: str) -> int | None:
    """A whole number from 1 to LARGEST_ID written in plain digits; None for anything else."""
    if not (raw.isascii() and raw.isdigit() and len(raw) < 11):
        return None
    return int(raw) if 0 < int(raw) <= LARGEST_ID else None


def outbox_id(args: Mapping[str, str]) -> int | None:
    """The news call's outbox id from the URL; None for anything that cannot be one."""
    return positive_id(args.get("call", ""))


@dataclass(frozen=True)
class NewsCallUrl:
    """Which news call, and which try of it, the URL the worker placed it with names."""

    outbox_id: int
    attempt: int | None  # None in the URLs of calls placed before tries were named


def named_call(args: Mapping[str, str]) -> NewsCallUrl | None:
    """The call and try of a news call's URL; None when either is no such thing (an odd try is not
    taken for "any try": it names no call)."""
    found = outbox_id(args)
    if found is None:
        return None
    if "try" not in args:
        return NewsCallUrl(found, None)
    attempt = positive_id(args["try"])
    return NewsCallUrl(found, attempt) if attempt is not None else None


def plan_for(step: CallStep, outcome: str, now: datetime) -> news_calls.CallPlan | None:
    """Note who answered the news call, before a word is said (it is never placed again), and
    return what to read; None unless this is the call the city placed, this try, to this number."""
    named, number = named_call(request.args), caller_number(step.caller)
    if named is None or not (step.outbound and step.call_id and number):
        return None
    db.write_lock()
    plan = news_calls.answered(
        db.session(), named.outbox_id, step.call_id, outcome, now, attempt=named.attempt, number=number
    )
    db.session().commit()
    return plan


@bp.post("/news-call")
@webhook
@db.retried
def news_call_answered() -> Response:
    """Somebody took a news call: note it before a word is said (it is never placed again), then
    read the news to a person, leave a short message on a machine, hang up on a fax."""
    step = call_step(request)
    if step.answered_by == calls.FAX:
        return voice_answer(VoiceAnswer([HangUp()]))
    call = this_call(CallState())
    outcome = MACHINE if step.answered_by == calls.MACHINE else PERSON
    plan = plan_for(step, outcome, call.now)
    if plan is None or not plan.announcements:
        return answer(call, "news-call-gone", Heard(), news_call.gone)
    language = call.profile.language(plan.language)
    number = caller_number(step.caller)
    call = call.but(
        lang="" if language == call.profile.default_language else language.code,
        news=",".join(str(each) for each in plan.announcements[:MOST_NEWS]),
        mobile=int(bool(number and is_mobile(number))),
    )
    if outcome == MACHINE:
        return answer(call, "news-call-machine", Heard(), news_call.machine_message)
    return answer(call, "news-call", Heard(), news_call.start)


@bp.post("/news-call/status")
@webhook
@db.retried
def news_call_ended() -> Response:
    """The provider says how a news call ended: settled, or tried again later (content.news_calls).
    A report that is no end (ringing, under way) changes nothing, nor does one about no such call
    or about another try of it."""
    report = call_end(request)
    named = named_call(request.args)
    if report.ended is not None and named is not None and report.call_id:
        outcome = news_calls.reported_outcome(report.ended, report.answered_by)
        profile, now = snapshot.current().profile, current_app.config["CLOCK"]()
        db.write_lock()
        news_calls.ended(db.session(), named.outbox_id, report.call_id, outcome, profile, now, attempt=named.attempt)
        db.session().commit()
    return Response(status=204)


def tried_again(profile: TownProfile, named: NewsCallUrl | None) -> bool:
    """Whether a news call whose answer failed (so it was not noted as heard) is placed again: while
    the town's retries allow another try (content.news_calls.ended); a URL without its try, yes."""
    return named is None or named.attempt is None or named.attempt <= profile.call_retries


@bp.post("/news-call/fallback")
@signed
def news_call_fallback() -> Response:
    """The provider's fallback URL for news calls: who is calling, that something is wrong, and that
    we call again later (the answer was not noted, so the call is tried again), without the
    database (and without the deadline's desk, like /voice/fallback)."""
    call = call_without_database(CallState())
    return voice_answer(news_call.apology(call, again=tried_again(call.profile, named_call(request.args))))


# The news call's own endpoints; its menu steps carry the news it reads in their state.
NEWS_CALL_ANSWER = ("ivr.news_call_answered", "ivr.news_call_fallback")


@bp.errorhandler(Exception)
def spoken_apology(error: Exception) -> Response | HTTPException:
    """Whatever broke, the caller hears an apology and the staff number, never a 500. A resident
    the city called hears who is calling and a goodbye that fits: we called them, not they us."""
    if isinstance(error, HTTPException):
        return error
    log_failure(log, f"voice webhook failed at {request.path}", error)
    db.rollback_quietly()
    if request.endpoint == "ivr.news_call_ended":
        return Response(status=503)  # read by no person: the provider notes the failure
    state = CallState.from_query(request.args)
    call = call_without_database(state)
    if request.endpoint in NEWS_CALL_ANSWER:
        return voice_answer(news_call.apology(call, again=tried_again(call.profile, named_call(request.args))))
    if state.news:
        return voice_answer(news_call.apology_during(call))
    return voice_answer(menu.apology(call))

"""The simulator's phone rings: a news call the city placed to the simulated number.

The worker never hands a call to the simulated number to the provider: it marks it placed
("sent", with a provider id of its own, SIMULATED…), and then it rings until somebody here
answers or declines it. Answering posts the provider's signed request to the news call's webhook,
as a person who picked up; the call then goes on like any call in the simulator. Declining posts
the status report of a busy line; a call nobody takes for RING_FOR counts as not answered, like a
phone that rings out. When an answered call is over, the report says so.

The browser only says "answer", "decline" or "hung up": the server finds the call (only ever one
to the simulated number) and signs, as it does for every other step.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, jsonify, session

from content import clock, db, news_calls
from content.models import OutboundMessage
from content.phone import SIMULATED_NUMBER
from telephony.calls import ANSWERED, BUSY, NO_ANSWER
from web.simulator import Answer, SimulatedPhone, as_json, bp, phone

# How long the simulated phone rings before the call counts as not answered (a real phone rings
# out after about a minute; a visitor who is reading gets longer).
RING_FOR = timedelta(minutes=3)
# The webhooks of a news call (ivr): what the person hears, and the provider's status reports,
# as the worker names them: the call, and which try of it rings (a report about another is void).
NEWS_CALL = "/voice/news-call?call={id}&try={attempt}"
NEWS_CALL_STATUS = "/voice/news-call/status?call={id}&try={attempt}"
# How the worker marks a call to the simulated number as placed.
SIMULATED_CALL = "SIMULATED"


def rang_out(call: OutboundMessage, now: datetime) -> bool:
    """Whether the call has rung so long that the phone gives up (nobody answered)."""
    return call.updated_at + RING_FOR <= now


def ringing_call(simulated: SimulatedPhone) -> OutboundMessage | None:
    """The news call ringing at the simulated phone now. One that rang out is first reported as not
    answered (so the worker tries it again later, as it would a real one)."""
    session = db.session()
    while (call := news_calls.ringing(session, SIMULATED_NUMBER)) is not None:
        if not (call.provider_id or "").startswith(SIMULATED_CALL):
            return None  # not placed by the simulator's rules: nothing here may answer for it
        if not rang_out(call, clock.now()):
            return call
        status, call_id = NEWS_CALL_STATUS.format(id=call.id, attempt=call.attempts), call.provider_id or ""
        db.session().rollback()  # the report is written by the webhook, in a transaction of its own
        simulated.news_call_ended(status, NO_ANSWER, call_id)
        session.expire_all()
        if news_calls.ringing(session, SIMULATED_NUMBER) is call:
            return None  # the report changed nothing: do not ask again and again
    return None


def answer(simulated: SimulatedPhone) -> tuple[int, Answer] | None:
    """Take the ringing news call: (its outbox id, the first answer of the call), or None if none rings."""
    call = ringing_call(simulated)
    if call is None:
        return None
    outbox_id, call_id, path = call.id, call.provider_id or "", NEWS_CALL.format(id=call.id, attempt=call.attempts)
    db.session().rollback()
    return outbox_id, simulated.answer_news_call(path, call_id)


def decline(simulated: SimulatedPhone) -> bool:
    """Refuse the ringing news call, as a busy line does; False if none rings."""
    call = ringing_call(simulated)
    if call is None:
        return False
    status, call_id = NEWS_CALL_STATUS.format(id=call.id, attempt=call.attempts), call.provider_id or ""
    db.session().rollback()
    simulated.news_call_ended(status, BUSY, call_id)
    return True


def hung_up(simulated: SimulatedPhone, outbox_id: int) -> None:
    """The answered news call is over: the provider's report says it was answered and has ended
    (about the try that rang; a call gone since has nothing left to report)."""
    call = db.session().get(OutboundMessage, outbox_id)
    if call is None:
        return
    status = NEWS_CALL_STATUS.format(id=outbox_id, attempt=call.attempts)
    db.session().rollback()
    simulated.news_call_ended(status, ANSWERED, simulated.call_id)


# The page's part ----------------------------------------------------------------------------------


@bp.get("/ringing")
def is_ringing() -> Response:
    """Whether the simulated phone rings now (a news call for it is waiting to be answered)."""
    return jsonify(ringing=ringing_call(phone()) is not None)


@bp.post("/answer")
def answer_call() -> Response:
    """Answer the ringing news call; the answer is the call's first step, like /simulator/voice's."""
    simulated = phone()
    taken = answer(simulated)
    if taken is None:
        return jsonify(status=404)
    outbox_id, first = taken
    if first.status != 200:
        return jsonify(status=first.status)
    session["simulator_call"], session["simulator_news_call"] = simulated.call_id, outbox_id
    return jsonify(status=first.status, **as_json(simulated.turn(first)))


@bp.post("/decline")
def decline_call() -> Response:
    return jsonify(status=200 if decline(phone()) else 404)


@bp.post("/hung-up")
def hang_up() -> Response:
    """The visitor (or the hotline) ended the call: an answered news call is reported as over."""
    outbox_id = session.pop("simulator_news_call", None)
    if isinstance(outbox_id, int):
        hung_up(phone(), outbox_id)
    return jsonify(status=200)

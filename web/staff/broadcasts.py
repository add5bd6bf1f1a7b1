"""How far a broadcast has got: its SMS (queued, sent, delivered, failed) and its news calls
(waiting, ringing, answered by the person or the answering machine, busy, not answered, failed,
to be tried again). The weekly summaries by call are broadcasts too, without an announcement."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import clock, db, news_calls
from content.i18n import N_
from content.models import CALL, EDITOR, QUEUED, SENDING, SENT, SMS, Announcement, Broadcast, OutboundMessage
from content.snapshot import current
from content.texts import fields_in
from web.pages import page_language
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import say

WEEKLY_SUMMARY = N_("Weekly summary by call")
SENDING_TO_SUBSCRIBERS = N_("Sending to subscribers")
# The call figures as staff read them, in news_calls.FIGURES' order.
CALL_FIGURES = {
    "queued": N_("Waiting for their calling time"),
    "ringing": N_("Ringing now"),
    "person": N_("Answered by the person"),
    "machine": N_("Message left on the answering machine"),
    "busy": N_("Busy every time, no more tries"),
    "no_answer": N_("Not answered, no more tries"),
    "failed": N_("Could not be put through"),
    "retrying": N_("Not reached yet, will be tried again"),
    "stopped": N_("Not called: the person stopped the calls"),
}


def is_summary(sent: Broadcast) -> bool:
    return sent.announcement_id is None and sent.author == news_calls.SUMMARY_AUTHOR


def title(session: Session, sent: Broadcast) -> str:
    """What a broadcast is called on the staff pages: its news item's title, or the weekly summary."""
    if is_summary(sent):
        return say(WEEKLY_SUMMARY)
    announcement = session.get(Announcement, sent.announcement_id) if sent.announcement_id else None
    if announcement is None:
        return ""
    return str(fields_in(announcement.texts, page_language(), current().profile.default_language.code).get("title", ""))


def sms_progress(session: Session, broadcast_id: int) -> dict[str, int]:
    """How many of a broadcast's SMS are in each status (its calls are counted by news_calls.progress)."""
    query = (
        select(OutboundMessage.status, func.count())
        .where(OutboundMessage.broadcast_id == broadcast_id, OutboundMessage.channel == SMS)
        .group_by(OutboundMessage.status)
    )
    return {status: count for status, count in session.execute(query)}


def figures(session: Session, broadcast_id: int) -> dict[str, int]:
    """A broadcast's SMS and calls by what happened to them. The SMS: total, waiting, sent, delivered,
    failed, done (left the queue). The calls: calls (all), calls_<figure> for each of
    news_calls.FIGURES, calls_done (over for good). And for both: left (SMS still to leave, calls
    not over yet) and percent (of all that is done)."""
    counts = sms_progress(session, broadcast_id)
    waiting = counts.get("queued", 0) + counts.get("sending", 0)
    total = sum(counts.values())
    calls = news_calls.progress(session, broadcast_id)
    called = sum(calls.values())
    calling = calls["queued"] + calls["ringing"] + calls["retrying"]
    everything, left = total + called, waiting + calling
    return {
        "total": total,
        "waiting": waiting,
        "sent": counts.get("sent", 0),
        "delivered": counts.get("delivered", 0),
        "failed": counts.get("failed", 0) + counts.get("undelivered", 0) + counts.get("unknown", 0),
        "done": total - waiting,
        "calls": called,
        **{f"calls_{name}": count for name, count in calls.items()},
        "calls_done": called - calling,
        "left": left,
        "percent": 100 if everything == 0 else (everything - left) * 100 // everything,
    }


def running(session: Session) -> list[Broadcast]:
    """Broadcasts with SMS still to leave or calls not over yet, newest first."""
    ringing = (OutboundMessage.channel == CALL) & (OutboundMessage.status == SENT)
    busy = select(OutboundMessage.broadcast_id).where(OutboundMessage.status.in_((QUEUED, SENDING)) | ringing)
    return list(
        session.scalars(
            select(Broadcast).where(Broadcast.id.in_(busy)).order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
        )
    )


@bp.get("/broadcasts/<int:broadcast_id>")
@needs(EDITOR)
def broadcast(broadcast_id: int) -> str:
    """Show how far a broadcast has got, its SMS and its calls."""
    session = db.session()
    sent = session.get(Broadcast, broadcast_id) or abort(404)
    return render_template(
        "staff/broadcast.html",
        sent=sent,
        summary=is_summary(sent),
        heading=say(WEEKLY_SUMMARY if is_summary(sent) else SENDING_TO_SUBSCRIBERS),
        title=title(session, sent),
        figures=figures(session, broadcast_id),
        call_figures=CALL_FIGURES,
        now=clock.now(),
    )


@bp.get("/broadcasts/<int:broadcast_id>.json")
@needs(EDITOR)
def broadcast_progress(broadcast_id: int) -> Any:
    session = db.session()
    session.get(Broadcast, broadcast_id) or abort(404)
    return jsonify(figures(session, broadcast_id))

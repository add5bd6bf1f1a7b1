"""The overview at /staff/: what needs attention today, each with the way there."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import clock, db, office_hours
from content.i18n import N_plural
from content.models import (
    ADMIN,
    EDITOR,
    IDEA,
    MODERATOR,
    OPEN,
    QUESTION,
    QUEUED,
    ROLE_NAMES,
    SENDING,
    SUBSCRIBED,
    VOICE_MESSAGE,
    Announcement,
    Broadcast,
    CallbackRequest,
    OutboundMessage,
    Submission,
    Subscriber,
)
from content.snapshot import current
from content.texts import fields_in
from web.pages import page_language
from web.staff.blueprint import bp

NEW_KINDS = {
    IDEA: N_plural("%(count)s new idea", "%(count)s new ideas"),
    QUESTION: N_plural("%(count)s new question", "%(count)s new questions"),
    VOICE_MESSAGE: N_plural("%(count)s new voice message", "%(count)s new voice messages"),
}
OVERDUE = N_plural("%(count)s call back is overdue", "%(count)s call backs are overdue")
SUBSCRIBERS = N_plural("%(count)s person gets the news by SMS", "%(count)s people get the news by SMS")
SENDING_NOW = N_plural(
    "Being sent: “%(title)s”, %(sent)s of %(count)s SMS out", "Being sent: “%(title)s”, %(sent)s of %(count)s SMS out"
)


@dataclass(frozen=True)
class Attention:
    """One line of the overview: a counted message, its count, and where to go."""

    message: tuple[str, str]
    count: int
    link: str
    sent: int = 0
    title: str = ""


def new_submissions(session: Session) -> dict[str, int]:
    """Open ideas, questions and voice messages, by kind."""
    query = select(Submission.kind, func.count()).where(Submission.status == OPEN).group_by(Submission.kind)
    return {kind: count for kind, count in session.execute(query)}


def overdue_callbacks(session: Session) -> int:
    """Call backs still open whose promised day is before today (the town's today)."""
    today = office_hours.local_date(current().profile, clock.now())
    query = select(func.count()).where(CallbackRequest.status == OPEN, CallbackRequest.due_on < today)
    return session.scalar(query) or 0


def running_broadcasts(session: Session) -> list[tuple[Broadcast, int, int]]:
    """Broadcasts with SMS still waiting to leave, newest first: (broadcast, sent so far, all)."""
    waiting = select(OutboundMessage.broadcast_id).where(OutboundMessage.status.in_((QUEUED, SENDING)))
    broadcasts = session.scalars(
        select(Broadcast).where(Broadcast.id.in_(waiting)).order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
    )
    running = []
    for broadcast in broadcasts:
        counts = dict(
            session.execute(
                select(OutboundMessage.status, func.count())
                .where(OutboundMessage.broadcast_id == broadcast.id)
                .group_by(OutboundMessage.status)
            ).all()
        )
        left = counts.get(QUEUED, 0) + counts.get(SENDING, 0)
        running.append((broadcast, sum(counts.values()) - left, sum(counts.values())))
    return running


def subscribed(session: Session) -> int:
    return session.scalar(select(func.count()).where(Subscriber.status == SUBSCRIBED)) or 0


def attention(session: Session) -> list[Attention]:
    """What this staff member's role should look at, in the order of the day's work."""
    lines: list[Attention] = []
    if g.staff.may(MODERATOR):
        counts = new_submissions(session)
        for kind, message in NEW_KINDS.items():
            lines.append(Attention(message, counts.get(kind, 0), url_for("staff.inbox", kind=kind, status=OPEN)))
        lines.append(Attention(OVERDUE, overdue_callbacks(session), url_for("staff.callbacks")))
    if g.staff.may(EDITOR):
        language, default = page_language(), current().profile.default_language.code
        for broadcast, sent, total in running_broadcasts(session):
            announcement = session.get(Announcement, broadcast.announcement_id) if broadcast.announcement_id else None
            title = fields_in(announcement.texts, language, default).get("title", "") if announcement else ""
            link = url_for("staff.broadcast", broadcast_id=broadcast.id)
            lines.append(Attention(SENDING_NOW, total, link, sent=sent, title=title))
    if g.staff.may(ADMIN):
        lines.append(Attention(SUBSCRIBERS, subscribed(session), url_for("staff.subscribers")))
    return lines


@bp.get("/")
def home() -> str:
    """The overview: what needs attention, and what this staff member can do here."""
    return render_template("staff/home.html", role_names=ROLE_NAMES, attention=attention(db.session()))

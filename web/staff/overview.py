"""The overview at /staff/: what needs attention today, each with the way there."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import clock, db, news_calls, office_hours
from content.i18n import N_plural
from content.models import (
    ADMIN,
    EDITOR,
    IDEA,
    MODERATOR,
    OPEN,
    QUESTION,
    ROLE_NAMES,
    SUBSCRIBED,
    VOICE_MESSAGE,
    CallbackRequest,
    Submission,
    Subscriber,
)
from content.snapshot import current
from web.staff import broadcasts
from web.staff.blueprint import bp

NEW_KINDS = {
    IDEA: N_plural("%(count)s new idea", "%(count)s new ideas"),
    QUESTION: N_plural("%(count)s new question", "%(count)s new questions"),
    VOICE_MESSAGE: N_plural("%(count)s new voice message", "%(count)s new voice messages"),
}
OVERDUE = N_plural("%(count)s call back is overdue", "%(count)s call backs are overdue")
SUBSCRIBERS = N_plural("%(count)s person gets the news by SMS", "%(count)s people get the news by SMS")
CALL_SUBSCRIBERS = N_plural("%(count)s person is called with the news", "%(count)s people are called with the news")
SENDING_NOW = N_plural(
    "Being sent: “%(title)s”, %(sent)s of %(count)s SMS out", "Being sent: “%(title)s”, %(sent)s of %(count)s SMS out"
)
WEEKLY_CALLS = N_plural(
    "Weekly summary by call: %(sent)s of %(count)s calls done",
    "Weekly summary by call: %(sent)s of %(count)s calls done",
)
CALLING_NOW = N_plural(
    "Calls for “%(title)s”: %(sent)s of %(count)s done", "Calls for “%(title)s”: %(sent)s of %(count)s done"
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


def running_broadcasts(session: Session) -> list[Attention]:
    """Broadcasts with SMS still waiting to leave or calls not over yet, newest first: a line for
    their SMS (sent so far of all), and one for their calls (done of all)."""
    lines = []
    for broadcast in broadcasts.running(session):
        figures, title = broadcasts.figures(session, broadcast.id), broadcasts.title(session, broadcast)
        link = url_for("staff.broadcast", broadcast_id=broadcast.id)
        if figures["waiting"]:
            lines.append(Attention(SENDING_NOW, figures["total"], link, sent=figures["done"], title=title))
        if figures["calls"] > figures["calls_done"]:
            message = WEEKLY_CALLS if broadcasts.is_summary(broadcast) else CALLING_NOW
            lines.append(Attention(message, figures["calls"], link, sent=figures["calls_done"], title=title))
    return lines


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
        lines.extend(running_broadcasts(session))
    if g.staff.may(ADMIN):
        lines.append(Attention(SUBSCRIBERS, subscribed(session), url_for("staff.subscribers")))
        lines.append(Attention(CALL_SUBSCRIBERS, news_calls.subscribed(session), url_for("staff.subscribers")))
    return lines


@bp.get("/")
def home() -> str:
    """The overview: what needs attention, and what this staff member can do here."""
    return render_template("staff/home.html", role_names=ROLE_NAMES, attention=attention(db.session()))
